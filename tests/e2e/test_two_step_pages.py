"""Two-step sign-in and sessions in a real browser: setting up an app from sign-in to a staff page,
the code and recovery code pages, your account and sessions, and the administrators' pages."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import AccountAction, User
from ras.accounts.two_step_services import recovery_codes_replace
from tests.accounts.two_step_helpers import signed_in_client
from tests.conftest import PASSWORD, authenticator_app_for
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_pages import COUNCIL_TITLE_SUFFIX

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("tasks_run_in_the_server_process")]

CODE = re.compile(r"^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def enter_password(page: Page, live_server: LiveServer, user: User, next_path: str = "") -> None:
    query = f"?next={next_path}" if next_path else ""
    page.goto(f"{live_server.url}/accounts/sign-in/{query}")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def signed_in_elsewhere(user: User) -> Client:
    """The same person signed in on their phone."""
    client = signed_in_client(user, HTTP_USER_AGENT=SAFARI_ON_IPHONE)
    assert client.get("/accounts/home/").status_code == 200
    return client


def test_a_new_staff_member_sets_up_an_app_on_the_way_to_their_caseload(
    page: Page, live_server: LiveServer, social_worker: User
) -> None:
    enter_password(page, live_server, social_worker, "/cases/")
    expect(page).to_have_title("Set up your authenticator app" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("img", name="QR code to set up your authenticator app")).to_be_visible()
    check_accessibility(page, "two-step-set-up")

    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Set up your authenticator app" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the 6-digit code from your authenticator app"
    )
    check_accessibility(page, "two-step-set-up-errors")

    # Someone who cannot scan types the key into their app instead.
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("#setup-key").inner_text().replace(" ", "")
    app = TOTP(b32decode(key + "=" * (-len(key) % 8)))
    page.get_by_label("Code", exact=True).fill(f"{app.token():06d}")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title("Save your recovery codes" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step sign-in is set up")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert all(CODE.match(code) for code in codes)
    check_accessibility(page, "two-step-new-recovery-codes")

    page.get_by_role("button", name="I have saved my codes, continue").click()
    expect(page).to_have_url(f"{live_server.url}/cases/")


def test_the_code_and_recovery_code_pages_and_their_errors(
    page: Page, live_server: LiveServer, team_manager: User
) -> None:
    authenticator_app_for(team_manager)
    codes = recovery_codes_replace(user=team_manager)
    enter_password(page, live_server, team_manager)
    expect(page).to_have_title("Enter the code from your authenticator app" + COUNCIL_TITLE_SUFFIX)
    code_box = page.get_by_label("Code", exact=True)
    expect(code_box).to_have_attribute("autocomplete", "one-time-code")
    expect(code_box).to_have_attribute("inputmode", "numeric")
    expect(code_box).to_have_attribute("spellcheck", "false")
    check_accessibility(page, "two-step-code")

    code_box.fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The code must be 6 digits, like 123456"
    )
    check_accessibility(page, "two-step-code-errors")

    page.get_by_text("I cannot use my authenticator app").click()
    page.get_by_role("link", name="Sign in with one of your recovery codes").click()
    expect(page).to_have_title("Enter a recovery code" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "two-step-recovery-code")
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/home/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You used a recovery code. You have 9 recovery codes left."
    )
    check_accessibility(page, "home-after-recovery-code")


def test_a_service_user_adds_two_step_sign_in_and_manages_their_sessions(
    page: Page, live_server: LiveServer, service_user: User
) -> None:
    sign_in(page, live_server, service_user)
    page.get_by_role("link", name="Two-step sign-in, recovery codes and where you are").click()
    expect(page).to_have_title("Your account" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "your-account")

    elsewhere = signed_in_elsewhere(service_user)
    page.get_by_role("link", name="See your sessions").click()
    expect(page).to_have_title("Your sessions" + COUNCIL_TITLE_SUFFIX)
    sessions = page.get_by_role("table")
    expect(sessions.get_by_role("row")).to_have_count(3)
    expect(sessions.get_by_role("rowheader", name="This session")).to_have_count(1)
    check_accessibility(page, "your-sessions")
    page.get_by_role(
        "button", name=re.compile("Sign out the session on Safari on an iPhone")
    ).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You signed out the session on Safari on an iPhone."
    )
    assert elsewhere.get("/accounts/home/").status_code == 302

    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Add two-step sign-in").click()
    expect(page).to_have_title("Set up your authenticator app" + COUNCIL_TITLE_SUFFIX)
    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("#setup-key").inner_text().replace(" ", "")
    page.get_by_label("Code", exact=True).fill(
        f"{TOTP(b32decode(key + '=' * (-len(key) % 8))).token():06d}"
    )
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="I have saved my codes, continue").click()
    expect(page).to_have_title("Your account" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator("#recovery-codes-left")).to_have_text("10 of 10 left")

    page.get_by_role("link", name="Make new codes for recovery").click()
    expect(page).to_have_title("Your recovery codes" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "your-recovery-codes")
    page.get_by_role("link", name="Your account").click()
    page.get_by_role("link", name="Turn off two-step sign-in").click()
    expect(page).to_have_title("Turn off two-step sign-in" + COUNCIL_TITLE_SUFFIX)
    page.get_by_role("button", name="Turn off two-step sign-in").click()
    expect(page).to_have_title("Error: Turn off two-step sign-in" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "two-step-turn-off-errors")


def test_an_administrator_ends_a_colleagues_session_and_resets_their_app(
    page: Page,
    live_server: LiveServer,
    administrator: User,
    social_worker: User,
) -> None:
    colleague = signed_in_elsewhere(social_worker)
    sign_in(page, live_server, administrator)
    page.get_by_role("link", name="Reset a colleague's two-step sign-in").click()
    expect(page).to_have_title("Manage someone’s sign-in" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "admin-people")
    page.get_by_label("Email address of their account").fill(social_worker.email)
    page.get_by_role("button", name="Find their account").click()
    expect(page).to_have_url(
        f"{live_server.url}/accounts/administration/people/{social_worker.public_id}/"
    )
    expect(page.get_by_role("table", name="Where they are signed in")).to_contain_text(
        "Safari on an iPhone"
    )
    check_accessibility(page, "admin-person")

    page.get_by_role("link", name=re.compile("End the session on Safari on an iPhone")).click()
    expect(page).to_have_title("End Wendy Worker’s session" + COUNCIL_TITLE_SUFFIX)
    page.get_by_role("button", name="End this session").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
    check_accessibility(page, "admin-session-end-errors")
    page.get_by_label("Why are you ending this session?").fill("Phone reported stolen.")
    page.get_by_role("button", name="End this session").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You ended Wendy Worker's session on Safari on an iPhone."
    )
    assert colleague.get("/accounts/home/").status_code == 302

    signed_in_elsewhere(social_worker)
    page.reload()
    page.get_by_role("link", name="End all their sessions").click()
    expect(page).to_have_title("End all of Wendy Worker’s sessions" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "admin-sessions-end")
    page.get_by_role("link", name="Wendy Worker").click()

    page.get_by_role("button", name="Reset their two-step sign-in").click()
    expect(page).to_have_title("Reset Wendy Worker’s two-step sign-in" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "admin-two-step-reset")
    page.get_by_label("Why are you resetting it?").fill("New phone; she rang from her desk.")
    page.get_by_role("button", name="Reset two-step sign-in").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You reset Wendy Worker's two-step sign-in."
    )
    expect(page.locator("#no-sessions")).to_have_text("They are not signed in anywhere.")

    page.goto(f"{live_server.url}/accounts/administration/account-actions/")
    log = page.get_by_role("table", name="The newest first")
    expect(log.get_by_role("row")).to_have_count(3)
    expect(log).to_contain_text("New phone; she rang from her desk.")
    check_accessibility(page, "admin-account-actions")
    assert AccountAction.objects.count() == 2

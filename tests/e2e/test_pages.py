"""Every page that exists, in a real browser: it works, it passes axe, and a screenshot is kept."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from tests.conftest import PASSWORD
from tests.e2e.conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

COUNCIL_TITLE_SUFFIX = " – Care and support budgets – Northbrook Council"


def test_the_start_page_is_accessible(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url)
    expect(page).to_have_title(
        "Find out your personal budget for care and support" + COUNCIL_TITLE_SUFFIX
    )
    expect(page.locator(".govuk-generic-header")).to_contain_text("Northbrook Council")
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    check_accessibility(page, "start")


def test_the_skip_link_takes_keyboard_users_to_the_content(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    skip_link.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_the_sign_in_page_and_its_errors_are_accessible(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/accounts/sign-in/")
    expect(page).to_have_title("Sign in" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "sign-in")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    check_accessibility(page, "sign-in-errors")


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.name.lower())
def test_each_role_signs_in_and_reaches_its_home(
    role: Role, page: Page, live_server: LiveServer
) -> None:
    email = f"{role.name.lower()}@example.org"
    user = user_create(email=email, full_name=f"Demo {role.value}", roles=[role], password=PASSWORD)
    sign_in(page, live_server, user)
    expect(page).to_have_url(f"{live_server.url}/accounts/home/")
    expect(page).to_have_title("Your home" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("heading", level=2, name=role.value)).to_be_visible()
    check_accessibility(page, f"home-{role.name.lower()}")


def test_signing_out_shows_the_signed_out_page(
    page: Page, live_server: LiveServer, social_worker: User
) -> None:
    sign_in(page, live_server, social_worker)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/signed-out/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    check_accessibility(page, "signed-out")


def test_the_locked_out_page_is_accessible(
    page: Page, live_server: LiveServer, social_worker: User
) -> None:
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Email address").fill(social_worker.email)
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many sign-in attempts")
    check_accessibility(page, "locked-out")


def test_the_not_found_page_is_accessible(page: Page, live_server: LiveServer) -> None:
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response is not None
    assert response.status == 404
    check_accessibility(page, "not-found")


def test_the_django_admin_is_accessible_to_administrators(
    page: Page, live_server: LiveServer, administrator: User
) -> None:
    sign_in(page, live_server, administrator)
    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("administration")
    check_accessibility(page, "admin-index")

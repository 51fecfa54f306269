"""The self-assessment journey in Chromium: a whole assessment with the keyboard only, leaving and
coming back, every page and error state through axe-core (WCAG 2.2 AA) at full width and at
320 px, and the session timeout warning (WCAG 2.2.1)."""

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from allocations.models import ClientGroup, IndicativeBudget
from questionnaires.models import Answer, Assessment, AssessmentStatus
from questionnaires.services import answer_save
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from tests.allocations.conftest import published_version
from tests.conftest import PASSWORD
from tests.e2e.conftest import check_accessibility, sign_in
from tests.questionnaires.conftest import FULL_ANSWERS, answer_all, assessment, questionnaire
from tests.questionnaires.journey_fixtures import use_mini_questionnaire

__all__ = ["assessment", "published_version", "questionnaire", "use_mini_questionnaire"]

pytestmark = pytest.mark.browser

TITLE_SUFFIX = " – Care and support budgets – Northbrook Council"
NARROW = ViewportSize(width=320, height=640)
WIDE = ViewportSize(width=1024, height=800)


@pytest.fixture
def older_people(db: None) -> ClientGroup:
    """Browser tests empty the tables between tests, seeded client groups included."""
    group, _ = ClientGroup.objects.get_or_create(
        code="older-people",
        defaults={"name": "Older people", "description": "People aged 65 and over."},
    )
    return group


@pytest.fixture
def wide_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=WIDE)
    yield context.new_page()
    context.close()


def check_page(page: Page, name: str) -> None:
    """axe-core at full width, then again at 320 px wide with no sideways scrolling."""
    check_accessibility(page, name)
    page.set_viewport_size(NARROW)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= NARROW["width"], f"{name} scrolls sideways at 320 px: {scroll_width}px"
    check_accessibility(page, f"{name}-320")
    page.set_viewport_size(WIDE)


# Keyboard-only helpers: Tab, Shift+Tab, arrow keys, Space and Enter; never a click.


def is_focused(locator: Locator) -> bool:
    return bool(locator.evaluate("element => element === document.activeElement"))


def tab_to(page: Page, locator: Locator, *, limit: int = 80) -> None:
    for _ in range(limit):
        if is_focused(locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Pressing Tab never reached {locator}")


def press_enter_on(page: Page, locator: Locator) -> None:
    """Tabs to a link or button and presses Enter, then waits for the page it leads to."""
    tab_to(page, locator)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_with_keyboard(page: Page, label: str) -> None:
    """Tabs into the radio group, then moves to the answer with the arrow keys and selects it."""
    radios = page.locator("input.govuk-radios__input")
    labels = [text.strip() for text in page.locator("label.govuk-radios__label").all_inner_texts()]
    target = labels.index(label)
    for _ in range(80):
        if page.evaluate("document.activeElement.type === 'radio'"):
            break
        page.keyboard.press("Tab")
    current = int(
        page.evaluate(
            "[...document.querySelectorAll('input.govuk-radios__input')]"
            ".indexOf(document.activeElement)"
        )
    )
    key = "ArrowDown" if target > current else "ArrowUp"
    for _ in range(abs(target - current)):
        page.keyboard.press(key)
    page.keyboard.press("Space")
    expect(radios.nth(target)).to_be_checked()


def save_and_continue(page: Page) -> None:
    press_enter_on(page, page.get_by_role("button", name="Save and continue"))


def sign_in_with_keyboard(page: Page, email: str) -> None:
    tab_to(page, page.locator("#id_username"))
    page.keyboard.type(email)
    tab_to(page, page.locator("#id_password"))
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def answer_area_with_keyboard(page: Page, area: str, answers: list[tuple[str, str]]) -> None:
    """From the task list: open an area, answer its questions in turn, back to the task list."""
    press_enter_on(page, page.get_by_role("link", name=area))
    for question_text, label in answers:
        expect(page.get_by_role("heading", level=1)).to_have_text(question_text)
        check_page(page, f"saq-question-{slug(question_text)}")
        choose_with_keyboard(page, label)
        save_and_continue(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("self-assessment")


def slug(text: str) -> str:
    return re.sub(r"[^a-z]+", "-", text.lower()).strip("-")[:40]


def test_a_whole_self_assessment_with_the_keyboard_only(
    page: Page, live_server: LiveServer, service_user: User, questionnaire, published_version
) -> None:
    """Answers as in FULL_ANSWERS: 3 + 5 + 26 = 34 points, band 2: £3,000 + 14 x £260 =
    £6,640.00; a lot of help from family or friends takes 25% (£1,660.00) off: £4,980.00 a year,
    and £4,980.00 / 52 = £95.77 a week."""
    page.set_viewport_size(WIDE)
    page.goto(f"{live_server.url}/self-assessment/")
    expect(page).to_have_title("Tell us about the support you need" + TITLE_SUFFIX)
    check_page(page, "saq-start")

    press_enter_on(page, page.get_by_role("button", name="Start now"))
    expect(page).to_have_title("Sign in or create an account" + TITLE_SUFFIX)
    check_page(page, "saq-sign-in-or-create-account")

    press_enter_on(page, page.get_by_role("button", name="Sign in"))
    expect(page).to_have_title("Sign in" + TITLE_SUFFIX)
    check_page(page, "saq-sign-in")
    sign_in_with_keyboard(page, service_user.email)

    expect(page).to_have_url(re.compile(r"/self-assessment/new/myself/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Which of these describes you best?")
    check_page(page, "saq-client-group")
    choose_with_keyboard(page, "I am 65 or older")
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your self-assessment")
    check_page(page, "saq-task-list")
    expect(page.get_by_text("Cannot start yet")).to_be_visible()

    answer_area_with_keyboard(
        page,
        "Looking after yourself",
        [
            ("How much help do you need to wash?", "I need some help"),
            ("How much help do you need to get dressed?", "I need help with this all the time"),
        ],
    )
    answer_area_with_keyboard(
        page,
        "Eating and drinking",
        [("How much help do you need to make a meal?", "I need help with this all the time")],
    )
    answer_area_with_keyboard(
        page,
        "Support from family and friends",
        [("How much of the help you need do family or friends give you today?", "A lot")],
    )
    check_page(page, "saq-task-list-complete")

    press_enter_on(page, page.get_by_role("link", name="Check your answers and send"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending")
    check_page(page, "saq-check-answers")

    # Change an answer from the check page, and come back to it.
    press_enter_on(
        page, page.get_by_role("link", name="Change how much help do you need to make a meal?")
    )
    expect(page.get_by_role("radio", name="I need help with this all the time")).to_be_checked()
    choose_with_keyboard(page, "I need some help")
    save_and_continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending")
    press_enter_on(
        page, page.get_by_role("link", name="Change how much help do you need to make a meal?")
    )
    choose_with_keyboard(page, "I need help with this all the time")
    save_and_continue(page)

    press_enter_on(page, page.get_by_role("button", name="Accept and send"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment sent")
    reference = Assessment.objects.get().reference
    expect(page.locator(".govuk-panel__body")).to_contain_text(reference)
    expect(page.locator("#indicative-budget")).to_have_text(
        "£4,980.00 a year, which is £95.77 a week."
    )
    expect(page.get_by_role("heading", name="How we worked this out")).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    check_page(page, "saq-confirmation")

    budget = IndicativeBudget.objects.get()
    assert (budget.indicative_annual_pence, budget.indicative_weekly_pence) == (498_000, 9_577)


def test_leaving_halfway_and_signing_in_again_resumes_at_the_right_question(
    browser: Browser, live_server: LiveServer, service_user: User, questionnaire
) -> None:
    first_visit = browser.new_context(viewport=WIDE)
    page = first_visit.new_page()
    page.goto(f"{live_server.url}/self-assessment/new/myself/")
    sign_in_with_keyboard(page, service_user.email)
    choose_with_keyboard(page, "I am 65 or older")
    save_and_continue(page)
    press_enter_on(page, page.get_by_role("link", name="Looking after yourself"))
    choose_with_keyboard(page, "I need some help")
    save_and_continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How much help do you need to get dressed?"
    )
    press_enter_on(page, page.get_by_role("link", name="Come back later"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Come back later")
    check_page(page, "saq-come-back-later")
    first_visit.close()  # the browser is closed: the session cookie goes with it

    next_day = browser.new_context(viewport=WIDE)
    page = next_day.new_page()
    page.goto(f"{live_server.url}/self-assessment/your-assessments/")
    expect(page).to_have_title("Sign in" + TITLE_SUFFIX)
    sign_in_with_keyboard(page, service_user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your self-assessments")
    check_page(page, "saq-your-assessments")
    press_enter_on(page, page.get_by_role("link", name=re.compile(r"^Continue")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How much help do you need to get dressed?"
    )
    assert Answer.objects.get().option.code == "some-help"
    next_day.close()


class TestErrorStates:
    def test_no_answer_chosen(
        self, page: Page, live_server: LiveServer, assessment, service_user
    ) -> None:
        open_question(page, live_server, assessment, service_user, "washing")
        save_and_continue(page)
        expect(page).to_have_title("Error: How much help do you need to wash?" + TITLE_SUFFIX)
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Select how much help you need"
        )
        check_page(page, "saq-question-error-no-answer")
        assert not Answer.objects.exists()

    def test_a_tampered_answer_gets_a_400_page(
        self, page: Page, live_server: LiveServer, assessment, service_user
    ) -> None:
        open_question(page, live_server, assessment, service_user, "washing")
        page.evaluate("document.querySelector('#option').value = 'tampered'")
        choose_with_keyboard(page, "I manage this on my own")
        with page.expect_response(re.compile(r"/questions/washing/$")) as response:
            save_and_continue(page)
        assert response.value.status == 400
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Select one of the answers shown"
        )
        check_page(page, "saq-question-error-tampered")
        assert not Answer.objects.exists()

    def test_an_older_page_is_shown_the_latest_answer(
        self, page: Page, live_server: LiveServer, assessment, service_user
    ) -> None:
        open_question(page, live_server, assessment, service_user, "washing")
        answer_save(
            assessment=assessment,
            question_code="washing",
            option_code="all-the-time",
            actor=service_user,
            expected_revision=0,
        )
        choose_with_keyboard(page, "I manage this on my own")
        save_and_continue(page)
        expect(page.get_by_role("alert")).to_contain_text(
            "Your answers were changed in another window. This page now shows the latest answer."
        )
        expect(page.get_by_role("radio", name="I need help with this all the time")).to_be_checked()
        check_page(page, "saq-question-stale")
        assert Answer.objects.get().option.code == "all-the-time"

    def test_sending_with_unanswered_questions(
        self, page: Page, live_server: LiveServer, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, {"washing": "some-help"})
        sign_in(page, live_server, service_user, f"/self-assessment/{assessment.public_id}/check/")
        check_page(page, "saq-check-answers-incomplete")
        press_enter_on(page, page.get_by_role("button", name="Accept and send"))
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_contain_text(
            "Answer the question: How much help do you need to make a meal?"
        )
        expect(summary).to_be_focused()
        check_page(page, "saq-check-answers-error-missing")
        press_enter_on(page, summary.get_by_role("link").first)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "How much help do you need to get dressed?"
        )
        assert Assessment.objects.get().status == AssessmentStatus.IN_PROGRESS

    def test_create_account_errors_then_an_account(
        self, page: Page, live_server: LiveServer, questionnaire
    ) -> None:
        page.goto(f"{live_server.url}/self-assessment/create-account/?next=/self-assessment/new/")
        check_page(page, "saq-create-account")
        press_enter_on(page, page.get_by_role("button", name="Create account and continue"))
        expect(page).to_have_title("Error: Create an account" + TITLE_SUFFIX)
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your full name")
        check_page(page, "saq-create-account-errors")

        page.get_by_label("Full name").fill("Nia New-Person")
        page.get_by_label("Email address").fill("nia@example.org")
        page.get_by_label("Create a password").fill("short")
        page.get_by_label("Type the password again").fill("short")
        page.get_by_label("Myself").check()
        press_enter_on(page, page.get_by_role("button", name="Create account and continue"))
        expect(page.locator(".govuk-error-summary")).to_contain_text("too short")
        check_page(page, "saq-create-account-error-password")

        page.get_by_label("Create a password").fill("a long and memorable passphrase")
        page.get_by_label("Type the password again").fill("a long and memorable passphrase")
        press_enter_on(page, page.get_by_role("button", name="Create account and continue"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Which of these describes you best?"
        )
        press_enter_on(page, page.get_by_role("button", name="Save and continue"))
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Select the description that fits you best"
        )
        check_page(page, "saq-client-group-error")
        assert User.objects.get(email="nia@example.org").roles == [Role.SERVICE_USER]


def open_question(page: Page, live_server: LiveServer, assessment, user: User, code: str) -> None:
    sign_in(page, live_server, user, f"/self-assessment/{assessment.public_id}/questions/{code}/")


def test_a_representative_fills_one_in_for_someone_they_help(
    page: Page, live_server: LiveServer, representative: User, questionnaire
) -> None:
    sign_in(page, live_server, representative, "/self-assessment/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who are you filling this in for?")
    check_page(page, "saq-someone-else")
    press_enter_on(page, page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the full name")
    check_page(page, "saq-someone-else-errors")
    page.get_by_label("Their full name").fill("Ida Represented")
    page.get_by_label("How do you know them?").fill("My mother")
    press_enter_on(page, page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which of these describes Ida Represented best?"
    )
    check_page(page, "saq-client-group-someone-else")
    choose_with_keyboard(page, "They are 65 or older")
    save_and_continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ida Represented’s self-assessment")
    check_page(page, "saq-task-list-someone-else")
    press_enter_on(page, page.get_by_role("link", name="Looking after yourself"))
    expect(page.locator(".govuk-caption-l")).to_contain_text("for Ida Represented")
    check_page(page, "saq-question-someone-else")


def test_someone_with_both_roles_chooses_who_it_is_for(
    page: Page, live_server: LiveServer, questionnaire
) -> None:
    both = user_create(
        email="bo@example.org",
        full_name="Bo Both",
        roles=[Role.SERVICE_USER, Role.REPRESENTATIVE],
        password=PASSWORD,
    )
    sign_in(page, live_server, both, "/self-assessment/new/")
    check_page(page, "saq-filling-in-for")
    press_enter_on(page, page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who you are filling")
    check_page(page, "saq-filling-in-for-errors")


def test_the_page_for_no_published_questionnaire(
    page: Page, live_server: LiveServer, service_user: User
) -> None:
    sign_in(page, live_server, service_user, "/self-assessment/your-assessments/")
    response = page.goto(f"{live_server.url}/self-assessment/new/myself/")
    assert response is not None
    assert response.status == 503
    check_page(page, "saq-unavailable")


class TestTheSessionTimeoutWarning:
    def test_stay_signed_in_keeps_the_session(
        self, page: Page, live_server: LiveServer, assessment, service_user, settings
    ) -> None:
        """The session ends after 40 idle seconds; the warning shows 30 seconds before that."""
        settings.SESSION_COOKIE_AGE = 40
        settings.SAQ_SESSION_WARNING_SECONDS = 30
        task_list = f"/self-assessment/{assessment.public_id}/tasks/"
        sign_in(page, live_server, service_user, task_list)
        loaded_at = time.monotonic()
        dialog = page.get_by_role("dialog", name="You’re about to be signed out")
        expect(dialog).to_be_visible(timeout=15_000)
        stay = dialog.get_by_role("button", name="Stay signed in")
        expect(stay).to_be_focused()
        expect(dialog).to_contain_text("Your answers are saved")
        check_page(page, "saq-timeout-warning")
        expect(stay).to_be_focused()

        with page.expect_response(re.compile(r"/self-assessment/keep-alive/$")) as kept:
            page.keyboard.press("Enter")
        assert kept.value.status == 204
        expect(dialog).to_be_hidden()

        # Past the end of the session the page was loaded with: it is still alive.
        page.wait_for_timeout(max(0.0, 43 - (time.monotonic() - loaded_at)) * 1000)
        page.goto(f"{live_server.url}{task_list}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your self-assessment")

    def test_when_time_runs_out_the_person_is_signed_out_and_nothing_is_lost(
        self, page: Page, live_server: LiveServer, assessment, service_user, settings
    ) -> None:
        settings.SESSION_COOKIE_AGE = 24
        settings.SAQ_SESSION_WARNING_SECONDS = 21
        answer_all(assessment, service_user, {"washing": "some-help"})
        sign_in(page, live_server, service_user, f"/self-assessment/{assessment.public_id}/tasks/")
        expect(page.get_by_role("dialog")).to_be_visible(timeout=10_000)
        expect(page).to_have_url(re.compile(r"/self-assessment/signed-out/$"), timeout=40_000)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "We signed you out to keep your information safe"
        )
        check_page(page, "saq-timed-out")
        page.goto(f"{live_server.url}/self-assessment/{assessment.public_id}/tasks/")
        expect(page).to_have_title("Sign in" + TITLE_SUFFIX)
        assert Answer.objects.get().option.code == "some-help"

    def test_escape_means_stay_signed_in(
        self, page: Page, live_server: LiveServer, assessment, service_user, settings
    ) -> None:
        settings.SESSION_COOKIE_AGE = 30
        settings.SAQ_SESSION_WARNING_SECONDS = 25
        sign_in(page, live_server, service_user, f"/self-assessment/{assessment.public_id}/tasks/")
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible(timeout=10_000)
        with page.expect_response(re.compile(r"/self-assessment/keep-alive/$")) as kept:
            page.keyboard.press("Escape")
        assert kept.value.status == 204
        expect(dialog).to_be_hidden()


def test_the_sent_assessment_is_listed_with_its_result(
    page: Page, live_server: LiveServer, assessment, service_user, published_version
) -> None:
    answer_all(assessment, service_user, FULL_ANSWERS)
    sign_in(page, live_server, service_user, f"/self-assessment/{assessment.public_id}/check/")
    press_enter_on(page, page.get_by_role("button", name="Accept and send"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-assessment sent")
    page.goto(f"{live_server.url}/self-assessment/your-assessments/")
    expect(page.get_by_role("link", name=re.compile(r"^View result"))).to_be_visible()
    check_page(page, "saq-your-assessments-sent")

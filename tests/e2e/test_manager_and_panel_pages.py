"""The team manager's queue and decision page with every action's error, and the panel pages
with their errors, in a real browser: they work, they pass axe, and screenshots are kept.

The case: an indicative budget of £4,980.00 a year. The worker asks a manager for £5,600.00
(£620.00, 12.45% more: within a manager's 25%), or the panel for £7,200.00 (beyond it).
"""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from ras.people.services import person_create
from reviews.models import BudgetDecision, PanelAgendaItem
from reviews.services import decision_record_emergency, decision_request_amount, decision_transition
from reviews.workflow import Action, State
from tests.allocations.conftest import older_people, published_version  # noqa: F401
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_pages import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import assessment, questionnaire  # noqa: F401
from tests.reviews.conftest import decision, submitted_assessment  # noqa: F401

# Delegated authority and reason codes are seeded by migrations; a live server's tests empty the
# tables after each test, so the seeded rows are put back before each one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("tasks_run_in_the_server_process"),
]


def ask(decision: BudgetDecision, worker: User, amount_pence: int) -> None:
    decision_request_amount(
        decision_id=decision.pk,
        actor=worker,
        seen_state=State.INDICATIVE,
        amount_pence=amount_pence,
        reason_codes=["night-support"],
        reasons="Needs a check at night; her daughter is exhausted.",
    )


def error_summary_says(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    for message in messages:
        expect(summary).to_contain_text(message)


MANAGER_ACTIONS = [
    ("approve", "Approve the request"),
    ("send-to-panel", "Send to panel"),
    ("decline", "Decline the request"),
    ("return", "Return to the social worker"),
]


def test_the_manager_queue_decision_page_and_each_actions_error_are_accessible(
    page: Page,
    live_server: LiveServer,
    team_manager: User,
    social_worker: User,
    decision: BudgetDecision,
) -> None:
    ask(decision, social_worker, 560_000)
    sign_in(page, live_server, team_manager)
    page.goto(f"{live_server.url}/manager/")
    expect(page).to_have_title("Requests waiting for a manager" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator("#count-waiting")).to_have_text("1")
    expect(page.locator("main")).to_contain_text("£620.00 more")
    check_accessibility(page, "manager-queue")

    page.get_by_role("link", name="Sam Service-User").click()
    decision_title = "Decide: Sam Service-User" + COUNCIL_TITLE_SUFFIX
    expect(page).to_have_title(decision_title)
    expect(page.locator("#authority-sentence")).to_have_text(
        "£5,600.00 a year is within your authority: you may approve it."
    )
    expect(page.locator("#how-we-worked-this-out")).to_be_visible()
    check_accessibility(page, "manager-decision")

    for slug, button in MANAGER_ACTIONS:
        page.get_by_role("button", name=button).click()
        expect(page).to_have_title("Error: " + decision_title)
        error_summary_says(page, "Enter the reasons for this decision")
        expect(page.locator(f"#id_{slug}-reasons")).to_have_class(
            "govuk-textarea govuk-textarea--error"
        )
        check_accessibility(page, f"manager-{slug}-error")
        page.goto(f"{live_server.url}/manager/decisions/{decision.pk}/")

    page.get_by_label("Reasons for approving").fill("Night checks meet the need.")
    page.get_by_role("button", name="Approve the request").click()
    expect(page).to_have_title(decision_title)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You approved £5,600.00 a year for Sam Service-User."
    )
    expect(page.locator("main")).to_contain_text("There is nothing for a manager to decide now.")
    check_accessibility(page, "manager-decision-approved")


def test_confirming_an_emergency_allocation_and_its_error_are_accessible(
    page: Page, live_server: LiveServer, team_manager: User, social_worker: User
) -> None:
    emergency = decision_record_emergency(
        person=person_create(full_name="Eve Emergency", actor=social_worker),
        actor=social_worker,
        amount_pence=520_000,
        reasons="Her carer is in hospital.",
    )
    sign_in(page, live_server, team_manager)
    page.goto(f"{live_server.url}/manager/")
    expect(page.locator("#count-emergencies")).to_have_text("1")
    page.get_by_role("link", name="Eve Emergency").click()
    expect(page).to_have_title("Decide: Eve Emergency" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "manager-emergency")

    # Another manager confirms it while this page is open.
    other = user_create(
        email="max@example.org", full_name="Max Manager", roles=[Role.TEAM_MANAGER], password="x"
    )
    decision_transition(
        decision_id=emergency.pk,
        action=Action.CONFIRM_EMERGENCY,
        actor=other,
        seen_state=State.EMERGENCY,
    )
    page.get_by_role("button", name="Confirm the emergency allocation").click()
    expect(page).to_have_title("Error: Decide: Eve Emergency" + COUNCIL_TITLE_SUFFIX)
    error_summary_says(page, "This emergency allocation is already confirmed.")
    check_accessibility(page, "manager-confirm-emergency-error")


def test_arranging_a_meeting_adding_a_case_and_deciding_it_are_accessible(
    page: Page,
    live_server: LiveServer,
    team_manager: User,
    panel_member: User,
    social_worker: User,
    decision: BudgetDecision,
) -> None:
    ask(decision, social_worker, 720_000)
    assert decision.assessment is not None
    reference = decision.assessment.reference
    sign_in(page, live_server, team_manager)
    page.goto(f"{live_server.url}/panels/")
    expect(page).to_have_title("Panel meetings" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator("#count-waiting")).to_have_text("1")
    expect(page.locator("#longest-wait")).to_have_text(f"0 days (case {reference})")
    check_accessibility(page, "panels-list")

    page.get_by_role("button", name="Arrange a meeting").click()
    expect(page).to_have_title("Arrange a panel meeting" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "panels-meeting-new")
    page.get_by_role("button", name="Arrange the meeting").click()
    expect(page).to_have_title("Error: Arrange a panel meeting" + COUNCIL_TITLE_SUFFIX)
    error_summary_says(
        page,
        "Enter a title for the meeting",
        "Enter the date of the meeting",
        "Choose at least one panel member",
    )
    check_accessibility(page, "panels-meeting-new-error")

    today = timezone.localdate()
    page.get_by_label("Title").fill("December panel")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Pat Panel").check()
    page.get_by_role("button", name="Arrange the meeting").click()
    meeting_title = f"December panel, {today:%-d %B %Y}" + COUNCIL_TITLE_SUFFIX
    expect(page).to_have_title(meeting_title)
    check_accessibility(page, "panels-meeting-empty")

    page.get_by_role("button", name="Add to the agenda").click()
    expect(page).to_have_title("Error: " + meeting_title)
    error_summary_says(page, "Choose a case to add to the agenda")
    check_accessibility(page, "panels-agenda-add-error")
    page.get_by_label(f"Case {reference}: Sam Service-User").check()
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You added case {reference} to the agenda."
    )
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, panel_member)
    page.goto(f"{live_server.url}/panels/")
    page.get_by_role("link", name="December panel", exact=True).click()
    expect(page).to_have_title(meeting_title)
    expect(page.get_by_role("heading", name=f"Case {reference}: Sam Service-User")).to_be_visible()
    check_accessibility(page, "panels-meeting-with-cases")

    item = PanelAgendaItem.objects.get()
    page.get_by_label("Amount a year the panel approves").fill("6800.005")
    page.get_by_role("button", name="Approve this amount").click()
    expect(page).to_have_title("Error: " + meeting_title)
    error_summary_says(
        page, "must have no more than 2 decimal places", "Enter the reasons for this decision"
    )
    expect(page.locator(f"#id_case-{item.pk}-approve-different-amount")).to_have_value("6800.005")
    check_accessibility(page, "panels-decision-error")

    for button, slug in (("Decline the request", "decline"), ("Defer", "defer")):
        page.get_by_role("button", name=button, exact=True).click()
        expect(page).to_have_title("Error: " + meeting_title)
        error_summary_says(page, "Enter the reasons for this decision")
        check_accessibility(page, f"panels-{slug}-error")
    assert PanelAgendaItem.objects.get().outcome is None

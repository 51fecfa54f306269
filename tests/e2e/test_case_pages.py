"""The caseload, the case page in its states and every action form with its errors, in a real
browser: they work, they pass axe, and screenshots are kept.

The case: 34 points on the older people's table, £6,640.00 less 25% for a lot of help from family
or friends, an indicative budget of £4,980.00 a year. A social worker may agree up to 10% more
(£498.00), so £5,478.00 a year is within their authority.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from questionnaires.models import Assessment
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from reviews.models import BudgetDecision
from reviews.services import decision_transition
from reviews.workflow import Action, State
from tests.conftest import PASSWORD
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_pages import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    assessment,
    older_people,
    published_version,
    questionnaire,
)
from tests.reviews.conftest import decision, submitted_assessment  # noqa: F401 - fixtures

# Client groups, delegated authority and reason codes are seeded by migrations; a live server's
# tests empty the tables after each test, so the seeded rows are put back before each one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("tasks_run_in_the_server_process"),
]


def open_case(page: Page, live_server: LiveServer, decision: BudgetDecision) -> None:
    page.goto(f"{live_server.url}/cases/{decision.pk}/")
    expect(page).to_have_title("Case: Sam Service-User" + COUNCIL_TITLE_SUFFIX)


def error_summary_says(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    for message in messages:
        expect(summary).to_contain_text(message)


def test_a_worker_takes_a_new_assessment_varies_it_and_signs_off_the_final_budget(
    page: Page, live_server: LiveServer, social_worker: User, submitted_assessment: Assessment
) -> None:
    sign_in(page, live_server, social_worker)
    page.goto(f"{live_server.url}/cases/")
    expect(page).to_have_title("Your caseload" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("heading", name="New assessments (1)")).to_be_visible()
    check_accessibility(page, "cases-caseload-new")

    page.get_by_role(
        "button", name=f"Take the case of Sam Service-User, {submitted_assessment.reference}"
    ).click()
    expect(page).to_have_title("Case: Sam Service-User" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is on your caseload")
    expect(page.locator(".govuk-tag").first).to_have_text("Indicative budget to agree")
    expect(page.get_by_role("link", name=submitted_assessment.reference)).to_be_visible()
    expect(page.locator("#how-we-worked-this-out")).to_be_visible()
    check_accessibility(page, "cases-case-indicative")

    page.get_by_role("link", name="Vary the budget up or down, with reasons").click()
    expect(page).to_have_title("Vary the budget" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "cases-vary")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Error: Vary the budget" + COUNCIL_TITLE_SUFFIX)
    error_summary_says(page, "Enter the new amount a year", "Enter the reasons for this decision")
    check_accessibility(page, "cases-vary-errors")

    page.get_by_label("New amount a year").fill("5478.00")
    page.get_by_label("Support is needed at night").check()
    page.get_by_label("Reasons").fill("Needs a check at night twice a week.")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("You agreed £5,478.00 a year" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator("main")).to_contain_text("That is within your delegated authority")
    expect(page.locator("main")).to_contain_text("£498.00 (10.00%) more")
    check_accessibility(page, "cases-vary-agreed")

    page.get_by_role("link", name="Back to Sam Service-User’s case").first.click()
    final = page.locator("#final-budget + p")
    expect(final).to_contain_text("£5,478.00 a year")
    expect(final).to_contain_text("signed off by Wendy Worker")
    expect(page.locator("main")).to_contain_text("£498.00 more than the indicative budget")
    expect(page.locator("main")).to_contain_text("Needs a check at night twice a week.")
    check_accessibility(page, "cases-case-varied")


def test_agreeing_entering_a_contribution_and_starting_a_review(
    page: Page, live_server: LiveServer, social_worker: User, decision: BudgetDecision
) -> None:
    sign_in(page, live_server, social_worker)
    open_case(page, live_server, decision)
    page.get_by_role(
        "link", name="Agree the indicative budget of £4,980.00 a year as final"
    ).click()
    expect(page).to_have_title("Agree the indicative budget" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "cases-agree")
    page.get_by_role("button", name="Agree the budget").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You agreed £4,980.00 a year as the final budget."
    )
    expect(page.locator(".govuk-tag").first).to_have_text("Agreed at the indicative budget")
    check_accessibility(page, "cases-case-agreed")

    page.get_by_role(
        "link", name="Enter what the person pays from the financial assessment"
    ).click()
    expect(page).to_have_title("What the person pays" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "cases-contribution")
    page.get_by_label("What the person pays a year").fill("5000")
    page.get_by_role("button", name="Save the contribution").click()
    expect(page).to_have_title("Error: What the person pays" + COUNCIL_TITLE_SUFFIX)
    error_summary_says(page, "cannot be more than the final budget of £4,980.00")
    check_accessibility(page, "cases-contribution-error")
    page.get_by_label("What the person pays a year").fill("1200")
    page.get_by_role("button", name="Save the contribution").click()
    expect(page.locator("main")).to_contain_text("£3,780.00 a year")

    page.get_by_role("link", name="Start a review").click()
    expect(page).to_have_title("Start a review" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "cases-start-review")
    page.get_by_role("button", name="Start the review").click()
    expect(page.locator(".govuk-tag").first).to_have_text("Indicative budget to agree")
    expect(page.locator("main")).to_contain_text("started a review of the budget")


def test_asking_for_an_allocation_outside_the_ras_with_a_costed_plan(
    page: Page, live_server: LiveServer, social_worker: User, decision: BudgetDecision
) -> None:
    """10.5 hours a week at £24.00 for 52 weeks: £13,104.00 a year, beyond a manager's 25%."""
    sign_in(page, live_server, social_worker)
    open_case(page, live_server, decision)
    page.get_by_role("link", name="Ask for an allocation outside the RAS").click()
    expect(page).to_have_title("Ask for an allocation outside the RAS" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "cases-outside-ras")

    line_one = page.get_by_role("group", name="Line 1", exact=True)
    line_one.get_by_label("What support").fill("Personal care visits")
    page.get_by_role("button", name="Ask for the total").click()
    error_summary_says(
        page, "Line 1: enter the hours or units a week", "Enter the reasons for this decision"
    )
    check_accessibility(page, "cases-outside-ras-errors")

    page.get_by_role("button", name="Add more lines").click()
    expect(page.get_by_role("group", name="Line 10")).to_be_visible()
    line_one = page.get_by_role("group", name="Line 1", exact=True)
    expect(line_one.get_by_label("What support")).to_have_value("Personal care visits")
    line_one.get_by_label("Hours or units a week").fill("10.5")
    line_one.get_by_label("Cost of one hour or unit").fill("24")
    page.get_by_label("Two care workers are needed at once").check()
    page.get_by_label("Reasons").fill("Needs two carers for every transfer.")
    page.get_by_role("button", name="Ask for the total").click()
    expect(page).to_have_title(
        "£13,104.00 a year was sent to the panel to agree" + COUNCIL_TITLE_SUFFIX
    )
    expect(page.locator("main")).to_contain_text("The panel will decide.")
    check_accessibility(page, "cases-outside-ras-sent")

    page.get_by_role("link", name="Back to Sam Service-User’s case").first.click()
    expect(page.locator(".govuk-tag").first).to_have_text("Waiting for panel")
    expect(page.locator("#support-plan")).to_be_visible()
    check_accessibility(page, "cases-case-awaiting-panel")


def test_returning_the_assessment_to_the_person(
    page: Page, live_server: LiveServer, social_worker: User, decision: BudgetDecision
) -> None:
    sign_in(page, live_server, social_worker)
    open_case(page, live_server, decision)
    page.get_by_role("link", name="Return the assessment to Sam Service-User").click()
    check_accessibility(page, "cases-return")
    page.get_by_role("button", name="Return the assessment").click()
    error_summary_says(page, "Enter a message to the person saying what to change")
    check_accessibility(page, "cases-return-error")
    page.get_by_label("Message to the person").fill("Please check the meals answer.")
    page.get_by_role("button", name="Return the assessment").click()
    expect(page.locator(".govuk-tag").first).to_have_text(
        "Returned to the person to change answers"
    )
    expect(page.locator("main")).to_contain_text("is changing their answers")
    check_accessibility(page, "cases-case-returned")


def test_recording_an_emergency_allocation(
    page: Page, live_server: LiveServer, social_worker: User
) -> None:
    sign_in(page, live_server, social_worker)
    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("button", name="Record an emergency allocation").click()
    expect(page).to_have_title("Record an emergency allocation" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "cases-emergency")
    page.get_by_label("Amount a year").fill("0")
    page.get_by_role("button", name="Record the emergency allocation").click()
    error_summary_says(
        page,
        "Enter the person’s full name",
        "The amount a year must be more than £0.00",
        "Enter the reasons for this decision",
    )
    check_accessibility(page, "cases-emergency-errors")
    page.get_by_label("Full name").fill("Eve Crisis")
    page.get_by_label("Amount a year").fill("5200")
    page.get_by_label("Reasons").fill("Carer taken to hospital; daily visits from today.")
    page.get_by_role("button", name="Record the emergency allocation").click()
    expect(page).to_have_title("Case: Eve Crisis" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-tag").first).to_have_text("Emergency allocation")
    expect(page.locator("main")).to_contain_text("Needed by")
    check_accessibility(page, "cases-case-emergency")


def test_a_stale_page_says_who_decided_first(
    page: Page, live_server: LiveServer, social_worker: User, decision: BudgetDecision
) -> None:
    colleague = user_create(
        email="wes@example.org", full_name="Wes Colleague", roles=[Role.SOCIAL_WORKER],
        password=PASSWORD,
    )  # fmt: skip
    sign_in(page, live_server, social_worker)
    open_case(page, live_server, decision)
    page.get_by_role(
        "link", name="Agree the indicative budget of £4,980.00 a year as final"
    ).click()
    decision_transition(
        decision_id=decision.pk, action=Action.AGREE, actor=colleague, seen_state=State.INDICATIVE
    )
    page.get_by_role("button", name="Agree the budget").click()
    expect(page).to_have_title("Case: Sam Service-User" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Wes Colleague (agree) decided first. The case is now: Agreed at the indicative budget."
    )
    check_accessibility(page, "cases-decided-first")


def test_a_team_manager_sees_overdue_cases_across_the_team(
    page: Page,
    live_server: LiveServer,
    team_manager: User,
    social_worker: User,
    decision: BudgetDecision,
) -> None:
    decision_transition(
        decision_id=decision.pk,
        action=Action.AGREE,
        actor=social_worker,
        seen_state=State.INDICATIVE,
    )
    BudgetDecision.objects.filter(pk=decision.pk).update(
        next_review_due=timezone.localdate() - datetime.timedelta(days=3)
    )
    sign_in(page, live_server, team_manager)
    page.goto(f"{live_server.url}/cases/")
    expect(page).to_have_title("The team’s cases" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("heading", name="Overdue (1)")).to_be_visible()
    expect(page.locator("#overdue + table")).to_contain_text("Review was due")
    check_accessibility(page, "cases-caseload-team")
    page.get_by_role("link", name="Sam Service-User").first.click()
    expect(page.locator("main")).to_contain_text("Overdue")
    check_accessibility(page, "cases-case-overdue-manager")

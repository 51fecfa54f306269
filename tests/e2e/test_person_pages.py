"""The person's budget pages in a real browser: the list, a decision in several states, and asking
us to look again with its error. They work, they pass axe, and screenshots are kept.

Sam's case: 34 points on the older people's table, £6,640.00 less 25% for a lot of help from
family or friends, an indicative budget of £4,980.00 a year (about £95.77 a week).
"""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import User
from ras.people.models import Representation
from reviews.models import BudgetDecision
from reviews.services import decision_request_amount, decision_transition
from reviews.workflow import Action, State
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_pages import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    assessment,
    older_people,
    published_version,
    questionnaire,
)
from tests.reviews.conftest import decision, submitted_assessment  # noqa: F401 - fixtures

# Delegated authority and reason codes are seeded by migrations; a live server's tests empty the
# tables after each test, so the seeded rows are put back before each one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("tasks_run_in_the_server_process"),
]


def open_decision(page: Page, live_server: LiveServer, decision: BudgetDecision) -> None:
    page.goto(f"{live_server.url}/your-budget/{decision.pk}/")


def test_the_person_follows_their_budget_from_indicative_to_final_and_asks_again(
    page: Page,
    live_server: LiveServer,
    service_user: User,
    social_worker: User,
    team_manager: User,
    decision: BudgetDecision,
) -> None:
    sign_in(page, live_server, service_user)
    page.goto(f"{live_server.url}/your-budget/")
    expect(page).to_have_title("Your care and support budget" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator("main")).to_contain_text("Your social worker is looking at your budget")
    check_accessibility(page, "person-budgets")

    page.get_by_role("link", name="View budget from assessment").click()
    expect(page).to_have_title("Your budget: being checked" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your social worker is looking at your budget"
    )
    expect(
        page.get_by_role("link", name="How the indicative budget was worked out")
    ).to_be_visible()
    check_accessibility(page, "person-decision-indicative")

    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=560_000,
        reason_codes=["night-support"],
        reasons="Needs a check at night twice a week.",
    )
    open_decision(page, live_server, decision)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A manager is checking a request for more"
    )
    expect(page.locator("main")).to_contain_text("From £4,980.00 a year to £5,600.00 a year")
    check_accessibility(page, "person-decision-awaiting-manager")

    decision_transition(
        decision_id=decision.pk,
        action=Action.MANAGER_APPROVE,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="Agreed: night checks are an assessed need.",
    )
    BudgetDecision.objects.filter(pk=decision.pk).update(contribution_annual_pence=120_000)
    open_decision(page, live_server, decision)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your budget is agreed at a different amount"
    )
    money = page.locator("#the-money + .govuk-summary-list")
    expect(money).to_contain_text("£5,600.00 a year")
    expect(money).to_contain_text("£1,200.00 a year, from the financial assessment")
    expect(money).to_contain_text("£4,400.00 a year")
    expect(page.locator("main")).to_contain_text("Mo Manager, team manager, agreed the amount")
    check_accessibility(page, "person-decision-final-with-contribution")

    page.get_by_role("button", name="Ask us to look again at this decision").click()
    expect(page).to_have_title("Ask us to look again at this decision" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "person-challenge")
    page.get_by_role("button", name="Send my request").click()
    expect(page).to_have_title(
        "Error: Ask us to look again at this decision" + COUNCIL_TITLE_SUFFIX
    )
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Tell us why we should look again at this decision")
    check_accessibility(page, "person-challenge-error")

    page.get_by_label("Why should we look again at this decision?").fill(
        "It does not cover help at weekends."
    )
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "We have your request to look again at the decision."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "We are looking again at the decision"
    )
    expect(page.locator("main")).to_contain_text("It does not cover help at weekends.")
    check_accessibility(page, "person-decision-challenged")


def test_a_returned_assessment_and_a_representatives_list(
    page: Page,
    live_server: LiveServer,
    representative: User,
    social_worker: User,
    decision: BudgetDecision,
) -> None:
    Representation.objects.create(
        person=decision.person, representative=representative, relationship="my father"
    )
    decision_transition(
        decision_id=decision.pk,
        action=Action.RETURN_TO_PERSON,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        reasons="Please check the meals answer.",
    )
    sign_in(page, live_server, representative)
    page.goto(f"{live_server.url}/your-budget/")
    expect(page).to_have_title("Care and support budgets" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("heading", name="Sam Service-User")).to_be_visible()
    check_accessibility(page, "person-budgets-representative")

    open_decision(page, live_server, decision)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sam Service-User’s social worker asked for the answers to be checked"
    )
    expect(page.get_by_role("button", name="Continue changing the answers")).to_be_visible()
    check_accessibility(page, "person-decision-returned")

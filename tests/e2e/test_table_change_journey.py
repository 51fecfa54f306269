"""A table change from start to finish in a real browser, with a real Celery worker: clone the
published table, raise a band by 5%, run it against every historical case, read who gains and
what it costs, publish it, and create review tasks, with no decided budget changing."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from allocations import engine
from allocations.budgets import assessment_submit_and_price
from allocations.demo import CARER_REDUCTIONS_BP
from allocations.models import AllocationTableVersion, ClientGroup, RecalculationRun, TableStatus
from allocations.services import table_publish
from questionnaires.services import assessment_start, person_for_service_user
from ras.accounts.models import User
from ras.accounts.roles import Role
from reviews.models import BudgetDecision, BudgetProposal
from reviews.services import decision_open, decision_transition
from reviews.workflow import Action, State
from tests.allocations.conftest import TODAY, make_draft
from tests.conftest import make_user
from tests.e2e.conftest import sign_in
from tests.questionnaires.conftest import FULL_ANSWERS, answer_all, questionnaire  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker]

# Band 3 covers 20 to 49 points, so the mini questionnaire's 34 points fall in it.
BANDS = [
    engine.Band(0, 9, 0, 10_000),
    engine.Band(10, 19, 100_000, 15_000),
    engine.Band(20, 49, 300_000, 26_000),
    engine.Band(50, None, 1_080_000, 28_500),
]


@pytest.fixture
def published(finance_lead: User) -> AllocationTableVersion:
    older_people = ClientGroup.objects.get(code="older-people")
    return table_publish(
        version=make_draft(
            older_people,
            finance_lead,
            label="2026 to 2027",
            bands=BANDS,
            carer_reductions_bp=CARER_REDUCTIONS_BP,
        ),
        actor=finance_lead,
        effective_from=datetime.date(2026, 4, 1),
        reason="Yearly recalibration",
        backdating_reason="In force since April",
        today=TODAY,
    )


@pytest.fixture
def decided_cases(questionnaire, published, social_worker: User) -> list[BudgetDecision]:
    """Three people at 34 points with a lot of help from family or friends: band 3,
    £3,000 + 14 x £260 = £6,640.00, less 25% = £4,980.00 a year, agreed as final."""
    decisions = []
    for number in range(3):
        person = make_user(Role.SERVICE_USER, f"p{number}@example.org", f"Person {number}")
        assessment = assessment_start(
            actor=person,
            person=person_for_service_user(person),
            client_group_code="older-people",
            questionnaire_version=questionnaire,
        )
        answer_all(assessment, person, FULL_ANSWERS)
        submitted, _ = assessment_submit_and_price(assessment=assessment, actor=person)
        decision = decision_open(assessment=submitted, actor=social_worker)
        decision_transition(
            decision_id=decision.pk,
            action=Action.AGREE,
            actor=social_worker,
            seen_state=State.INDICATIVE,
        )
        decisions.append(decision)
    return decisions


def test_a_table_change_reaches_review_tasks_without_changing_a_decided_budget(
    page: Page,
    live_server: LiveServer,
    finance_lead: User,
    published: AllocationTableVersion,
    decided_cases: list[BudgetDecision],
    celery_worker_process: str,
) -> None:
    """Band 3 raised by 5%: £3,000 -> £3,150 base and £260 -> £273 a point. At 34 points:
    £3,150 + 14 x £273 = £6,972.00, less 25% (£1,743.00) = £5,229.00 a year: £249.00 more than
    the £4,980.00 each person has now. Three people: £14,940.00 now, £15,687.00 under the draft.
    """
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{published.pk}/")
    page.get_by_role("link", name="Create a draft from this version").click()
    page.get_by_label("Name of the draft").fill("2027 to 2028")
    page.get_by_label(f"A copy of {published.label}").check()
    page.get_by_role("button", name="Create the draft").click()
    draft = AllocationTableVersion.objects.get(label="2027 to 2028")

    page.get_by_label("Band 3: amount a year at the lowest points, in pounds").fill("3150.00")
    page.get_by_label("Band 3: amount added a year for each point above, in pounds").fill("273.00")
    page.get_by_label("Reason for this change").fill("Band 3 up 5% for next year")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(f"{live_server.url}/finance/tables/{draft.pk}/")

    page.get_by_role("link", name="Run this version against historical cases").click()
    page.get_by_label("Every submitted case").check()
    page.get_by_role("button", name="Start the run").click()
    run = RecalculationRun.objects.get()
    expect(page.locator("progress")).to_be_visible()
    expect(page.get_by_role("link", name="See the results")).to_be_visible(timeout=30_000)
    expect(page.locator("#run-progress-text")).to_have_text("3 of 3 cases (100%)")
    page.get_by_role("link", name="See the results").click()
    expect(page.locator("#cost")).to_contain_text("£14,940.00")
    expect(page.locator("#cost")).to_contain_text("£15,687.00")

    next_april = datetime.date(timezone.localdate().year + 1, 4, 1)
    page.goto(f"{live_server.url}/finance/tables/{draft.pk}/publish/")
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("4")
    page.get_by_label("Year", exact=True).fill(str(next_april.year))
    page.get_by_label("Why are you publishing this table?").fill("Uplift agreed by cabinet")
    page.get_by_role("button", name="Publish the table").click()
    draft.refresh_from_db()
    assert draft.status == TableStatus.PUBLISHED
    assert draft.effective_from == next_april

    page.goto(f"{live_server.url}/proposals/runs/{run.pk}/")
    page.get_by_role("button", name="Count the cases").click()
    page.get_by_role("button", name="Create 3 review tasks").click()
    proposals = BudgetProposal.objects.filter(run=run)
    assert proposals.count() == 3
    assert {(p.current_annual_pence, p.proposed_annual_pence) for p in proposals} == {
        (498_000, 522_900)
    }
    for decision in decided_cases:
        decision.refresh_from_db()
        assert decision.state == State.AGREED
        assert decision.final_annual_pence == 498_000

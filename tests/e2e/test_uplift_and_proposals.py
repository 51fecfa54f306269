"""The annual uplift page and the review tasks made from a run, in a real browser: they work, they
pass axe in every state, and screenshots are kept.

The published older people's table has band 3 at £10,800 + £285 a point. Raised by 3.5%:
£10,800 + £378 = £11,178.00, and £285 + £9.975 = £294.975, rounded half up to £294.98.

Every decided budget is £5,000.00 a year; the run gives £5,100.01 (£100.01 more), £4,899.99
(£100.01 less) and £5,100.00 (exactly £100.00 more), so at £100.00 two cases get a task.
"""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from allocations.models import RecalculationRun
from reviews.models import BudgetDecision, BudgetProposal
from reviews.proposal_services import proposals_create
from reviews.workflow import State
from tests.allocations.conftest import make_draft
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_pages import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    older_people,
    published_version,
    questionnaire,
)
from tests.reviews.test_proposals import decided_case, make_run, second_social_worker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("tasks_run_in_the_server_process"),
]


@pytest.fixture
def run(questionnaire, social_worker, published_version, finance_lead) -> RecalculationRun:
    colleague = second_social_worker()
    more = decided_case(questionnaire, social_worker, "Ann Ahmed")
    less = decided_case(questionnaire, colleague, "Bea Brown")
    exactly = decided_case(questionnaire, social_worker, "Cal Clarke")
    return make_run(
        published_version,
        finance_lead,
        {more.assessment_id: 510_001, less.assessment_id: 489_999, exactly.assessment_id: 510_000},
    )


def error_summary_says(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    for message in messages:
        expect(summary).to_contain_text(message)


def test_a_finance_lead_uplifts_the_published_table(
    page: Page, live_server: LiveServer, finance_lead, published_version
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{published_version.pk}/uplift/")
    expect(page).to_have_title("Uplift 2026 to 2027" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "uplift-form")

    page.get_by_label("Uplift").fill("3.125")
    page.get_by_role("button", name="Create the uplifted draft").click()
    expect(page).to_have_title("Error: Uplift 2026 to 2027" + COUNCIL_TITLE_SUFFIX)
    error_summary_says(
        page,
        "Enter a name for the new draft",
        "The uplift must have no more than 2 decimal places",
    )
    check_accessibility(page, "uplift-form-errors")

    page.get_by_label("Name of the new draft").fill("2027 to 2028")
    page.get_by_label("Uplift").fill("3.5")
    page.get_by_role("button", name="Create the uplifted draft").click()
    expect(page).to_have_title("Older people: 2027 to 2028" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "every amount in '2026 to 2027' raised by 3.50%"
    )
    band_3 = page.locator("tr", has=page.locator("th", has_text="3")).first
    expect(band_3).to_contain_text("£11,178.00")
    expect(band_3).to_contain_text("£294.98")


def test_a_draft_is_not_offered_an_uplift(
    page: Page, live_server: LiveServer, finance_lead, older_people
) -> None:
    draft = make_draft(older_people, finance_lead, label="Work in progress")
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{draft.pk}/uplift/")
    expect(page).to_have_title("Work in progress cannot be uplifted" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "uplift-not-published")


def test_a_finance_lead_counts_the_cases_then_creates_the_review_tasks(
    page: Page, live_server: LiveServer, finance_lead, run
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/proposals/runs/")
    expect(page).to_have_title("Create review tasks from a run" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "proposals-runs")

    page.get_by_role("link", name=f"Create review tasks from run {run.pk}").click()
    expect(page).to_have_title(f"Create review tasks from run {run.pk}" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("heading", name="2 cases would get a review task")).to_be_visible()
    check_accessibility(page, "proposals-confirm")

    page.get_by_label("Give a review task when the budget would change by more than").fill("99.99")
    page.get_by_role("button", name="Count the cases").click()
    expect(page.get_by_role("heading", name="3 cases would get a review task")).to_be_visible()

    page.get_by_label("Give a review task when the budget would change by more than").fill("ten")
    page.get_by_role("button", name="Count the cases").click()
    expect(page).to_have_title(
        f"Error: Create review tasks from run {run.pk}" + COUNCIL_TITLE_SUFFIX
    )
    error_summary_says(page, "Enter the threshold as a number, like 100")
    check_accessibility(page, "proposals-confirm-error")

    page.get_by_label("Give a review task when the budget would change by more than").fill("100")
    page.get_by_role("button", name="Count the cases").click()
    page.get_by_role("button", name="Create 2 review tasks").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 review tasks made.")
    expect(page.get_by_role("heading", name="0 cases would get a review task")).to_be_visible()
    check_accessibility(page, "proposals-confirm-done")
    assert BudgetProposal.objects.filter(run=run).count() == 2


def test_a_social_worker_keeps_one_budget_and_reviews_another(
    page: Page, live_server: LiveServer, social_worker, finance_lead, run
) -> None:
    proposals_create(run=run, actor=finance_lead, threshold_pence=10_000)
    sign_in(page, live_server, social_worker)
    page.goto(f"{live_server.url}/proposals/")
    expect(page).to_have_title("Review tasks from a new table" + COUNCIL_TITLE_SUFFIX)
    rows = page.locator("tbody tr")
    expect(rows.first).to_contain_text("Ann Ahmed")  # the worker's own case comes first
    expect(rows.first).to_contain_text("£5,000.00")
    expect(rows.first).to_contain_text("£5,100.01")
    expect(rows.first).to_contain_text("£100.01 more")
    expect(rows.nth(1)).to_contain_text("Wes Colleague’s case")
    expect(rows.nth(1)).to_contain_text("£100.01 less")
    check_accessibility(page, "proposals-list")

    page.get_by_role("link", name="Keep the current budget of Bea Brown").click()
    expect(page).to_have_title("Keep the current budget" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-inset-text")).to_contain_text("This is Wes Colleague’s case")
    check_accessibility(page, "proposals-keep")
    page.get_by_role("button", name="Keep the current budget").click()
    expect(page).to_have_title("Error: Keep the current budget" + COUNCIL_TITLE_SUFFIX)
    error_summary_says(page, "Enter the reasons for keeping the current budget")
    check_accessibility(page, "proposals-keep-error")
    page.get_by_label("Why should the current budget stay as it is?").fill(
        "Her support plan already meets her assessed needs."
    )
    page.get_by_role("button", name="Keep the current budget").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You kept Bea Brown’s current budget of £5,000.00 a year."
    )

    page.get_by_role("button", name="Start a review of Ann Ahmed’s budget").click()
    expect(page).to_have_title("Case: Ann Ahmed" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You started a review.")
    expect(page.locator("main")).to_contain_text(
        "the indicative budget would be £5,100.01 a year; the current budget is £5,000.00"
    )
    page.goto(f"{live_server.url}/proposals/")
    expect(page.locator("main")).to_contain_text("There are no open review tasks.")
    check_accessibility(page, "proposals-list-empty")
    ann = BudgetDecision.objects.get(person__full_name="Ann Ahmed")
    assert (ann.state, ann.final_annual_pence) == (State.INDICATIVE, 500_000)

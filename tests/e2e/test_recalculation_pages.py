"""The recalculation pages in a real browser: they work, they pass axe, screenshots are kept; and
one run started from the page is priced by a real Celery worker while the page watches.

Hand-made results (see tests/allocations/test_recalculation_summaries.py): five cases first
priced at £5,000.00 a year, under the run's table £3,500, £4,500, £5,000, £5,400 and £7,000:
£25,000.00 now against £25,400.00, one person in each band.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from allocations.budgets import assessment_submit_and_price
from allocations.models import (
    AllocationTableVersion,
    RecalculationChunk,
    RecalculationResult,
    RecalculationRun,
    RunState,
)
from questionnaires.models import Assessment
from questionnaires.services import assessment_start, person_for_service_user
from ras.accounts.models import User
from ras.accounts.roles import Role
from tests.allocations.conftest import make_draft
from tests.allocations.test_recalculation_summaries import (
    ONE_IN_EACH_BAND,
    add_results,
    make_assessments,
    make_run,
)
from tests.conftest import make_user
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_pages import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    FULL_ANSWERS,
    answer_all,
    older_people,
    published_version,
    questionnaire,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def completed_run(
    published_version: AllocationTableVersion, finance_lead: User, questionnaire, service_user
) -> RecalculationRun:
    run = make_run(published_version, finance_lead, total_count=5, started_at=timezone.now())
    add_results(run, make_assessments(questionnaire, service_user, 5), ONE_IN_EACH_BAND)
    return run


@pytest.fixture
def running_run(published_version: AllocationTableVersion, finance_lead: User) -> RecalculationRun:
    """12,000 of 20,000 cases done, started 10 seconds ago, its last chunk done just now."""
    now = timezone.now()
    run = make_run(
        published_version,
        finance_lead,
        state=RunState.RUNNING,
        total_count=20_000,
        done_count=12_000,
        started_at=now - datetime.timedelta(seconds=10),
    )
    RecalculationChunk.objects.create(
        run=run, number=1, first_assessment_id=1, last_assessment_id=12_000, done_at=now
    )
    return run


def test_the_start_form_and_its_errors_are_accessible(
    page: Page, live_server: LiveServer, finance_lead: User, published_version
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/recalculations/new/?version={published_version.pk}")
    expect(page).to_have_title("Start a recalculation run" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_label("Table version")).to_have_value(str(published_version.pk))
    check_accessibility(page, "recalculation-start")

    on_or_after = page.get_by_role("group", name="Submitted on or after")
    on_or_after.get_by_label("Day").fill("1")
    on_or_after.get_by_label("Month").fill("4")
    on_or_after.get_by_label("Year").fill("2026")
    on_or_before = page.get_by_role("group", name="Submitted on or before")
    on_or_before.get_by_label("Day").fill("31")
    on_or_before.get_by_label("Month").fill("3")
    on_or_before.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Start the run").click()

    expect(page).to_have_title("Error: Start a recalculation run" + COUNCIL_TITLE_SUFFIX)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        "The last submission date must be the same as or after the first"
    )
    expect(summary).to_contain_text("Select which cases to include")
    expect(on_or_before.get_by_label("Year")).to_have_value("2026")
    check_accessibility(page, "recalculation-start-errors")
    assert not RecalculationRun.objects.exists()


def test_a_run_in_progress_is_accessible_and_its_bar_moves_by_itself(
    page: Page, live_server: LiveServer, finance_lead: User, running_run: RecalculationRun
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/recalculations/{running_run.pk}/")
    expect(page).to_have_title(f"Run {running_run.pk}: 2026 to 2027" + COUNCIL_TITLE_SUFFIX)
    bar = page.get_by_role("progressbar", name="Cases priced")
    expect(bar).to_have_attribute("value", "12000")
    expect(page.locator("#run-progress-text")).to_have_text("12,000 of 20,000 cases (60%)")
    expect(page.locator("#run-progress-rate")).to_contain_text("cases a second")
    expect(page.get_by_role("button", name="Cancel the run")).to_be_visible()
    check_accessibility(page, "recalculation-progress")

    RecalculationRun.objects.filter(pk=running_run.pk).update(done_count=16_000)
    RecalculationChunk.objects.filter(run=running_run).update(done_at=timezone.now())

    expect(page.locator("#run-progress-text")).to_have_text(
        "16,000 of 20,000 cases (80%)", timeout=5_000
    )
    expect(page.get_by_role("status")).to_have_text("80% done: 16,000 of 20,000 cases.")
    expect(bar).to_have_attribute("value", "16000")
    check_accessibility(page, "recalculation-progress-moved")


def test_the_results_page_with_its_histogram_is_accessible(
    page: Page, live_server: LiveServer, finance_lead: User, completed_run: RecalculationRun
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/recalculations/{completed_run.pk}/")
    page.get_by_role("link", name="See the results").click()
    expect(page).to_have_title(
        f"Results of run {completed_run.pk}: 2026 to 2027" + COUNCIL_TITLE_SUFFIX
    )
    expect(page.locator("#cost")).to_contain_text("£25,400.00")
    expect(page.locator("#bands")).to_contain_text("Over £1,000 more")
    chart = page.get_by_role("img", name="Changes under 2026 to 2027")
    expect(chart).to_be_visible()
    page.get_by_text("The chart's figures as a table").click()
    expect(page.locator("#histogram table")).to_contain_text("£1,250.01 to £1,500.00 less")
    check_accessibility(page, "recalculation-results")


def test_the_compare_page_is_accessible(
    page: Page,
    live_server: LiveServer,
    finance_lead: User,
    completed_run: RecalculationRun,
    published_version: AllocationTableVersion,
) -> None:
    draft = make_draft(published_version.client_group, finance_lead, label="Draft 2027")
    draft_run = make_run(draft, finance_lead, total_count=5)
    RecalculationResult.objects.bulk_create(
        RecalculationResult(
            run=draft_run,
            assessment_id=result.assessment_id,
            total_points=result.total_points,
            carer_level=result.carer_level,
            full_needs_annual_pence=result.full_needs_annual_pence,
            indicative_annual_pence=result.indicative_annual_pence + 100_000,
            original_indicative_annual_pence=result.original_indicative_annual_pence,
            final_annual_pence=result.final_annual_pence,
            difference_pence=(result.difference_pence or 0) + 100_000,
        )
        for result in completed_run.results.all()
    )
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/recalculations/compare/?b={draft_run.pk}")
    expect(page).to_have_title("Compare two runs" + COUNCIL_TITLE_SUFFIX)
    page.get_by_label("Compare from (A)").select_option(str(completed_run.pk))
    page.get_by_role("button", name="Compare").click()

    expect(page).to_have_title(
        f"Compare run {completed_run.pk} with run {draft_run.pk}" + COUNCIL_TITLE_SUFFIX
    )
    expect(page.locator("#pair-totals")).to_contain_text("£5,000.00 more")
    expect(page.get_by_role("img", name=re.compile("^B against A"))).to_be_visible()
    check_accessibility(page, "recalculation-compare")


@pytest.fixture
def submitted_cases(questionnaire, published_version, service_user) -> list[Assessment]:
    """Three people who submitted the same answers: 34 points, a lot of help from family or
    friends: £3,000 + 14 x £260 = £6,640.00 full needs, less 25%: £4,980.00 a year each."""
    cases = []
    for number in range(3):
        user = (
            service_user
            if number == 0
            else make_user(Role.SERVICE_USER, f"person{number}@example.org", f"Person {number}")
        )
        assessment = assessment_start(
            actor=user,
            person=person_for_service_user(user),
            client_group_code="older-people",
            questionnaire_version=questionnaire,
        )
        answer_all(assessment, user, FULL_ANSWERS)
        submitted, budget = assessment_submit_and_price(assessment=assessment, actor=user)
        assert budget is not None
        assert budget.indicative_annual_pence == 498_000
        cases.append(submitted)
    return cases


@pytest.mark.celery_worker
def test_a_run_started_on_the_page_is_priced_by_a_real_worker_as_the_page_watches(
    page: Page,
    live_server: LiveServer,
    finance_lead: User,
    submitted_cases: list[Assessment],
    published_version: AllocationTableVersion,
    celery_worker_process: str,
) -> None:
    """The published table prices each of the three cases as it did: £4,980.00 each, £14,940.00
    in all, and nobody gains or loses."""
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/recalculations/")
    page.get_by_role("button", name="Start a run").click()
    page.get_by_label("Table version").select_option(str(published_version.pk))
    page.get_by_label("Every submitted case").check()
    page.get_by_role("button", name="Start the run").click()

    run = RecalculationRun.objects.get()
    expect(page).to_have_title(f"Run {run.pk}: 2026 to 2027" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("link", name="See the results")).to_be_visible(timeout=30_000)
    expect(page.locator("#run-progress-text")).to_have_text("3 of 3 cases (100%)")
    expect(page.get_by_role("status")).to_contain_text("The run is complete: 3 of 3 cases.")
    expect(page.get_by_role("button", name="Cancel the run")).to_have_count(0)

    page.get_by_role("link", name="See the results").click()
    expect(page.locator("#cost")).to_contain_text("£14,940.00")
    expect(page.locator("#bands")).to_contain_text("The same 3 No change")
    run.refresh_from_db()
    assert run.state == RunState.COMPLETED
    assert run.results.count() == 3


def test_the_what_if_scoring_section_is_accessible_when_open(
    page: Page, live_server: LiveServer, finance_lead: User, published_version, questionnaire
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/recalculations/new/?version={published_version.pk}")
    page.locator("#what-if > summary").click()
    expect(page.locator("#what-if")).to_have_attribute("open", "")
    expect(page.locator("#what-if input").first).to_be_visible()
    check_accessibility(page, "recalculation-start-what-if")

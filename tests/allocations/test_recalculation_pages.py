"""The recalculation pages: who may open them, starting a run, its progress, its results, the
downloads and comparing two runs.

Runs and results in most tests are made by hand (see test_recalculation_summaries.py), so their
figures are known; starting, cancelling and resuming go through the real services.

The five results of ONE_IN_EACH_BAND, each first priced at £5,000.00 a year: under the run's table
£3,500, £4,500, £5,000, £5,400 and £7,000, so changes of -£1,500, -£500, £0, +£400 and +£2,000,
one in each band. Now £25,000.00, under the table £25,400.00: £400.00 more. Two have decided
budgets, £6,000 and £4,800 (£10,800.00); under the table £3,500 + £5,000 = £8,500.00,
£2,300.00 less.
"""

import csv
import datetime
import io
import re
import uuid

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from allocations.models import RecalculationChunk, RecalculationRun, RunState
from allocations.recalculation.summaries import EXPORT_HEADINGS
from allocations.views import recalculations as recalculation_views
from questionnaires.models import Assessment
from tests.allocations.conftest import make_draft
from tests.allocations.test_recalculation_summaries import (
    ONE_IN_EACH_BAND,
    add_results,
    make_assessments,
    make_run,
)
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    older_people,
    published_version,
    questionnaire,
)

pytestmark = [pytest.mark.django_db]

REFUSED_ROLES = [
    "service_user",
    "representative",
    "social_worker",
    "team_manager",
    "panel_member",
    "administrator",
]


@pytest.fixture
def assessments(questionnaire, service_user) -> list[Assessment]:
    return make_assessments(questionnaire, service_user, 6)


@pytest.fixture
def completed_run(published_version, finance_lead, assessments) -> RecalculationRun:
    run = make_run(published_version, finance_lead, total_count=5, started_at=timezone.now())
    add_results(run, assessments, ONE_IN_EACH_BAND)
    return run


@pytest.fixture
def running_run(published_version, finance_lead) -> RecalculationRun:
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
        run=run,
        number=1,
        first_assessment_id=1,
        last_assessment_id=12_000,
        done_at=now,
        result_count=12_000,
    )
    RecalculationChunk.objects.create(
        run=run, number=2, first_assessment_id=12_001, last_assessment_id=20_000
    )
    return run


@pytest.fixture
def stalled_run(running_run):
    """The same run, with nothing done for five minutes."""
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    RecalculationRun.objects.filter(pk=running_run.pk).update(
        started_at=long_ago - datetime.timedelta(minutes=1)
    )
    RecalculationChunk.objects.filter(run=running_run, number=1).update(done_at=long_ago)
    running_run.refresh_from_db()
    return running_run


def url(name: str, run: RecalculationRun | None = None) -> str:
    return reverse(f"recalculations:{name}", kwargs={} if run is None else {"pk": run.pk})


def page_urls(run: RecalculationRun) -> list[str]:
    return [
        url("list"),
        url("start"),
        url("compare"),
        url("detail", run),
        url("progress", run),
        url("results", run),
        url("results-csv", run),
        url("results-xlsx", run),
    ]


def start_form(table_version, **changes) -> dict[str, str]:
    form = {
        "version": str(table_version.pk),
        "submitted_from_day": "",
        "submitted_from_month": "",
        "submitted_from_year": "",
        "submitted_to_day": "",
        "submitted_to_month": "",
        "submitted_to_year": "",
        "cases": "all",
        "request_token": str(uuid.uuid4()),
    }
    return {**form, **changes}


def page_token(html: str) -> str:
    match = re.search(r'name="request_token" value="([^"]*)"', html)
    assert match is not None
    return match.group(1)


def text(response) -> str:
    """The page's text with tags removed and spaces collapsed, for reading sentences."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# Who may open the pages


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_everyone_but_finance_leads_is_refused_every_page(
    role, request, client_for, completed_run, running_run, published_version
) -> None:
    client = client_for(request.getfixturevalue(role))
    for page in page_urls(completed_run):
        assert client.get(page).status_code == 403, page
    assert client.post(url("start"), start_form(published_version)).status_code == 403
    assert client.post(url("cancel", running_run)).status_code == 403
    assert client.post(url("resume", running_run)).status_code == 403
    assert RecalculationRun.objects.count() == 2
    running_run.refresh_from_db()
    assert running_run.state == RunState.RUNNING


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page(
    client, completed_run, running_run, published_version
) -> None:
    for page in page_urls(completed_run):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("accounts:sign-in")), page
    for page, data in (
        (url("start"), start_form(published_version)),
        (url("cancel", running_run), {}),
        (url("resume", running_run), {}),
    ):
        response = client.post(page, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert RecalculationRun.objects.count() == 2
    running_run.refresh_from_db()
    assert running_run.state == RunState.RUNNING


def test_a_signed_out_progress_panel_reloads_the_page_instead_of_showing_sign_in(
    client, running_run
) -> None:
    response = client.get(url("progress", running_run), headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_a_second_finance_lead_sees_every_run(client_for, completed_run) -> None:
    from ras.accounts.roles import Role
    from tests.conftest import make_user

    second = make_user(Role.FINANCE_LEAD, "fred@example.org", "Fred Finance")
    client = client_for(second)

    assert client.get(url("detail", completed_run)).status_code == 200
    assert client.get(url("results", completed_run)).status_code == 200


def test_a_run_that_does_not_exist_is_not_found(client_for, finance_lead) -> None:
    client = client_for(finance_lead)
    missing = RecalculationRun(pk=999_999)
    for name in ("detail", "progress", "results", "results-csv", "results-xlsx"):
        assert client.get(url(name, missing)).status_code == 404, name
    assert client.post(url("cancel", missing)).status_code == 404
    assert client.post(url("resume", missing)).status_code == 404


# The list


def test_the_list_shows_every_run_newest_first(
    client_for, finance_lead, completed_run, running_run
) -> None:
    response = client_for(finance_lead).get(url("list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Recalculation runs – " in html
    assert html.index(f"Run {running_run.pk}<") < html.index(f"Run {completed_run.pk}<")
    page = text(response)
    assert "12,000 of 20,000" in page
    assert "5 of 5" in page
    assert "Running" in page
    assert "Completed" in page
    assert "Every submitted case" in page
    assert "Fiona Finance" in page
    assert "Older people: 2026 to 2027 (published)" in page


def test_the_list_says_when_there_are_no_runs(client_for, finance_lead) -> None:
    assert "No runs yet" in text(client_for(finance_lead).get(url("list")))


# Starting a run


def test_the_start_form_preselects_the_version_asked_for(
    client_for, finance_lead, published_version
) -> None:
    response = client_for(finance_lead).get(f"{url('start')}?version={published_version.pk}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Start a recalculation run – " in html
    assert f'<option value="{published_version.pk}" selected>' in html
    uuid.UUID(page_token(html))


def test_an_unknown_version_in_the_address_preselects_nothing(
    client_for, finance_lead, published_version
) -> None:
    for asked_for in ("999999", "not-a-number"):
        html = client_for(finance_lead).get(f"{url('start')}?version={asked_for}").content.decode()
        assert " selected>" not in html


def test_the_start_form_has_a_new_token_each_time_it_is_shown(
    client_for, finance_lead, published_version
) -> None:
    client = client_for(finance_lead)

    first = page_token(client.get(url("start")).content.decode())
    second = page_token(client.get(url("start")).content.decode())

    assert first != second


def test_starting_a_run_goes_to_its_progress_page(
    client_for, finance_lead, published_version
) -> None:
    """No assessment is in scope, so the service completes the run at once."""
    form = start_form(
        published_version,
        submitted_from_day="1",
        submitted_from_month="4",
        submitted_from_year="2025",
        submitted_to_day="31",
        submitted_to_month="3",
        submitted_to_year="2026",
        cases="decided",
    )

    response = client_for(finance_lead).post(url("start"), form)

    run = RecalculationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", run)
    assert run.table_version == published_version
    assert run.started_by == finance_lead
    assert str(run.request_token) == form["request_token"]
    assert (run.submitted_from, run.submitted_to) == (
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 31),
    )
    assert run.decided_only
    assert run.state == RunState.COMPLETED
    page = text(client_for(finance_lead).get(response["Location"]))
    assert "No cases matched this run's scope, so there was nothing to price" in page


def test_a_double_click_starts_one_run(client_for, finance_lead, published_version) -> None:
    client = client_for(finance_lead)
    form = start_form(published_version)

    first = client.post(url("start"), form)
    second = client.post(url("start"), form)

    run = RecalculationRun.objects.get()
    assert first["Location"] == second["Location"] == url("detail", run)


def test_dates_out_of_order_start_nothing(client_for, finance_lead, published_version) -> None:
    form = start_form(
        published_version,
        submitted_from_day="1",
        submitted_from_month="4",
        submitted_from_year="2026",
        submitted_to_day="31",
        submitted_to_month="3",
        submitted_to_year="2026",
    )

    response = client_for(finance_lead).post(url("start"), form)

    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Start a recalculation run – " in html
    assert "The last submission date must be the same as or after the first" in html
    assert 'href="#id_submitted_to_day"' in html
    assert 'value="2026"' in html
    assert page_token(html) == form["request_token"]
    assert not RecalculationRun.objects.exists()


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "The first submission date must be a real date"),
        ("1", "", "2026", "The first submission date must include a month"),
        ("", "", "2026", "The first submission date must include a day and month"),
        ("1", "4", "26", "Year must include 4 numbers"),
        ("one", "4", "2026", "The first submission date must be a real date"),
        ("1", "4", "2999", "The first submission date must be today or in the past"),
    ],
)
def test_a_date_that_cannot_be_read_starts_nothing(
    client_for, finance_lead, published_version, day, month, year, message
) -> None:
    form = start_form(
        published_version,
        submitted_from_day=day,
        submitted_from_month=month,
        submitted_from_year=year,
    )

    response = client_for(finance_lead).post(url("start"), form)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RecalculationRun.objects.exists()


def test_an_unknown_version_starts_nothing(client_for, finance_lead, published_version) -> None:
    client = client_for(finance_lead)
    for version in ("999999", "", "abc"):
        response = client.post(url("start"), start_form(published_version, version=version))
        assert response.status_code == 400, version
        html = response.content.decode()
        assert "Select" in html
        assert 'href="#id_version"' in html
    assert not RecalculationRun.objects.exists()


def test_which_cases_must_be_chosen(client_for, finance_lead, published_version) -> None:
    for cases in ("", "everyone"):
        response = client_for(finance_lead).post(
            url("start"), start_form(published_version, cases=cases)
        )
        assert response.status_code == 400
        assert "Select which cases to include" in response.content.decode()
        assert 'href="#id_cases_0"' in response.content.decode()
    assert not RecalculationRun.objects.exists()


def test_a_tampered_token_starts_nothing_and_the_page_gets_a_good_one(
    client_for, finance_lead, published_version
) -> None:
    for token in ("not-a-token", ""):
        response = client_for(finance_lead).post(
            url("start"), start_form(published_version, request_token=token)
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "The page was incomplete, so no run was started" in html
        uuid.UUID(page_token(html))
    assert not RecalculationRun.objects.exists()


def test_a_token_used_for_another_tables_run_starts_nothing(
    client_for, finance_lead, published_version, completed_run, mental_health
) -> None:
    """The token of a run of the older people's table, sent with the mental health draft."""
    other_version = make_draft(mental_health, finance_lead, label="Mental health draft")
    form = start_form(other_version, request_token=str(completed_run.request_token))

    response = client_for(finance_lead).post(url("start"), form)

    assert response.status_code == 409
    html = response.content.decode()
    assert "This form was already used to start another run" in html
    assert page_token(html) != form["request_token"]
    assert RecalculationRun.objects.count() == 1


# A run's page and its progress panel


def test_a_running_run_shows_a_progress_bar_that_updates_itself(
    client_for, finance_lead, running_run
) -> None:
    """12,000 of 20,000 in about 10 seconds: 60%, about 1,200 cases a second, 7 seconds left."""
    response = client_for(finance_lead).get(url("detail", running_run))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>Run {running_run.pk}: 2026 to 2027 – " in html
    assert 'max="20000" value="12000"' in html
    assert (
        f'hx-get="{url("progress", running_run)}?announced=60" hx-trigger="every 1s" '
        'hx-swap="outerHTML"' in html
    )
    assert 'role="status" aria-live="polite"' in html
    assert "content='{\"includeIndicatorStyles\": false}'" in html
    page = text(response)
    assert "12,000 of 20,000 cases (60%)" in page
    assert re.search(r"About [\d,]+ cases a second", page)
    assert "seconds left" in page
    assert "Cancel the run" in page
    assert "Resume the run" not in page
    assert "<script>" not in html


def test_the_panel_announces_progress_only_when_another_tenth_is_done(
    client_for, finance_lead, running_run
) -> None:
    client = client_for(finance_lead)

    passed = client.get(f"{url('progress', running_run)}?announced=50").content.decode()
    same = client.get(f"{url('progress', running_run)}?announced=60").content.decode()

    assert (
        '<div id="run-announcement" hx-swap-oob="innerHTML">60% done: 12,000 of 20,000 cases.'
        in passed
    )
    assert "run-announcement" not in same
    assert 'hx-trigger="every 1s"' in same
    assert "run-actions" not in same
    assert "<html" not in same


def test_a_nonsense_announced_figure_is_read_as_nothing_announced(
    client_for, finance_lead, running_run
) -> None:
    html = client_for(finance_lead).get(f"{url('progress', running_run)}?announced=x").content
    assert b"60% done" in html


def test_a_finished_run_stops_polling_and_points_to_its_results(
    client_for, finance_lead, completed_run
) -> None:
    client = client_for(finance_lead)

    panel = client.get(f"{url('progress', completed_run)}?announced=90").content.decode()
    page = client.get(url("detail", completed_run)).content.decode()

    for html in (panel, page):
        assert "hx-trigger" not in html
        assert f'href="{url("results", completed_run)}">See the results</a>' in html
        assert "Cancel the run" not in html
    assert "The run is complete: 5 of 5 cases. The results are ready." in panel
    assert '<div id="run-actions" hx-swap-oob="true">' in panel


def test_a_run_that_stopped_moving_offers_to_resume_and_stops_polling(
    client_for, finance_lead, stalled_run
) -> None:
    client = client_for(finance_lead)

    page = client.get(url("detail", stalled_run))
    panel = client.get(f"{url('progress', stalled_run)}?announced=60").content.decode()

    assert "hx-trigger" not in page.content.decode()
    assert "Nothing has been priced for over a minute" in text(page)
    assert "Resume the run" in text(page)
    assert "Cancel the run" in text(page)
    assert "The run has stopped making progress at 12,000 of 20,000 cases" in panel
    assert "Resume the run" in panel


def test_a_failed_run_says_why_and_offers_to_resume(client_for, finance_lead, running_run) -> None:
    RecalculationRun.objects.filter(pk=running_run.pk).update(
        state=RunState.FAILED,
        finished_at=timezone.now(),
        failure="Part of the run stopped because of an unexpected error.",
    )

    page = text(client_for(finance_lead).get(url("detail", running_run)))

    assert "This run failed before it priced every case: its results are partial." in page
    assert "Part of the run stopped because of an unexpected error." in page
    assert "Resume the run" in page
    assert "Cancel the run" not in page
    assert "See the partial results" in page


def test_cancelling_a_run_stops_it_and_marks_it_partial(
    client_for, finance_lead, running_run
) -> None:
    client = client_for(finance_lead)

    response = client.post(url("cancel", running_run))

    assert response.status_code == 302
    assert response["Location"] == url("detail", running_run)
    running_run.refresh_from_db()
    assert running_run.state == RunState.CANCELLED
    assert running_run.is_partial
    page = text(client.get(response["Location"]))
    assert "The run is cancelled" in page
    assert "This run was cancelled before it priced every case: its results are partial." in page


def test_cancelling_a_finished_run_is_refused_and_changes_nothing(
    client_for, finance_lead, completed_run
) -> None:
    client = client_for(finance_lead)

    response = client.post(url("cancel", completed_run), follow=True)

    completed_run.refresh_from_db()
    assert completed_run.state == RunState.COMPLETED
    assert "only a queued or running run can be cancelled" in text(response)


def test_resuming_a_stalled_run_sends_its_missing_chunk_again(
    client_for, finance_lead, stalled_run, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client_for(finance_lead).post(url("resume", stalled_run))

    assert response.status_code == 302
    assert response["Location"] == url("detail", stalled_run)
    assert len(queued) == 1
    stalled_run.refresh_from_db()
    assert stalled_run.state == RunState.RUNNING


def test_resuming_a_completed_run_is_refused_and_changes_nothing(
    client_for, finance_lead, completed_run
) -> None:
    response = client_for(finance_lead).post(url("resume", completed_run), follow=True)

    completed_run.refresh_from_db()
    assert completed_run.state == RunState.COMPLETED
    assert "there is nothing to resume" in text(response)


def test_cancel_and_resume_only_accept_posts(client_for, finance_lead, running_run) -> None:
    client = client_for(finance_lead)
    assert client.get(url("cancel", running_run)).status_code == 405
    assert client.get(url("resume", running_run)).status_code == 405
    running_run.refresh_from_db()
    assert running_run.state == RunState.RUNNING


# What a run found


def test_the_results_page_shows_the_cost_who_gains_and_loses_and_the_histogram(
    client_for, finance_lead, completed_run
) -> None:
    response = client_for(finance_lead).get(url("results", completed_run))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>Results of run {completed_run.pk}: 2026 to 2027 – " in html
    page = text(response)
    assert "5 cases priced with 2026 to 2027" in page
    assert "Indicative budgets as first priced 5 £25,000.00 £25,400.00 £400.00 more" in page
    assert "Decided final budgets 2 £10,800.00 £8,500.00 £2,300.00 less" in page
    assert "Every case in the run 5 Not applicable £25,400.00" in page
    assert "Over £1,000 less 1 £1,500.00 less" in page
    assert "£0.01 to £1,000 less 1 £500.00 less" in page
    assert "The same 1 No change" in page
    assert "£0.01 to £1,000 more 1 £400.00 more" in page
    assert "Over £1,000 more 1 £2,000.00 more" in page
    assert "Everyone compared 5 £400.00 more" in page
    assert "2 people would get less" in page
    assert 'role="img" aria-labelledby="histogram-title histogram-desc"' in html
    assert '<title id="histogram-title">Changes under 2026 to 2027</title>' in html
    assert "Of 5 people, 2 people would get less, 1 the same and 2 more." in html
    assert html.count('class="ras-histogram__bar') == 43
    assert "The chart&#x27;s figures as a table" in html or "The chart's figures as a table" in html
    assert "£1,250.01 to £1,500.00 less 1" in page
    assert "Partial results" not in page


def test_the_results_page_asks_the_same_queries_for_five_results_or_sixty(
    client_for, finance_lead, published_version, questionnaire, service_user
) -> None:
    """Every figure is an aggregate, so more results mean no more queries."""
    many = make_assessments(questionnaire, service_user, 60)
    small = make_run(published_version, finance_lead, total_count=5)
    add_results(small, many[:5], ONE_IN_EACH_BAND)
    large = make_run(published_version, finance_lead, total_count=60)
    add_results(large, many, [(100_000, 100_000 + n * 3_000, None) for n in range(-30, 30)])
    client = client_for(finance_lead)

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(url("results", small)).status_code == 200
    with CaptureQueriesContext(connection) as large_queries:
        assert client.get(url("results", large)).status_code == 200

    assert len(large_queries) == len(small_queries)


def test_the_largest_changes_link_to_each_case(client_for, finance_lead, completed_run) -> None:
    response = client_for(finance_lead).get(url("results", completed_run))

    html = response.content.decode()
    result = completed_run.results.select_related("assessment").get(difference_pence=-150_000)
    case_url = reverse(
        "staff-assessments:detail", kwargs={"public_id": result.assessment.public_id}
    )
    assert f'<a class="govuk-link" href="{case_url}">{result.assessment.reference}</a>' in html
    page = text(response)
    assert "The 50 largest decreases" in page
    assert "The 50 largest increases" in page
    assert (
        f"{result.assessment.reference} 34 A lot of help from family or friends £5,000.00 "
        "£3,500.00 £1,500.00 less £6,000.00" in page
    )
    smaller = completed_run.results.select_related("assessment").get(difference_pence=-50_000)
    assert page.index(f"{result.assessment.reference} 34") < page.index(
        f"{smaller.assessment.reference} 34"
    )


def test_a_partial_run_says_so_prominently(client_for, finance_lead, completed_run) -> None:
    RecalculationRun.objects.filter(pk=completed_run.pk).update(
        state=RunState.CANCELLED, total_count=1_000
    )

    page = text(client_for(finance_lead).get(url("results", completed_run)))

    assert (
        f"Partial results Run {completed_run.pk} was cancelled after pricing 5 of 1,000 cases."
        in page
    )


def test_the_results_of_a_run_still_working_wait_for_it(
    client_for, finance_lead, running_run
) -> None:
    client = client_for(finance_lead)
    for name in ("results", "results-csv", "results-xlsx"):
        response = client.get(url(name, running_run))
        assert response.status_code == 302, name
        assert response["Location"] == url("detail", running_run)


# Downloads


def test_the_csv_has_every_result_and_is_streamed_formula_safe(
    client_for, finance_lead, published_version, assessments
) -> None:
    """The first result's carer level is a formula; it is written as text. Amounts are plain
    numbers, a decrease with a minus sign: £3,500 under the table, -£1,500 change."""
    run = make_run(published_version, finance_lead, total_count=2)
    add_results(run, assessments[:1], ONE_IN_EACH_BAND[:1], carer_level="=HYPERLINK(1)")
    add_results(run, assessments[1:2], [(None, 10_001, None)])

    response = client_for(finance_lead).get(url("results-csv", run))

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="recalculation-run-{run.pk}-results.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == list(EXPORT_HEADINGS)
    assert rows[1] == [
        assessments[0].reference,
        "older-people",
        "2026-06-01",
        "34",
        "'=HYPERLINK(1)",
        "4666.66",
        "5000.00",
        "3500.00",
        "-1500.00",
        "6000.00",
    ]
    assert rows[2][5:] == ["133.34", "", "100.01", "", ""]
    assert len(rows) == 3


def test_the_xlsx_has_every_result_with_amounts_as_pounds(
    client_for, finance_lead, published_version, assessments
) -> None:
    run = make_run(published_version, finance_lead, total_count=5)
    add_results(run, assessments, ONE_IN_EACH_BAND, carer_level="@SUM(A1)")

    response = client_for(finance_lead).get(url("results-xlsx", run))

    assert response.status_code == 200
    assert response["Content-Type"] == recalculation_views.XLSX_CONTENT_TYPE
    assert f'filename="recalculation-run-{run.pk}-results.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.getvalue()))
    assert workbook.sheetnames == ["About", "Results"]
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert about["Table version"] == "2026 to 2027 (published)"
    assert about["Cases"] == "Every submitted case"
    sheet = workbook["Results"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == EXPORT_HEADINGS
    assert len(rows) == 6
    first = rows[1]
    assert first[0] == assessments[0].reference
    assert first[2] == datetime.datetime(2026, 6, 1)  # noqa: DTZ001 - Excel dates have no zone
    assert first[4] == "'@SUM(A1)"
    assert first[6:10] == (5000, 3500, -1500, 6000)
    assert sheet["H2"].number_format == "£#,##0.00"
    assert rows[2][9] is None


def test_a_partial_runs_files_say_partial(client_for, finance_lead, completed_run) -> None:
    RecalculationRun.objects.filter(pk=completed_run.pk).update(state=RunState.CANCELLED)
    client = client_for(finance_lead)

    csv_response = client.get(url("results-csv", completed_run))
    xlsx_response = client.get(url("results-xlsx", completed_run))

    stem = f"recalculation-run-{completed_run.pk}-results-partial"
    assert f'filename="{stem}.csv"' in csv_response["Content-Disposition"]
    assert f'filename="{stem}.xlsx"' in xlsx_response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(xlsx_response.getvalue()))
    about = {row[0]: row[1] for row in workbook["About"].iter_rows(values_only=True)}
    assert str(about["Partial"]).startswith("Partial results: 5 of 5 cases")


def test_too_many_results_for_excel_are_offered_as_csv(
    client_for, finance_lead, completed_run, monkeypatch
) -> None:
    monkeypatch.setattr(recalculation_views, "XLSX_MAX_RESULTS", 4)
    client = client_for(finance_lead)

    response = client.get(url("results-xlsx", completed_run))
    results = text(client.get(url("results", completed_run)))

    assert response.status_code == 409
    assert "Too many results for Excel" in response.content.decode()
    assert url("results-csv", completed_run) in response.content.decode()
    assert "too many results for one Excel worksheet" in results


# Comparing two runs


@pytest.fixture
def draft_run(published_version, finance_lead, assessments) -> RecalculationRun:
    """A draft priced over the same five cases: £1,000 more than the published run for each."""
    draft = make_draft(published_version.client_group, finance_lead, label="Draft 2027")
    run = make_run(draft, finance_lead, total_count=5)
    add_results(
        run,
        assessments,
        [(original, new + 100_000, final) for original, new, final in ONE_IN_EACH_BAND],
    )
    return run


def test_two_runs_are_compared_side_by_side_and_case_by_case(
    client_for, finance_lead, completed_run, draft_run
) -> None:
    """B is £1,000 more than A for each of the 5 cases: £25,400 against £30,400, £5,000 more;
    every case in "£0.01 to £1,000 more". B against the first prices: £5,400 more in all."""
    response = client_for(finance_lead).get(
        f"{url('compare')}?a={completed_run.pk}&b={draft_run.pk}"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>Compare run {completed_run.pk} with run {draft_run.pk} – " in html
    page = text(response)
    assert "Cases priced 5 5" in page
    assert "Cost of every case under the run's table £25,400.00 £30,400.00" in page
    assert "Difference £400.00 more £5,400.00 more" in page
    assert "Under A: 2026 to 2027 £25,400.00 Under B: Draft 2027 £30,400.00" in page
    assert "B against A £5,000.00 more" in page
    assert "£0.01 to £1,000 more 5 £5,000.00 more" in page
    for chart_id in ("histogram-a", "histogram-b", "histogram-pair"):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
    assert "do not cover the same cases" not in page


def test_runs_of_different_cases_are_flagged(
    client_for, finance_lead, completed_run, draft_run
) -> None:
    RecalculationRun.objects.filter(pk=draft_run.pk).update(decided_only=True)
    draft_run.results.filter(
        assessment_id__in=list(draft_run.results.values_list("assessment_id", flat=True))[:2]
    ).delete()

    page = text(
        client_for(finance_lead).get(f"{url('compare')}?a={completed_run.pk}&b={draft_run.pk}")
    )

    assert "These runs do not cover the same cases." in page
    assert "covers only the 3 cases in both" in page
    assert "2 cases only in A and 0 only in B are left out" in page


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        ("same", "same", "Select two different runs"),
        ("999999", "draft", "Select run A from the list"),
        ("", "draft", "Select run A"),
        ("same", "running", "Select run B from the list"),
    ],
)
def test_a_comparison_of_runs_that_cannot_be_compared_is_refused(
    client_for, finance_lead, completed_run, draft_run, running_run, a, b, message
) -> None:
    runs = {"same": completed_run.pk, "draft": draft_run.pk, "running": running_run.pk}

    response = client_for(finance_lead).get(
        f"{url('compare')}?a={runs.get(a, a)}&b={runs.get(b, b)}"
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Compare two runs – " in html
    assert message in html
    assert "histogram-pair" not in html


def test_the_compare_page_lists_only_finished_runs(
    client_for, finance_lead, completed_run, running_run
) -> None:
    html = client_for(finance_lead).get(f"{url('compare')}?b={completed_run.pk}").content.decode()

    assert f'<option value="{completed_run.pk}" selected>' in html
    assert f'<option value="{running_run.pk}"' not in html

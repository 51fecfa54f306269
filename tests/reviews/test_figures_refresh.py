"""Asking for new figures now, what the pages say about how fresh their figures are, and the
scheduled job on a real Celery worker."""

import datetime
import time

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ras.celery import app as celery_app
from reviews.equity import EquityFilters, equity_bands, equity_outliers
from reviews.equity_snapshot import equity_source
from reviews.figures_refresh import figures_refresh_request
from reviews.figures_snapshot import figures_snapshot_build, figures_snapshot_claim
from reviews.figures_tasks import refresh_figures
from reviews.models import BudgetDecision, FiguresSnapshot, SnapshotState
from tests.reviews.test_equity import decided  # noqa: F401
from tests.reviews.test_open_data import at, make_case  # noqa: F401

pytestmark = pytest.mark.django_db

AT_14_05 = datetime.datetime(2026, 11, 24, 14, 5, tzinfo=datetime.UTC)


def snapshot_made() -> FiguresSnapshot:
    claimed = figures_snapshot_claim(snapshot_id=None)
    assert claimed is not None
    return figures_snapshot_build(snapshot_id=claimed.pk)


def test_a_finance_lead_asks_for_new_figures_and_one_run_is_queued(
    finance_lead, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as queued:
        asked = figures_refresh_request(actor=finance_lead)
    assert asked.queued
    assert len(queued) == 1
    snapshot = FiguresSnapshot.objects.get()
    assert (snapshot.state, snapshot.requested_by) == (SnapshotState.QUEUED, finance_lead)


def test_a_second_request_while_one_is_queued_queues_nothing(
    finance_lead, team_manager, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as first_queued:
        first = figures_refresh_request(actor=finance_lead)
    with django_capture_on_commit_callbacks() as second_queued:
        second = figures_refresh_request(actor=team_manager)
    assert (len(first_queued), len(second_queued)) == (1, 0)
    assert (second.queued, second.snapshot) == (False, first.snapshot)
    assert FiguresSnapshot.objects.count() == 1


def test_a_request_while_a_run_is_under_way_queues_nothing(
    finance_lead, django_capture_on_commit_callbacks
) -> None:
    running = FiguresSnapshot.objects.create(
        state=SnapshotState.BUILDING, requested_at=timezone.now(), started_at=timezone.now()
    )
    with django_capture_on_commit_callbacks() as queued:
        asked = figures_refresh_request(actor=finance_lead)
    assert (asked.queued, asked.snapshot, queued) == (False, running, [])


@pytest.mark.parametrize("role", ["social_worker", "panel_member", "service_user"])
def test_other_roles_cannot_ask_for_new_figures(request, role) -> None:
    with pytest.raises(PermissionDenied):
        figures_refresh_request(actor=request.getfixturevalue(role))
    assert not FiguresSnapshot.objects.exists()


@pytest.mark.parametrize("role", ["social_worker", "panel_member", "administrator"])
def test_the_refresh_button_refuses_other_roles(request, client_for, role) -> None:
    response = client_for(request.getfixturevalue(role)).post("/equity/refresh/")
    assert response.status_code == 403
    assert not FiguresSnapshot.objects.exists()


def test_the_refresh_button_sends_an_anonymous_visitor_to_sign_in(client) -> None:
    response = client.post("/equity/refresh/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert not FiguresSnapshot.objects.exists()


def test_the_refresh_button_takes_only_a_post(client_for, finance_lead) -> None:
    assert client_for(finance_lead).get("/equity/refresh/").status_code == 405
    assert not FiguresSnapshot.objects.exists()


def test_a_manager_presses_the_button_and_returns_to_the_same_filters(
    client_for, team_manager
) -> None:
    """Only the filters go back into the address, whatever else the form was made to carry."""
    client = client_for(team_manager)
    response = client.post(
        "/equity/refresh/",
        {"query": "client_group=older-people&next=https://example.com/&page=3"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/equity/?client_group=older-people"
    assert FiguresSnapshot.objects.get().state == SnapshotState.QUEUED
    page = client.get(response["Location"]).content.decode()
    assert "New figures are being worked out." in page
    assert "New figures were asked for at" in page
    assert "Update the figures now" not in page

    again = client.post("/equity/refresh/", {"query": ""})
    assert again["Location"] == "/equity/"
    assert "New figures were already asked for at" in client.get("/equity/").content.decode()
    assert FiguresSnapshot.objects.count() == 1


def test_before_any_snapshot_the_page_shows_live_figures_and_says_so(
    client_for, finance_lead, decided
) -> None:
    page = client_for(finance_lead).get("/equity/").content.decode()
    assert "The ready-made figures are not ready yet (they are worked out every hour)" in page
    assert "£300.00" in page  # the live median of the band of 30 to 39 points
    assert "Update the figures now" in page


def test_the_page_says_when_its_figures_are_from(client_for, finance_lead, decided) -> None:
    with time_machine.travel(AT_14_05):
        snapshot_made()
    page = client_for(finance_lead).get("/equity/").content.decode()
    assert "Figures as at 14:05 on 24 November 2026 (updated every hour)." in page
    assert "£300.00" in page
    assert (
        '<a class="govuk-link" href="/equity/?signed_off_from=2026-04-01&amp;'
        'signed_off_to=2027-03-31">April 2026 to March 2027</a>'
    ) in page
    assert '<a class="govuk-link" href="/equity/">All dates</a>' in page


def test_the_page_says_how_often_as_the_setting_says(
    client_for, finance_lead, decided, settings
) -> None:
    settings.FIGURES_REFRESH_MINUTES = 15
    with time_machine.travel(AT_14_05):
        snapshot_made()
    page = client_for(finance_lead).get("/equity/").content.decode()
    assert "Figures as at 14:05 on 24 November 2026 (updated every 15 minutes)." in page


def test_a_page_for_other_dates_says_its_figures_are_worked_out_now(
    client_for, finance_lead, decided
) -> None:
    snapshot_made()
    page = (
        client_for(finance_lead)
        .get("/equity/", {"signed_off_from": "2026-10-01", "signed_off_to": "2026-10-31"})
        .content.decode()
    )
    assert (
        "These figures are for the filters you chose, so they are worked out now from the "
        "latest records" in page
    )
    assert "Figures as at" not in page
    assert "£300.00" in page


def test_the_page_reads_the_snapshot_not_the_records(client_for, finance_lead, decided) -> None:
    """A budget decided after the snapshot shows at the next one, not before."""
    snapshot_made()
    BudgetDecision.objects.filter(pk=decided["300"]).update(final_annual_pence=30_100)
    client = client_for(finance_lead)
    assert "£300.00" in client.get("/equity/").content.decode()
    snapshot_made()
    assert "£301.00" in client.get("/equity/").content.decode()


def test_the_equity_api_says_when_its_figures_are_from(client_for, finance_lead, decided) -> None:
    """Snapshot figures carry Last-Modified, the snapshot's moment to the second in HTTP's form;
    figures worked out now for a range the snapshot does not hold carry none."""
    client = client_for(finance_lead)
    with time_machine.travel(AT_14_05, tick=False):
        snapshot_made()
    for endpoint in ("/api/equity/bands/", "/api/equity/outliers/"):
        from_snapshot = client.get(endpoint)
        assert from_snapshot.status_code == 200
        assert from_snapshot["Last-Modified"] == "Tue, 24 Nov 2026 14:05:00 GMT"
        worked_out_now = client.get(
            endpoint, {"signed_off_from": "2026-10-01", "signed_off_to": "2026-10-31"}
        )
        assert worked_out_now.status_code == 200
        assert not worked_out_now.has_header("Last-Modified")


def test_the_page_says_when_the_last_update_did_not_finish(
    client_for, finance_lead, decided
) -> None:
    with time_machine.travel(AT_14_05):
        snapshot_made()
    with time_machine.travel(AT_14_05 + datetime.timedelta(hours=1)):
        FiguresSnapshot.objects.create(
            state=SnapshotState.FAILED,
            requested_at=timezone.now(),
            completed_at=timezone.now(),
            failure="OperationalError: the server closed the connection",
        )
    page = client_for(finance_lead).get("/equity/").content.decode()
    assert "Figures as at 14:05 on 24 November 2026" in page
    assert "The last update, at 15:05 on 24 November 2026, did not finish" in page
    assert "OperationalError" not in page


def test_the_downloads_and_the_api_read_the_snapshot(client_for, finance_lead, decided) -> None:
    snapshot_made()
    BudgetDecision.objects.filter(pk=decided["5000"]).update(final_annual_pence=600_000)
    client = client_for(finance_lead)
    assert "500000" in client.get("/equity/outliers.csv").content.decode()
    assert client.get("/api/equity/outliers/").json()[0]["final_annual_pence"] == 500_000
    assert equity_outliers(EquityFilters())[0].final_annual_pence == 600_000  # the records


def test_the_open_data_page_says_when_its_figures_are_from(client, make_case) -> None:
    """Read 25 minutes after the snapshot: the page gives the snapshot's moment, not its own."""
    make_case("older-people", at(datetime.date(2026, 5, 4)), 100_000)
    with time_machine.travel(AT_14_05):
        snapshot_made()
    with time_machine.travel(AT_14_05 + datetime.timedelta(minutes=25)):
        page = client.get("/open-data/").content.decode()
    assert "Figures as at 14:05 on 24 November 2026 (updated every hour)." in page


def test_the_schedule_runs_the_refresh_task_as_often_as_the_setting_says() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-figures"]
    assert entry["task"] == refresh_figures.name == "reviews.refresh_figures"
    assert entry["schedule"] == datetime.timedelta(minutes=settings.FIGURES_REFRESH_MINUTES)
    assert entry["task"] in celery_app.tasks


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker_process")
def test_a_real_worker_runs_the_scheduled_task_and_writes_a_snapshot(decided) -> None:
    celery_app.conf.task_always_eager = False
    result = celery_app.send_task("reviews.refresh_figures")  # as beat sends it: no arguments
    snapshot_id = result.get(timeout=60)
    snapshot = FiguresSnapshot.objects.get(pk=snapshot_id)
    assert (snapshot.state, snapshot.requested_by, snapshot.decided_count) == (
        SnapshotState.COMPLETE,
        None,
        7,
    )
    source = equity_source(EquityFilters())
    assert source.snapshot == snapshot
    assert source.bands() == equity_bands(EquityFilters())


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker_process")
def test_a_request_for_new_figures_is_worked_out_by_a_real_worker(finance_lead, decided) -> None:
    celery_app.conf.task_always_eager = False
    asked = figures_refresh_request(actor=finance_lead)
    assert asked.queued
    deadline = time.monotonic() + 60
    while asked.snapshot.state != SnapshotState.COMPLETE and time.monotonic() < deadline:
        time.sleep(0.2)
        asked.snapshot.refresh_from_db()
    assert asked.snapshot.state == SnapshotState.COMPLETE
    assert asked.snapshot.requested_by == finance_lead
    assert equity_source(EquityFilters()).snapshot == asked.snapshot


def test_the_button_on_a_figures_page_returns_to_that_page_and_its_filters(
    client_for, finance_lead
) -> None:
    client = client_for(finance_lead)
    response = client.post(
        "/equity/refresh/",
        {"query": "team=&date_from=2026-04-01&signed_off_to=x", "back": "figures:timeliness"},
    )
    assert response["Location"] == "/figures/timeliness/?date_from=2026-04-01"
    page = client.get(response["Location"]).content.decode()
    assert "New figures were asked for at" in page


def test_the_button_never_sends_anyone_to_a_page_it_does_not_know(client_for, finance_lead) -> None:
    response = client_for(finance_lead).post(
        "/equity/refresh/", {"query": "team=1", "back": "https://example.com/"}
    )
    assert response["Location"] == "/equity/?team=1"

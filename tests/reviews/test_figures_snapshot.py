"""Precomputed figures: the snapshot holds exactly the live figures, is swapped in whole, and a
run that fails leaves the one before in use.

The data is the demonstration history (400 cases over two years, three teams, every route and
some outliers, reasons on the events), plus a worker with no team, so every kind of scope is
there: all teams, each team, all dates, each financial year.
"""

import datetime
import threading
from collections.abc import Iterator

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from allocations.demo import demo_tables_load
from ras.accounts.models import Team, User
from reviews import figures_snapshot as figures_snapshot_module
from reviews.demo_history import demo_history_load
from reviews.equity import EquityFilters, equity_bands, equity_dots, equity_outliers
from reviews.equity_snapshot import (
    equity_snapshot_periods,
    equity_source,
    financial_year,
    financial_year_start,
    financial_year_start_sql,
)
from reviews.figure_scopes import (
    TIMELINESS,
    VARIATIONS,
    figure_scopes_snapshot_latest,
    timeliness_figures_read,
    variation_figures_read,
)
from reviews.figure_tables import variation_tables
from reviews.figures_snapshot import (
    SnapshotLost,
    figures_snapshot_build,
    figures_snapshot_claim,
    moment_words,
    refresh_every_words,
)
from reviews.models import (
    BudgetDecision,
    EquitySnapshotBand,
    EquitySnapshotDots,
    EquitySnapshotOutlier,
    EquitySnapshotScope,
    FiguresSnapshot,
    OpenDataSnapshotRow,
    SnapshotState,
)
from reviews.open_data import (
    open_data_read,
    open_data_rows,
    open_data_snapshot_fill,
    open_data_snapshot_latest,
)
from reviews.timeliness import timeliness_figures
from reviews.variation_figures import FigureFilters, variation_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(finance_lead, social_worker, team_manager, panel_member) -> int:
    """The demo history, and a few of its cases moved to a worker with no team."""
    demo_tables_load(finance_lead=finance_lead, today=timezone.localdate())
    written = demo_history_load(
        finance_lead=finance_lead,
        social_workers=[social_worker],
        manager=team_manager,
        panel_member=panel_member,
        count=400,
    )
    loner = User.objects.create(email="loner@example.org", full_name="No Team")
    some = BudgetDecision.objects.order_by("pk").values_list("pk", flat=True)[:40]
    BudgetDecision.objects.filter(pk__in=list(some)).update(social_worker=loner)
    return written


def snapshot_made(*, today: datetime.date | None = None) -> FiguresSnapshot:
    claimed = figures_snapshot_claim(snapshot_id=None)
    assert claimed is not None
    return figures_snapshot_build(snapshot_id=claimed.pk, today=today)


def every_filter(snapshot: FiguresSnapshot) -> Iterator[EquityFilters]:
    """Every team and all teams, times all dates and every financial year the snapshot holds,
    times every client group and all client groups."""
    teams: list[int | None] = [None, *Team.objects.values_list("pk", flat=True)]
    periods = [(None, None)] + [
        (period.first_day, period.last_day) for period in equity_snapshot_periods(snapshot)
    ]
    groups = set(
        BudgetDecision.objects.filter(assessment__isnull=False).values_list(
            "assessment__client_group_code", flat=True
        )
    )
    for team in teams:
        for first, last in periods:
            for group in ["", *sorted(groups)]:
                yield EquityFilters(
                    client_group_code=group,
                    team_id=team,
                    signed_off_from=first,
                    signed_off_to=last,
                )


def test_the_snapshot_holds_the_live_figures_for_every_team_year_and_group(history) -> None:
    snapshot = snapshot_made()
    assert snapshot.state == SnapshotState.COMPLETE
    assert len(equity_snapshot_periods(snapshot)) >= 3  # two years of history span three
    checked = 0
    for filters in every_filter(snapshot):
        source = equity_source(filters)
        assert source.from_snapshot, filters
        assert source.bands() == equity_bands(filters), filters
        assert source.outliers() == equity_outliers(filters), filters
        assert source.dots() == equity_dots(filters), filters
        checked += 1
    teams, groups = 3, 4
    assert checked == (teams + 1) * (len(equity_snapshot_periods(snapshot)) + 1) * (groups + 1)
    everyone = equity_source(EquityFilters())
    assert sum(band.people for band in everyone.bands()) == snapshot.decided_count > 300
    assert everyone.outliers(), "the history has people far from their peers"
    assert any(outlier.reasons for outlier in everyone.outliers())


def test_the_chart_samples_the_same_dots_as_the_live_figures(history, monkeypatch) -> None:
    """With at most 25 dots a group, every n-th decision by id in each group of each scope."""
    monkeypatch.setattr("reviews.equity_snapshot.MAX_CHART_DOTS", 25)
    snapshot = snapshot_made()
    sampled = 0
    for filters in every_filter(snapshot):
        snapshot_dots = equity_source(filters).dots()
        assert snapshot_dots == equity_dots(filters, max_dots=25), filters
        sampled += sum(dots.is_sampled for dots in snapshot_dots)
    assert sampled > 0


def test_the_open_data_snapshot_holds_the_live_figures(history) -> None:
    snapshot = snapshot_made()
    assert open_data_snapshot_latest() == snapshot
    live = open_data_rows()
    assert live, "the history has completed quarters"
    assert open_data_rows(snapshot=snapshot) == live
    read = open_data_read()
    assert (read.from_snapshot, read.as_at) == (True, snapshot.as_at)


def test_a_snapshot_of_another_quarter_is_not_used_for_the_open_data(history) -> None:
    """Made on the last day of a quarter, it lacks the quarter that has since ended."""
    last_quarter_day = datetime.date(2026, 9, 30)
    snapshot = snapshot_made(today=last_quarter_day)
    assert open_data_snapshot_latest(today=last_quarter_day) == snapshot
    assert open_data_snapshot_latest(today=datetime.date(2026, 10, 1)) is None
    with pytest.raises(ValueError, match="other completed quarters"):
        open_data_rows(today=datetime.date(2026, 10, 1), snapshot=snapshot)


def test_dates_other_than_a_financial_year_are_worked_out_live(history) -> None:
    snapshot_made()
    filters = EquityFilters(
        signed_off_from=datetime.date(2026, 1, 1), signed_off_to=datetime.date(2026, 6, 30)
    )
    source = equity_source(filters)
    assert (source.from_snapshot, source.as_at) == (False, None)
    assert source.bands() == equity_bands(filters)


def test_a_team_made_after_the_snapshot_is_worked_out_live(history) -> None:
    snapshot_made()
    team = Team.objects.create(name="Hospital discharge team")
    source = equity_source(EquityFilters(team_id=team.pk))
    assert not source.from_snapshot
    assert source.bands() == []


def test_a_snapshot_made_with_other_settings_is_not_used(history, settings) -> None:
    snapshot_made()
    settings.EQUITY_POINTS_BAND_WIDTH = 20
    assert not equity_source(EquityFilters()).from_snapshot
    settings.EQUITY_POINTS_BAND_WIDTH = 10
    settings.EQUITY_OUTLIER_IQR_MULTIPLE = "3"
    assert not equity_source(EquityFilters()).from_snapshot


def test_a_new_snapshot_replaces_the_last_and_keeps_the_one_before(history) -> None:
    first, second, third = snapshot_made(), snapshot_made(), snapshot_made()
    assert equity_source(EquityFilters()).snapshot == third
    assert set(FiguresSnapshot.objects.values_list("pk", flat=True)) == {second.pk, third.pk}
    assert not EquitySnapshotScope.objects.filter(snapshot=first).exists()
    assert not OpenDataSnapshotRow.objects.filter(snapshot=first).exists()


def test_a_run_that_fails_half_way_leaves_the_previous_snapshot_in_use(
    history, monkeypatch
) -> None:
    """The open data is worked out after the equity rows: failing there, none of the run's
    equity rows are kept, the run says why it failed, and pages read the previous snapshot."""
    previous = snapshot_made()
    rows_before = (
        EquitySnapshotBand.objects.count(),
        EquitySnapshotOutlier.objects.count(),
        EquitySnapshotDots.objects.count(),
    )

    def broken(**kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(figures_snapshot_module, "open_data_snapshot_fill", broken)
    claimed = figures_snapshot_claim(snapshot_id=None)
    assert claimed is not None
    with pytest.raises(RuntimeError, match="the disk is full"):
        figures_snapshot_build(snapshot_id=claimed.pk)

    failed = FiguresSnapshot.objects.get(pk=claimed.pk)
    assert failed.state == SnapshotState.FAILED
    assert "the disk is full" in failed.failure
    assert not EquitySnapshotScope.objects.filter(snapshot=failed).exists()
    assert rows_before == (
        EquitySnapshotBand.objects.count(),
        EquitySnapshotOutlier.objects.count(),
        EquitySnapshotDots.objects.count(),
    )
    source = equity_source(EquityFilters())
    assert (source.snapshot, source.from_snapshot) == (previous, True)
    assert source.bands() == equity_bands(EquityFilters())
    assert open_data_snapshot_latest() == previous


def test_a_run_marked_lost_while_it_was_built_is_not_swapped_in(history) -> None:
    previous = snapshot_made()
    claimed = figures_snapshot_claim(snapshot_id=None)
    assert claimed is not None
    FiguresSnapshot.objects.filter(pk=claimed.pk).update(state=SnapshotState.FAILED)
    with pytest.raises(SnapshotLost):
        figures_snapshot_build(snapshot_id=claimed.pk)
    assert equity_source(EquityFilters()).snapshot == previous
    assert not EquitySnapshotScope.objects.filter(snapshot_id=claimed.pk).exists()


def test_the_database_refuses_a_second_run_asked_for_or_under_way(db) -> None:
    now = timezone.now()
    FiguresSnapshot.objects.create(state=SnapshotState.BUILDING, requested_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        FiguresSnapshot.objects.create(state=SnapshotState.QUEUED, requested_at=now)
    FiguresSnapshot.objects.create(state=SnapshotState.COMPLETE, requested_at=now)
    FiguresSnapshot.objects.create(state=SnapshotState.FAILED, requested_at=now)


def test_the_schedule_takes_the_run_someone_asked_for(db) -> None:
    asked = FiguresSnapshot.objects.create(state=SnapshotState.QUEUED, requested_at=timezone.now())
    claimed = figures_snapshot_claim(snapshot_id=None)
    assert claimed is not None
    assert (claimed.pk, claimed.state) == (asked.pk, SnapshotState.BUILDING)
    assert figures_snapshot_claim(snapshot_id=asked.pk) is None, "its own task finds it taken"
    assert figures_snapshot_claim(snapshot_id=None) is None, "one is under way"


def test_a_run_lost_with_its_worker_no_longer_blocks_the_next(db) -> None:
    now = timezone.now()
    lost = FiguresSnapshot.objects.create(
        state=SnapshotState.BUILDING,
        requested_at=now - datetime.timedelta(minutes=20),
        started_at=now - datetime.timedelta(minutes=20),
    )
    claimed = figures_snapshot_claim(snapshot_id=None, now=now)
    assert claimed is not None
    assert claimed.pk != lost.pk
    lost.refresh_from_db()
    assert (lost.state, lost.failure) == (
        SnapshotState.FAILED,
        "The work stopped before it finished.",
    )


def test_a_run_asked_for_an_hour_ago_and_never_started_is_marked_failed(db) -> None:
    now = timezone.now()
    lost = FiguresSnapshot.objects.create(
        state=SnapshotState.QUEUED, requested_at=now - datetime.timedelta(minutes=61)
    )
    assert figures_snapshot_claim(snapshot_id=lost.pk, now=now) is None
    lost.refresh_from_db()
    assert lost.state == SnapshotState.FAILED


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (15, "every 15 minutes"),
        (1, "every minute"),
        (60, "every hour"),
        (120, "every 2 hours"),
        (90, "every 90 minutes"),
        (1440, "every day"),
    ],
)
def test_how_often_the_figures_are_updated_in_words(minutes: int, words: str) -> None:
    assert refresh_every_words(minutes) == words


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (datetime.date(2026, 3, 31), datetime.date(2025, 4, 1), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 4, 1), datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)),
        (datetime.date(2026, 11, 24), datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)),
    ],
)
def test_the_financial_year_runs_from_april_to_march(day, first, last) -> None:
    period = financial_year(financial_year_start(day))
    assert (period.first_day, period.last_day) == (first, last)
    assert period.label == f"April {first.year} to March {last.year}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {financial_year_start_sql('%s::date')}", [day])
        assert cursor.fetchone() == (first,), "the build's SQL agrees"


@pytest.mark.django_db(transaction=True)
def test_nobody_reads_a_snapshot_while_it_is_being_written(
    finance_lead, social_worker, team_manager, panel_member, monkeypatch
) -> None:
    """A run is held open half-way (its equity rows written, not yet committed) in another
    connection: readers still get the previous snapshot, and see none of the new rows, until
    the run commits; then they get the new one whole."""
    demo_tables_load(finance_lead=finance_lead, today=timezone.localdate())
    demo_history_load(
        finance_lead=finance_lead,
        social_workers=[social_worker],
        manager=team_manager,
        panel_member=panel_member,
        count=200,
    )
    previous = snapshot_made()
    half_way, carry_on = threading.Event(), threading.Event()
    real_fill = open_data_snapshot_fill

    def paused_fill(**kwargs: object) -> datetime.date:
        half_way.set()
        assert carry_on.wait(timeout=30)
        return real_fill(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(figures_snapshot_module, "open_data_snapshot_fill", paused_fill)
    claimed = figures_snapshot_claim(snapshot_id=None)
    assert claimed is not None
    outcome: list[object] = []

    def build() -> None:
        try:
            outcome.append(figures_snapshot_build(snapshot_id=claimed.pk))
        except Exception as error:  # noqa: BLE001 - handed to the test thread to report
            outcome.append(error)
        finally:
            connection.close()

    builder = threading.Thread(target=build)
    builder.start()
    try:
        assert half_way.wait(timeout=60)
        source = equity_source(EquityFilters())
        assert (source.snapshot, source.from_snapshot) == (previous, True)
        assert not EquitySnapshotScope.objects.filter(snapshot_id=claimed.pk).exists()
        assert FiguresSnapshot.objects.get(pk=claimed.pk).state == SnapshotState.BUILDING
    finally:
        carry_on.set()
        builder.join(timeout=60)
    (built,) = outcome
    assert isinstance(built, FiguresSnapshot)
    assert equity_source(EquityFilters()).snapshot == built
    assert equity_source(EquityFilters()).bands() == equity_bands(EquityFilters())


def test_the_snapshot_holds_the_live_variation_and_timeliness_figures_for_every_scope(
    history,
) -> None:
    snapshot = snapshot_made()
    today = timezone.localdate()
    checked = 0
    for equity_filters in every_filter(snapshot):
        filters = FigureFilters(
            client_group_code=equity_filters.client_group_code,
            team_id=equity_filters.team_id,
            date_from=equity_filters.signed_off_from,
            date_to=equity_filters.signed_off_to,
        )
        variations, from_snapshot = variation_figures_read(filters, today=today)
        assert from_snapshot == snapshot, filters
        assert variations == variation_figures(filters), filters
        timeliness, from_snapshot = timeliness_figures_read(filters, today=today)
        assert from_snapshot == snapshot, filters
        assert timeliness == timeliness_figures(filters, today=today), filters
        checked += 1
    teams, groups = 3, 4
    assert checked == (teams + 1) * (len(equity_snapshot_periods(snapshot)) + 1) * (groups + 1)
    everything = variation_figures(FigureFilters())
    assert everything.routes.outside
    assert everything.by_reason
    assert everything.domains
    assert any(row.key == "" for row in everything.by_team), "the worker with no team"
    timeliness = timeliness_figures(FigureFilters(), today=today)
    assert all(measure.by_month for measure in timeliness.measures)
    assert timeliness.overdue


def test_filters_the_snapshot_does_not_hold_are_worked_out_live(history) -> None:
    snapshot_made()
    today = timezone.localdate()
    other_dates = FigureFilters(date_from=today.replace(day=1), date_to=today)
    assert variation_figures_read(other_dates, today=today)[1] is None
    assert timeliness_figures_read(other_dates, today=today)[1] is None
    new_team = Team.objects.create(name="Made after the snapshot")
    assert variation_figures_read(FigureFilters(team_id=new_team.pk), today=today)[1] is None
    unknown_group = FigureFilters(client_group_code="not-a-group")
    found, snapshot = variation_figures_read(unknown_group, today=today)
    assert (found.routes.decided, snapshot) == (0, None)


def test_timeliness_from_another_day_is_not_used_as_reviews_fall_overdue_daily(history) -> None:
    snapshot = snapshot_made()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert figure_scopes_snapshot_latest(TIMELINESS, today=tomorrow) is None
    assert figure_scopes_snapshot_latest(VARIATIONS, today=tomorrow) == snapshot


def test_the_figures_pages_read_the_snapshot_for_its_scopes_and_say_so(
    history, client_for, team_manager
) -> None:
    snapshot = snapshot_made()
    client = client_for(team_manager)
    when = moment_words(snapshot.as_at) if snapshot.as_at else ""
    for address in ("/figures/variations/", "/figures/timeliness/"):
        page = client.get(address).content.decode()
        assert f"Figures as at {when} (updated every hour)." in page, address
        everything = client.get(address, {"client_group": "", "team": ""}).content.decode()
        assert f"Figures as at {when}" in everything, "empty filters are no filters"
        group = client.get(address, {"client_group": "older-people"}).content.decode()
        assert f"Figures as at {when}" in group, "a client group is ready-made"
        year = financial_year(financial_year_start(timezone.localdate()))
        this_year = {"team": "", "date_from": year.first_day, "date_to": year.last_day}
        assert f"Figures as at {when}" in client.get(address, this_year).content.decode()
        other_dates = {"date_from": year.first_day, "date_to": timezone.localdate()}
        if year.last_day == other_dates["date_to"]:  # pragma: no cover - 31 March
            other_dates["date_to"] = year.last_day - datetime.timedelta(days=1)
        filtered = client.get(address, other_dates).content.decode()
        assert "These figures are for the filters you chose" in filtered, address
        assert "Figures as at" not in filtered


def test_before_the_first_run_filtered_figures_do_not_promise_ready_made_ones(
    history, client_for, team_manager
) -> None:
    client = client_for(team_manager)
    for address in ("/figures/variations/", "/figures/timeliness/"):
        page = client.get(address, {"client_group": "older-people"}).content.decode()
        assert "The ready-made figures are not ready yet" in page, address
        assert "open at once" not in page, address


def test_a_figures_download_with_no_filters_reads_the_snapshot(
    history, client_for, finance_lead
) -> None:
    """Every case agreed is then marked varied: the snapshot's routes stay as they were until the
    next run; the live figures (any filter) already show the change."""
    snapshot_made()
    client = client_for(finance_lead)
    routes_before = client.get("/figures/variations/routes.csv").content
    BudgetDecision.objects.filter(state="agreed").update(state="varied")
    assert client.get("/figures/variations/routes.csv").content == routes_before
    assert client.get("/figures/variations/routes.csv", {"team": ""}).content == routes_before
    (live_routes, *_) = variation_tables(variation_figures(FigureFilters()))
    assert live_routes.rows[0][1] == 0, "nobody is agreed at the indicative budget any more"
    assert b"Agreed at the indicative budget,0," not in routes_before


def test_the_figures_api_reads_the_snapshot_and_says_when_it_is_from(
    history, client_for, team_manager
) -> None:
    """After the run every case agreed is marked varied: the snapshot's figures stay as they
    were, with the moment they are from; dates it does not hold are worked out now."""
    snapshot = snapshot_made()
    assert snapshot.as_at is not None
    client = client_for(team_manager)
    team = Team.objects.order_by("pk").first()
    assert team is not None
    scope = {"client_group": "older-people", "team": team.pk}
    before = client.get("/api/figures/variations/", scope).json()
    timeliness = client.get("/api/figures/timeliness/", scope).json()
    BudgetDecision.objects.filter(state="agreed").update(state="varied")
    after = client.get("/api/figures/variations/", scope).json()
    assert after == before
    assert before["as_at"] == timeliness["as_at"]
    assert datetime.datetime.fromisoformat(before["as_at"]) == snapshot.as_at
    assert [row["key"] for row in before["by_team"]] == [str(team.pk)]
    assert [row["key"] for row in before["by_client_group"]] == ["older-people"]
    today = timezone.localdate()
    every_day = {**scope, "date_from": datetime.date(2000, 1, 1), "date_to": today}
    live = client.get("/api/figures/variations/", every_day).json()
    assert live["as_at"] is None
    assert live["routes"]["decided"] == before["routes"]["decided"]
    assert before["routes"]["at_indicative"] > 0
    assert live["routes"]["at_indicative"] == 0, "worked out from the records as they are now"

"""Precomputed figures: claiming a run, working it out, and saying how fresh the figures are.

A snapshot holds the equity dashboard's figures for every team and financial year, the open
data, and the variations and timeliness figures for every client group, team and financial
year.

A run is a `FiguresSnapshot` row. Celery beat starts one every ``FIGURES_REFRESH_MINUTES``
(task `reviews.refresh_figures`), and a manager or finance lead can ask for one now
(`reviews.figures_refresh.figures_refresh_request`). Its life: queued -> building -> complete,
or failed. The database lets only one run be queued or building at a time.

Working a run out fills all of those and turns the run complete in one
REPEATABLE READ transaction: every figure is as at the same moment, nobody reads a half-written
snapshot, and a run that fails leaves the previous snapshot as it was. See
docs/adr/0025-precomputed-figures.md.
"""

import datetime
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from reviews.equity import outlier_iqr_multiple, points_band_width
from reviews.equity_snapshot import equity_snapshot_fill
from reviews.figure_scopes import figure_scopes_snapshot_fill
from reviews.models import PENDING_SNAPSHOT_STATES, FiguresSnapshot, SnapshotState
from reviews.open_data import open_data_snapshot_fill

# The task's limits (seconds). A run still building after the hard limit was lost with its
# worker; a run asked for an hour ago and never started lost its message (the broker's
# visibility timeout is an hour). Either is marked failed, so it does not block the next one.
BUILD_SOFT_TIME_LIMIT_SECONDS = 10 * 60
BUILD_TIME_LIMIT_SECONDS = 11 * 60
BUILDING_LOST_AFTER = datetime.timedelta(seconds=BUILD_TIME_LIMIT_SECONDS + 60)
QUEUED_LOST_AFTER = datetime.timedelta(hours=1)
# Sorting a million budgets in memory rather than on disk.
BUILD_WORK_MEM = "256MB"


class SnapshotLost(Exception):
    """The run was marked failed by someone else while it was being worked out."""


def figures_snapshots_sweep(*, now: datetime.datetime) -> int:
    """Marks runs lost with their worker or their message as failed; returns how many."""
    building = FiguresSnapshot.objects.filter(
        state=SnapshotState.BUILDING, started_at__lt=now - BUILDING_LOST_AFTER
    ).update(
        state=SnapshotState.FAILED,
        completed_at=now,
        failure="The work stopped before it finished.",
    )
    queued = FiguresSnapshot.objects.filter(
        state=SnapshotState.QUEUED, requested_at__lt=now - QUEUED_LOST_AFTER
    ).update(
        state=SnapshotState.FAILED,
        completed_at=now,
        failure="The work was asked for but never started.",
    )
    return building + queued


def figures_snapshot_claim(
    *, snapshot_id: int | None, now: datetime.datetime | None = None
) -> FiguresSnapshot | None:
    """Claims a run to work out, moving it to building.

    With `snapshot_id`, that queued run (someone asked for it). Without (the schedule), the run
    someone asked for if there is one, else a new run. None when another process got there
    first or a run is already being worked out: the caller then has nothing to do.
    """
    now = now or timezone.now()
    figures_snapshots_sweep(now=now)
    if snapshot_id is None:
        queued = (
            FiguresSnapshot.objects.filter(state=SnapshotState.QUEUED)
            .values_list("pk", flat=True)
            .first()
        )
        if queued is None:
            try:
                with transaction.atomic():
                    return FiguresSnapshot.objects.create(
                        state=SnapshotState.BUILDING, requested_at=now, started_at=now
                    )
            except IntegrityError:
                return None  # one is being worked out already
        snapshot_id = queued
    claimed = FiguresSnapshot.objects.filter(pk=snapshot_id, state=SnapshotState.QUEUED).update(
        state=SnapshotState.BUILDING, started_at=now
    )
    return FiguresSnapshot.objects.get(pk=snapshot_id) if claimed else None


def _older_snapshots_delete(*, kept: FiguresSnapshot) -> None:
    """Leaves the new snapshot and the one before it (a page that has just looked it up can
    still read its rows); deletes older ones and runs that failed before this one."""
    previous = (
        FiguresSnapshot.objects.filter(state=SnapshotState.COMPLETE)
        .exclude(pk=kept.pk)
        .order_by("-as_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    FiguresSnapshot.objects.filter(state=SnapshotState.COMPLETE).exclude(
        pk__in=[kept.pk, previous]
    ).delete()
    FiguresSnapshot.objects.filter(
        state=SnapshotState.FAILED, requested_at__lt=kept.requested_at
    ).delete()


def figures_snapshot_build(
    *, snapshot_id: int, today: datetime.date | None = None
) -> FiguresSnapshot:
    """Works out every precomputed figure of the claimed run `snapshot_id` and makes it the one
    pages read; `today` (the council's date, by default that of the moment the records are
    read) sets the financial years and the completed quarters.

    All in one transaction. On any error nothing of the run is kept, the run is marked failed
    with the error, the previous snapshot stays in use, and the error is raised again.

    Raises:
        SnapshotLost: if the run was no longer building when it came to be saved.
    """
    started = time.perf_counter()
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                if outermost:  # the figures of every table as at one moment
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(f"SET LOCAL work_mem = '{BUILD_WORK_MEM}'")
            # The transaction sees the records as they are at its first read, just after this.
            as_at = timezone.now()
            day = today or timezone.localdate(as_at)
            decided = equity_snapshot_fill(
                snapshot_id=snapshot_id, today=day, tz=settings.TIME_ZONE
            )
            before = open_data_snapshot_fill(snapshot_id=snapshot_id, today=day)
            figure_scopes_snapshot_fill(snapshot_id=snapshot_id, today=day)
            completed = FiguresSnapshot.objects.filter(
                pk=snapshot_id, state=SnapshotState.BUILDING
            ).update(
                state=SnapshotState.COMPLETE,
                as_at=as_at,
                completed_at=timezone.now(),
                band_width=points_band_width(),
                iqr_multiple=outlier_iqr_multiple(),
                open_data_before=before,
                figures_date=day,
                decided_count=decided,
                build_seconds=time.perf_counter() - started,
            )
            if not completed:
                raise SnapshotLost(f"Figures snapshot {snapshot_id} was no longer being built.")
            snapshot = FiguresSnapshot.objects.get(pk=snapshot_id)
            _older_snapshots_delete(kept=snapshot)
    except Exception as error:
        FiguresSnapshot.objects.filter(pk=snapshot_id, state=SnapshotState.BUILDING).update(
            state=SnapshotState.FAILED,
            completed_at=timezone.now(),
            build_seconds=time.perf_counter() - started,
            failure=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    return snapshot


# -- How fresh the figures are, in words ----------------------------------------------------


def refresh_every_words(minutes: int) -> str:
    """ "every hour", "every 15 minutes", "every 2 hours", "every day"."""
    for unit_minutes, unit in ((24 * 60, "day"), (60, "hour"), (1, "minute")):
        if minutes % unit_minutes == 0:
            count = minutes // unit_minutes
            return f"every {unit}" if count == 1 else f"every {count} {unit}s"
    return f"every {minutes} minutes"  # pragma: no cover - the loop always returns


def moment_words(moment: datetime.datetime) -> str:
    """ "14:05 on 24 November 2026", in the council's time zone."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


@dataclass(frozen=True, slots=True)
class FiguresFreshness:
    """What a page says about its figures: when they are from, and what is under way."""

    as_at: datetime.datetime | None
    pending: FiguresSnapshot | None
    failed: FiguresSnapshot | None
    refresh_minutes: int
    ready: bool  # a run has finished, so there are ready-made figures for some filters

    @property
    def as_at_words(self) -> str:
        return moment_words(self.as_at) if self.as_at else ""

    @property
    def every_words(self) -> str:
        return refresh_every_words(self.refresh_minutes)

    @property
    def pending_since_words(self) -> str:
        return moment_words(self.pending.requested_at) if self.pending else ""

    @property
    def failed_at_words(self) -> str:
        if self.failed is None:
            return ""
        return moment_words(self.failed.completed_at or self.failed.requested_at)


def figures_freshness(*, as_at: datetime.datetime | None) -> FiguresFreshness:
    """The freshness of figures read as at `as_at` (None: worked out now), the run under way if
    any, and the latest run if it did not finish."""
    pending = (
        FiguresSnapshot.objects.filter(state__in=PENDING_SNAPSHOT_STATES)
        .order_by("-requested_at")
        .first()
    )
    latest = (
        FiguresSnapshot.objects.filter(state__in=(SnapshotState.COMPLETE, SnapshotState.FAILED))
        .order_by("-requested_at", "-id")
        .first()
    )
    failed = latest if latest is not None and latest.state == SnapshotState.FAILED else None
    return FiguresFreshness(
        as_at=as_at,
        pending=pending,
        failed=failed,
        refresh_minutes=int(settings.FIGURES_REFRESH_MINUTES),
        ready=as_at is not None
        or FiguresSnapshot.objects.filter(state=SnapshotState.COMPLETE).exists(),
    )

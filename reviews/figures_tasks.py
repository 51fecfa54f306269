"""The Celery task that works out the precomputed figures (run by beat, or when asked)."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection

from reviews.figures_snapshot import (
    BUILD_SOFT_TIME_LIMIT_SECONDS,
    BUILD_TIME_LIMIT_SECONDS,
    figures_snapshot_build,
    figures_snapshot_claim,
)


@shared_task(
    name="reviews.refresh_figures",
    soft_time_limit=BUILD_SOFT_TIME_LIMIT_SECONDS,
    time_limit=BUILD_TIME_LIMIT_SECONDS,
)
def refresh_figures(snapshot_id: int | None = None) -> int | None:
    """Works out the figures of the run `snapshot_id` (asked for by someone), or of a run of the
    schedule's own (None); returns the snapshot's id, or None when there was nothing to do
    (another process claimed the run, or one is under way). Safe to run twice."""
    snapshot = figures_snapshot_claim(snapshot_id=snapshot_id)
    if snapshot is None:
        return None
    try:
        return figures_snapshot_build(snapshot_id=snapshot.pk).pk
    except SoftTimeLimitExceeded:
        connection.close()  # the limit may have struck mid-statement: start afresh next time
        raise

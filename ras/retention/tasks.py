"""The nightly retention run (Celery beat starts it at 02:30)."""

from celery import shared_task

from ras.retention import services


@shared_task(name="retention.retention_run", time_limit=40 * 60, soft_time_limit=35 * 60)
def retention_run() -> int | None:
    """Runs the retention schedule; returns the run's number, or None when one was already going.
    Safe to run twice: the second run finds nothing more to do."""
    run = services.retention_run()
    return None if run is None else run.pk

"""The Celery task that prices one chunk of a recalculation run.

Acknowledged only when done and rejected if its worker is lost, so a chunk is never dropped; safe
to run twice, so a chunk delivered again is never priced twice. The broker's visibility timeout
(``CELERY_BROKER_TRANSPORT_OPTIONS``) is longer than the hard time limit here.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection

from allocations.recalculation.pricing import chunk_price, run_fail

SOFT_TIME_LIMIT_SECONDS = 5 * 60
TIME_LIMIT_SECONDS = 6 * 60


@shared_task(
    name="allocations.price_chunk",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT_SECONDS,
    time_limit=TIME_LIMIT_SECONDS,
    ignore_result=True,
)
def price_chunk(run_id: int, chunk_number: int) -> int:
    """Prices chunk `chunk_number` of run `run_id`; returns the number of results written."""
    try:
        return chunk_price(run_id=run_id, chunk_number=chunk_number)
    except SoftTimeLimitExceeded:
        connection.close()  # the limit may have struck mid-statement: start afresh
        run_fail(
            run_id,
            f"Part of the run took longer than {SOFT_TIME_LIMIT_SECONDS // 60} minutes and was "
            "stopped. Resume the run to try that part again.",
        )
        raise
    except Exception:
        run_fail(
            run_id,
            "Part of the run stopped because of an unexpected error. "
            "Resume the run to try that part again.",
        )
        raise

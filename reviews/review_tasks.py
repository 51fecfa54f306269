"""The nightly job that marks overdue reviews (run by Celery beat)."""

from celery import shared_task
from django.utils import timezone

from reviews.review_schedule import reviews_mark_overdue


@shared_task(name="reviews.mark_overdue_reviews", time_limit=10 * 60, soft_time_limit=9 * 60)
def mark_overdue_reviews() -> dict[str, int]:
    """Marks the reviews overdue today (the council's local date). Safe to run twice."""
    marks = reviews_mark_overdue(today=timezone.localdate())
    return {"marked": marks.marked, "cleared": marks.cleared}

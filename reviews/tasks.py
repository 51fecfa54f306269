from celery import shared_task

from reviews.figures_tasks import refresh_figures
from reviews.notifications import notify
from reviews.review_tasks import mark_overdue_reviews

__all__ = ["mark_overdue_reviews", "notify_decision_event", "refresh_figures"]


@shared_task(name="reviews.notify_decision_event", time_limit=60, soft_time_limit=50)
def notify_decision_event(event_id: int) -> int:
    """Emails the people a decision event concerns. Safe to run twice (it only sends email)."""
    return notify(event_id)

"""Operational tasks that prove a worker is wired to the same broker and database as the site."""

from celery import shared_task
from django.contrib.auth import get_user_model


@shared_task(name="ras.count_accounts", time_limit=30, soft_time_limit=20)
def count_accounts() -> int:
    """The number of accounts the worker's database holds (the site's count, if wired right)."""
    return get_user_model().objects.count()

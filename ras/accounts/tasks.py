"""Emails about changes to how people sign in, sent by a worker once the change is committed."""

import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from ras.accounts.models import User
from ras.accounts.sign_in_notices import sign_in_change_send


@shared_task(name="accounts.send_sign_in_change_notice", time_limit=60, soft_time_limit=50)
def send_sign_in_change_notice(user_id: int, change: str, changed_at: str) -> int:
    """Emails the account holder about `change`, made at `changed_at` (ISO 8601). Safe to run
    twice (it only sends email)."""
    return sign_in_change_send(
        user_id=user_id, change=change, changed_at=datetime.datetime.fromisoformat(changed_at)
    )


def sign_in_change_notify(user: User, change: str) -> None:
    """Queues the email about `change` ("two-step sign-in was turned off") once the transaction
    commits, saying when it happened."""
    changed_at = timezone.now().isoformat()
    transaction.on_commit(lambda: send_sign_in_change_notice.delay(user.pk, change, changed_at))

"""Reads about signed-in sessions. A session is active until it expires, idle or absolutely."""

import uuid

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from ras.accounts.models import AccountAction, AccountSession, User


def active_sessions(user: User) -> QuerySet[AccountSession]:
    """The person's sessions that can still be used, the most recently seen first."""
    now = timezone.now()
    return AccountSession.objects.filter(
        user=user,
        session__expire_date__gt=now,
        signed_in_at__gt=now - settings.SESSION_ABSOLUTE_LIMIT,
    ).order_by("-last_seen_at", "-pk")


def active_session(user: User, public_id: uuid.UUID) -> AccountSession | None:
    return active_sessions(user).filter(public_id=public_id).first()


def account_actions(subject: User | None = None) -> QuerySet[AccountAction]:
    """What administrators did to people's sign-in, the newest first; one person's if given."""
    actions = AccountAction.objects.select_related("actor", "subject")
    return actions.filter(subject=subject) if subject is not None else actions

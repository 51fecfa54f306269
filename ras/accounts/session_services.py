"""Writes for signed-in sessions: the record of each one, and ending them.

Ending a session deletes its row from Django's session store (sessions live in the database), so
the browser holding it is signed out at its next request; the session's record goes with it.
"""

import datetime
import uuid

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from ras.accounts.browsers import describe_browser
from ras.accounts.models import AccountAction, AccountSession, User
from ras.accounts.roles import Role
from ras.accounts.session_selectors import active_session


class SessionNotFound(Exception):
    """No active session of that person has this id (ended, expired, or someone else's)."""


def session_record(
    *,
    session_key: str,
    user_id: int,
    ip_address: str | None,
    user_agent: str,
    signed_in_at: datetime.datetime,
) -> None:
    """Creates the record of a signed-in session, or brings its last-seen time up to date.

    A session ended by someone else while this request ran is left alone.
    """
    now = timezone.now()
    seen = {"last_seen_at": now, "ip_address": ip_address, "browser": describe_browser(user_agent)}
    try:
        with transaction.atomic():
            AccountSession.objects.update_or_create(
                session_id=session_key,
                user_id=user_id,
                defaults=seen,
                create_defaults={**seen, "signed_in_at": signed_in_at},
            )
    except IntegrityError:
        return


def sessions_end(*, user: User, except_session_key: str | None = None) -> int:
    """Ends every session of the person (but the one given). Returns how many were active."""
    records = AccountSession.objects.filter(user=user)
    if except_session_key is not None:
        records = records.exclude(session_id=except_session_key)
    keys = list(records.values_list("session_id", flat=True))
    active = Session.objects.filter(session_key__in=keys, expire_date__gt=timezone.now()).count()
    Session.objects.filter(session_key__in=keys).delete()
    return active


def session_end(*, user: User, public_id: uuid.UUID) -> AccountSession:
    """Ends one of the person's own active sessions. Raises SessionNotFound."""
    record = active_session(user, public_id)
    if record is None:
        raise SessionNotFound
    Session.objects.filter(session_key=record.session_id).delete()
    return record


@transaction.atomic
def session_end_by_administrator(
    *, actor: User, subject: User, public_id: uuid.UUID, reason: str
) -> AccountAction:
    """An administrator ends one of someone's sessions, with a reason that is kept.

    Raises PermissionDenied (not an administrator), ValueError (no reason) or SessionNotFound.
    """
    _check_administrator(actor, reason)
    session_end(user=subject, public_id=public_id)
    return AccountAction.objects.create(
        kind=AccountAction.Kind.SESSION_ENDED,
        actor=actor,
        subject=subject,
        reason=reason.strip(),
        sessions_ended=1,
    )


@transaction.atomic
def sessions_end_by_administrator(*, actor: User, subject: User, reason: str) -> AccountAction:
    """An administrator ends all of someone's sessions, with a reason that is kept.

    Raises PermissionDenied (not an administrator) or ValueError (no reason).
    """
    _check_administrator(actor, reason)
    ended = sessions_end(user=subject)
    return AccountAction.objects.create(
        kind=AccountAction.Kind.SESSIONS_ENDED,
        actor=actor,
        subject=subject,
        reason=reason.strip(),
        sessions_ended=ended,
    )


def _check_administrator(actor: User, reason: str) -> None:
    if not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied("Only an administrator can end someone else's sessions.")
    if not reason.strip():
        raise ValueError("Give the reason.")

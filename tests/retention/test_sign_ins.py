"""Records of signing in: deleted SIGN_IN_RETENTION_DAYS after they were made; sessions that
ended: deleted the night after."""

import datetime

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session

from ras.accounts.models import AccountSession
from tests.retention.conftest import NOW, line, run_at

pytestmark = pytest.mark.django_db

KEPT = datetime.timedelta(days=settings.SIGN_IN_RETENTION_DAYS)


def made(model: type[AccessLog] | type[AccessFailureLog], age: datetime.timedelta) -> int:
    record = model.objects.create(username="sam@example.org", ip_address="192.0.2.1")
    # `attempt_time` is set to now on creation; move it back.
    model.objects.filter(pk=record.pk).update(attempt_time=NOW - age)
    return int(record.pk)


def test_sign_in_records_past_the_period_go_and_younger_ones_stay() -> None:
    a_day = datetime.timedelta(days=1)
    kept = [made(AccessLog, KEPT - a_day), made(AccessFailureLog, KEPT - a_day)]
    made(AccessLog, KEPT + a_day)
    made(AccessFailureLog, KEPT + a_day)

    run = run_at(NOW)

    report = line(run, "sign-ins")
    assert report.period == "730 days"
    assert report.deleted_count == 2
    remaining = [*AccessLog.objects.values_list("pk", flat=True)]
    remaining += [*AccessFailureLog.objects.values_list("pk", flat=True)]
    assert remaining == kept


def session_of(user, key: str, *, expires_in: datetime.timedelta) -> Session:
    session = Session.objects.create(session_key=key, session_data="", expire_date=NOW + expires_in)
    AccountSession.objects.create(
        session=session,
        user=user,
        signed_in_at=NOW - datetime.timedelta(hours=1),
        last_seen_at=NOW + expires_in - datetime.timedelta(minutes=30),
        browser="Firefox on Windows",
    )
    return session


def test_ended_sessions_go_with_the_record_of_where_they_signed_in(social_worker) -> None:
    """A session ends 30 minutes after its last request; the run that night deletes it."""
    live = session_of(social_worker, "live" * 8, expires_in=datetime.timedelta(minutes=10))
    session_of(social_worker, "ended" * 8, expires_in=-datetime.timedelta(minutes=1))

    report = line(run_at(NOW), "ended-sessions")

    assert report.deleted_count == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert list(AccountSession.objects.values_list("session_id", flat=True)) == [live.pk]

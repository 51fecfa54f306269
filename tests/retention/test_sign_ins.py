"""Records of signing in: deleted SIGN_IN_RETENTION_DAYS after they were made."""

import datetime

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings

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

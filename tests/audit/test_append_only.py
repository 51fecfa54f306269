"""Audit rows are append-only in the database itself: no UPDATE, no DELETE of a row younger than
the retention period, no TRUNCATE, whatever SQL the application's connection sends, and no
session setting switches the triggers off. Rows older than the period may be deleted, so the
retention job can remove them."""

import datetime
from collections.abc import Sequence

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ras.audit.models import AccessEvent, AccessKind
from ras.audit.services import access_events_delete_expired

pytestmark = pytest.mark.django_db

TABLE = AccessEvent._meta.db_table
KEPT = datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def event(user, *, age: datetime.timedelta = datetime.timedelta(0)) -> AccessEvent:
    return AccessEvent.objects.create(
        at=timezone.now() - age,
        user=user,
        user_name=user.full_name,
        user_roles="Social worker",
        kind=AccessKind.CASE,
        reference="Decision 1",
        url_name="cases:detail",
    )


def refused(sql: str, params: Sequence[int] = ()) -> str:
    with (
        pytest.raises(IntegrityError) as refusal,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    return str(refusal.value)


def test_the_audit_is_kept_six_years_by_default():
    assert settings.AUDIT_RETENTION_DAYS == 2192


def test_the_installed_trigger_keeps_rows_as_long_as_the_setting_says():
    """The number is written into the trigger by a migration: a changed setting without its
    migration fails here."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_functiondef(tgfoid) FROM pg_trigger"
            " WHERE tgrelid = %s::regclass AND tgname LIKE %s",
            [TABLE, "pgtrigger_access_events_are_append_only_%"],
        )
        (function,) = [row[0] for row in cursor.fetchall() if "TG_OP" in row[0]]
    assert f"make_interval(days => {settings.AUDIT_RETENTION_DAYS})" in function


def test_a_row_cannot_be_changed_with_raw_sql(social_worker):
    row = event(social_worker)
    message = refused(
        "UPDATE audit_accessevent SET user_name = 'Someone else' WHERE id = %s", [row.pk]
    )
    assert "permanent record" in message
    assert AccessEvent.objects.get(pk=row.pk).user_name == "Wendy Worker"


def test_an_old_row_cannot_be_changed_either(social_worker):
    row = event(social_worker, age=KEPT + datetime.timedelta(days=30))
    refused("UPDATE audit_accessevent SET reference = '' WHERE id = %s", [row.pk])
    assert AccessEvent.objects.get(pk=row.pk).reference == "Decision 1"


def test_a_recent_row_cannot_be_deleted_with_raw_sql(social_worker):
    row = event(social_worker)
    refused("DELETE FROM audit_accessevent WHERE id = %s", [row.pk])
    assert AccessEvent.objects.filter(pk=row.pk).exists()


def test_a_row_a_day_short_of_the_period_cannot_be_deleted(social_worker):
    row = event(social_worker, age=KEPT - datetime.timedelta(days=1))
    refused("DELETE FROM audit_accessevent WHERE id = %s", [row.pk])
    assert AccessEvent.objects.filter(pk=row.pk).exists()


def test_deleting_through_the_orm_is_refused_too(social_worker):
    row = event(social_worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessEvent.objects.filter(pk=row.pk).delete()
    assert AccessEvent.objects.filter(pk=row.pk).exists()


def test_the_table_cannot_be_emptied(social_worker):
    row = event(social_worker)
    with connection.cursor() as cursor:
        # The row's foreign keys are checked at commit; TRUNCATE wants them checked first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    message = refused("TRUNCATE audit_accessevent")
    assert "cannot be emptied" in message
    assert AccessEvent.objects.filter(pk=row.pk).exists()


def test_pgtriggers_ignore_setting_does_not_switch_the_protection_off(social_worker):
    row = event(social_worker)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [TABLE],
        )
        names = [name for (name,) in cursor.fetchall()]
    assert len(names) == 2
    ignore_all = "{" + ",".join(names) + "}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, false)", [ignore_all])
    try:
        refused("DELETE FROM audit_accessevent WHERE id = %s", [row.pk])
        refused("UPDATE audit_accessevent SET reference = '' WHERE id = %s", [row.pk])
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET pgtrigger.ignore")
    assert AccessEvent.objects.filter(pk=row.pk).exists()


def test_a_row_older_than_the_period_may_be_deleted(social_worker):
    row = event(social_worker, age=KEPT + datetime.timedelta(days=1))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accessevent WHERE id = %s", [row.pk])
    assert not AccessEvent.objects.filter(pk=row.pk).exists()


def test_deleting_the_expired_rows_leaves_every_younger_one(social_worker):
    old = [event(social_worker, age=KEPT + datetime.timedelta(days=days)) for days in (1, 400)]
    young = [
        event(social_worker, age=age)
        for age in (datetime.timedelta(0), KEPT - datetime.timedelta(hours=1))
    ]
    assert access_events_delete_expired() == len(old)
    assert set(AccessEvent.objects.values_list("pk", flat=True)) == {row.pk for row in young}
    assert access_events_delete_expired() == 0


@pytest.mark.django_db(transaction=True)
def test_committed_rows_stay_refused_and_the_test_database_can_still_be_emptied(social_worker):
    """Committed, so nothing rolls it back: the database is emptied after this test by the
    harness (see tests/conftest.py), which the next test relies on."""
    row = event(social_worker)
    refused("DELETE FROM audit_accessevent WHERE id = %s", [row.pk])
    refused("TRUNCATE audit_accessevent")
    assert AccessEvent.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_database_was_emptied_after_the_committed_test():
    assert not AccessEvent.objects.exists()

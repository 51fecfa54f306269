"""The access audit on the schedule: rows past AUDIT_RETENTION_DAYS go, bar a held person's."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from ras.audit.models import AccessEvent, AccessKind
from ras.people.models import Person
from ras.retention.services import legal_hold_place
from tests.retention.conftest import NOW, line, run_at

pytestmark = pytest.mark.django_db

KEPT = datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def looked(user, person: Person | None, *, age: datetime.timedelta) -> AccessEvent:
    return AccessEvent.objects.create(
        at=timezone.now() - age,
        user=user,
        user_name=user.full_name,
        user_roles="Social worker",
        kind=AccessKind.CASE if person else AccessKind.LIST,
        person=person,
        reference="Decision 1",
        url_name="cases:detail",
    )


def test_rows_past_the_period_go_except_a_held_persons(
    assessment, represented_assessment, social_worker, administrator
) -> None:
    sam, ida = assessment.person, represented_assessment.person
    legal_hold_place(
        person_public_id=str(ida.public_id), reason="Ombudsman complaint", actor=administrator
    )
    old = KEPT + datetime.timedelta(days=1)
    gone = [looked(social_worker, sam, age=old), looked(social_worker, None, age=old)]
    kept = [
        looked(social_worker, ida, age=old),
        looked(social_worker, sam, age=KEPT - datetime.timedelta(days=1)),
        looked(social_worker, sam, age=datetime.timedelta(0)),
    ]

    run = run_at(NOW)

    audit = line(run, "access-audit")
    assert (audit.deleted_count, audit.held_count) == (len(gone), 1)
    assert set(AccessEvent.objects.values_list("pk", flat=True)) == {row.pk for row in kept}

    again = line(run_at(NOW), "access-audit")
    assert (again.deleted_count, again.held_count) == (0, 1)

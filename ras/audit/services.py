"""Writes to the access audit. `access_record` is the one door for recording that records were seen.

Views do not call it themselves: they are decorated with `ras.audit.recording.records_access`,
which calls it once the page or file has been produced.
"""

import datetime
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Now
from django.http import HttpRequest
from rest_framework.request import Request

from ras.accounts.models import User
from ras.audit.models import AccessEvent, AccessKind
from ras.audit.user_agents import user_agent_summary
from ras.people.models import Person

REFERENCE_MAX_LENGTH = AccessEvent._meta.get_field("reference").max_length or 100


@dataclass(frozen=True, slots=True)
class Subject:
    """What a page showed: whose record (None for a list of people) and which one.

    `reference` is an opaque reference ("Assessment K7PQ-M2XA", "Decision 42, assessment
    K7PQ-M2XA"), never a name.
    """

    person_id: int | None
    reference: str = ""


@transaction.atomic
def access_record(
    request: HttpRequest | Request, *, kind: AccessKind, subjects: Iterable[Subject]
) -> list[AccessEvent]:
    """Records that the signed-in user was shown each subject's record, now, from this request.

    Someone seeing their own record is not recorded; a list of people (a subject with no person)
    is recorded for council staff only, since the lists a person or a representative sees hold
    only themselves and those they act for. An anonymous request records nothing. Returns the
    rows written.
    """
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    wanted = list(dict.fromkeys(subjects))
    own = set(
        Person.objects.filter(
            pk__in=[subject.person_id for subject in wanted if subject.person_id is not None],
            user=user,
        ).values_list("pk", flat=True)
    )
    recorded = [
        subject
        for subject in wanted
        if (subject.person_id is None and user.is_council_staff)
        or (subject.person_id is not None and subject.person_id not in own)
    ]
    if not recorded:
        return []
    who = {
        "user": user,
        "user_name": (user.full_name or user.email)[:200],
        "user_roles": ", ".join(role.value for role in user.roles)[:200],
        "kind": kind,
        "url_name": _url_name(request),
        "ip_address": _ip_address(request),
        "user_agent": user_agent_summary(request.META.get("HTTP_USER_AGENT", "")),
    }
    return AccessEvent.objects.bulk_create(
        AccessEvent(
            person_id=subject.person_id, reference=subject.reference[:REFERENCE_MAX_LENGTH], **who
        )
        for subject in recorded
    )


def access_events_expired() -> QuerySet[AccessEvent]:
    """The audit rows older than AUDIT_RETENTION_DAYS, measured from the database's clock as its
    trigger measures it."""
    return AccessEvent.objects.filter(
        at__lt=Now() - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    )


def access_events_delete_expired(*, keeping_people: Iterable[int] | QuerySet[Any, int] = ()) -> int:
    """Deletes the expired audit rows, bar those about the people in `keeping_people` (under a
    legal hold, say), and returns how many. The trigger refuses anything younger."""
    deleted, _ = access_events_expired().exclude(person_id__in=keeping_people).delete()
    return deleted


def _url_name(request: HttpRequest | Request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name[:100] if match is not None and match.view_name else ""


def _ip_address(request: HttpRequest | Request) -> str | None:
    # REMOTE_ADDR only: a forwarded-for header can be written by anyone, and this service has no
    # setting naming the proxies it trusts.
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None

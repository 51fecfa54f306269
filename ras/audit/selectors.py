"""Reads of the access audit: the rows about a person or by a member of staff, and finding the
person or member of staff to ask about."""

import contextlib
import datetime
import re
import uuid
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from ras.accounts.models import User
from ras.accounts.roles import STAFF_ROLE_NAMES
from ras.audit.models import AccessEvent
from ras.local_time import local_day_start
from ras.people.models import Person

MATCH_LIMIT = 50
# References the audit writes: "Assessment K7PQ-M2XA", "Decision 42, assessment K7PQ-M2XA".
DECISION_NUMBER = re.compile(r"^(?:decision\s*)?(\d{1,18})$", re.IGNORECASE)


def access_events(
    *,
    person: Person | None = None,
    user: User | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AccessEvent]:
    """The rows about `person` and/or by `user`, newest first, between two dates inclusive
    (whole days in the council's time zone)."""
    events = AccessEvent.objects.select_related("person")
    if person is not None:
        events = events.filter(person=person)
    if user is not None:
        events = events.filter(user=user)
    if date_from is not None:
        events = events.filter(at__gte=local_day_start(date_from))
    if date_to is not None:
        events = events.filter(at__lt=local_day_start(date_to + datetime.timedelta(days=1)))
    return events.order_by("-at", "-id")


@dataclass(frozen=True, slots=True)
class PersonMatch:
    person: Person
    views: int
    last_seen: datetime.datetime | None
    references: list[str]


def people_matching(text: str) -> list[PersonMatch]:
    """People whose name contains `text`, whose opaque id it is, or whose records were seen under
    the reference it names (an assessment reference or a decision number); at most 50."""
    text = " ".join(text.split())
    if not text:
        return []
    wanted = Q(full_name__icontains=text)
    with contextlib.suppress(ValueError):
        wanted |= Q(public_id=uuid.UUID(text))
    under = Q(reference__iexact=f"Assessment {text}") | Q(reference__iendswith=f"assessment {text}")
    if found := DECISION_NUMBER.match(text):
        number = int(found.group(1))
        under |= Q(reference=f"Decision {number}") | Q(reference__startswith=f"Decision {number},")
    seen_under = AccessEvent.objects.filter(under, person__isnull=False).values("person_id")
    wanted |= Q(pk__in=seen_under)
    people = list(Person.objects.filter(wanted).order_by("full_name", "pk")[:MATCH_LIMIT])
    return _with_their_views(people)


def _with_their_views(people: list[Person]) -> list[PersonMatch]:
    ids = [person.pk for person in people]
    counts: dict[int, tuple[int, datetime.datetime]] = {
        person_id: (views, last_seen)
        for person_id, views, last_seen in AccessEvent.objects.filter(person_id__in=ids)
        .values("person_id")
        .annotate(views=Count("id"), last_seen=Max("at"))
        .values_list("person_id", "views", "last_seen")
    }
    references: dict[int, list[str]] = {}
    for person_id, reference in (
        AccessEvent.objects.filter(person_id__in=ids)
        .exclude(reference="")
        .values_list("person_id", "reference")
        .distinct()
        .order_by("person_id", "reference")
    ):
        references.setdefault(person_id, []).append(reference)
    return [
        PersonMatch(
            person=person,
            views=counts[person.pk][0] if person.pk in counts else 0,
            last_seen=counts[person.pk][1] if person.pk in counts else None,
            references=references.get(person.pk, [])[:5],
        )
        for person in people
    ]


def staff_matching(text: str) -> list[User]:
    """Accounts holding a staff role whose name or email address contains `text`; at most 50."""
    text = " ".join(text.split())
    if not text:
        return []
    return list(
        User.objects.filter(Q(full_name__icontains=text) | Q(email__icontains=text))
        .filter(groups__name__in=STAFF_ROLE_NAMES)
        .distinct()
        .order_by("full_name", "email")[:MATCH_LIMIT]
    )


def staff_member(user_id: int) -> User:
    """The account with this id if it holds a staff role or ever looked at a record.

    Raises User.DoesNotExist otherwise.
    """
    looked = AccessEvent.objects.filter(user_id=user_id).values("user_id")[:1]
    return (
        User.objects.filter(pk=user_id)
        .filter(Q(groups__name__in=STAFF_ROLE_NAMES) | Q(pk__in=looked))
        .distinct()
        .get()
    )

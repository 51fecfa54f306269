"""Who may have a copy of everything held about which person. Deny by default.

Staff: those who may see the person's case today (reviews.access_selectors): social workers and
team managers anyone's, panel members the people whose cases are on the agendas of meetings they
sit on; and administrators, who answer subject access requests for the council, anyone's.
Finance leads see figures, not people: nobody's.

The person's side: a service user their own record; a representative the records of the people
they act for, as for their assessments and budgets.

Anyone else asking for a person gets Http404, with no hint the person exists.
"""

import contextlib
import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.people.models import Person
from reviews.access_selectors import SEE_EVERY_DECISION, decisions_visible_to

SEE_EVERYONE = (*SEE_EVERY_DECISION, Role.ADMINISTRATOR)
STAFF_ROLES = (*SEE_EVERYONE, Role.PANEL_MEMBER)
NAME_SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 50


def people_visible_to_staff(user: User) -> QuerySet[Person]:
    """The people whose records `user` may copy as council staff."""
    people = Person.objects.all()
    if not user.is_authenticated:
        return people.none()
    roles = set(user.roles)
    if roles & set(SEE_EVERYONE):
        return people
    if Role.PANEL_MEMBER in roles:
        return people.filter(pk__in=decisions_visible_to(user).values("person"))
    return people.none()


def people_acted_for(user: User) -> QuerySet[Person]:
    """The people whose records `user` may copy for themselves: their own (service users) and
    those of the people they act for (representatives), by name."""
    people = Person.objects.all()
    if not user.is_authenticated:
        return people.none()
    roles = set(user.roles)
    visible = Q(pk__in=[])
    if Role.SERVICE_USER in roles:
        visible |= Q(user=user)
    if Role.REPRESENTATIVE in roles:
        visible |= Q(representations__representative=user)
    return people.filter(visible).distinct().order_by("full_name", "pk")


def _one(people: QuerySet[Person], public_id: uuid.UUID | str) -> Person:
    try:
        return people.get(public_id=public_id)
    except (Person.DoesNotExist, ValueError) as missing:
        raise Http404("No such person") from missing


def person_for_staff(user: User, public_id: uuid.UUID | str) -> Person:
    """The person with this public id if `user` may copy their records as staff, else 404."""
    return _one(people_visible_to_staff(user), public_id)


def person_acted_for(user: User, public_id: uuid.UUID | str) -> Person:
    """The person with this public id if it is `user` or someone they act for, else 404."""
    return _one(people_acted_for(user), public_id)


def people_matching(user: User, query: str) -> list[Person]:
    """People `user` may copy as staff found by a self-assessment reference (SA-ABCD-2345),
    their public id, or their name or part of it (any case); at most SEARCH_LIMIT, by name."""
    text = " ".join(query.split())
    matches = Q(assessments__reference__iexact=text)
    with contextlib.suppress(ValueError):
        matches |= Q(public_id=uuid.UUID(text))
    if len(text) >= NAME_SEARCH_MIN_LENGTH:
        matches |= Q(full_name__icontains=text)
    return list(
        people_visible_to_staff(user)
        .filter(matches)
        .distinct()
        .order_by("full_name", "pk")[:SEARCH_LIMIT]
    )

"""Writes to people. Each function is the one door for its change."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.people.models import Person

FULL_NAME_MAX_LENGTH = Person._meta.get_field("full_name").max_length or 200


@transaction.atomic
def person_create(*, full_name: str, actor: User) -> Person:
    """A person a social worker is assessing with them, who need not have an account.

    The name is kept as typed, without surrounding spaces. Raises PermissionDenied unless `actor`
    is a social worker, and ValidationError when the name is empty or longer than 200 characters.
    """
    if not actor.has_role(Role.SOCIAL_WORKER):
        raise PermissionDenied("Only a social worker can add a person.")
    name = full_name.strip()
    if not name:
        raise ValidationError("Enter the person’s full name")
    if len(name) > FULL_NAME_MAX_LENGTH:
        raise ValidationError(f"Full name must be {FULL_NAME_MAX_LENGTH} characters or fewer")
    return Person.objects.create(full_name=name)

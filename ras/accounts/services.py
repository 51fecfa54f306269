"""Writes to accounts. Each function is the one door for its change."""

from django.contrib.auth.models import Group
from django.db import transaction

from ras.accounts.models import User
from ras.accounts.roles import Role


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    roles: list[Role],
    password: str | None = None,
    is_demo: bool = False,
) -> User:
    """Creates an account holding the given roles. Administrators may also use Django admin."""
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        is_demo=is_demo,
        is_staff=Role.ADMINISTRATOR in roles,
    )
    user.groups.set([role_group(role) for role in roles])
    return user


def role_group(role: Role) -> Group:
    """The group that stands for a role (created by a migration; made again if it was removed)."""
    group, _ = Group.objects.get_or_create(name=role.value)
    return group

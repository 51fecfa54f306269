from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import HttpRequest

from ras.accounts.models import User
from ras.accounts.roles import Role


class EmailBackend(ModelBackend):
    """Signs people in by email address. Demo accounts work only where settings allow them.

    Administrators hold every Django admin permission through their role, so the accounts,
    client groups, delegated authority and reason codes registered in admin are theirs to edit.
    What admin does not register (allocation tables, decisions) stays behind the services.
    """

    def user_can_authenticate(self, user: User | AnonymousUser | None) -> bool:
        if getattr(user, "is_demo", False) and not settings.ALLOW_DEMO_SIGN_IN:
            return False
        return super().user_can_authenticate(user)

    def has_perm(self, user_obj: Any, perm: str, obj: Model | None = None) -> bool:
        if _is_active_administrator(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if _is_active_administrator(user_obj):
            return True
        return super().has_module_perms(user_obj, app_label)


def _is_active_administrator(user: Any) -> bool:
    return bool(
        user.is_active
        and user.is_authenticated
        and isinstance(user, User)
        and user.has_role(Role.ADMINISTRATOR)
    )


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The email address a sign-in attempt was for, as django-axes counts failures by it."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return str(username).strip().lower() if username else None

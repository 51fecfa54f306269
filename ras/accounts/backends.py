from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from ras.accounts.models import User


class EmailBackend(ModelBackend):
    """Signs people in by email address. Demo accounts work only where settings allow them."""

    def user_can_authenticate(self, user: User | AnonymousUser | None) -> bool:
        if getattr(user, "is_demo", False) and not settings.ALLOW_DEMO_SIGN_IN:
            return False
        return super().user_can_authenticate(user)


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The email address a sign-in attempt was for, as django-axes counts failures by it."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return str(username).strip().lower() if username else None

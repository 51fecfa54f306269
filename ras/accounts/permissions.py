"""Deny by default: a view or API endpoint names the roles that may use it."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from ras.accounts.roles import Role

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def role_required(*roles: Role) -> Callable[[View], View]:
    """Lets signed-in people holding any of `roles` through; others get 403 (or sign in first)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not any(request.user.has_role(role) for role in roles):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def has_any_role(request: HttpRequest | Request, *roles: Role) -> bool:
    user = request.user
    return bool(user.is_authenticated and any(user.has_role(role) for role in roles))


class IsFinanceLead(BasePermission):
    message = "Only a finance lead can do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_any_role(request, Role.FINANCE_LEAD)

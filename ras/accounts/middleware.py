"""Session middleware of our own.

- `AbsoluteSessionLimitMiddleware` ends a session 12 hours after sign-in however active it has
  been (the idle limit is Django's).
- `SecondFactorMiddleware` is the one door of two-step sign-in: nothing but an allow-list of pages
  opens to a signed-in person who needs a second step and has not taken it in this session.
- `SessionActivityMiddleware` keeps the record of each signed-in session up to date.
"""

import datetime
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from ras.accounts.session_services import session_record
from ras.accounts.two_step_selectors import has_authenticator_app, second_factor_required

SIGNED_IN_AT_KEY = "ras_signed_in_at"
SESSION_SEEN_KEY = "ras_session_seen"

# Pages a person may open before their second step: signing in and out, the second step itself,
# and what is public anyway. Everything else is closed (deny by default). Static files never
# reach a view: WhiteNoise serves them before any of this runs.
OPEN_BEFORE_SECOND_STEP_VIEWS = frozenset(
    {
        "start",
        "healthz",
        "accounts:sign-in",
        "accounts:sign-out",
        "accounts:signed-out",
        "accounts:two-step",
        "accounts:two-step-recovery",
        "accounts:two-step-set-up",
    }
)
OPEN_BEFORE_SECOND_STEP_NAMESPACES = frozenset({"transparency", "open-data", "open-data-api"})
API_PREFIX = "/api/"
SECOND_STEP_NEEDED = (
    "Finish signing in first: enter the code from your authenticator app at "
    "/accounts/two-step/ in a browser."
)


class AbsoluteSessionLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and self._past_limit(request):
            logout(request)
        response = self.get_response(request)
        if request.user.is_authenticated:
            request.session.setdefault(SIGNED_IN_AT_KEY, time.time())
        return response

    @staticmethod
    def _past_limit(request: HttpRequest) -> bool:
        signed_in_at = request.session.get(SIGNED_IN_AT_KEY)
        if signed_in_at is None:
            return False
        limit_seconds = settings.SESSION_ABSOLUTE_LIMIT.total_seconds()
        return time.time() - float(signed_in_at) > limit_seconds


class SecondFactorMiddleware:
    """Sends a person who needs a second step and has not taken it to take it.

    Pages redirect to the code page (or, for staff with no app yet, to setting one up); the API
    answers 403. Needs django-otp's OTPMiddleware before it, for `request.user.is_verified()`.
    It acts once the URL is resolved, so the allow-list names views, not path prefixes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        user: Any = request.user
        if not user.is_authenticated or user.is_verified() or _open_before_second_step(request):
            return None
        if not second_factor_required(user):
            return None
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": SECOND_STEP_NEEDED}, status=403)
        step = "accounts:two-step" if has_authenticator_app(user) else "accounts:two-step-set-up"
        if request.method == "GET":
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return redirect(step)


def _open_before_second_step(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    return (
        match.view_name in OPEN_BEFORE_SECOND_STEP_VIEWS
        or match.namespace in OPEN_BEFORE_SECOND_STEP_NAMESPACES
    )


class SessionActivityMiddleware:
    """Keeps each signed-in session's record up to date: last seen at most once a minute.

    Sessions are recorded when someone signs in (`record_session_at_sign_in`); this also records
    a session signed in before records were kept, at its first request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            _record_session(request, user_id=user.pk, at_sign_in=False)
        return self.get_response(request)


def record_session_at_sign_in(
    sender: Any, request: HttpRequest | None, user: Any, **_: Any
) -> None:
    """Receives Django's `user_logged_in`: every way of signing in records the new session."""
    if request is not None and hasattr(request, "session"):
        _record_session(request, user_id=user.pk, at_sign_in=True)


def _record_session(request: HttpRequest, *, user_id: int, at_sign_in: bool) -> None:
    session = request.session
    if session.session_key is None:
        session.save()  # a sign-in that began a new session: give it its key now
    key = session.session_key
    now = time.time()
    seen = session.get(SESSION_SEEN_KEY)
    every = settings.SESSION_LAST_SEEN_INTERVAL.total_seconds()
    fresh = isinstance(seen, list) and seen[0] == key and now - float(seen[1]) < every
    if fresh and not at_sign_in:
        return
    signed_in_at = now if at_sign_in else float(session.get(SIGNED_IN_AT_KEY, now))
    session_record(
        session_key=str(key),
        user_id=user_id,
        ip_address=get_client_ip_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        signed_in_at=datetime.datetime.fromtimestamp(signed_in_at, tz=datetime.UTC),
    )
    session[SESSION_SEEN_KEY] = [key, now]

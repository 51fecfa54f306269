"""Ends a session 12 hours after sign-in however active it has been (the idle limit is Django's)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT_KEY = "ras_signed_in_at"


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

"""No page shown to a signed-in user is stored by a browser or a proxy.

Almost every signed-in page shows personal data (a person's answers, budget or case), and a
shared or stolen computer must not give it back from its cache or its Back button after sign
out. Public pages seen by anonymous visitors keep whatever caching they had.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


class NoStoreForSignedInUsersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _is_signed_in(request) and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _is_signed_in(request: HttpRequest) -> bool:
    # A request without a session cookie is anonymous: asking for the user would load the
    # session, and add `Vary: Cookie` to public pages for nothing.
    session = getattr(request, "session", None)
    if session is None or session.is_empty():
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)

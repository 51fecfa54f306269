"""Your account, and your sessions: see where you are signed in, and sign out anywhere else."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ras.accounts.roles import Role
from ras.accounts.session_selectors import active_sessions
from ras.accounts.session_services import SessionNotFound, session_end, sessions_end
from ras.accounts.two_step_selectors import two_step_status


@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your account: two-step sign-in, recovery codes and sessions."""
    user: Any = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "status": two_step_status(user),
            "session_count": active_sessions(user).count(),
            "is_administrator": user.has_role(Role.ADMINISTRATOR),
        },
    )


@never_cache
@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Your active sessions, this one marked, with a way to end the others."""
    records = list(active_sessions(request.user))  # type: ignore[arg-type]
    current_key = request.session.session_key
    return render(
        request,
        "accounts/sessions/yours.html",
        {
            "records": records,
            "current_key": current_key,
            "others": [record for record in records if record.session_id != current_key],
        },
    )


@require_POST
@login_required
def session_end_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Ends one of your sessions. Someone else's, or one that has ended, is not found (404)."""
    try:
        record = session_end(user=request.user, public_id=public_id)  # type: ignore[arg-type]
    except SessionNotFound:
        raise Http404 from None
    if record.session_id == request.session.session_key:
        logout(request)
        return redirect("accounts:signed-out")
    messages.success(request, f"You signed out the session on {record.browser}.")
    return redirect("accounts:sessions")


@require_POST
@login_required
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    ended = sessions_end(
        user=request.user,  # type: ignore[arg-type]
        except_session_key=request.session.session_key,
    )
    if ended:
        sessions_word = "session" if ended == 1 else "sessions"
        messages.success(request, f"You signed out {ended} other {sessions_word}.")
    else:
        messages.info(request, "You were not signed in anywhere else.")
    return redirect("accounts:sessions")

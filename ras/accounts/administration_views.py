"""Administrators look after other people's sign-in: find an account, see its sessions and end
them, reset its two-step sign-in, each with a reason that is kept and shown on the log page.

Administrators only: everyone else gets 403. Accounts are named in addresses by their opaque id,
never by name or email address: the search form posts the address.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from ras.accounts.forms import FindPersonForm, ReasonForm
from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.accounts.session_selectors import account_actions, active_session, active_sessions
from ras.accounts.session_services import (
    SessionNotFound,
    session_end_by_administrator,
    sessions_end_by_administrator,
)
from ras.accounts.two_step_selectors import two_step_status
from ras.accounts.two_step_services import two_step_reset

ACTIONS_SHOWN = 200


@never_cache
@role_required(Role.ADMINISTRATOR)
def people(request: HttpRequest) -> HttpResponse:
    """Find an account by its email address (posted, so it never appears in an address)."""
    form = FindPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(email=form.cleaned_data["email"]).first()
        if person is not None:
            return redirect("accounts:admin-person", public_id=person.public_id)
        form.add_error("email", "No account has this email address")
    return render(request, "accounts/administration/people.html", {"form": form})


@never_cache
@role_required(Role.ADMINISTRATOR)
def person(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    subject = get_object_or_404(User, public_id=public_id)
    return render(
        request,
        "accounts/administration/person.html",
        {
            "subject": subject,
            "is_self": subject.pk == request.user.pk,
            "status": two_step_status(subject),
            "records": list(active_sessions(subject)),
            "actions": list(account_actions(subject)[:ACTIONS_SHOWN]),
        },
    )


@never_cache
@role_required(Role.ADMINISTRATOR)
def session_end(request: HttpRequest, public_id: uuid.UUID, session_id: uuid.UUID) -> HttpResponse:
    subject = get_object_or_404(User, public_id=public_id)
    record = active_session(subject, session_id)
    if record is None:
        raise Http404
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session_end_by_administrator(
                actor=_actor(request),
                subject=subject,
                public_id=session_id,
                reason=form.cleaned_data["reason"],
            )
        except SessionNotFound:
            raise Http404 from None
        messages.success(request, f"You ended {subject}'s session on {record.browser}.")
        return redirect("accounts:admin-person", public_id=subject.public_id)
    return render(
        request,
        "accounts/administration/session_end.html",
        {"subject": subject, "record": record, "form": form},
    )


@never_cache
@role_required(Role.ADMINISTRATOR)
def sessions_end(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    subject = get_object_or_404(User, public_id=public_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = sessions_end_by_administrator(
            actor=_actor(request), subject=subject, reason=form.cleaned_data["reason"]
        )
        ended = action.sessions_ended
        messages.success(
            request, f"You ended {ended} session{'' if ended == 1 else 's'} of {subject}."
        )
        return redirect("accounts:admin-person", public_id=subject.public_id)
    return render(
        request,
        "accounts/administration/sessions_end.html",
        {"subject": subject, "form": form, "session_count": active_sessions(subject).count()},
    )


@never_cache
@role_required(Role.ADMINISTRATOR)
def two_step_reset_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    subject = get_object_or_404(User, public_id=public_id)
    if subject.pk == request.user.pk:
        raise PermissionDenied("You cannot reset your own two-step sign-in.")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        two_step_reset(actor=_actor(request), subject=subject, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            f"You reset {subject}'s two-step sign-in. They set up an app again when they next "
            "sign in.",
        )
        return redirect("accounts:admin-person", public_id=subject.public_id)
    return render(
        request,
        "accounts/administration/two_step_reset.html",
        {"subject": subject, "form": form, "status": two_step_status(subject)},
    )


@never_cache
@role_required(Role.ADMINISTRATOR)
def actions(request: HttpRequest) -> HttpResponse:
    """The log of what administrators did to people's sign-in, newest first."""
    return render(
        request,
        "accounts/administration/actions.html",
        {"actions": list(account_actions()[:ACTIONS_SHOWN]), "shown": ACTIONS_SHOWN},
    )


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - role_required has signed them in
    return user

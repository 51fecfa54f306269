"""Pages for administrators: the nightly retention runs with their reports, and legal holds.

Administrators only: everyone else gets 403, and anonymous visitors are sent to sign in.
"""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.retention.forms import (
    SEARCH_MAX_LENGTH,
    PersonSearchForm,
    PlaceHoldForm,
    ReleaseHoldForm,
)
from ras.retention.kinds import KINDS
from ras.retention.models import LegalHold, RetentionRun
from ras.retention.selectors import (
    holds_in_force,
    holds_released,
    people_to_hold,
    run_report,
    run_summary,
    runs_list,
)
from ras.retention.services import HoldRefused, legal_hold_place, legal_hold_release


def _administrator(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - role_required signed them in
    return user


@role_required(Role.ADMINISTRATOR)
def runs_page(request: HttpRequest) -> HttpResponse:
    """Every recent run with its counts, and the schedule in force now."""
    return render(
        request,
        "retention/runs.html",
        {
            "runs": runs_list(),
            "schedule": [(kind.title, kind.period(), kind.rule()) for kind in KINDS],
        },
    )


@role_required(Role.ADMINISTRATOR)
def run_page(request: HttpRequest, run_id: int) -> HttpResponse:
    """One run's report: for each kind, the rule applied and what it came to, in counts."""
    run = get_object_or_404(RetentionRun, pk=run_id)
    lines = run_report(run)
    return render(
        request,
        "retention/run.html",
        {"run": run, "lines": lines, "summary": run_summary(run, lines)},
    )


@role_required(Role.ADMINISTRATOR)
def holds_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "retention/holds.html",
        {"in_force": list(holds_in_force()), "released": list(holds_released())},
    )


@role_required(Role.ADMINISTRATOR)
def hold_new(request: HttpRequest) -> HttpResponse:
    """Find the person (by name or assessment reference), then give the reason and place it."""
    search_form = PersonSearchForm()
    place_form: PlaceHoldForm | None = None
    people = []
    searched = False
    if request.method == "POST" and request.POST.get("action") == "place":
        place_form = PlaceHoldForm(request.POST)
        search = str(request.POST.get("search", ""))[:SEARCH_MAX_LENGTH]
        search_form = PersonSearchForm(initial={"search": search})
        people = people_to_hold(search)
        searched = True
        if place_form.is_valid():
            try:
                hold = legal_hold_place(
                    person_public_id=place_form.cleaned_data["person"],
                    reason=place_form.cleaned_data["reason"],
                    actor=_administrator(request),
                )
            except HoldRefused as refused:
                for message in refused.messages:
                    place_form.add_error("person", message)
            else:
                messages.success(
                    request, f"{hold.person.full_name}’s records are now under a legal hold."
                )
                return redirect("retention:holds")
    elif request.method == "POST":
        search_form = PersonSearchForm(request.POST)
        if search_form.is_valid():
            search = search_form.cleaned_data["search"]
            people = people_to_hold(search)
            searched = True
            place_form = PlaceHoldForm(initial={"search": search})
    error_form: PlaceHoldForm | PersonSearchForm | None = None
    if place_form is not None and place_form.errors:
        error_form = place_form
    elif search_form.is_bound and search_form.errors:
        error_form = search_form
    return render(
        request,
        "retention/hold_new.html",
        {
            "search_form": search_form,
            "place_form": place_form,
            "people": people,
            "searched": searched,
            "error_form": error_form,
            "error_first_field": "id_person" if error_form is place_form else "id_search",
        },
        status=400 if error_form is not None else 200,
    )


@role_required(Role.ADMINISTRATOR)
def hold_release(request: HttpRequest, hold_id: uuid.UUID) -> HttpResponse:
    hold = get_object_or_404(
        LegalHold.objects.select_related("person", "placed_by", "released_by"), public_id=hold_id
    )
    form = ReleaseHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            legal_hold_release(
                hold_public_id=str(hold.public_id),
                reason=form.cleaned_data["reason"],
                actor=_administrator(request),
            )
        except HoldRefused as refused:
            for message in refused.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"The legal hold on {hold.person.full_name} was released.")
            return redirect("retention:holds")
    return render(
        request,
        "retention/hold_release.html",
        {"hold": hold, "form": form},
        status=400 if form.errors else 200,
    )

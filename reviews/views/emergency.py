"""Recording an emergency allocation for a person in crisis, who bypasses the RAS."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from allocations.engine import format_pounds
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from reviews.emergency_services import emergency_record_for_new_person
from reviews.forms import EmergencyForm
from reviews.services import TransitionRefused
from reviews.views.shared import case_redirect, signed_in_user


@role_required(Role.SOCIAL_WORKER)
def emergency_new(request: HttpRequest) -> HttpResponse:
    """Adds the person and their emergency allocation, signed off by the worker now; a manager
    must confirm it within the council's number of days, and a full assessment follows."""
    user = signed_in_user(request)
    form = EmergencyForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            decision = emergency_record_for_new_person(
                full_name=form.cleaned_data["full_name"],
                actor=user,
                amount_pence=form.cleaned_data["amount"],
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as refusal:
            form.add_error("full_name", refusal.messages)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.messages)
        else:
            amount = format_pounds(form.cleaned_data["amount"])
            messages.success(
                request,
                f"You recorded an emergency allocation of {amount} a year for "
                f"{decision.person}. A team manager must confirm it by "
                f"{decision.emergency_confirm_by:%-d %B %Y}.",
            )
            return case_redirect(decision.pk)
    return render(
        request,
        "reviews/cases/emergency.html",
        {"form": form, "confirm_days": settings.EMERGENCY_CONFIRM_DAYS},
        status=400 if form.errors else 200,
    )

"""Starting a self-assessment: the start page, an account, who it is for, and "your assessments"."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from questionnaires.client_groups import CLIENT_GROUP_CHOICES
from questionnaires.forms import (
    MYSELF,
    ClientGroupForm,
    CreateAccountForm,
    FillingInForForm,
    SomeoneElseForm,
)
from questionnaires.models import Assessment, AssessmentStatus, QuestionnaireVersion
from questionnaires.selectors import assessments_visible_to, current_questionnaire
from questionnaires.services import (
    assessment_start,
    person_add_for_representative,
    person_for_service_user,
)
from questionnaires.views.journey import (
    STARTING_ROLES,
    journey_page,
    journey_user,
    render_journey_page,
    starting_page,
)
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.accounts.services import user_create

TIME_TO_COMPLETE_MINUTES = 30


def draft_retention_days() -> int:
    return int(settings.SAQ_DRAFT_RETENTION_DAYS)


def kept_until(assessment: Assessment) -> datetime.datetime:
    """The last day an unsent assessment is kept: its last saved answer plus the retention."""
    return assessment.last_saved_at + datetime.timedelta(days=draft_retention_days())


def questionnaire_in_use() -> QuestionnaireVersion:
    """The published questionnaire people answer (a setting names it, for councils and tests)."""
    return current_questionnaire(settings.SAQ_QUESTIONNAIRE_CODE)


def start(request: HttpRequest) -> HttpResponse:
    """What the self-assessment is for, how long it takes, what you need. Anyone may read it."""
    return render(
        request,
        "questionnaires/start.html",
        {
            "minutes": TIME_TO_COMPLETE_MINUTES,
            "retention_days": draft_retention_days(),
        },
    )


def sign_in_or_create_account(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("saq:new")
    new_url = reverse("saq:new")
    return render(
        request,
        "questionnaires/sign_in_or_create_account.html",
        {
            "sign_in_url": f"{reverse('accounts:sign-in')}?next={new_url}",
            "create_account_url": f"{reverse('saq:create-account')}?next={new_url}",
        },
    )


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("saq:new")


def create_account(request: HttpRequest) -> HttpResponse:
    """A service user's or representative's own account; they are signed in at once."""
    if request.user.is_authenticated:
        return redirect("saq:new")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = CreateAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_create(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
            roles=[form.role],
        )
        login(request, user, backend="ras.accounts.backends.EmailBackend")
        return redirect(next_url)
    return render(request, "questionnaires/create_account.html", {"form": form, "next": next_url})


def new(request: HttpRequest) -> HttpResponse:
    """Sends people to the right first step: sign in, then who the assessment is about."""
    if not request.user.is_authenticated:
        return redirect("saq:sign-in-or-create-account")
    return _new_for_signed_in(request)


@starting_page
def _new_for_signed_in(request: HttpRequest) -> HttpResponse:
    user = journey_user(request)
    is_service_user = user.has_role(Role.SERVICE_USER)
    is_representative = user.has_role(Role.REPRESENTATIVE)
    if not is_representative:
        return redirect("saq:new-myself")
    if not is_service_user:
        return redirect("saq:new-someone-else")
    form = FillingInForForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["filling_in_for"] == MYSELF:
            return redirect("saq:new-myself")
        return redirect("saq:new-someone-else")
    return render_journey_page(request, "questionnaires/filling_in_for.html", {"form": form})


@role_required(Role.SERVICE_USER)
def new_myself(request: HttpRequest) -> HttpResponse:
    """A service user's own assessment starts with who the support is for."""
    user = journey_user(request)
    in_progress = (
        assessments_visible_to(user)
        .filter(person__user=user, status=AssessmentStatus.IN_PROGRESS)
        .first()
    )
    if in_progress is not None:
        # One unsent self-assessment at a time: starting again continues the one in progress.
        return redirect("saq:resume", public_id=in_progress.public_id)
    try:
        version = questionnaire_in_use()
    except QuestionnaireVersion.DoesNotExist:
        return render(request, "questionnaires/unavailable.html", status=503)
    form = ClientGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assessment = assessment_start(
            actor=user,
            person=person_for_service_user(user),
            client_group_code=form.cleaned_data["client_group"],
            questionnaire_version=version,
        )
        return redirect("saq:task-list", public_id=assessment.public_id)
    return render_journey_page(
        request, "questionnaires/client_group.html", client_group_context(form, None, False)
    )


@role_required(Role.REPRESENTATIVE)
def new_someone_else(request: HttpRequest) -> HttpResponse:
    """A representative names the person they help and how they know them."""
    user = journey_user(request)
    try:
        version = questionnaire_in_use()
    except QuestionnaireVersion.DoesNotExist:
        return render(request, "questionnaires/unavailable.html", status=503)
    form = SomeoneElseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            person = person_add_for_representative(
                representative=user,
                full_name=form.cleaned_data["full_name"],
                relationship=form.cleaned_data["relationship"],
            )
            assessment = assessment_start(actor=user, person=person, questionnaire_version=version)
        return redirect("saq:client-group", public_id=assessment.public_id)
    return render_journey_page(request, "questionnaires/someone_else.html", {"form": form})


def client_group_context(
    form: ClientGroupForm, assessment: Assessment | None, for_someone_else: bool
) -> dict[str, Any]:
    """What the client group page needs; `assessment` is None before the assessment exists."""
    return {
        "form": form,
        "assessment": assessment,
        "for_someone_else": for_someone_else,
        "choices": [
            {
                "code": choice.code,
                "label": choice.label_for_someone_else if for_someone_else else choice.label,
                "hint": choice.hint,
            }
            for choice in CLIENT_GROUP_CHOICES
        ],
    }


@journey_page
def mine(request: HttpRequest) -> HttpResponse:
    """Every assessment this person may fill in: their own, and those of people they help.

    A social worker (signing in again after a timeout, say) is sent to the staff list instead.
    """
    user = journey_user(request)
    if not any(user.has_role(role) for role in STARTING_ROLES):
        return redirect("staff-assessments:list")
    assessments = list(assessments_visible_to(user).order_by("-started_at"))
    rows = [
        {
            "assessment": assessment,
            "for_someone_else": assessment.person.user_id != user.pk,
            "kept_until": None if assessment.is_submitted else kept_until(assessment),
        }
        for assessment in assessments
    ]
    return render_journey_page(
        request,
        "questionnaires/mine.html",
        {
            "rows": rows,
            "retention_days": draft_retention_days(),
            "is_representative": user.has_role(Role.REPRESENTATIVE),
        },
    )

"""Staff pages for assessments: the list, the check page, a worker's own view, and starting an
assessment with someone.

Social workers and team managers may open the list and the check page; only social workers
record their own view of a question or start an assessment with a person. Everyone else gets
403, and anonymous visitors are sent to sign in. An assessment a user may not see answers 404.
"""

import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from allocations.answer_differences import assessment_check, assessments_for_checking
from allocations.explanations import budget_explanation
from allocations.models import ClientGroup
from allocations.selectors import client_groups
from questionnaires.audit_subjects import assessment_subject
from questionnaires.models import Assessment, Question, QuestionnaireVersion
from questionnaires.selectors import assessment_for
from questionnaires.services import AnswerNotAllowed, assessment_start, worker_view_save
from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.audit.models import AccessKind
from ras.audit.recording import records_access
from ras.people.services import FULL_NAME_MAX_LENGTH, person_create

PAGE_SIZE = 50
STAFF_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)

if TYPE_CHECKING:
    ClientGroupChoiceFieldBase = forms.ModelChoiceField[ClientGroup]
else:
    ClientGroupChoiceFieldBase = forms.ModelChoiceField


class WorkerViewForm(forms.Form):
    """The worker's own answer to one question, from that question's options only."""

    option = forms.ChoiceField(
        label="Your view",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select your view of how much help the person needs",
            "invalid_choice": "Select one of the answers shown",
        },
    )

    def __init__(self, question: Question, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [  # type: ignore[attr-defined]
            (option.code, option.label) for option in question.options.all()
        ]


class AssistedAssessmentForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=FULL_NAME_MAX_LENGTH,
        help_text="The name of the person you are filling in the assessment with.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person’s full name",
            "max_length": f"Full name must be {FULL_NAME_MAX_LENGTH} characters or fewer",
        },
    )
    client_group = ClientGroupChoiceFieldBase(
        label="Who is the support for?",
        queryset=ClientGroup.objects.none(),
        to_field_name="code",
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="Each group of people has its own allocation table.",
        error_messages={
            "required": "Select who the support is for",
            "invalid_choice": "Select who the support is for from the list",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_group"].queryset = client_groups()  # type: ignore[attr-defined]


@records_access(AccessKind.LIST)
@role_required(*STAFF_ROLES)
def assessment_list(request: HttpRequest) -> HttpResponse:
    """Submitted and in-progress assessments the user may open, newest first."""
    user = _user(request)
    page = Paginator(assessments_for_checking(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "allocations/staff_assessments/list.html",
        {"page": page, "can_start": user.has_role(Role.SOCIAL_WORKER)},
    )


@records_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
@role_required(*STAFF_ROLES)
def assessment_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Both answers to every question, the budget and how it was worked out, and the money
    effect of each difference between the person's answers and the worker's views."""
    user = _user(request)
    assessment = assessment_for(user, public_id)
    check = assessment_check(assessment)
    is_social_worker = user.has_role(Role.SOCIAL_WORKER)
    return render(
        request,
        "allocations/staff_assessments/check.html",
        {
            "assessment": assessment,
            "check": check,
            "explanation": None if check.budget is None else budget_explanation(check.budget),
            "can_record": is_social_worker,
            "journey_url": (
                _journey_url(assessment)
                if is_social_worker and not assessment.is_submitted
                else None
            ),
        },
    )


@records_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
@role_required(Role.SOCIAL_WORKER)
def question_view(request: HttpRequest, public_id: uuid.UUID, code: str) -> HttpResponse:
    """A social worker records their own view of one question, beside the person's answer."""
    user = _user(request)
    assessment = assessment_for(user, public_id)
    question = get_object_or_404(
        Question.objects.select_related("domain").prefetch_related("options"),
        version_id=assessment.questionnaire_version_id,
        code=code,
    )
    row = next(row for row in assessment_check(assessment).questions if row.code == code)
    form = WorkerViewForm(
        question,
        data=request.POST if request.method == "POST" else None,
        initial={"option": row.worker.option_code if row.worker else None},
    )
    if form.is_bound and form.is_valid():
        try:
            worker_view_save(
                assessment=assessment,
                question_code=question.code,
                option_code=form.cleaned_data["option"],
                actor=user,
            )
        except AnswerNotAllowed as refusal:
            form.add_error("option", refusal.messages)
        else:
            messages.success(request, f"Your view of “{question.text}” has been saved.")
            return redirect(f"{_detail_url(assessment)}#question-{question.code}")
    return render(
        request,
        "allocations/staff_assessments/question.html",
        {
            "assessment": assessment,
            "question": question,
            "row": row,
            "form": form,
            "options": question.options.all(),
            "selected": form["option"].value(),
        },
        status=400 if form.errors else 200,
    )


@role_required(Role.SOCIAL_WORKER)
def assessment_new(request: HttpRequest) -> HttpResponse:
    """Adds a person and starts an assessment that the worker fills in with them."""
    user = _user(request)
    form = AssistedAssessmentForm(data=request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            assessment = _assisted_assessment_start(
                full_name=form.cleaned_data["full_name"],
                client_group=form.cleaned_data["client_group"],
                actor=user,
            )
        except ValidationError as refusal:
            form.add_error("full_name", refusal.messages)
        except QuestionnaireVersion.DoesNotExist:
            form.add_error(
                None, "No self-assessment questionnaire is published yet, so none can be started"
            )
        else:
            messages.success(
                request,
                f"You started assessment {assessment.reference} with {assessment.person}.",
            )
            return redirect(_journey_url(assessment))
    return render(
        request,
        "allocations/staff_assessments/new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@transaction.atomic
def _assisted_assessment_start(
    *, full_name: str, client_group: ClientGroup, actor: User
) -> Assessment:
    # Two doors, one transaction: a person is never left without the assessment they came for.
    person = person_create(full_name=full_name, actor=actor)
    return assessment_start(actor=actor, person=person, client_group_code=client_group.code)


def _user(request: HttpRequest) -> User:
    # role_required lets signed-in users alone through.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _detail_url(assessment: Assessment) -> str:
    return reverse("staff-assessments:detail", kwargs={"public_id": assessment.public_id})


def _journey_url(assessment: Assessment) -> str:
    """The self-assessment journey's page for this assessment."""
    return reverse("saq:resume", kwargs={"public_id": assessment.public_id})

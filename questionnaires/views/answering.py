"""Answering: resume, who the support is for, the task list, and one question per page.

Every answer is saved the moment "Save and continue" is pressed. A page opened before a newer
answer was saved is told so and shown the latest answer: it never overwrites it silently.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from questionnaires.audit_subjects import assessment_subject
from questionnaires.forms import AnswerForm, ClientGroupForm
from questionnaires.models import Assessment, Question
from questionnaires.selectors import answers_by_question, questions_in_order
from questionnaires.services import (
    AnswerNotAllowed,
    AssessmentAlreadySubmitted,
    StaleAnswers,
    answer_save,
    assessment_choose_client_group,
)
from questionnaires.views.journey import (
    confirmation_url,
    is_for_someone_else,
    journey_assessment,
    journey_page,
    journey_user,
    render_journey_page,
)
from questionnaires.views.navigation import (
    TaskStatus,
    domain_tasks,
    next_in_domain,
    previous_in_domain,
    resume_question,
)
from questionnaires.views.starting import client_group_context
from ras.audit.models import AccessKind
from ras.audit.recording import records_access

RETURN_TO_CHECK = "check"
STALE_MESSAGE = (
    "Your answers were changed in another window. This page now shows the latest answer."
)
ALREADY_SENT_MESSAGE = "This self-assessment has been sent, so its answers cannot change."


def _returning_to_check(request: HttpRequest) -> bool:
    return (request.POST.get("return") or request.GET.get("return")) == RETURN_TO_CHECK


def _check_url(assessment: Assessment) -> str:
    return reverse("saq:check", kwargs={"public_id": assessment.public_id})


def _task_list_url(assessment: Assessment) -> str:
    return reverse("saq:task-list", kwargs={"public_id": assessment.public_id})


def question_url(assessment: Assessment, code: str, *, return_to_check: bool = False) -> str:
    url = reverse("saq:question", kwargs={"public_id": assessment.public_id, "code": code})
    return f"{url}?return={RETURN_TO_CHECK}" if return_to_check else url


@records_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
@journey_page
def resume(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Continues exactly where the person stopped: the next unanswered question, or the tasks."""
    assessment = journey_assessment(request, public_id)
    if assessment.is_submitted:
        return redirect(confirmation_url(assessment))
    if not assessment.client_group_code:
        return redirect("saq:client-group", public_id=assessment.public_id)
    questions = list(questions_in_order(assessment.questionnaire_version))
    answered = answers_by_question(assessment).keys()
    following = resume_question(questions, answered, assessment.resume_question_code)
    if following is None:
        return redirect(_task_list_url(assessment))
    return redirect(question_url(assessment, following.code))


@records_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
@journey_page
def client_group(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Which client group applies, in plain words; a social worker confirms it later."""
    user = journey_user(request)
    assessment = journey_assessment(request, public_id)
    if assessment.is_submitted:
        return redirect(confirmation_url(assessment))
    for_someone_else = is_for_someone_else(assessment, user)
    form = ClientGroupForm(
        request.POST or None,
        initial={"client_group": assessment.client_group_code or None},
        for_someone_else=for_someone_else,
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment_choose_client_group(
                assessment=assessment,
                actor=user,
                client_group_code=form.cleaned_data["client_group"],
            )
        except AssessmentAlreadySubmitted:
            messages.info(request, ALREADY_SENT_MESSAGE)
            return redirect(confirmation_url(assessment))
        if _returning_to_check(request):
            return redirect(_check_url(assessment))
        return redirect(_task_list_url(assessment))
    context = client_group_context(form, assessment, for_someone_else)
    context["return_to_check"] = _returning_to_check(request)
    return render_journey_page(request, "questionnaires/client_group.html", context)


@records_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
@journey_page
def task_list(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The areas of life to answer, each with its status, and "Check your answers" at the end."""
    user = journey_user(request)
    assessment = journey_assessment(request, public_id)
    if assessment.is_submitted:
        return redirect(confirmation_url(assessment))
    questions = list(questions_in_order(assessment.questionnaire_version))
    answered = answers_by_question(assessment).keys()
    tasks = domain_tasks(questions, answered)
    all_answered = all(task.status == TaskStatus.COMPLETED for task in tasks)
    return render_journey_page(
        request,
        "questionnaires/task_list.html",
        {
            "assessment": assessment,
            "for_someone_else": is_for_someone_else(assessment, user),
            "tasks": tasks,
            "answered_count": sum(task.answered_count for task in tasks),
            "question_count": len(questions),
            "can_check": all_answered and bool(assessment.client_group_code),
        },
    )


def _required_message(question: Question, for_someone_else: bool) -> str:
    if question.is_carer_question:
        if for_someone_else:
            return "Select how much of the help they need family or friends give"
        return "Select how much of the help you need family or friends give"
    return "Select how much help they need" if for_someone_else else "Select how much help you need"


@records_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
@journey_page
def question(request: HttpRequest, public_id: uuid.UUID, code: str) -> HttpResponse:
    """One question: GOV.UK radios, saved at once on "Save and continue"."""
    user = journey_user(request)
    assessment = journey_assessment(request, public_id)
    if assessment.is_submitted:
        return redirect(confirmation_url(assessment))
    questions = list(questions_in_order(assessment.questionnaire_version))
    current = next((candidate for candidate in questions if candidate.code == code), None)
    if current is None:
        raise Http404("No such question")
    for_someone_else = is_for_someone_else(assessment, user)
    return_to_check = _returning_to_check(request)
    required_message = _required_message(current, for_someone_else)

    if request.method != "POST":
        return _question_page(request, assessment, questions, current, return_to_check)

    form = AnswerForm(request.POST, required_message=required_message)
    if not form.is_valid():
        if form.revision_is_missing:
            return _question_page(
                request, assessment, questions, current, return_to_check, stale=True
            )
        return _question_page(
            request,
            assessment,
            questions,
            current,
            return_to_check,
            errors=[str(error) for error in form.errors["option"]],
        )
    try:
        answer_save(
            assessment=assessment,
            question_code=current.code,
            option_code=form.cleaned_data["option"],
            actor=user,
            expected_revision=form.cleaned_data["answers_revision"],
        )
    except StaleAnswers:
        return _question_page(request, assessment, questions, current, return_to_check, stale=True)
    except AnswerNotAllowed as refused:
        return _question_page(
            request, assessment, questions, current, return_to_check, errors=refused.messages
        )
    except AssessmentAlreadySubmitted:
        messages.info(request, ALREADY_SENT_MESSAGE)
        return redirect(confirmation_url(assessment))
    if return_to_check:
        return redirect(_check_url(assessment))
    following = next_in_domain(questions, current)
    if following is None:
        return redirect(_task_list_url(assessment))
    return redirect(question_url(assessment, following.code))


def _question_page(
    request: HttpRequest,
    assessment: Assessment,
    questions: list[Question],
    current: Question,
    return_to_check: bool,
    *,
    errors: list[str] | None = None,
    stale: bool = False,
) -> HttpResponse:
    """Shows the question with the latest saved answer selected (and the latest revision).

    A refused option answers 400 and a page opened before a newer answer answers 409, so that
    nothing but a person can mistake a refusal for a saved answer.
    """
    user = journey_user(request)
    assessment.refresh_from_db()
    saved = answers_by_question(assessment).get(current.code)
    if return_to_check:
        back_url = _check_url(assessment)
    else:
        preceding = previous_in_domain(questions, current)
        back_url = (
            question_url(assessment, preceding.code)
            if preceding is not None
            else _task_list_url(assessment)
        )
    status = 200
    if stale:
        status = 409
    elif errors and request.POST.get("option"):
        status = 400  # an option was sent that is not one of this question's
    context: dict[str, Any] = {
        "assessment": assessment,
        "question": current,
        "options": list(current.options.all()),
        # After an error nothing is selected: the person chooses again from the answers shown.
        "selected_code": None if errors else (saved.option.code if saved else None),
        "errors": errors or [],
        "stale": stale,
        "stale_message": STALE_MESSAGE,
        "back_url": back_url,
        "return_to_check": return_to_check,
        "for_someone_else": is_for_someone_else(assessment, user),
    }
    return render_journey_page(request, "questionnaires/question.html", context, status=status)

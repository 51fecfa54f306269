"""Check your answers: every answer by area, each with a "Change" link back to its question.

The declaration's "Accept and send" posts to `assessment-budget:submit`, which prices the
assessment (money lives in the allocations app) and shows this same page when it is refused.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from questionnaires.audit_subjects import assessment_subject
from questionnaires.client_groups import client_group_label
from questionnaires.models import Assessment, Question
from questionnaires.selectors import answers_by_question, questions_in_order
from questionnaires.views.answering import question_url
from questionnaires.views.journey import (
    confirmation_url,
    is_for_someone_else,
    journey_assessment,
    journey_page,
    journey_user,
    render_journey_page,
)
from ras.accounts.models import User
from ras.audit.models import AccessKind
from ras.audit.recording import records_access

CLIENT_GROUP_PROBLEM = "Choose who the support is for before you send your self-assessment"


@dataclass(frozen=True, slots=True)
class CheckRow:
    question: Question
    answer_label: str
    change_url: str


@dataclass(frozen=True, slots=True)
class CheckSection:
    title: str
    rows: tuple[CheckRow, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    url: str


def check_answers_context(
    assessment: Assessment,
    user: User,
    *,
    missing: Sequence[Question] = (),
    client_group_missing: bool = False,
) -> dict[str, Any]:
    """What the check page shows, with the problems that stopped it being sent, if any."""
    answers = answers_by_question(assessment)
    sections: dict[int, tuple[str, list[CheckRow]]] = {}
    for question in questions_in_order(assessment.questionnaire_version):
        answer = answers.get(question.code)
        _, rows = sections.setdefault(question.domain_id, (question.domain.title, []))
        rows.append(
            CheckRow(
                question=question,
                answer_label=answer.option.label if answer else "",
                change_url=question_url(assessment, question.code, return_to_check=True),
            )
        )
    client_group_url = (
        reverse("saq:client-group", kwargs={"public_id": assessment.public_id}) + "?return=check"
    )
    problems = [Problem(CLIENT_GROUP_PROBLEM, client_group_url)] if client_group_missing else []
    problems += [
        Problem(
            f"Answer the question: {question.text}",
            question_url(assessment, question.code, return_to_check=True),
        )
        for question in missing
    ]
    for_someone_else = is_for_someone_else(assessment, user)
    return {
        "assessment": assessment,
        "for_someone_else": for_someone_else,
        "client_group": client_group_label(
            assessment.client_group_code, for_someone_else=for_someone_else
        ),
        "client_group_url": client_group_url,
        "sections": [CheckSection(title, tuple(rows)) for title, rows in sections.values()],
        "problems": problems,
        "submit_url": reverse(
            "assessment-budget:submit", kwargs={"public_id": assessment.public_id}
        ),
    }


def render_check_answers(
    request: HttpRequest,
    assessment: Assessment,
    *,
    missing: Sequence[Question] = (),
    client_group_missing: bool = False,
) -> HttpResponse:
    context = check_answers_context(
        assessment,
        journey_user(request),
        missing=missing,
        client_group_missing=client_group_missing,
    )
    return render_journey_page(request, "questionnaires/check_answers.html", context)


@records_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
@journey_page
def check(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    assessment = journey_assessment(request, public_id)
    if assessment.is_submitted:
        return redirect(confirmation_url(assessment))
    return render_check_answers(request, assessment)

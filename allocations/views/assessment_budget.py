"""Sending a self-assessment, and the confirmation showing its indicative budget at once.

Part of the self-assessment journey (same people, same access rules), kept here because it
prices money: `questionnaires` knows points, and never imports this app.
"""

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from allocations.budgets import assessment_submit_and_price
from allocations.explanations import budget_explanation
from allocations.models import IndicativeBudget
from questionnaires.audit_subjects import assessment_subject
from questionnaires.client_groups import client_group_label
from questionnaires.models import Assessment
from questionnaires.services import AssessmentRefused, MissingAnswers
from questionnaires.views.checking import render_check_answers
from questionnaires.views.journey import (
    confirmation_url,
    is_for_someone_else,
    journey_assessment,
    journey_page,
    journey_user,
    render_journey_page,
)
from ras.audit.models import AccessKind
from ras.audit.recording import records_access


@records_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
@journey_page
@require_POST
def submit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Accept and send: submits and prices at once. Sending twice shows the same confirmation."""
    assessment = journey_assessment(request, public_id)
    try:
        assessment_submit_and_price(assessment=assessment, actor=journey_user(request))
    except MissingAnswers as missing:
        return render_check_answers(request, assessment, missing=missing.questions)
    except AssessmentRefused:
        # The only other refusal before sending: no client group was chosen.
        return render_check_answers(request, assessment, client_group_missing=True)
    return redirect(confirmation_url(assessment))


def _letter_url(assessment: Assessment) -> str:
    """The downloadable letter."""
    return reverse("letters:indicative-budget", kwargs={"public_id": assessment.public_id})


@records_access(AccessKind.BUDGET, subjects=assessment_subject)
@journey_page
def confirmation(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The reference, the indicative budget a year and a week, how it was worked out, and what
    happens next. Without a table in force, it says so plainly: a person prices the case."""
    user = journey_user(request)
    assessment = journey_assessment(request, public_id)
    if not assessment.is_submitted:
        return redirect("saq:resume", public_id=assessment.public_id)
    budget = (
        IndicativeBudget.objects.select_related("client_group", "table_version")
        .filter(assessment=assessment)
        .first()
    )
    for_someone_else = is_for_someone_else(assessment, user)
    return render_journey_page(
        request,
        "allocations/assessment/confirmation.html",
        {
            "assessment": assessment,
            "budget": budget,
            "explanation": budget_explanation(budget) if budget is not None else None,
            "letter_url": _letter_url(assessment) if budget is not None else None,
            "for_someone_else": for_someone_else,
            "client_group": client_group_label(
                assessment.client_group_code, for_someone_else=for_someone_else
            ),
        },
    )

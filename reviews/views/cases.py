"""The caseload, taking a new assessment, the case page and where a request went.

Social workers see their own caseload; a team manager sees the whole team's. Social workers,
team managers and panel members may open a case; everyone else gets 403, and anonymous visitors
are sent to sign in.
"""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from allocations.explanations import budget_explanation
from questionnaires.audit_subjects import assessment_subject
from questionnaires.models import Assessment
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.audit.models import AccessKind
from ras.audit.recording import records_access
from reviews.audit_subjects import decision_subject
from reviews.models import BudgetDecision, DecisionEvent
from reviews.selectors import (
    case_actions,
    caseload,
    decision_timeline,
    final_budget,
    is_overdue,
    new_assessments,
    overdue,
    request_outcome,
    support_plan,
    waiting_for_action,
)
from reviews.services import TransitionRefused, decision_open
from reviews.views.shared import (
    CASE_VIEW_ROLES,
    CASELOAD_ROLES,
    case_redirect,
    decision_or_404,
    signed_in_user,
)
from reviews.workflow import State

PAGE_SIZE = 50
LIST_LIMIT = 50


def _first(rows: QuerySet[BudgetDecision] | QuerySet[Assessment]) -> dict[str, object]:
    count = rows.count()
    return {"rows": list(rows[:LIST_LIMIT]), "count": count, "more": count > LIST_LIMIT}


@records_access(AccessKind.LIST)
@role_required(*CASELOAD_ROLES)
def caseload_page(request: HttpRequest) -> HttpResponse:
    """New assessments, the worker's cases, those waiting for them and those overdue.

    A team manager who is not also a social worker sees every worker's cases.
    """
    user = signed_in_user(request)
    is_worker = user.has_role(Role.SOCIAL_WORKER)
    worker = user if is_worker else None
    today = timezone.localdate()
    mine = Paginator(caseload(worker), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/cases/caseload.html",
        {
            "is_worker": is_worker,
            "today": today,
            "new": _first(new_assessments()),
            "mine": mine,
            "waiting": _first(waiting_for_action(worker)),
            "overdue": _first(overdue(worker, today=today)),
        },
    )


@records_access(AccessKind.CASE, subjects=assessment_subject)
@role_required(Role.SOCIAL_WORKER)
@require_POST
def take(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A social worker takes a submitted assessment: its decision opens on their caseload."""
    user = signed_in_user(request)
    assessment = get_object_or_404(Assessment, public_id=public_id)
    try:
        decision = decision_open(assessment=assessment, actor=user)
    except TransitionRefused as refusal:
        messages.warning(request, " ".join(refusal.messages))
        return redirect("cases:caseload")
    if decision.social_worker_id != user.pk:
        messages.warning(
            request, f"{decision.social_worker} took this case first. It is on their caseload."
        )
    else:
        messages.success(request, f"{decision.person} is on your caseload.")
    return case_redirect(decision.pk)


def _assessment_url(assessment: Assessment | None) -> str | None:
    """The staff check page of the assessment; None on a case without one (an emergency)."""
    if assessment is None:
        return None
    return reverse("staff-assessments:detail", kwargs={"public_id": assessment.public_id})


def _records_url(decision: BudgetDecision) -> str:
    """Where staff download everything held about the person."""
    return reverse("subject-access:person", kwargs={"public_id": decision.person.public_id})


@records_access(AccessKind.CASE, subjects=decision_subject)
@role_required(*CASE_VIEW_ROLES)
def case_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    """The person, the state, the assessment and its explanation, the final budget and what the
    person pays, the support plan, the timeline of events, and the actions the user may take."""
    user = signed_in_user(request)
    decision = decision_or_404(decision_id, user)
    timeline = decision_timeline(decision)
    today = timezone.localdate()
    return render(
        request,
        "reviews/cases/case.html",
        {
            "decision": decision,
            "is_mine": decision.social_worker_id == user.pk,
            "covering": user.has_role(Role.SOCIAL_WORKER)
            and decision.social_worker_id not in (None, user.pk),
            "actions": case_actions(decision, user),
            "timeline": timeline,
            "final": final_budget(decision, timeline),
            "plan_lines": support_plan(decision),
            "explanation": (
                None
                if decision.indicative_budget is None
                else budget_explanation(decision.indicative_budget)
            ),
            "assessment_url": _assessment_url(decision.assessment),
            "today": today,
            "overdue": is_overdue(decision, today=today),
            "review_due": decision.next_review_due is not None
            and decision.next_review_due <= today,
            "is_emergency": decision.state == State.EMERGENCY,
            "records_url": _records_url(decision),
        },
    )


@records_access(AccessKind.CASE, subjects=decision_subject)
@role_required(*CASE_VIEW_ROLES)
def request_outcome_page(request: HttpRequest, decision_id: int, event_id: int) -> HttpResponse:
    """Whether a request for a different amount was agreed within the worker's authority or sent
    to a manager or the panel, and why, with the limits in force."""
    decision = decision_or_404(decision_id, signed_in_user(request))
    try:
        outcome = request_outcome(decision, event_id)
    except DecisionEvent.DoesNotExist as missing:
        raise Http404("No such request") from missing
    return render(
        request,
        "reviews/cases/outcome.html",
        {"decision": decision, "outcome": outcome},
    )

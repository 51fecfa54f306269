"""The team manager's queue, the decision page with everything needed to decide on one page,
and the manager's actions: approve, decline, send to panel, return, confirm an emergency.

Team managers only; everyone else gets 403 and anonymous visitors are sent to sign in. Each
action is a small form posting the state the page showed: when someone else moved the case in
the meantime the service refuses, and the manager sees the fresh page saying who decided first.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from allocations.engine import format_pounds
from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.audit.models import AccessKind
from ras.audit.recording import records_access
from reviews.audit_subjects import decision_subject
from reviews.manager_forms import ConfirmEmergencyForm, ManagerDecisionForm
from reviews.models import BudgetDecision, DecisionEvent
from reviews.panel_selectors import (
    case_papers,
    decision_for_papers,
    emergencies_to_confirm,
    manager_authority,
    manager_counts,
    manager_queue,
)
from reviews.services import (
    DecidedFirst,
    MoveNotAllowed,
    OutsideAuthority,
    TransitionRefused,
    decision_transition,
)
from reviews.workflow import Action, State, allowed_actions

MANAGER_ROLES = (Role.TEAM_MANAGER,)
Form = ManagerDecisionForm | ConfirmEmergencyForm


@dataclass(frozen=True, slots=True)
class Step:
    """One manager action: its form, what it does in words, and what to say when done."""

    slug: str
    action: Action
    form_class: type[Form]
    verb: str
    done: Callable[[BudgetDecision, DecisionEvent], str]


def _worker(decision: BudgetDecision) -> str:
    return str(decision.social_worker) if decision.social_worker else "the social worker"


STEPS: dict[str, Step] = {
    step.slug: step
    for step in (
        Step(
            "approve",
            Action.MANAGER_APPROVE,
            ManagerDecisionForm,
            "approve this request",
            lambda decision, event: (
                f"You approved {format_pounds(event.amount_after_pence or 0)} a year for "
                f"{decision.person}. It is the final budget, signed off in your name."
            ),
        ),
        Step(
            "decline",
            Action.MANAGER_DECLINE,
            ManagerDecisionForm,
            "decline this request",
            lambda decision, _event: (
                f"You declined the request for {decision.person}. The case is back with "
                f"{_worker(decision)}."
            ),
        ),
        Step(
            "send-to-panel",
            Action.MANAGER_SEND_TO_PANEL,
            ManagerDecisionForm,
            "send this request to panel",
            lambda decision, _event: (
                f"You sent the request for {decision.person} to panel. It waits there to be put "
                "on a meeting’s agenda."
            ),
        ),
        Step(
            "return",
            Action.MANAGER_RETURN,
            ManagerDecisionForm,
            "return this request",
            lambda decision, _event: (
                f"You returned the request for {decision.person} to {_worker(decision)}."
            ),
        ),
        Step(
            "confirm-emergency",
            Action.CONFIRM_EMERGENCY,
            ConfirmEmergencyForm,
            "confirm this emergency allocation",
            lambda decision, _event: (
                f"You confirmed the emergency allocation of "
                f"{format_pounds(decision.final_annual_pence or 0)} a year for {decision.person}."
            ),
        ),
    )
}


def current_user(request: HttpRequest) -> User:
    # role_required lets signed-in users alone through.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _decision_or_404(decision_id: int) -> BudgetDecision:
    try:
        return decision_for_papers(decision_id)
    except BudgetDecision.DoesNotExist as missing:
        raise Http404("No such case") from missing


def case_page_url(decision_id: int) -> str:
    """The social worker's case page."""
    return reverse("cases:detail", args=[decision_id])


def refused(request: HttpRequest, refusal: PermissionDenied) -> HttpResponse:
    """A 403 page that says in a plain sentence why this person may not do this."""
    return render(
        request,
        "reviews/panels/refused.html",
        {"reason": str(refusal) or "Your account does not let you do this."},
        status=403,
    )


def _offered(decision: BudgetDecision) -> set[str]:
    """The manager's actions the workflow allows from the case's state now."""
    moves = set(allowed_actions(State(decision.state)))
    offered = {
        slug
        for slug, step in STEPS.items()
        if step.action in moves and step.action is not Action.CONFIRM_EMERGENCY
    }
    if Action.CONFIRM_EMERGENCY in moves and decision.emergency_confirmed_at is None:
        offered.add("confirm-emergency")
    return offered


def _decision_page(
    request: HttpRequest,
    decision: BudgetDecision,
    *,
    failed: Step | None = None,
    failed_form: Form | None = None,
) -> HttpResponse:
    offered = _offered(decision)
    authority = manager_authority(decision)
    if not authority.within:
        offered.discard("approve")
    forms: dict[str, Any] = {
        slug.replace("-", "_"): step.form_class(initial={"seen_state": decision.state}, prefix=slug)
        for slug, step in STEPS.items()
        if slug in offered
    }
    if failed is not None and failed_form is not None:
        forms[failed.slug.replace("-", "_")] = failed_form
    today = timezone.localdate()
    return render(
        request,
        "reviews/managers/decision.html",
        {
            "decision": decision,
            "papers": case_papers(decision),
            "authority": authority,
            "forms": forms,
            "failed_form": failed_form,
            "failed_slug": failed.slug if failed else "",
            "today": today,
            "confirm_overdue": decision.emergency_confirm_by is not None
            and decision.emergency_confirm_by < today,
            "case_url": case_page_url(decision.pk),
            "failed_first_field": "" if failed_form is None else failed_form["reasons"].auto_id,
            "approve_lead": (
                f"{format_pounds(decision.requested_annual_pence or 0)} a year becomes the final "
                "budget, signed off in your name."
            ),
            "confirm_lead": (
                f"{format_pounds(decision.final_annual_pence or 0)} a year was recorded for a "
                "person in crisis. Confirming it says the emergency allocation was needed; a full "
                "assessment still follows."
            ),
        },
        status=400 if failed_form is not None else 200,
    )


@records_access(AccessKind.LIST)
@role_required(*MANAGER_ROLES)
def queue_page(request: HttpRequest) -> HttpResponse:
    """Requests waiting for a manager, oldest first, with how long each has waited and the
    amount against the RAS; emergency allocations to confirm; and counts across the team."""
    today = timezone.localdate()
    return render(
        request,
        "reviews/managers/queue.html",
        {
            "today": today,
            "queue": manager_queue(today=today),
            "emergencies": emergencies_to_confirm(today=today),
            "counts": manager_counts(today=today),
        },
    )


@records_access(AccessKind.CASE, subjects=decision_subject)
@role_required(*MANAGER_ROLES)
def decision_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    """The person, the explanation of the indicative budget, the worker's request, reasons and
    plan, the timeline, the manager's delegated authority, and the actions open now."""
    return _decision_page(request, _decision_or_404(decision_id))


@records_access(AccessKind.CASE, subjects=decision_subject)
@role_required(*MANAGER_ROLES)
@require_POST
def decide(request: HttpRequest, decision_id: int, step: str) -> HttpResponse:
    """One manager action through the one door; a refusal shows on the decision page."""
    user = current_user(request)
    decision = _decision_or_404(decision_id)
    chosen = STEPS[step]
    form = chosen.form_class(request.POST, prefix=chosen.slug)
    if form.is_valid():
        try:
            event = decision_transition(
                decision_id=decision.pk,
                action=chosen.action,
                actor=user,
                seen_state=form.seen(),
                reasons=form.cleaned_data["reasons"],
            )
        except DecidedFirst as refusal:
            messages.warning(request, " ".join(refusal.messages))
            return redirect("managers:decision", decision_id=decision.pk)
        except MoveNotAllowed as refusal:
            messages.warning(
                request,
                f"You cannot {chosen.verb} now. The case is: {refusal.current_state.label}.",
            )
            return redirect("managers:decision", decision_id=decision.pk)
        except OutsideAuthority:
            form.add_error(
                None,
                f"{format_pounds(decision.requested_annual_pence or 0)} a year is beyond your "
                "authority: send it to panel.",
            )
        except TransitionRefused as refusal:
            form.add_error(None, refusal.messages)
        except PermissionDenied as refusal:
            return refused(request, refusal)
        else:
            decision.refresh_from_db()
            messages.success(request, chosen.done(decision, event))
            return redirect("managers:decision", decision_id=decision.pk)
    return _decision_page(request, decision, failed=chosen, failed_form=form)

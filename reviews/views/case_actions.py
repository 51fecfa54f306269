"""A social worker's actions on a case, each a small form that calls one service.

Every form carries the state the page showed (`seen_state`): when someone else moved the case in
the meantime the service refuses, and the worker sees the fresh case page saying who decided
first. A form is offered only when the workflow allows the action from the case's state; reaching
one that is not goes back to the case page and says why.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from allocations.engine import format_pounds
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.audit.models import AccessKind
from ras.audit.recording import records_access
from reviews.audit_subjects import decision_subject
from reviews.contribution_services import CONTRIBUTION_ROLES, decision_set_contribution
from reviews.forms import (
    FIRST_PLAN_LINES,
    MAX_PLAN_LINES,
    MORE_PLAN_LINES,
    ConfirmForm,
    ContributionForm,
    ReturnForm,
    SeenStateForm,
    SupportPlanForm,
    VaryForm,
)
from reviews.models import BudgetDecision, DecisionEvent
from reviews.selectors import CaseActions, case_actions, role_limits
from reviews.services import (
    MoveNotAllowed,
    PlanLine,
    TransitionRefused,
    decision_request_amount,
    decision_transition,
)
from reviews.views.shared import (
    case_redirect,
    decision_or_404,
    not_offered,
    signed_in_user,
    someone_decided_first,
)
from reviews.workflow import Action


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _render(
    request: HttpRequest, template: str, decision: BudgetDecision, **context: Any
) -> HttpResponse:
    form = context["form"]
    return render(
        request,
        f"reviews/cases/{template}",
        {"decision": decision, **context},
        status=400 if form.is_bound and form.errors else 200,
    )


def _simple_move(
    request: HttpRequest,
    decision_id: int,
    *,
    action: Action,
    offered: Callable[[CaseActions], bool],
    what: str,
    form_class: type[SeenStateForm],
    template: str,
    done: Callable[[BudgetDecision, DecisionEvent], str],
) -> HttpResponse:
    """One move of the workflow with reasons and nothing else: offered only when the case's
    state allows it (`what` names it when not), then `done` says what happened."""
    user = signed_in_user(request)
    decision = decision_or_404(decision_id, user)
    if request.method != "POST" and not offered(case_actions(decision, user)):
        return not_offered(request, decision, what)
    form = form_class(_data(request), initial={"seen_state": decision.state})
    if form.is_bound and form.is_valid():
        try:
            event = decision_transition(
                decision_id=decision.pk,
                action=action,
                actor=user,
                seen_state=form.seen(),
                reasons=form.cleaned_data["reasons"],
            )
        except MoveNotAllowed as refusal:
            return someone_decided_first(request, decision.pk, refusal)
        except TransitionRefused as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, done(decision, event))
            return case_redirect(decision.pk)
    return _render(request, template, decision, form=form)


@records_access(AccessKind.CASE, subjects=decision_subject)
@role_required(Role.SOCIAL_WORKER)
def agree(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Confirms the indicative budget as the final budget, signed off by the worker."""
    return _simple_move(
        request,
        decision_id,
        action=Action.AGREE,
        offered=lambda actions: actions.agree,
        what="agree the indicative budget",
        form_class=ConfirmForm,
        template="agree.html",
        done=lambda decision, event: (
            f"You agreed {format_pounds(event.amount_after_pence or 0)} a year as the final budget."
        ),
    )


def _request_amount(
    request: HttpRequest,
    decision: BudgetDecision,
    form: VaryForm | SupportPlanForm,
    *,
    amount_pence: int,
    plan_lines: Sequence[PlanLine] = (),
) -> HttpResponse | None:
    """Asks for a different amount with the form's reasons (`decision_request_amount`): the
    outcome page when asked, the fresh case page when someone decided first, or None when the
    request was refused, with the refusal added to the form."""
    try:
        event = decision_request_amount(
            decision_id=decision.pk,
            actor=signed_in_user(request),
            seen_state=form.seen(),
            amount_pence=amount_pence,
            reason_codes=form.cleaned_data["reason_codes"],
            reasons=form.cleaned_data["reasons"],
            plan_lines=plan_lines,
        )
    except MoveNotAllowed as refusal:
        return someone_decided_first(request, decision.pk, refusal)
    except TransitionRefused as refusal:
        form.add_error(None, refusal.messages)
        return None
    return redirect("cases:outcome", decision_id=decision.pk, event_id=event.pk)


@records_access(AccessKind.CASE, subjects=decision_subject)
@role_required(Role.SOCIAL_WORKER)
def vary(request: HttpRequest, decision_id: int) -> HttpResponse:
    """A different amount with reasons: agreed at once within the worker's delegated authority,
    otherwise sent to a manager, or to the panel beyond a manager's authority."""
    user = signed_in_user(request)
    decision = decision_or_404(decision_id, user)
    if request.method != "POST" and not case_actions(decision, user).vary:
        return not_offered(request, decision, "vary the budget")
    form = VaryForm(
        _data(request),
        initial={"seen_state": decision.state},
        indicative_pence=decision.indicative_annual_pence,
    )
    if form.is_bound and form.is_valid():
        asked = _request_amount(request, decision, form, amount_pence=form.cleaned_data["amount"])
        if asked is not None:
            return asked
    return _render(
        request,
        "vary.html",
        decision,
        form=form,
        limits=[role_limits(Role.SOCIAL_WORKER), role_limits(Role.TEAM_MANAGER)],
    )


def _line_count(request: HttpRequest) -> int:
    try:
        count = int(request.POST.get("lines", FIRST_PLAN_LINES))
    except ValueError:
        count = FIRST_PLAN_LINES
    return max(1, min(count, MAX_PLAN_LINES))


@records_access(AccessKind.CASE, subjects=decision_subject)
@role_required(Role.SOCIAL_WORKER)
def outside_ras(request: HttpRequest, decision_id: int) -> HttpResponse:
    """An allocation outside the RAS: a costed support plan whose total a year is asked for.

    Never agreed by the worker who asks: it goes to a manager, or to the panel beyond a
    manager's authority. "Add more lines" shows the same answers with more blank lines.
    """
    user = signed_in_user(request)
    decision = decision_or_404(decision_id, user)
    if request.method != "POST" and not case_actions(decision, user).ask_outside_ras:
        return not_offered(request, decision, "ask for an allocation outside the RAS")
    if request.method == "POST" and "add_lines" in request.POST:
        count = min(_line_count(request) + MORE_PLAN_LINES, MAX_PLAN_LINES)
        kept: dict[str, object] = {
            name: request.POST.get(name, "") for name in request.POST if name != "lines"
        }
        kept["reason_codes"] = request.POST.getlist("reason_codes")
        form = SupportPlanForm(initial=kept, line_count=count)
        return _render(
            request, "outside_ras.html", decision, form=form, can_add=count < MAX_PLAN_LINES
        )
    count = _line_count(request) if request.method == "POST" else FIRST_PLAN_LINES
    form = SupportPlanForm(_data(request), initial={"seen_state": decision.state}, line_count=count)
    if form.is_bound and form.is_valid():
        asked = _request_amount(
            request, decision, form, amount_pence=0, plan_lines=form.cleaned_data["plan_lines"]
        )
        if asked is not None:
            return asked
    return _render(request, "outside_ras.html", decision, form=form, can_add=count < MAX_PLAN_LINES)


@records_access(AccessKind.CASE, subjects=decision_subject)
@role_required(Role.SOCIAL_WORKER)
def return_to_person(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Returns the assessment to the person to change their answers, with a message."""
    return _simple_move(
        request,
        decision_id,
        action=Action.RETURN_TO_PERSON,
        offered=lambda actions: actions.return_to_person,
        what="return the assessment to the person",
        form_class=ReturnForm,
        template="return.html",
        done=lambda decision, event: (
            f"You returned the assessment to {decision.person} with your message. "
            "They can change their answers and send it again."
        ),
    )


@records_access(AccessKind.CASE, subjects=decision_subject)
@role_required(Role.SOCIAL_WORKER)
def start_review(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Starts a review of a final budget: the case goes back to the worker to decide again."""
    return _simple_move(
        request,
        decision_id,
        action=Action.START_REVIEW,
        offered=lambda actions: actions.start_review,
        what="start a review",
        form_class=ConfirmForm,
        template="start_review.html",
        done=lambda decision, event: (
            "You started a review. The current budget stays in place until you agree, "
            "vary or return it."
        ),
    )


@records_access(AccessKind.CASE, subjects=decision_subject)
@role_required(*CONTRIBUTION_ROLES)
def contribution(request: HttpRequest, decision_id: int) -> HttpResponse:
    """What the person pays a year towards the final budget, from the financial assessment."""
    user = signed_in_user(request)
    decision = decision_or_404(decision_id, user)
    if not case_actions(decision, user).set_contribution:
        return not_offered(request, decision, "enter a contribution")
    current = decision.contribution_annual_pence
    initial = {} if current is None else {"contribution": f"{current // 100}.{current % 100:02d}"}
    form = ContributionForm(_data(request), initial=initial)
    if form.is_bound and form.is_valid():
        try:
            decision_set_contribution(
                decision_id=decision.pk,
                actor=user,
                contribution_pence=form.cleaned_data["contribution"],
            )
        except TransitionRefused as refusal:
            form.add_error("contribution", refusal.messages)
        else:
            messages.success(
                request,
                f"{decision.person} pays "
                f"{format_pounds(form.cleaned_data['contribution'])} a year.",
            )
            return case_redirect(decision.pk)
    return _render(request, "contribution.html", decision, form=form)

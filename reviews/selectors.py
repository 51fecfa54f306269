"""Reads of budget decisions for the staff pages: the caseload lists, a case's timeline, its final
budget, the actions a user may take on it, and why a worker's request went where it went.

Deny by default: the caseload functions take the worker whose cases to list, or None for the whole
team (a team manager's view); what a user may do on a case is worked out from the workflow table
and the user's roles, never from the page.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from allocations.engine import format_percentage, format_pounds, rhu
from questionnaires.models import Assessment, AssessmentStatus
from ras.accounts.models import User
from ras.accounts.roles import Role
from reviews.authority import BASIS_POINTS_IN_WHOLE
from reviews.models import (
    BudgetDecision,
    DecisionEvent,
    DelegatedAuthority,
    ReasonCode,
    SupportPlanLine,
)
from reviews.workflow import (
    FINAL_STATES,
    SIGN_OFF_ACTIONS,
    WHO_MAY,
    WORKER_STATES,
    Action,
    Actor,
    State,
    allowed_actions,
)

# What each action did, in words a timeline reads as "<who> <words>".
ACTION_WORDS: dict[Action, str] = {
    Action.AGREE: "agreed the indicative budget as the final budget",
    Action.VARY: "agreed a different amount, within their delegated authority",
    Action.REFER_TO_MANAGER: "asked a manager to agree a different amount",
    Action.REFER_TO_PANEL: "asked the panel to agree a different amount",
    Action.RETURN_TO_PERSON: "returned the assessment to the person to change their answers",
    Action.RESUBMIT: "sent a new assessment",
    Action.MANAGER_APPROVE: "approved the amount asked for",
    Action.MANAGER_DECLINE: "declined the request",
    Action.MANAGER_SEND_TO_PANEL: "sent the request to the panel",
    Action.MANAGER_RETURN: "returned the request to the social worker",
    Action.PANEL_APPROVE: "approved the amount asked for, at panel",
    Action.PANEL_APPROVE_DIFFERENT: "approved a different amount, at panel",
    Action.PANEL_DECLINE: "declined the request, at panel",
    Action.PANEL_DEFER: "deferred the decision to a later panel",
    Action.CHALLENGE: "asked for a review of the decision",
    Action.CONFIRM_EMERGENCY: "confirmed the emergency allocation",
    Action.START_REVIEW: "started a review of the budget",
    Action.RECORD_EMERGENCY: "recorded an emergency allocation",
}

# The events that make a budget final; an emergency allocation is signed off when recorded.
FINAL_EVENT_ACTIONS = frozenset(SIGN_OFF_ACTIONS | {Action.RECORD_EMERGENCY})
REQUEST_ACTIONS = (Action.REFER_TO_MANAGER, Action.REFER_TO_PANEL)


def _decisions() -> QuerySet[BudgetDecision]:
    return BudgetDecision.objects.select_related(
        "person", "assessment", "social_worker", "reopened_assessment"
    )


def _worked_by(
    decisions: QuerySet[BudgetDecision], worker: User | None
) -> QuerySet[BudgetDecision]:
    return decisions if worker is None else decisions.filter(social_worker=worker)


def new_assessments() -> QuerySet[Assessment]:
    """Submitted assessments no decision has taken yet, the longest waiting first.

    An assessment is taken when a decision is about it, or about a copy the person is changing,
    or when a decision for the same person has taken an assessment started after it (such as the
    copy that replaced it once the person sent their changed answers).
    """
    taken = BudgetDecision.objects.filter(
        Q(assessment=OuterRef("pk")) | Q(reopened_assessment=OuterRef("pk"))
    )
    replaced = BudgetDecision.objects.filter(
        person=OuterRef("person"), assessment__pk__gt=OuterRef("pk")
    )
    return (
        Assessment.objects.filter(status=AssessmentStatus.SUBMITTED)
        .exclude(Exists(taken))
        .exclude(Exists(replaced))
        .select_related("person", "indicative_budget")
        .order_by("submitted_at", "pk")
    )


def caseload(worker: User | None) -> QuerySet[BudgetDecision]:
    """Every decision `worker` holds (every decision, for None), the latest change first."""
    return _worked_by(_decisions(), worker).order_by("-state_changed_at", "-pk")


def waiting_for_action(worker: User | None) -> QuerySet[BudgetDecision]:
    """Decisions in a state where the social worker decides what happens next, and returned
    ones whose changed answers the person has submitted; the longest waiting first."""
    changed_answers_in = Q(
        state=State.RETURNED, reopened_assessment__status=AssessmentStatus.SUBMITTED
    )
    return (
        _worked_by(_decisions(), worker)
        .filter(Q(state__in=WORKER_STATES) | changed_answers_in)
        .order_by("state_changed_at", "pk")
    )


def overdue_filter(today: datetime.date) -> Q:
    """A review due before today, or an emergency allocation unconfirmed after its last day."""
    return Q(next_review_due__lt=today) | Q(
        state=State.EMERGENCY,
        emergency_confirmed_at__isnull=True,
        emergency_confirm_by__lt=today,
    )


def overdue(worker: User | None, *, today: datetime.date) -> QuerySet[BudgetDecision]:
    """Decisions with a review or an emergency confirmation overdue on `today`, oldest first."""
    return (
        _worked_by(_decisions(), worker)
        .filter(overdue_filter(today))
        .order_by("next_review_due", "emergency_confirm_by", "pk")
    )


def is_overdue(decision: BudgetDecision, *, today: datetime.date) -> bool:
    review_overdue = decision.next_review_due is not None and decision.next_review_due < today
    confirmation_overdue = (
        decision.state == State.EMERGENCY
        and decision.emergency_confirmed_at is None
        and decision.emergency_confirm_by is not None
        and decision.emergency_confirm_by < today
    )
    return review_overdue or confirmation_overdue


def decision_for_page(decision_id: int) -> BudgetDecision:
    """One decision with what its page shows. Raises BudgetDecision.DoesNotExist."""
    return (
        _decisions()
        .select_related("signed_off_by", "requested_by", "indicative_budget")
        .get(pk=decision_id)
    )


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    event_id: int
    at: datetime.datetime
    actor: str
    action: Action
    words: str
    from_state: State
    to_state: State
    amount_before_pence: int | None
    amount_after_pence: int | None
    reason_labels: tuple[str, ...]
    reasons: str

    @property
    def amount_changed(self) -> bool:
        return self.amount_before_pence != self.amount_after_pence


def reason_labels(codes: Sequence[str]) -> tuple[str, ...]:
    """The labels of reason codes, in the order given; retired codes keep their label."""
    labels = dict(ReasonCode.objects.filter(code__in=codes).values_list("code", "label"))
    return tuple(labels.get(code, code) for code in codes)


def decision_timeline(decision: BudgetDecision) -> list[TimelineEntry]:
    """Every event of a decision, oldest first, with the reason codes as their labels."""
    events = list(
        DecisionEvent.objects.filter(decision=decision).select_related("actor").order_by("at", "id")
    )
    codes = {code for event in events for code in event.reason_codes}
    labels = dict(ReasonCode.objects.filter(code__in=codes).values_list("code", "label"))
    return [
        TimelineEntry(
            event_id=event.pk,
            at=event.at,
            actor=str(event.actor),
            action=Action(event.action),
            words=ACTION_WORDS[Action(event.action)],
            from_state=State(event.from_state),
            to_state=State(event.to_state),
            amount_before_pence=event.amount_before_pence,
            amount_after_pence=event.amount_after_pence,
            reason_labels=tuple(labels.get(code, code) for code in event.reason_codes),
            reasons=event.reasons,
        )
        for event in events
    ]


@dataclass(frozen=True, slots=True)
class FinalBudget:
    """A final budget and everything that explains it: who, when, how far from the RAS, why."""

    final_pence: int
    indicative_pence: int | None
    signed_off_by: str
    signed_off_at: datetime.datetime
    sign_off: TimelineEntry | None
    request: TimelineEntry | None  # the worker's request a manager or panel approved

    @property
    def difference_pence(self) -> int | None:
        if self.indicative_pence is None:
            return None
        return self.final_pence - self.indicative_pence

    @property
    def difference_size_pence(self) -> int | None:
        """The difference without its sign: the page says "more" or "less" in words."""
        difference = self.difference_pence
        return None if difference is None else abs(difference)


def final_budget(decision: BudgetDecision, timeline: Sequence[TimelineEntry]) -> FinalBudget | None:
    """The final budget of a decision, or None when nobody has signed one off yet."""
    if decision.final_annual_pence is None or decision.signed_off_at is None:
        return None
    sign_off = next(
        (entry for entry in reversed(timeline) if entry.action in FINAL_EVENT_ACTIONS), None
    )
    request = None
    if sign_off is not None and sign_off.action not in (Action.AGREE, Action.VARY):
        earlier = [entry for entry in timeline if entry.event_id < sign_off.event_id]
        request = next(
            (entry for entry in reversed(earlier) if entry.action in REQUEST_ACTIONS), None
        )
    return FinalBudget(
        final_pence=decision.final_annual_pence,
        indicative_pence=(
            None
            if sign_off and sign_off.action is Action.RECORD_EMERGENCY
            else decision.indicative_annual_pence
        ),
        signed_off_by=str(decision.signed_off_by),
        signed_off_at=decision.signed_off_at,
        sign_off=sign_off,
        request=request,
    )


@dataclass(frozen=True, slots=True)
class PlanRow:
    description: str
    units_per_week_hundredths: int
    unit_cost_pence: int
    annual_pence: int

    @property
    def units_per_week(self) -> str:
        """1,050 hundredths are "10.50" hours or units a week."""
        whole, hundredths = divmod(self.units_per_week_hundredths, 100)
        return f"{whole:,}.{hundredths:02d}"


def support_plan(decision: BudgetDecision) -> list[PlanRow]:
    """The lines of the decision's costed support plan, in the order they were entered."""
    return [
        PlanRow(
            description=line.description,
            units_per_week_hundredths=line.units_per_week_hundredths,
            unit_cost_pence=line.unit_cost_pence,
            annual_pence=line.annual_pence,
        )
        for line in SupportPlanLine.objects.filter(decision=decision).order_by("id")
    ]


@dataclass(frozen=True, slots=True)
class CaseActions:
    """What a user may do on a case now, from the workflow table and their roles."""

    agree: bool = False
    vary: bool = False
    ask_outside_ras: bool = False
    return_to_person: bool = False
    start_review: bool = False
    set_contribution: bool = False

    @property
    def any(self) -> bool:
        return any(
            (
                self.agree,
                self.vary,
                self.ask_outside_ras,
                self.return_to_person,
                self.start_review,
                self.set_contribution,
            )
        )


def case_actions(decision: BudgetDecision, user: User) -> CaseActions:
    """The social worker's actions the workflow allows from the decision's state, offered to a
    social worker only (any social worker may cover for a colleague); entering a contribution is
    open to social workers and team managers once a budget is final."""
    roles = set(user.roles)
    is_worker = Role.SOCIAL_WORKER in roles
    state = State(decision.state)
    worker_moves = (
        {action for action in allowed_actions(state) if WHO_MAY[action] is Actor.WORKER}
        if is_worker
        else set()
    )
    return CaseActions(
        agree=Action.AGREE in worker_moves and decision.indicative_annual_pence is not None,
        vary=Action.VARY in worker_moves,
        ask_outside_ras=Action.REFER_TO_PANEL in worker_moves,
        return_to_person=Action.RETURN_TO_PERSON in worker_moves
        and decision.assessment_id is not None,
        start_review=Action.START_REVIEW in worker_moves,
        set_contribution=decision.final_annual_pence is not None
        and state in (*FINAL_STATES, State.EMERGENCY)
        and bool(roles & {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}),
    )


@dataclass(frozen=True, slots=True)
class RoleLimits:
    role: str
    max_increase_bp: int
    max_increase_pence: int
    reduction_needs_manager: bool

    @property
    def sentence(self) -> str:
        """`A social worker may agree up to 10.00% and £2,000.00 a year above ...`."""
        reductions = (
            "a reduction needs a manager’s agreement"
            if self.reduction_needs_manager
            else "they may agree a reduction alone"
        )
        return (
            f"A {self.role.lower()} may agree up to {format_percentage(self.max_increase_bp)} "
            f"and up to {format_pounds(self.max_increase_pence)} a year above the indicative "
            f"budget on their own (both must hold); {reductions}."
        )


def role_limits(role: Role) -> RoleLimits | None:
    authority = DelegatedAuthority.objects.filter(role=role.value).first()
    if authority is None:
        return None
    return RoleLimits(
        role=role.value,
        max_increase_bp=authority.max_increase_bp,
        max_increase_pence=authority.max_increase_pence,
        reduction_needs_manager=authority.reduction_needs_manager,
    )


@dataclass(frozen=True, slots=True)
class RequestOutcome:
    """Where a worker's request for a different amount went, and why, in plain words."""

    entry: TimelineEntry
    agreed: bool
    headline: str
    why: tuple[str, ...]
    limits: tuple[RoleLimits, ...]
    indicative_pence: int | None
    amount_pence: int | None
    plan_lines: tuple[PlanRow, ...]


def request_outcome(decision: BudgetDecision, event_id: int) -> RequestOutcome:
    """What happened to a request for a different amount (VARY or a referral), and why.

    Compared with the decision's indicative budget and explained with the limits in force now.
    Raises DecisionEvent.DoesNotExist for an event that is not one of this decision's requests.
    """
    entry = next(
        (
            entry
            for entry in decision_timeline(decision)
            if entry.event_id == event_id and entry.action in (Action.VARY, *REQUEST_ACTIONS)
        ),
        None,
    )
    if entry is None:
        raise DecisionEvent.DoesNotExist
    indicative = decision.indicative_annual_pence
    amount = entry.amount_after_pence
    amount_words = "" if amount is None else f"{format_pounds(amount)} a year"
    lines = support_plan(decision)
    # The plan the request carried: its lines add up to the amount asked for.
    plan_lines = (
        tuple(lines)
        if entry.action in REQUEST_ACTIONS
        and lines
        and sum(line.annual_pence for line in lines) == amount
        else ()
    )
    why = [_difference_sentence(indicative, amount)]
    if plan_lines:
        why.append(
            "An allocation outside the RAS, with a costed support plan, is always agreed by "
            "someone other than the person who asks for it."
        )
    elif entry.action is Action.VARY:
        why.append("That is within your delegated authority, so no one else needs to agree it.")
    elif amount is not None and indicative is not None and amount < indicative:
        why.append("A reduction by a social worker needs a manager’s agreement.")
    else:
        why.append("That is more than a social worker may agree on their own.")
    if entry.action is Action.REFER_TO_PANEL:
        why.append("It is also more than a team manager may agree on their own.")
    why.append(
        {
            Action.VARY: "This is now the final budget.",
            Action.REFER_TO_MANAGER: "A team manager will decide.",
            Action.REFER_TO_PANEL: "The panel will decide.",
        }[entry.action]
    )
    limits = (role_limits(Role.SOCIAL_WORKER), role_limits(Role.TEAM_MANAGER))
    return RequestOutcome(
        entry=entry,
        agreed=entry.action is Action.VARY,
        headline={
            Action.VARY: f"You agreed {amount_words}",
            Action.REFER_TO_MANAGER: f"{amount_words} was sent to a team manager to agree",
            Action.REFER_TO_PANEL: f"{amount_words} was sent to the panel to agree",
        }[entry.action],
        why=tuple(why),
        limits=tuple(limit for limit in limits if limit is not None),
        indicative_pence=indicative,
        amount_pence=amount,
        plan_lines=plan_lines,
    )


def _difference_sentence(indicative: int | None, amount: int | None) -> str:
    if indicative is None or amount is None:
        return "There was no indicative budget to compare it with."
    difference = amount - indicative
    if difference == 0:
        return f"It is the same as the indicative budget of {format_pounds(indicative)}."
    direction = "more" if difference > 0 else "less"
    share = (
        f" ({format_percentage(rhu(abs(difference) * BASIS_POINTS_IN_WHOLE, indicative))})"
        if indicative > 0
        else ""
    )
    return (
        f"It is {format_pounds(abs(difference))}{share} {direction} than the indicative budget "
        f"of {format_pounds(indicative)}."
    )

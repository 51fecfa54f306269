"""The one door for every budget decision move, and the writes around it.

`decision_transition` checks the move against `reviews.workflow`, the actor's role and delegated
authority, changes the state with a compare-and-swap on the state the actor saw, records the
event with its reasons, and queues notifications once the transaction commits.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from allocations.engine import format_pounds, rhu
from allocations.models import IndicativeBudget
from questionnaires.models import Assessment
from questionnaires.services import assessment_reopen
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.people.models import Person, Representation
from reviews.authority import within_authority
from reviews.models import (
    BudgetDecision,
    DecisionEvent,
    DelegatedAuthority,
    PanelAgendaItem,
    ReasonCode,
    SupportPlanLine,
)
from reviews.review_schedule import next_review_due
from reviews.tasks import notify_decision_event
from reviews.workflow import (
    REASONS_REQUIRED,
    SIGN_OFF_ACTIONS,
    WHO_MAY,
    Action,
    Actor,
    State,
    next_state,
)

ACTOR_ROLES = {
    Actor.WORKER: Role.SOCIAL_WORKER,
    Actor.MANAGER: Role.TEAM_MANAGER,
    Actor.PANEL: Role.PANEL_MEMBER,
}


class TransitionRefused(Exception):
    """A move was refused; `messages` say why in plain words. Nothing was changed."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


class MoveNotAllowed(TransitionRefused):
    """The action is not allowed from the decision's current state (the API answers 409)."""

    def __init__(self, messages: Sequence[str], *, current_state: State) -> None:
        self.current_state = current_state
        super().__init__(messages)


class DecidedFirst(MoveNotAllowed):
    """Someone else moved the decision after the actor saw it; says who and what they did."""


class OutsideAuthority(TransitionRefused):
    """The amount is beyond what this person may agree alone."""


@dataclass(frozen=True, slots=True)
class PlanLine:
    description: str
    units_per_week_hundredths: int
    unit_cost_pence: int

    @property
    def annual_pence(self) -> int:
        """Units a week x unit cost x 52 weeks, rounded half up to the penny."""
        return rhu(self.units_per_week_hundredths * self.unit_cost_pence * 52, 100)


def limits_for(role: Role) -> DelegatedAuthority:
    return DelegatedAuthority.objects.get(role=role.value)


@transaction.atomic
def decision_open(*, assessment: Assessment, actor: User) -> BudgetDecision:
    """The decision for a submitted assessment, opened by the social worker who takes the case."""
    if not actor.has_role(Role.SOCIAL_WORKER):
        raise PermissionDenied("Only a social worker can take a case.")
    if not assessment.is_submitted:
        raise TransitionRefused(["The assessment has not been submitted yet."])
    budget = IndicativeBudget.objects.filter(assessment=assessment).first()
    decision, _ = BudgetDecision.objects.get_or_create(
        assessment=assessment,
        defaults={
            "person": assessment.person,
            "indicative_budget": budget,
            "indicative_annual_pence": budget.indicative_annual_pence if budget else None,
            "social_worker": actor,
            "state_changed_at": timezone.now(),
        },
    )
    if decision.social_worker_id is None:
        BudgetDecision.objects.filter(pk=decision.pk, social_worker=None).update(
            social_worker=actor
        )
        decision.refresh_from_db()
    return decision


def decision_transition(
    *,
    decision_id: int,
    action: Action,
    actor: User,
    seen_state: State,
    amount_pence: int | None = None,
    reason_codes: Sequence[str] = (),
    reasons: str = "",
    plan_lines: Sequence[PlanLine] = (),
    new_assessment: Assessment | None = None,
) -> DecisionEvent:
    """Moves a decision by `action`, as `actor`, from the state they saw. The one door.

    `new_assessment` is the submitted full assessment that follows an emergency allocation
    (RESUBMIT from emergency); a returned assessment's own copy is used otherwise.

    Raises MoveNotAllowed (with the current state) for a move the workflow does not allow,
    DecidedFirst when someone moved it after `seen_state` was read, PermissionDenied for the
    wrong role or the requester approving their own request, OutsideAuthority beyond delegated
    limits, and TransitionRefused for missing amounts or reasons. Nothing changes when it raises.
    """
    with transaction.atomic():
        decision = BudgetDecision.objects.select_related("person").get(pk=decision_id)
        target = next_state(seen_state, action)
        if target is None:
            raise MoveNotAllowed(
                [f"'{action.value.replace('_', ' ')}' is not possible: {seen_state.label}."],
                current_state=State(decision.state),
            )
        _check_actor(decision, action, actor)
        _check_reasons(action, reason_codes, reasons)
        amount_after = _amount_after(decision, action, actor, amount_pence, plan_lines)
        now = timezone.now()
        changes: dict[str, object] = {"state": target, "state_changed_at": now}
        if action in SIGN_OFF_ACTIONS:
            changes.update(
                final_annual_pence=amount_after,
                signed_off_by=actor,
                signed_off_at=now,
                next_review_due=next_review_due(
                    signed_off_on=timezone.localdate(now),
                    after_review=decision.events.filter(action=Action.START_REVIEW).exists(),
                ),
            )
        elif action in (Action.REFER_TO_MANAGER, Action.REFER_TO_PANEL):
            changes.update(requested_annual_pence=amount_after, requested_by=actor)
        elif action is Action.CONFIRM_EMERGENCY:
            if decision.emergency_confirmed_at is not None:
                raise TransitionRefused(["This emergency allocation is already confirmed."])
            changes.update(emergency_confirmed_at=now)
        elif action is Action.RETURN_TO_PERSON:
            assert decision.assessment is not None  # noqa: S101 - a returned case has one
            changes.update(
                reopened_assessment=assessment_reopen(assessment=decision.assessment, actor=actor)
            )
        elif action is Action.RESUBMIT:
            changes.update(_resubmission_changes(decision, new_assessment))
        claimed = BudgetDecision.objects.filter(pk=decision.pk, state=seen_state).update(**changes)
        if not claimed:
            raise _decided_first(decision.pk, seen_state)
        if plan_lines:
            decision.support_plan_lines.all().delete()
            SupportPlanLine.objects.bulk_create(
                SupportPlanLine(
                    decision=decision,
                    description=line.description,
                    units_per_week_hundredths=line.units_per_week_hundredths,
                    unit_cost_pence=line.unit_cost_pence,
                    annual_pence=line.annual_pence,
                )
                for line in plan_lines
            )
        event = DecisionEvent.objects.create(
            decision=decision,
            action=action,
            from_state=seen_state,
            to_state=target,
            actor=actor,
            at=now,
            amount_before_pence=_current_amount(decision),
            amount_after_pence=amount_after,
            reason_codes=list(reason_codes),
            reasons=reasons.strip(),
        )
        if action.value.startswith("panel_"):
            PanelAgendaItem.objects.filter(
                decision=decision, outcome=None, meeting__members=actor
            ).update(outcome=event)
        transaction.on_commit(lambda: notify_decision_event.delay(event.pk))
    return event


def decision_request_amount(
    *,
    decision_id: int,
    actor: User,
    seen_state: State,
    amount_pence: int,
    reason_codes: Sequence[str],
    reasons: str,
    plan_lines: Sequence[PlanLine] = (),
) -> DecisionEvent:
    """A social worker's variation: agreed at once within their authority, else sent to a
    manager, or to panel when it is beyond a manager's authority too.

    A request outside the RAS (with plan lines) is never agreed by its own requester.
    """
    decision = BudgetDecision.objects.get(pk=decision_id)
    if plan_lines:
        amount_pence = sum(line.annual_pence for line in plan_lines)
    indicative = decision.indicative_annual_pence or 0
    action = Action.REFER_TO_PANEL
    if not plan_lines and within_authority(
        limits_for(Role.SOCIAL_WORKER).limits,
        indicative_pence=indicative,
        final_pence=amount_pence,
    ):
        action = Action.VARY
    elif within_authority(
        limits_for(Role.TEAM_MANAGER).limits, indicative_pence=indicative, final_pence=amount_pence
    ):
        action = Action.REFER_TO_MANAGER
    return decision_transition(
        decision_id=decision_id,
        action=action,
        actor=actor,
        seen_state=seen_state,
        amount_pence=amount_pence,
        reason_codes=reason_codes,
        reasons=reasons,
        plan_lines=plan_lines,
    )


def _check_actor(decision: BudgetDecision, action: Action, actor: User) -> None:
    who = WHO_MAY[action]
    if who is Actor.PERSON:
        if not _acts_for(actor, decision.person):
            raise PermissionDenied("Only the person or their representative can do this.")
        return
    if not actor.has_role(ACTOR_ROLES[who]):
        raise PermissionDenied(f"Only a {who.value} can do this.")
    approving = action in (
        Action.MANAGER_APPROVE,
        Action.PANEL_APPROVE,
        Action.PANEL_APPROVE_DIFFERENT,
    )
    if approving and decision.requested_by_id == actor.pk:
        raise PermissionDenied("You asked for this amount, so someone else must approve it.")
    if (
        who is Actor.PANEL
        and not PanelAgendaItem.objects.filter(
            decision=decision, outcome=None, meeting__members=actor
        ).exists()
    ):
        raise PermissionDenied("Only a member of the panel meeting considering this case can.")


def _check_reasons(action: Action, reason_codes: Sequence[str], reasons: str) -> None:
    if action in REASONS_REQUIRED and not reasons.strip():
        raise TransitionRefused(["Enter the reasons for this decision"])
    known = set(ReasonCode.objects.filter(code__in=reason_codes).values_list("code", flat=True))
    unknown = [code for code in reason_codes if code not in known]
    if unknown:
        raise TransitionRefused([f"Unknown reason code: {', '.join(unknown)}"])


def _amount_after(
    decision: BudgetDecision,
    action: Action,
    actor: User,
    amount_pence: int | None,
    plan_lines: Sequence[PlanLine],
) -> int | None:
    indicative = decision.indicative_annual_pence
    if action is Action.AGREE:
        if indicative is None:
            raise TransitionRefused(["There is no indicative budget to agree."])
        return indicative
    if action in (Action.MANAGER_APPROVE, Action.PANEL_APPROVE):
        amount = decision.requested_annual_pence
        if action is Action.MANAGER_APPROVE and amount is not None and indicative is not None:
            limits = limits_for(Role.TEAM_MANAGER).limits
            if not within_authority(limits, indicative_pence=indicative, final_pence=amount):
                raise OutsideAuthority(
                    [
                        f"{format_pounds(amount)} a year is beyond a manager's delegated "
                        "authority: send the case to panel."
                    ]
                )
        return amount
    if action in (
        Action.VARY,
        Action.REFER_TO_MANAGER,
        Action.REFER_TO_PANEL,
        Action.PANEL_APPROVE_DIFFERENT,
    ):
        if plan_lines:
            amount_pence = sum(line.annual_pence for line in plan_lines)
        if amount_pence is None or amount_pence < 0:
            raise TransitionRefused(["Enter the amount a year"])
        if action is Action.VARY and indicative is not None:
            limits = limits_for(Role.SOCIAL_WORKER).limits
            if plan_lines or not within_authority(
                limits, indicative_pence=indicative, final_pence=amount_pence
            ):
                raise OutsideAuthority(
                    [
                        f"{format_pounds(amount_pence)} a year is beyond your delegated "
                        "authority: ask a manager or the panel."
                    ]
                )
        return amount_pence
    return None


def _resubmission_changes(
    decision: BudgetDecision, new_assessment: Assessment | None
) -> dict[str, object]:
    """A returned or emergency case takes its new, submitted and priced assessment."""
    assessment = decision.reopened_assessment or new_assessment
    if assessment is None or not assessment.is_submitted:
        raise TransitionRefused(["Submit the changed answers first."])
    if assessment.person_id != decision.person_id:
        raise TransitionRefused(["That assessment is about someone else."])
    budget = IndicativeBudget.objects.filter(assessment=assessment).first()
    return {
        "assessment": assessment,
        "reopened_assessment": None,
        "indicative_budget": budget,
        "indicative_annual_pence": budget.indicative_annual_pence if budget else None,
        "requested_annual_pence": None,
        "requested_by": None,
    }


@transaction.atomic
def decision_record_emergency(
    *, person: Person, actor: User, amount_pence: int, reasons: str
) -> BudgetDecision:
    """An emergency allocation for a person in crisis: it bypasses the RAS, is signed off by the
    worker now, and needs a manager's confirmation within EMERGENCY_CONFIRM_DAYS."""
    if not actor.has_role(Role.SOCIAL_WORKER):
        raise PermissionDenied("Only a social worker can record an emergency allocation.")
    _check_reasons(Action.RECORD_EMERGENCY, (), reasons)
    if amount_pence <= 0:
        raise TransitionRefused(["Enter the amount a year"])
    now = timezone.now()
    decision = BudgetDecision.objects.create(
        person=person,
        social_worker=actor,
        state=State.EMERGENCY,
        state_changed_at=now,
        final_annual_pence=amount_pence,
        signed_off_by=actor,
        signed_off_at=now,
        emergency_confirm_by=timezone.localdate(now)
        + datetime.timedelta(days=settings.EMERGENCY_CONFIRM_DAYS),
    )
    event = DecisionEvent.objects.create(
        decision=decision,
        action=Action.RECORD_EMERGENCY,
        from_state=State.EMERGENCY,
        to_state=State.EMERGENCY,
        actor=actor,
        at=now,
        amount_after_pence=amount_pence,
        reasons=reasons.strip(),
    )
    transaction.on_commit(lambda: notify_decision_event.delay(event.pk))
    return decision


def _current_amount(decision: BudgetDecision) -> int | None:
    for amount in (
        decision.final_annual_pence,
        decision.requested_annual_pence,
        decision.indicative_annual_pence,
    ):
        if amount is not None:
            return amount
    return None


def _acts_for(user: User, person: Person) -> bool:
    if person.user_id == user.pk:
        return True
    return Representation.objects.filter(person=person, representative=user).exists()


def _decided_first(decision_id: int, seen_state: State) -> DecidedFirst:
    current = BudgetDecision.objects.get(pk=decision_id)
    last = (
        DecisionEvent.objects.filter(decision_id=decision_id)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    who = f"{last.actor} ({last.action.replace('_', ' ')})" if last else "someone else"
    return DecidedFirst(
        [f"{who} decided first. The case is now: {State(current.state).label}."],
        current_state=State(current.state),
    )

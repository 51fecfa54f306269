"""Budget proposals: a new table never cuts, or raises, anyone's decided budget silently.

A finance lead makes proposals from a completed run of a published table: each case whose decided
budget differs from the run's indicative amount by more than a threshold gets a review task. A
social worker then keeps the current budget, with reasons, or starts a review through the one door
for decision moves (`reviews.services.decision_transition`). Nothing here changes a decided
budget: only a person deciding a review does.
"""

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from allocations.engine import format_pounds
from allocations.models import RecalculationRun
from ras.accounts.models import User
from ras.accounts.roles import Role
from reviews.models import BudgetProposal, DecisionEvent, ProposalResolution
from reviews.proposal_selectors import (
    CANDIDATES_SQL,
    PICKED_SQL,
    candidate_params,
    run_refusals,
)
from reviews.services import TransitionRefused, decision_transition
from reviews.workflow import Action, State

# Taken for the length of one transaction, so two finance leads making proposals from two runs at
# once cannot both give the same case an open task.
PROPOSALS_LOCK_KEY = 0x5245_5649_4557  # "REVIEW"
REASONS_MAX_LENGTH = 5_000


class ProposalRefused(TransitionRefused):
    """Proposals could not be made, or a task could not be resolved; `messages` say why."""


class ProposalAlreadyResolved(ProposalRefused):
    """Someone resolved the task first; the message says who, when and how."""


@transaction.atomic
def proposals_create(*, run: RecalculationRun, actor: User, threshold_pence: int) -> int:
    """Makes a review task for each case of `run` whose decided budget (agreed or varied) differs
    from the run's indicative amount by more than `threshold_pence` a year, and returns how many
    it made.

    One INSERT ... SELECT writes them all. It is safe to repeat: a case gets one task per run,
    and none while a task from another run is still open. No decided budget changes.

    Raises PermissionDenied unless `actor` is a finance lead, and ProposalRefused (nothing made)
    for a negative threshold, or a run that is not completed over its whole scope or whose table
    is not published.
    """
    if not actor.has_role(Role.FINANCE_LEAD):
        raise PermissionDenied("Only a finance lead can make review tasks from a run.")
    if threshold_pence < 0:
        raise ProposalRefused(["Enter a threshold of £0.00 or more"])
    # Locked, so the run cannot be deleted or change state while its results are read.
    locked = (
        RecalculationRun.objects.select_for_update(of=("self",))
        .select_related("table_version")
        .get(pk=run.pk)
    )
    refusals = run_refusals(locked)
    if refusals:
        raise ProposalRefused(refusals)
    table = BudgetProposal._meta.db_table
    sql = f"""
        INSERT INTO {table} (
            run_id, decision_id, current_annual_pence, proposed_annual_pence,
            created_by_id, created_at, resolved_at, resolved_by_id, resolution, resolution_reasons
        )
        SELECT
            %(run_id)s, c.decision_id, c.current_annual_pence, c.proposed_annual_pence,
            %(actor_id)s, %(now)s, NULL, NULL, '', ''
        FROM ({CANDIDATES_SQL}) c
        WHERE {PICKED_SQL}
        ON CONFLICT (run_id, decision_id) DO NOTHING
    """  # noqa: S608 - table names from the models, values as parameters
    params = {
        **candidate_params(run_id=locked.pk, threshold_pence=threshold_pence),
        "actor_id": actor.pk,
        "now": timezone.now(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PROPOSALS_LOCK_KEY])
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def _require_social_worker(actor: User) -> None:
    if not actor.has_role(Role.SOCIAL_WORKER):
        raise PermissionDenied("Only a social worker can act on a review task.")


def _already_resolved(proposal_id: int) -> ProposalAlreadyResolved:
    done = BudgetProposal.objects.select_related("resolved_by", "decision__person").get(
        pk=proposal_id
    )
    when = timezone.localtime(done.resolved_at) if done.resolved_at else None
    how = (
        "kept the current budget"
        if done.resolution == ProposalResolution.KEPT
        else "started a review"
    )
    on = f" on {when:%-d %B %Y at %H:%M}" if when else ""
    return ProposalAlreadyResolved(
        [f"{done.resolved_by} already {how} for {done.decision.person}{on}."]
    )


@transaction.atomic
def proposal_keep(*, proposal: BudgetProposal, actor: User, reasons: str) -> BudgetProposal:
    """Resolves a review task by keeping the decided budget as it is, with the reasons why.

    Any social worker may do it, covering for the case's own worker. Raises PermissionDenied
    unless `actor` is a social worker, ProposalRefused for missing or too long reasons, and
    ProposalAlreadyResolved when someone resolved the task first. The decision is not touched.
    """
    _require_social_worker(actor)
    reasons = reasons.strip()
    if not reasons:
        raise ProposalRefused(["Enter the reasons for keeping the current budget"])
    if len(reasons) > REASONS_MAX_LENGTH:
        raise ProposalRefused([f"Reasons must be {REASONS_MAX_LENGTH:,} characters or fewer"])
    claimed = BudgetProposal.objects.filter(pk=proposal.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(),
        resolved_by=actor,
        resolution=ProposalResolution.KEPT,
        resolution_reasons=reasons,
    )
    if not claimed:
        raise _already_resolved(proposal.pk)
    return BudgetProposal.objects.get(pk=proposal.pk)


def proposal_start_review(
    *, proposal: BudgetProposal, actor: User, seen_state: State | None = None
) -> DecisionEvent:
    """Starts a review of the case through the one door, and marks the task as reviewed.

    The review's event says why: the new table's indicative amount against the current budget.
    `seen_state` is the case's state the page showed (the decision's state now when not given),
    so a case moved by someone else meanwhile is refused, not reviewed twice.

    Raises PermissionDenied unless `actor` is a social worker, ProposalAlreadyResolved when
    someone resolved the task first, and what `decision_transition` raises (MoveNotAllowed when
    the case is no longer agreed or varied). Nothing changes when it raises.
    """
    _require_social_worker(actor)
    with transaction.atomic():
        locked = (
            BudgetProposal.objects.select_for_update(of=("self",))
            .select_related("decision", "run__table_version")
            .get(pk=proposal.pk)
        )
        if locked.resolved_at is not None:
            raise _already_resolved(locked.pk)
        version = locked.run.table_version
        current = locked.decision.final_annual_pence
        if current is None:
            current = locked.current_annual_pence
        event = decision_transition(
            decision_id=locked.decision_id,
            action=Action.START_REVIEW,
            actor=actor,
            seen_state=seen_state or State(locked.decision.state),
            reasons=(
                f"Under the new allocation table '{version.label}' the indicative budget would be "
                f"{format_pounds(locked.proposed_annual_pence)} a year; the current budget is "
                f"{format_pounds(current)} a year."
            ),
        )
        BudgetProposal.objects.filter(pk=locked.pk).update(
            resolved_at=event.at,
            resolved_by=actor,
            resolution=ProposalResolution.REVIEWED,
        )
    return event

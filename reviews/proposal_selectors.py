"""Reads for budget proposals: which runs may make them, how many cases a threshold would pick,
and the review tasks waiting for social workers.

A case is picked when its decided budget (agreed or varied, with a final amount) differs from the
run's indicative amount by more than the threshold, it has no task from this run yet, and no task
from another run is still open. The same SQL fragment decides this for the count shown before
confirming and for the INSERT that creates the tasks, so the two never disagree.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from allocations.models import RecalculationResult, RecalculationRun, RunState, TableStatus
from ras.accounts.models import User
from reviews.models import BudgetDecision, BudgetProposal
from reviews.workflow import FINAL_STATES

DECIDED_STATES = [state.value for state in FINAL_STATES]

# One row per case of run %(run_id)s with a decided budget: its decision, the decided budget now,
# the run's indicative amount, and whether a task for it exists from this run or is open from
# another. Parameters: run_id, decided_states.
CANDIDATES_SQL = f"""
    SELECT
        d.id AS decision_id,
        d.final_annual_pence AS current_annual_pence,
        r.indicative_annual_pence AS proposed_annual_pence,
        EXISTS (
            SELECT 1 FROM {BudgetProposal._meta.db_table} p
            WHERE p.run_id = r.run_id AND p.decision_id = d.id
        ) AS from_this_run,
        EXISTS (
            SELECT 1 FROM {BudgetProposal._meta.db_table} p
            WHERE p.decision_id = d.id AND p.resolved_at IS NULL AND p.run_id <> r.run_id
        ) AS open_from_another_run
    FROM {RecalculationResult._meta.db_table} r
    JOIN {BudgetDecision._meta.db_table} d ON d.assessment_id = r.assessment_id
    WHERE r.run_id = %(run_id)s
      AND d.state = ANY(%(decided_states)s)
      AND d.final_annual_pence IS NOT NULL
"""  # noqa: S608 - table names from the models, values as parameters

# Of those, the ones that get a task. Parameter: threshold_pence.
PICKED_SQL = """
    abs(c.proposed_annual_pence - c.current_annual_pence) > %(threshold_pence)s
    AND NOT c.from_this_run
    AND NOT c.open_from_another_run
"""


def candidate_params(*, run_id: int, threshold_pence: int) -> dict[str, Any]:
    return {"run_id": run_id, "decided_states": DECIDED_STATES, "threshold_pence": threshold_pence}


def run_refusals(run: RecalculationRun) -> list[str]:
    """Why review tasks cannot be made from `run`, in words a finance lead understands; empty
    when they can: the run completed over its whole scope, with a table that is published."""
    refusals = []
    if run.state != RunState.COMPLETED:
        refusals.append(
            f"Run {run.pk} is {run.get_state_display().lower()}: review tasks are made from a "
            "completed run only."
        )
    elif run.is_partial:
        refusals.append(
            f"Run {run.pk} priced {run.done_count:,} of its {run.total_count:,} cases: review "
            "tasks are made from a run that priced every case in its scope."
        )
    version = run.table_version
    if version.status != TableStatus.PUBLISHED:
        status = "a draft" if version.status == TableStatus.DRAFT else "retired"
        refusals.append(
            f"'{version.label}' is {status}: review tasks are made when a new table is "
            "published, from a run of the published table."
        )
    return refusals


def proposal_runs() -> QuerySet[RecalculationRun]:
    """Completed runs of published tables, newest first, each with how many tasks it made."""
    made = (
        BudgetProposal.objects.filter(run=OuterRef("pk"))
        .order_by()
        .values("run")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        RecalculationRun.objects.filter(
            state=RunState.COMPLETED, table_version__status=TableStatus.PUBLISHED
        )
        .select_related("table_version__client_group", "started_by")
        .annotate(proposal_count=Coalesce(Subquery(made, output_field=IntegerField()), 0))
        .order_by("-finished_at", "-pk")
    )


def run_for_proposals(run_id: int) -> RecalculationRun:
    """A run with its table and client group. Raises RecalculationRun.DoesNotExist."""
    return RecalculationRun.objects.select_related("table_version__client_group", "started_by").get(
        pk=run_id
    )


@dataclass(frozen=True, slots=True)
class ProposalPreview:
    """What a threshold would do, before anything is created.

    `decided` cases of the run have a decided budget; `to_create` of them would get a task
    (`going_up` where the new table gives more, `going_down` where it gives less), with decided
    budgets totalling `current_total_pence` against `proposed_total_pence` under the new table;
    `within_threshold` change by the threshold or less; `already_from_this_run` have a task from
    this run; `open_from_another_run` are over the threshold but have an open task from another.
    """

    threshold_pence: int
    decided: int
    to_create: int
    going_up: int
    going_down: int
    within_threshold: int
    already_from_this_run: int
    open_from_another_run: int
    current_total_pence: int
    proposed_total_pence: int

    @property
    def total_change_pence(self) -> int:
        return self.proposed_total_pence - self.current_total_pence


def proposal_preview(*, run: RecalculationRun, threshold_pence: int) -> ProposalPreview:
    """How many cases of `run` a threshold (pence a year, 0 or more) would give a task, counted
    set-based in one statement. Creates nothing."""
    over = "abs(c.proposed_annual_pence - c.current_annual_pence) > %(threshold_pence)s"
    sql = f"""
        SELECT
            count(*),
            count(*) FILTER (WHERE {PICKED_SQL}),
            count(*) FILTER (WHERE {PICKED_SQL}
                AND c.proposed_annual_pence > c.current_annual_pence),
            count(*) FILTER (WHERE {PICKED_SQL}
                AND c.proposed_annual_pence < c.current_annual_pence),
            count(*) FILTER (WHERE NOT ({over})),
            count(*) FILTER (WHERE c.from_this_run),
            count(*) FILTER (WHERE {over} AND NOT c.from_this_run AND c.open_from_another_run),
            coalesce(sum(c.current_annual_pence) FILTER (WHERE {PICKED_SQL}), 0),
            coalesce(sum(c.proposed_annual_pence) FILTER (WHERE {PICKED_SQL}), 0)
        FROM ({CANDIDATES_SQL}) c
    """  # noqa: S608 - built from constants, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, candidate_params(run_id=run.pk, threshold_pence=threshold_pence))
        row = cursor.fetchone()
    assert row is not None  # noqa: S101 - an aggregate always returns one row
    return ProposalPreview(threshold_pence, *(int(value) for value in row))


@dataclass(frozen=True, slots=True)
class RunProposalCounts:
    total: int
    open: int
    kept: int
    reviewed: int


def run_proposal_counts(run: RecalculationRun) -> RunProposalCounts:
    """How many tasks `run` made, and how many are still open, kept, or became reviews."""
    counts = BudgetProposal.objects.filter(run=run).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(resolved_at__isnull=True)),
        kept=Count("pk", filter=Q(resolution="kept")),
        reviewed=Count("pk", filter=Q(resolution="reviewed")),
    )
    return RunProposalCounts(**counts)


def open_proposals(worker: User) -> QuerySet[BudgetProposal]:
    """Every open review task: `worker`'s own cases first, then the largest changes first."""
    return (
        BudgetProposal.objects.filter(resolved_at__isnull=True)
        .select_related(
            "decision__person", "decision__social_worker", "run__table_version__client_group"
        )
        .annotate(
            is_mine=Case(
                When(decision__social_worker=worker, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            change_size_pence=Func(
                F("proposed_annual_pence") - F("current_annual_pence"),
                function="ABS",
                output_field=IntegerField(),
            ),
        )
        .order_by("is_mine", "-change_size_pence", "pk")
    )


def open_proposal_counts(worker: User) -> tuple[int, int]:
    """How many review tasks are open: in all, and on `worker`'s own cases."""
    counts = BudgetProposal.objects.filter(resolved_at__isnull=True).aggregate(
        total=Count("pk"), mine=Count("pk", filter=Q(decision__social_worker=worker))
    )
    return counts["total"], counts["mine"]


def proposal_for_page(proposal_id: int) -> BudgetProposal:
    """One task with its case and table. Raises BudgetProposal.DoesNotExist."""
    return BudgetProposal.objects.select_related(
        "decision__person",
        "decision__social_worker",
        "run__table_version__client_group",
        "resolved_by",
    ).get(pk=proposal_id)

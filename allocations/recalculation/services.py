"""Recalculation runs: price a scope of historical assessments with a table version.

A run never changes a budget, indicative or decided: it only writes its own results. Each run is
split into chunks (contiguous ranges of assessment ids), each priced by one Celery task
(`allocations.recalculation.tasks.price_chunk`) queued once the run is committed. Only finance
leads start, cancel, resume or delete runs.
"""

from collections.abc import Iterable, Mapping, Sequence
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.utils import timezone

from allocations.models import (
    AllocationTableVersion,
    RecalculationChunk,
    RecalculationResult,
    RecalculationRun,
    RunState,
)
from allocations.recalculation.pricing import run_complete_if_done
from allocations.recalculation.scope import RunScope, chunk_bounds, what_if_questionnaire
from allocations.recalculation.tasks import price_chunk
from questionnaires.models import Option
from ras.accounts.models import User
from ras.accounts.roles import Role

__all__ = [
    "RecalculationRefused",
    "RunScope",
    "recalculation_cancel",
    "recalculation_delete",
    "recalculation_resume",
    "recalculation_start",
]

ACTIVE_STATES = (RunState.QUEUED, RunState.RUNNING)
MAX_WHAT_IF_POINTS = 1000


class RecalculationRefused(Exception):
    """A change to a run was refused; `messages` say why, in words a finance lead understands."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


def _require_finance_lead(actor: User) -> None:
    if not actor.has_role(Role.FINANCE_LEAD):
        raise PermissionDenied("Only a finance lead can run recalculations.")


def scope_problems(scope: RunScope) -> list[str]:
    """What is wrong with a scope's dates, in words for the start form (empty when none)."""
    today = timezone.localdate()
    problems = []
    if scope.submitted_from is not None and scope.submitted_from > today:
        problems.append("The start date must be today or in the past")
    if scope.submitted_to is not None and scope.submitted_to > today:
        problems.append("The end date must be today or in the past")
    if (
        scope.submitted_from is not None
        and scope.submitted_to is not None
        and scope.submitted_from > scope.submitted_to
    ):
        problems.append("The start date must be the same as or before the end date")
    return problems


def recalculation_start(
    *,
    table_version: AllocationTableVersion,
    actor: User,
    scope: RunScope,
    request_token: UUID,
    option_points: Mapping[int, int] | None = None,
) -> RecalculationRun:
    """Starts a run of `table_version` (draft or published) over `scope`, changing no budget.

    With `option_points` ({option id: points}), a what-if scoring scheme, each case's points
    are worked out again from its stored answers, scoring those options so; the questionnaire
    itself never changes. Cases with no stored answers cannot be re-scored and are left out.

    The scope is the submitted assessments of the table's client group (see
    `allocations.recalculation.scope`). The run is split into chunks of at most
    ``settings.RECALCULATION_CHUNK_SIZE`` assessments, each queued as a Celery task once the run is
    committed. A scope with no assessments completes at once with no results.

    The same `request_token` always gives the same run, so a double click starts one run.

    Raises:
        PermissionDenied: if `actor` is not a finance lead.
        RecalculationRefused: if the dates are in the future or out of order, the token was
            used for a run of another table, or `option_points` names an option not of the
            published questionnaire's scored questions or points not a whole number from 0 to
            1,000.
    """
    _require_finance_lead(actor)
    existing = RecalculationRun.objects.filter(request_token=request_token).first()
    if existing is not None:
        return _same_request(existing, table_version)
    problems = scope_problems(scope)
    stored_points = None
    if option_points:
        stored_points, points_problems = _what_if_points(option_points)
        problems += points_problems
    if problems:
        raise RecalculationRefused(problems)
    try:
        return _run_create(
            table_version=table_version,
            actor=actor,
            scope=scope,
            request_token=request_token,
            option_points=stored_points,
        )
    except IntegrityError:
        # Someone sent the same form at the same moment and their run was committed first.
        existing = RecalculationRun.objects.filter(request_token=request_token).first()
        if existing is None:
            raise
        return _same_request(existing, table_version)


def what_if_points_problems(option_points: Mapping[int, int]) -> list[str]:
    """What is wrong with a what-if scoring scheme, in words for the start form (empty when
    none)."""
    return _what_if_points(option_points)[1]


def _what_if_points(option_points: Mapping[int, int]) -> tuple[dict[str, int], list[str]]:
    """The scheme as the run stores it ({option id as a string: points}), and its problems."""
    questionnaire = what_if_questionnaire()
    if questionnaire is None:
        return {}, ["There is no published questionnaire, so no points can be changed."]
    ids = [key for key in option_points if isinstance(key, int) and not isinstance(key, bool)]
    scored = set(
        Option.objects.filter(
            pk__in=ids, version=questionnaire, question__is_carer_question=False
        ).values_list("pk", flat=True)
    )
    problems = []
    if any(key not in scored for key in option_points):
        problems.append(
            f"Only the answers to the scored questions of {questionnaire.title} can be given "
            "other points: the carer question and options of other questionnaires cannot."
        )
    if any(
        not isinstance(points, int)
        or isinstance(points, bool)
        or not 0 <= points <= MAX_WHAT_IF_POINTS
        for points in option_points.values()
    ):
        problems.append(f"Points must be whole numbers from 0 to {MAX_WHAT_IF_POINTS:,}.")
    stored = (
        {str(key): int(points) for key, points in option_points.items()} if not problems else {}
    )
    return stored, problems


def _same_request(run: RecalculationRun, table_version: AllocationTableVersion) -> RecalculationRun:
    if run.table_version_id != table_version.pk:
        raise RecalculationRefused(
            ["This form was already used to start another run. Open the start page again."]
        )
    return run


@transaction.atomic
def _run_create(
    *,
    table_version: AllocationTableVersion,
    actor: User,
    scope: RunScope,
    request_token: UUID,
    option_points: dict[str, int] | None,
) -> RecalculationRun:
    chunk_size: int = settings.RECALCULATION_CHUNK_SIZE
    run = RecalculationRun.objects.create(
        table_version=table_version,
        option_points=option_points,
        started_by=actor,
        request_token=request_token,
        submitted_from=scope.submitted_from,
        submitted_to=scope.submitted_to,
        decided_only=scope.decided_only,
        chunk_size=chunk_size,
    )
    bounds = chunk_bounds(
        run, client_group_code=table_version.client_group.code, chunk_size=chunk_size
    )
    RecalculationChunk.objects.bulk_create(
        RecalculationChunk(
            run=run,
            number=chunk.number,
            first_assessment_id=chunk.first_assessment_id,
            last_assessment_id=chunk.last_assessment_id,
        )
        for chunk in bounds
    )
    run.total_count = sum(chunk.count for chunk in bounds)
    if bounds:
        run.save(update_fields=["total_count"])
        _queue_on_commit(run.pk, [chunk.number for chunk in bounds])
    else:
        now = timezone.now()
        run.state = RunState.COMPLETED
        run.started_at = run.finished_at = now
        run.save(update_fields=["total_count", "state", "started_at", "finished_at"])
    return run


def _queue_on_commit(run_id: int, chunk_numbers: Iterable[int]) -> None:
    numbers = list(chunk_numbers)

    def queue() -> None:
        for number in numbers:
            price_chunk.apply_async(args=(run_id, number))

    transaction.on_commit(queue)


@transaction.atomic
def recalculation_cancel(*, run: RecalculationRun, actor: User) -> RecalculationRun:
    """Stops a queued or running run. Chunks already written stay, and the run says it is partial.

    Raises:
        PermissionDenied: if `actor` is not a finance lead.
        RecalculationRefused: if the run has already finished, failed or been cancelled.
    """
    _require_finance_lead(actor)
    cancelled = RecalculationRun.objects.filter(pk=run.pk, state__in=ACTIVE_STATES).update(
        state=RunState.CANCELLED, finished_at=timezone.now()
    )
    run.refresh_from_db()
    if not cancelled:
        raise RecalculationRefused(
            [
                f"This run is {run.get_state_display().lower()}: "
                "only a queued or running run can be cancelled."
            ]
        )
    return run


@transaction.atomic
def recalculation_resume(*, run: RecalculationRun, actor: User) -> RecalculationRun:
    """Sends again the chunks of a run that are not done, after a worker stopped or failed.

    Chunks already done are not priced again. A run with every chunk done is completed at once.
    Sending a chunk that is still queued somewhere is harmless: whichever task gets it first
    prices it, and the other finds it done.

    Raises:
        PermissionDenied: if `actor` is not a finance lead.
        RecalculationRefused: if the run completed or was cancelled.
    """
    _require_finance_lead(actor)
    if run.state == RunState.FAILED:
        RecalculationRun.objects.filter(pk=run.pk, state=RunState.FAILED).update(
            state=RunState.RUNNING, failure="", finished_at=None
        )
    run.refresh_from_db()
    if run.state not in ACTIVE_STATES:
        raise RecalculationRefused(
            [
                f"This run is {run.get_state_display().lower()}, so there is nothing to resume. "
                "Start a new run to price these cases again."
            ]
        )
    missing = list(
        run.chunks.filter(done_at__isnull=True).order_by("number").values_list("number", flat=True)
    )
    if missing:
        _queue_on_commit(run.pk, missing)
    else:
        run_complete_if_done(run.pk)
        run.refresh_from_db()
    return run


@transaction.atomic
def recalculation_delete(*, run: RecalculationRun, actor: User) -> None:
    """Deletes a run, its chunks and all its results.

    Raises:
        PermissionDenied: if `actor` is not a finance lead.
        RecalculationRefused: if the run is queued or running (cancel it first), or other records
            (review proposals made from it) still need it.
    """
    _require_finance_lead(actor)
    locked = RecalculationRun.objects.select_for_update().filter(pk=run.pk).first()
    if locked is None:
        return
    if locked.state in ACTIVE_STATES:
        raise RecalculationRefused(
            [f"This run is {locked.get_state_display().lower()}: cancel it before deleting it."]
        )
    try:
        Collector(using=RecalculationRun.objects.db).collect([locked])
    except ProtectedError as protected:
        raise RecalculationRefused(
            [
                f"This run cannot be deleted: {len(protected.protected_objects)} review "
                "proposals were made from it."
            ]
        ) from protected
    # Results have no database foreign key to their run (see DESIGN.md), so they go first, in
    # one statement, then the chunks with the run.
    RecalculationResult.objects.filter(run_id=locked.pk).delete()
    locked.delete()

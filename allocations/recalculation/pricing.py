"""Pricing one chunk of a recalculation run: the engine prices, one SQL statement writes.

Re-pricing depends only on the total points and the carer level (the client group is the
table's), so a chunk of 20,000 assessments needs a few hundred prices. The engine, the one source
of truth for money, prices each distinct pair once; one ``INSERT ... SELECT`` then joins every
assessment of the chunk to its pair's figures and writes all the results.

A chunk is safe to price twice, even at the same moment: it is claimed with a compare-and-swap
(``done_at`` from null) in the same transaction that writes its results and adds them to the run's
count, and results are inserted-or-ignored on their unique (run, assessment) key. A worker killed
half-way leaves no trace: its transaction is rolled back and the chunk stays to do.
"""

import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from allocations import engine
from allocations.models import (
    AllocationTableVersion,
    IndicativeBudget,
    RecalculationChunk,
    RecalculationResult,
    RecalculationRun,
    RunState,
)
from allocations.recalculation.scope import rescored_points_sql, scope_sql
from allocations.selectors import engine_table

ACTIVE_STATES = (RunState.QUEUED, RunState.RUNNING)

DRAFT_CHANGED_MESSAGE = (
    "The draft table was changed after this run started, so its results would mix two versions "
    "of the table. Start a new run to see the effect of the draft as it is now."
)

TABLE_PROBLEMS_MESSAGE = "The allocation table cannot be used for pricing until it is corrected:"


class RunCannotContinue(Exception):
    """The run must stop; the message says why, in words for a finance lead."""


class _ChunkNotWritten(Exception):
    """Rolls back a chunk's transaction: it was done already, or the run stopped meanwhile."""


def chunk_price(*, run_id: int, chunk_number: int) -> int:
    """Prices chunk `chunk_number` of run `run_id`; returns how many results it wrote.

    Writes nothing when the run is no longer queued or running (cancelled, failed, completed,
    deleted) or the chunk is done. The first chunk to start marks the run running; the last to
    finish marks it completed. If the table cannot price a case (a draft with problems, or with no
    reduction for a carer level), or a draft was changed since the run started, the run fails
    with a message saying why.
    """
    run = (
        RecalculationRun.objects.select_related("table_version__client_group")
        .filter(pk=run_id, state__in=ACTIVE_STATES)
        .first()
    )
    if run is None:
        return 0
    chunk = RecalculationChunk.objects.filter(run_id=run_id, number=chunk_number).first()
    if chunk is None or chunk.done_at is not None:
        return 0
    RecalculationRun.objects.filter(pk=run_id, state=RunState.QUEUED).update(
        state=RunState.RUNNING, started_at=timezone.now()
    )
    try:
        table = _table_of(run)
        with transaction.atomic():
            written = _chunk_write(run, chunk, table)
    except (engine.PricingError, RunCannotContinue) as error:
        run_fail(run_id, str(error))
        return 0
    except _ChunkNotWritten:
        return 0
    run_complete_if_done(run_id)
    return written


def _table_of(run: RecalculationRun) -> engine.TableVersion:
    version = AllocationTableVersion.objects.prefetch_related("bands", "carer_reductions").get(
        pk=run.table_version_id
    )
    # Only a draft can be edited, but one may be edited and published while a run works.
    if _edited_since(version, run):
        raise RunCannotContinue(DRAFT_CHANGED_MESSAGE)
    table = engine_table(version)
    if table.problems:
        raise RunCannotContinue(
            f"{TABLE_PROBLEMS_MESSAGE} {' '.join(problem.message for problem in table.problems)}"
        )
    return table


def _edited_since(version: AllocationTableVersion, run: RecalculationRun) -> bool:
    """True when the draft's edit number now differs from the one its history shows at the
    moment the run was created (every save of a draft bumps it)."""
    events = apps.get_model("allocations", "AllocationTableVersionEvent")._default_manager
    edit_number_then = (
        events.filter(pgh_obj_id=version.pk, pgh_created_at__lte=run.created_at)
        .order_by("-pgh_id")
        .values_list("edit_number", flat=True)
        .first()
    )
    return edit_number_then is not None and edit_number_then != version.edit_number


def _chunk_write(
    run: RecalculationRun, chunk: RecalculationChunk, table: engine.TableVersion
) -> int:
    claimed = RecalculationChunk.objects.filter(pk=chunk.pk, done_at__isnull=True).update(
        done_at=timezone.now()
    )
    if not claimed:
        raise _ChunkNotWritten
    scope = scope_sql(
        run,
        client_group_code=run.table_version.client_group.code,
        first_id=chunk.first_assessment_id,
        last_id=chunk.last_assessment_id,
    )
    quote = connection.ops.quote_name
    first_id, last_id = chunk.first_assessment_id, chunk.last_assessment_id
    # A what-if run scores each case again from its answers; any other uses its stored points.
    rescored_sql = ""
    rescored_params: tuple[Any, ...] = ()
    points_column = "a.total_points"
    if run.option_points is not None:
        rescored_sql, rescored_params = rescored_points_sql(
            run.option_points, first_id=first_id, last_id=last_id
        )
        points_column = "w.total_points"
    from_params = (*scope.from_params, *rescored_params)
    with connection.cursor() as cursor:
        # Just-in-time compilation costs more than it saves on statements this size.
        cursor.execute("SET LOCAL jit = off")
        # The planner guesses that joining the priced pairs keeps ~1% of the rows, and then
        # looks each budget up one by one; merging the id-ordered ranges is a third faster.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(
            f"SELECT DISTINCT {points_column}, a.carer_level"  # noqa: S608
            f" FROM {scope.from_sql}{rescored_sql} WHERE {scope.where_sql}",
            (*from_params, *scope.where_params),
        )
        pairs: list[tuple[int, str]] = cursor.fetchall()
        points, levels, full_needs, indicative = [], [], [], []
        for total_points, carer_level in pairs:
            amounts = engine.indicative_amounts(table, total_points, carer_level)
            points.append(total_points)
            levels.append(carer_level)
            full_needs.append(amounts[0])
            indicative.append(amounts[2])
        delay_seconds = float(getattr(settings, "RECALCULATION_CHUNK_DELAY_SECONDS", 0))
        if delay_seconds > 0:
            time.sleep(delay_seconds)  # test-only: lets a fault test stop a worker mid-chunk
        cursor.execute(
            f"INSERT INTO {quote(RecalculationResult._meta.db_table)} ("  # noqa: S608
            " run_id, assessment_id, total_points, carer_level, full_needs_annual_pence,"
            " indicative_annual_pence, original_indicative_annual_pence, final_annual_pence,"
            " difference_pence)"
            f" SELECT %s, a.id, {points_column}, a.carer_level, p.full_needs_annual_pence,"
            " p.indicative_annual_pence, b.indicative_annual_pence, d.final_annual_pence,"
            " p.indicative_annual_pence - b.indicative_annual_pence"
            f" FROM {scope.from_sql}{rescored_sql}"
            " JOIN unnest(%s::integer[], %s::text[], %s::bigint[], %s::bigint[])"
            "  AS p(total_points, carer_level, full_needs_annual_pence, indicative_annual_pence)"
            f"  ON p.total_points = {points_column} AND p.carer_level = a.carer_level"
            f" LEFT JOIN {quote(IndicativeBudget._meta.db_table)} AS b"
            "  ON b.assessment_id = a.id AND b.assessment_id BETWEEN %s AND %s"
            f" WHERE {scope.where_sql}"
            " ON CONFLICT (run_id, assessment_id) DO NOTHING",
            [
                run.pk,
                *from_params,
                points,
                levels,
                full_needs,
                indicative,
                first_id,
                last_id,
                *scope.where_params,
            ],
        )
        written: int = cursor.rowcount
    RecalculationChunk.objects.filter(pk=chunk.pk).update(result_count=written)
    counted = RecalculationRun.objects.filter(pk=run.pk, state__in=ACTIVE_STATES).update(
        done_count=F("done_count") + written
    )
    if not counted:
        # Cancelled (or failed) while this chunk was priced: keep nothing of it.
        raise _ChunkNotWritten
    return written


def run_fail(run_id: int, message: str) -> None:
    """Marks a queued or running run failed with `message`; a finished run is left as it is."""
    RecalculationRun.objects.filter(pk=run_id, state__in=ACTIVE_STATES).update(
        state=RunState.FAILED, failure=message, finished_at=timezone.now()
    )


def run_complete_if_done(run_id: int) -> bool:
    """Completes a queued or running run whose chunks are all done; True if this call did."""
    undone = RecalculationChunk.objects.filter(run_id=OuterRef("pk"), done_at__isnull=True)
    return bool(
        RecalculationRun.objects.filter(pk=run_id, state__in=ACTIVE_STATES)
        .filter(~Exists(undone))
        .update(state=RunState.COMPLETED, finished_at=timezone.now())
    )

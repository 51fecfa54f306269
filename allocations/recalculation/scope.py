"""Which historical assessments a recalculation run covers, as SQL over assessment ids.

A run's scope is every submitted assessment of the table's client group, submitted (by its local
date) within an optional date range and no later than the run was created, and, when
`decided_only`, only those with a decided final budget. The same conditions serve three queries:
the chunk boundaries when a run starts, and the distinct pairs and the results of each chunk.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from allocations.models import RecalculationRun
from allocations.recalculation.decided import decided_budgets_sql
from questionnaires.models import Assessment, AssessmentStatus


@dataclass(frozen=True, slots=True)
class RunScope:
    """The assessments a run covers: a submission date range (both days included, either open)
    and whether only assessments with a decided final budget count."""

    submitted_from: datetime.date | None
    submitted_to: datetime.date | None
    decided_only: bool


@dataclass(frozen=True, slots=True)
class ScopeSql:
    """``FROM`` and ``WHERE`` clauses over the assessments of a scope, aliased ``a``.

    The decided budgets are joined as ``d`` (columns ``assessment_id`` and ``final_annual_pence``):
    an inner join when only decided budgets count, else a left join. `from_params` and
    `where_params` fill their ``%s`` placeholders; `params` is both, in that order.
    """

    from_sql: str
    from_params: tuple[Any, ...]
    where_sql: str
    where_params: tuple[Any, ...]

    @property
    def params(self) -> tuple[Any, ...]:
        return (*self.from_params, *self.where_params)


def local_day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the council's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def scope_sql(
    run: RecalculationRun,
    *,
    client_group_code: str,
    first_id: int | None = None,
    last_id: int | None = None,
) -> ScopeSql:
    """The assessments of `run`'s scope, optionally only those with ids in a range (included).

    Limiting the decided budgets to the same range lets the database read only that part of
    their index instead of every decided budget for every chunk.
    """
    quote = connection.ops.quote_name
    assessments = quote(Assessment._meta.db_table)
    decided, decided_params = decided_budgets_sql()
    join = "JOIN" if run.decided_only else "LEFT JOIN"
    from_params: list[Any] = list(decided_params)
    decided_filter = ""
    if first_id is not None and last_id is not None:
        decided_filter = " WHERE decided.assessment_id BETWEEN %s AND %s"
        from_params += [first_id, last_id]
    from_sql = (
        f"{assessments} AS a {join} (SELECT decided.assessment_id, decided.final_annual_pence "  # noqa: S608
        f"FROM ({decided}) AS decided{decided_filter}) AS d ON d.assessment_id = a.id"
    )
    conditions = [
        "a.status = %s",
        "a.client_group_code = %s",
        "a.total_points IS NOT NULL",
        "a.submitted_at <= %s",
    ]
    where_params: list[Any] = [AssessmentStatus.SUBMITTED, client_group_code, run.created_at]
    if run.submitted_from is not None:
        conditions.append("a.submitted_at >= %s")
        where_params.append(local_day_start(run.submitted_from))
    if run.submitted_to is not None:
        conditions.append("a.submitted_at < %s")
        where_params.append(local_day_start(run.submitted_to + datetime.timedelta(days=1)))
    if first_id is not None and last_id is not None:
        conditions.append("a.id BETWEEN %s AND %s")
        where_params += [first_id, last_id]
    return ScopeSql(
        from_sql=from_sql,
        from_params=tuple(from_params),
        where_sql=" AND ".join(conditions),
        where_params=tuple(where_params),
    )


@dataclass(frozen=True, slots=True)
class ChunkBounds:
    number: int
    first_assessment_id: int
    last_assessment_id: int
    count: int


def chunk_bounds(
    run: RecalculationRun, *, client_group_code: str, chunk_size: int
) -> list[ChunkBounds]:
    """The scope split into contiguous id ranges of at most `chunk_size` assessments each.

    One query: the scope's ids are numbered in order, and each run of `chunk_size` numbers gives
    a chunk's first and last id. Other assessments (another client group, say) may lie between
    them; each chunk's query applies the scope again.
    """
    scope = scope_sql(run, client_group_code=client_group_code)
    sql = (
        "WITH numbered AS ("  # noqa: S608 - table names from the models, values as parameters
        f" SELECT a.id, (row_number() OVER (ORDER BY a.id) - 1) / %s AS chunk_index"
        f" FROM {scope.from_sql} WHERE {scope.where_sql})"
        " SELECT chunk_index, min(id), max(id), count(*) FROM numbered"
        " GROUP BY chunk_index ORDER BY chunk_index"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [chunk_size, *scope.params])
        rows: Sequence[tuple[int, int, int, int]] = cursor.fetchall()
    return [
        ChunkBounds(number=index + 1, first_assessment_id=first, last_assessment_id=last, count=n)
        for index, first, last, n in rows
    ]

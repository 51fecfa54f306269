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

from allocations.models import RecalculationRun
from allocations.recalculation.decided import decided_budgets_sql
from questionnaires.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Option,
    Perspective,
    Question,
    QuestionnaireStatus,
    QuestionnaireVersion,
)
from ras.local_time import local_day_start


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
    if run.option_points is not None:
        # A what-if run re-scores each case from its own answers: a case without them (made
        # without answers, as generated load data may be) cannot be re-scored, so is left out.
        conditions.append(f"EXISTS ({_SCORED_ANSWERS_SQL} AND x.assessment_id = a.id)")
        where_params.append(Perspective.PERSON)
    return ScopeSql(
        from_sql=from_sql,
        from_params=tuple(from_params),
        where_sql=" AND ".join(conditions),
        where_params=tuple(where_params),
    )


_SCORED_ANSWERS_SQL = (
    f"SELECT 1 FROM {Answer._meta.db_table} AS x"  # noqa: S608 - table names from the models
    f" JOIN {Question._meta.db_table} AS q ON q.id = x.question_id AND NOT q.is_carer_question"
    " WHERE x.perspective = %s"
)


def rescored_points_sql(
    option_points: dict[str, int], *, first_id: int, last_id: int
) -> tuple[str, tuple[Any, ...]]:
    """A ``JOIN`` giving each assessment of an id range (included) its points worked out again
    from its stored person's answers, as ``w.total_points``.

    Each answer scores the what-if points of its option when `option_points` ({option id as a
    string: points}) names it, else the option's own points; the carer question scores nothing.
    Nothing is read from or written to the questionnaire but its options' points.
    """
    option_ids = [int(option_id) for option_id in option_points]
    points = [int(value) for value in option_points.values()]
    sql = (
        " JOIN (SELECT x.assessment_id,"  # noqa: S608 - table names from the models
        " sum(COALESCE(w_o.points, o.points))::integer AS total_points"
        f" FROM {Answer._meta.db_table} AS x"
        f" JOIN {Question._meta.db_table} AS q ON q.id = x.question_id AND NOT q.is_carer_question"
        f" JOIN {Option._meta.db_table} AS o ON o.id = x.option_id"
        " LEFT JOIN unnest(%s::bigint[], %s::integer[]) AS w_o(option_id, points)"
        "  ON w_o.option_id = o.id"
        " WHERE x.perspective = %s AND x.assessment_id BETWEEN %s AND %s"
        " GROUP BY x.assessment_id) AS w ON w.assessment_id = a.id"
    )
    return sql, (option_ids, points, Perspective.PERSON, first_id, last_id)


def unscorable_count(run: RecalculationRun, *, client_group_code: str) -> int:
    """How many cases of a what-if run's scope were left out for having no stored answers."""
    if run.option_points is None:
        return 0
    everything = RecalculationRun(
        pk=run.pk,
        created_at=run.created_at,
        submitted_from=run.submitted_from,
        submitted_to=run.submitted_to,
        decided_only=run.decided_only,
        option_points=None,
    )
    scope = scope_sql(everything, client_group_code=client_group_code)
    sql = (
        f"SELECT count(*) FROM {scope.from_sql} WHERE {scope.where_sql}"  # noqa: S608
        f" AND NOT EXISTS ({_SCORED_ANSWERS_SQL} AND x.assessment_id = a.id)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope.params, Perspective.PERSON])
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def what_if_questionnaire() -> QuestionnaireVersion | None:
    """The questionnaire whose options a what-if run may score differently: the council's
    published self-assessment, else the newest published questionnaire; None if none is."""
    published = QuestionnaireVersion.objects.filter(status=QuestionnaireStatus.PUBLISHED)
    return (
        published.filter(code="saq").order_by("-number").first()
        or published.order_by("-published_at", "-pk").first()
    )


def what_if_options() -> list[Option]:
    """The options of the scored questions of `what_if_questionnaire()`, in its order."""
    questionnaire = what_if_questionnaire()
    if questionnaire is None:
        return []
    return list(
        Option.objects.filter(version=questionnaire, question__is_carer_question=False)
        .select_related("question")
        .order_by("question__position", "position")
    )


@dataclass(frozen=True, slots=True)
class WhatIfChange:
    """One option a what-if run scores differently: its question, label and both points."""

    option_id: int
    question_text: str
    option_label: str
    points_now: int
    what_if_points: int


def what_if_changes(run: RecalculationRun) -> list[WhatIfChange]:
    """The options `run` scores differently, in the questionnaire's order (empty if none)."""
    if not run.option_points:
        return []
    options = Option.objects.filter(pk__in=[int(key) for key in run.option_points]).select_related(
        "question"
    )
    return [
        WhatIfChange(
            option_id=option.pk,
            question_text=option.question.text,
            option_label=option.label,
            points_now=option.points,
            what_if_points=int(run.option_points[str(option.pk)]),
        )
        for option in sorted(options, key=lambda o: (o.question.position, o.position))
    ]


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

"""The variations and timeliness figures, precomputed for every scope and read back.

A snapshot holds, for every *scope* (each client group and "all", times each team and "all
teams", times each financial year the equity figures hold and "all dates"), exactly what
`reviews.variation_figures` and `reviews.timeliness` work out live for the same filters. Filling
it is one temporary table of facts per page, then one statement per table that groups by every
scope at once (`GROUP BY ..., CUBE(...)`); Python only sorts the grouped rows into their scopes.

A table broken down by team (or client group) is grouped by team always: its rows serve the
"all teams" scope whole, and each team's scope takes that team's row. Rows come out in the
order the live statements give them (the same `ORDER BY`), so each scope's list, a part of
them, keeps it.

Reading takes the newest complete snapshot (timeliness only one made today: reviews fall
overdue by the day) and the scope whose filters are exactly the ones asked for; any other
filters are worked out live. See docs/adr/0025-precomputed-figures.md.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Q

from allocations.models import ClientGroup
from ras.accounts.models import Team
from reviews.equity_snapshot import financial_year, financial_year_start_sql
from reviews.models import (
    EquitySnapshotScope,
    FigureScopeSnapshot,
    FiguresSnapshot,
    SnapshotState,
)
from reviews.timeliness import (
    MEASURES,
    MeasureFigures,
    OverdueRow,
    TimelinessFigures,
    TimelinessRow,
    timeliness_figures,
)
from reviews.variation_figures import (
    BreakdownRow,
    DomainDifference,
    FigureFilters,
    RouteShares,
    VariationFigures,
    VariationSize,
    basis_points,
    decided_cases_cte,
    variation_figures,
)

VARIATIONS, TIMELINESS = "variations", "timeliness"

# A scope: client group code ("" for all), team id (None for all teams), first day of the
# financial year (None for all dates).
Scope = tuple[str, int | None, datetime.date | None]

# Keys are grouped in the "C" collation (a byte sort, several times faster than the language's);
# labels, which set the order of rows, keep the database's, as the live statements do.

# Every statement starts with the scope its row belongs to; GROUPING() is 1 for "all".
_SCOPE_COLUMNS = """
    GROUPING(f.client_group_code) AS all_groups, f.client_group_code,
    GROUPING(f.team_id) AS all_teams, f.team_id,
    GROUPING(f.year_start) AS all_years, f.year_start
"""


def _scopes_of(row: Sequence[Any], *, rows_by: str = "") -> Iterator[Scope]:
    """The scopes a grouped row belongs to. A row broken down by `rows_by` ("team" or
    "client_group", grouped by it always) serves both "all" and its own value's scope."""
    all_groups, group, all_teams, team, all_years, year = row[:6]
    if not all_years and year is None:
        return  # no date: counts in all dates only
    years = [None if all_years else year]
    groups = [""] if all_groups else [group]
    teams: list[int | None] = [None] if all_teams else [team]
    if rows_by == "client_group":
        groups = ["", group]
    if rows_by == "team":
        teams = [None] if team is None else [None, team]  # no team counts in all teams only
    elif not all_teams and team is None:
        return
    for g in groups:
        for t in teams:
            for y in years:
                yield (g, t, y)


def _grouped(sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


# -- Variations -----------------------------------------------------------------------------


def _variations_fill() -> dict[Scope, dict[str, Any]]:
    """The variations figures of every scope with any decided case, by scope."""
    cte, params = decided_cases_cte(FigureFilters())
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS variation_facts")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE variation_facts ON COMMIT DROP AS {cte}
            SELECT decision_id, assessment_id, client_group_code COLLATE "C" AS client_group_code,
                   team_id, route, variation_pence, variation_bp,
                   {financial_year_start_sql("signed_off_on")} AS year_start
              FROM decided
            """,  # noqa: S608 - built from constants, values as parameters
            params,
        )
        cursor.execute("ANALYZE variation_facts")
    figures: dict[Scope, dict[str, Any]] = defaultdict(
        lambda: {"by_reason": [], "by_team": [], "by_client_group": [], "domains": []}
    )
    quartile = (
        "round(percentile_cont({q}) WITHIN GROUP (ORDER BY f.{column})"
        " FILTER (WHERE f.variation_pence <> 0)::numeric)"
    )
    for row in _grouped(
        f"""
        SELECT {_SCOPE_COLUMNS}, count(*),
               count(*) FILTER (WHERE f.route = 'agreed'),
               count(*) FILTER (WHERE f.route = 'varied'),
               count(*) FILTER (WHERE f.route = 'outside'),
               count(*) FILTER (WHERE f.variation_pence <> 0),
               {
            ", ".join(
                quartile.format(q=q, column=column)
                for column in ("variation_pence", "variation_bp")
                for q in (0.25, 0.5, 0.75)
            )
        }
        FROM variation_facts f
        GROUP BY CUBE (f.client_group_code, f.team_id, f.year_start)
        """  # noqa: S608 - built from constants
    ):
        routes, size = row[6:10], row[10:]
        for scope in _scopes_of(row):
            figures[scope]["routes"] = RouteShares(*routes)
            figures[scope]["size"] = VariationSize(size[0], *(_int(v) for v in size[1:]))
    _breakdowns_fill(figures)
    _domains_fill(figures)
    return figures


_MEDIANS = """
    count(*),
    count(*) FILTER (WHERE f.route = 'agreed'),
    count(*) FILTER (WHERE f.route = 'varied'),
    count(*) FILTER (WHERE f.route = 'outside'),
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY f.variation_pence)
          FILTER (WHERE f.variation_pence <> 0)::numeric),
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY f.variation_bp)
          FILTER (WHERE f.variation_pence <> 0)::numeric)
"""

# (figures key, rows broken down by, key, label, joins, grouping) as `variation_breakdown`.
_BREAKDOWNS = (
    (
        "by_client_group",
        "client_group",
        "f.client_group_code",
        'coalesce(max(g.name), f.client_group_code COLLATE "default")',
        'LEFT JOIN allocations_clientgroup g ON g.code = f.client_group_code COLLATE "default"',
        "f.client_group_code, CUBE (f.team_id, f.year_start)",
    ),
    (
        "by_team",
        "team",
        "coalesce(f.team_id::text, '')",
        "coalesce(max(t.name), 'No team')",
        "LEFT JOIN accounts_team t ON t.id = f.team_id",
        "f.team_id, CUBE (f.client_group_code, f.year_start)",
    ),
    (
        "by_reason",
        "",
        "reasons.code",
        "coalesce(max(r.label), reasons.code)",
        """JOIN (
            SELECT DISTINCT e.decision_id, unnest(e.reason_codes) AS code
            FROM reviews_decisionevent e JOIN variation_facts x ON x.decision_id = e.decision_id
        ) reasons ON reasons.decision_id = f.decision_id
        LEFT JOIN reviews_reasoncode r ON r.code = reasons.code""",
        "reasons.code, CUBE (f.client_group_code, f.team_id, f.year_start)",
    ),
)


def _breakdowns_fill(figures: dict[Scope, dict[str, Any]]) -> None:
    for name, rows_by, key, label, joins, grouping in _BREAKDOWNS:
        for row in _grouped(
            f"""
            SELECT {_SCOPE_COLUMNS}, {key} AS key, {label} AS label, {_MEDIANS}
            FROM variation_facts f {joins}
            GROUP BY {grouping}
            ORDER BY count(*) DESC, label
            """  # noqa: S608 - built from constants
        ):
            key_value, label_value, decided, agreed, varied, outside, pence, bp = row[6:]
            breakdown = BreakdownRow(
                key=str(key_value),
                label=str(label_value),
                decided=decided,
                at_indicative=agreed,
                within_authority=varied,
                outside=outside,
                outside_bp=basis_points(outside, decided),
                median_variation_pence=_int(pence),
                median_variation_bp=_int(bp),
            )
            for scope in _scopes_of(row, rows_by=rows_by):
                figures[scope][name].append(breakdown)


def _domains_fill(figures: dict[Scope, dict[str, Any]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS variation_viewed")
        cursor.execute("""
            CREATE TEMPORARY TABLE variation_viewed ON COMMIT DROP AS
            SELECT f.assessment_id, f.client_group_code, f.team_id, f.year_start
            FROM variation_facts f
            WHERE EXISTS (SELECT 1 FROM questionnaires_answer w
                          WHERE w.assessment_id = f.assessment_id AND w.perspective = 'worker')
        """)
    viewed: dict[Scope, int] = {}
    for row in _grouped(
        f"SELECT {_SCOPE_COLUMNS}, count(*) FROM variation_viewed f "  # noqa: S608 - constants
        "GROUP BY CUBE (f.client_group_code, f.team_id, f.year_start)"
    ):
        for scope in _scopes_of(row):
            viewed[scope] = row[6]
    for row in _grouped(
        f"""
        SELECT {_SCOPE_COLUMNS}, dm.code, max(dm.title), count(*),
               count(DISTINCT f.assessment_id)
        FROM variation_viewed f
        JOIN questionnaires_answer p ON p.assessment_id = f.assessment_id
             AND p.perspective = 'person'
        JOIN questionnaires_answer w ON w.assessment_id = p.assessment_id
             AND w.question_id = p.question_id AND w.perspective = 'worker'
        JOIN questionnaires_question q ON q.id = p.question_id
        JOIN questionnaires_domain dm ON dm.id = q.domain_id
        WHERE w.option_id <> p.option_id
        GROUP BY dm.code, CUBE (f.client_group_code, f.team_id, f.year_start)
        ORDER BY count(*) DESC, count(DISTINCT f.assessment_id) DESC, dm.code
        """  # noqa: S608 - built from constants
    ):
        code, title, answers, assessments = row[6:]
        for scope in _scopes_of(row):
            figures[scope]["domains"].append(
                DomainDifference(
                    domain_code=code,
                    domain_title=title,
                    differing_answers=answers,
                    assessments_differing=assessments,
                    assessments_with_worker_view=viewed[scope],
                    share_bp=basis_points(assessments, viewed[scope]),
                )
            )


def _variations_of(found: dict[str, Any] | None) -> VariationFigures:
    """A scope's variations figures; a scope without decided cases has none."""
    found = found or {}
    return VariationFigures(
        routes=found.get("routes", RouteShares(0, 0, 0, 0)),
        size=found.get("size", VariationSize(0, None, None, None, None, None, None)),
        by_reason=found.get("by_reason", []),
        by_team=found.get("by_team", []),
        by_client_group=found.get("by_client_group", []),
        domains=found.get("domains", []),
    )


# -- Timeliness -----------------------------------------------------------------------------

_MEASURE_DURATIONS = " UNION ALL ".join(
    f"""SELECT '{measure.slug}'::text COLLATE "C" AS measure, {measure.seconds_per_unit} AS unit,
               client_group_code COLLATE "C" AS client_group_code, team_id,
               (ended_at AT TIME ZONE 'Europe/London') AS local_end, seconds
          FROM ({measure.durations_sql}) d"""  # noqa: S608 - built from constants
    for measure in MEASURES
)
_TIMELINESS_FACTS = f"""
CREATE TEMPORARY TABLE timeliness_facts ON COMMIT DROP AS
SELECT m.*, date_trunc('month', m.local_end)::date AS month,
       {financial_year_start_sql("m.local_end::date")} AS year_start
  FROM ({_MEASURE_DURATIONS}) m
"""  # noqa: S608 - built from constants


_PERCENTILES = """
    count(*),
    round((percentile_cont(0.5) WITHIN GROUP (ORDER BY {column}) / {unit})::numeric, 1),
    round((percentile_cont(0.9) WITHIN GROUP (ORDER BY {column}) / {unit})::numeric, 1)
"""


def _timeliness_fill(today: datetime.date) -> dict[Scope, dict[str, Any]]:
    """The timeliness figures of every scope with any case, by scope."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS timeliness_facts, overdue_facts")
        cursor.execute(_TIMELINESS_FACTS)
        cursor.execute("ANALYZE timeliness_facts")
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE overdue_facts ON COMMIT DROP AS
            SELECT a.client_group_code COLLATE "C" AS client_group_code, u.team_id,
                   {financial_year_start_sql("d.next_review_due")} AS year_start,
                   (%s::date - d.next_review_due) AS days
            FROM reviews_budgetdecision d
            JOIN questionnaires_assessment a ON a.id = d.assessment_id
            LEFT JOIN accounts_user u ON u.id = d.social_worker_id
            WHERE d.next_review_due < %s::date AND d.state IN ('agreed', 'varied')
            """,  # noqa: S608 - built from constants, values as parameters
            [today, today],
        )
    figures: dict[Scope, dict[str, Any]] = defaultdict(
        lambda: {
            "measures": {m.slug: {"by_month": [], "by_team": []} for m in MEASURES},
            "overdue": [],
        }
    )
    percentiles = _PERCENTILES.format(column="f.seconds", unit="max(f.unit)")
    for row in _grouped(
        f"""
        SELECT {_SCOPE_COLUMNS}, f.measure, to_char(f.month, 'YYYY-MM'), {percentiles}
        FROM timeliness_facts f
        GROUP BY f.measure, f.month, CUBE (f.client_group_code, f.team_id, f.year_start)
        ORDER BY f.month
        """  # noqa: S608 - built from constants
    ):
        measure, month, cases, median, percentile_90 = row[6:]
        month_row = TimelinessRow(
            str(month), str(month), cases, _decimal(median), _decimal(percentile_90)
        )
        for scope in _scopes_of(row):
            figures[scope]["measures"][measure]["by_month"].append(month_row)
    for row in _grouped(
        f"""
        SELECT {_SCOPE_COLUMNS}, f.measure, coalesce(f.team_id::text, ''),
               coalesce(max(t.name), 'No team') AS label, {percentiles}
        FROM timeliness_facts f LEFT JOIN accounts_team t ON t.id = f.team_id
        GROUP BY f.measure, f.team_id, CUBE (f.client_group_code, f.year_start)
        ORDER BY label
        """  # noqa: S608 - built from constants
    ):
        measure, key, label, cases, median, percentile_90 = row[6:]
        team_row = TimelinessRow(key, label, cases, _decimal(median), _decimal(percentile_90))
        for scope in _scopes_of(row, rows_by="team"):
            figures[scope]["measures"][measure]["by_team"].append(team_row)
    for row in _grouped(
        f"""
        SELECT {_SCOPE_COLUMNS}, coalesce(f.team_id::text, ''),
               coalesce(max(t.name), 'No team') AS label,
               {_PERCENTILES.format(column="f.days", unit="1")}
        FROM overdue_facts f LEFT JOIN accounts_team t ON t.id = f.team_id
        GROUP BY f.team_id, CUBE (f.client_group_code, f.year_start)
        ORDER BY label
        """  # noqa: S608 - built from constants
    ):
        key, label, overdue, median, percentile_90 = row[6:]
        overdue_row = OverdueRow(key, label, overdue, _decimal(median), _decimal(percentile_90))
        for scope in _scopes_of(row, rows_by="team"):
            figures[scope]["overdue"].append(overdue_row)
    return figures


def _timeliness_of(found: dict[str, Any] | None) -> TimelinessFigures:
    """A scope's timeliness figures; a scope without cases has none."""
    measures = (found or {}).get("measures", {})
    return TimelinessFigures(
        measures=[
            MeasureFigures(
                measure.slug,
                by_month=measures.get(measure.slug, {}).get("by_month", []),
                by_team=measures.get(measure.slug, {}).get("by_team", []),
            )
            for measure in MEASURES
        ],
        overdue=(found or {}).get("overdue", []),
    )


# -- Filling and reading a snapshot ---------------------------------------------------------


def _snapshot_scopes(snapshot_id: int) -> Iterator[Scope]:
    """Every client group and all, times every team and all teams, times all dates and every
    financial year the snapshot's equity figures hold."""
    groups = ["", *ClientGroup.objects.order_by("code").values_list("code", flat=True)]
    teams: list[int | None] = [None, *Team.objects.order_by("pk").values_list("pk", flat=True)]
    starts = EquitySnapshotScope.objects.filter(
        snapshot_id=snapshot_id, signed_off_from__isnull=False, team__isnull=True
    ).values_list("signed_off_from", flat=True)
    years: list[datetime.date | None] = [None, *sorted(start for start in starts if start)]
    for group in groups:
        for team in teams:
            for year in years:
                yield (group, team, year)


def _stored(
    snapshot_id: int, page: str, scopes: Iterable[Scope], figures: Iterable[Any]
) -> Iterator[FigureScopeSnapshot]:
    for (group, team, year), scope_figures in zip(scopes, figures, strict=True):
        period = financial_year(year) if year else None
        yield FigureScopeSnapshot(
            snapshot_id=snapshot_id,
            page=page,
            client_group_code=group,
            team_id=team,
            date_from=period.first_day if period else None,
            date_to=period.last_day if period else None,
            figures=asdict(scope_figures),
        )


def figure_scopes_snapshot_fill(*, snapshot_id: int, today: datetime.date) -> int:
    """Stores the variations and timeliness figures of every scope in snapshot `snapshot_id`,
    inside the caller's transaction (after the equity figures, whose years it takes); returns
    how many scopes each page holds."""
    scopes = list(_snapshot_scopes(snapshot_id))
    variations = _variations_fill()
    timeliness = _timeliness_fill(today)
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TABLE variation_facts, variation_viewed, timeliness_facts, overdue_facts"
        )
    FigureScopeSnapshot.objects.bulk_create(
        [
            *_stored(
                snapshot_id,
                VARIATIONS,
                scopes,
                (_variations_of(variations.get(scope)) for scope in scopes),
            ),
            *_stored(
                snapshot_id,
                TIMELINESS,
                scopes,
                (_timeliness_of(timeliness.get(scope)) for scope in scopes),
            ),
        ],
        batch_size=500,
    )
    return len(scopes)


def _variations_decoded(stored: dict[str, Any]) -> VariationFigures:
    def breakdown(rows: list[dict[str, Any]]) -> list[BreakdownRow]:
        return [BreakdownRow(**row) for row in rows]

    return VariationFigures(
        routes=RouteShares(**stored["routes"]),
        size=VariationSize(**stored["size"]),
        by_reason=breakdown(stored["by_reason"]),
        by_team=breakdown(stored["by_team"]),
        by_client_group=breakdown(stored["by_client_group"]),
        domains=[DomainDifference(**row) for row in stored["domains"]],
    )


def _timeliness_decoded(stored: dict[str, Any]) -> TimelinessFigures:
    """JSON keeps a Decimal as text: the medians and percentiles get it back as a Decimal."""

    def rows(found: list[dict[str, Any]]) -> list[TimelinessRow]:
        return [
            TimelinessRow(
                row["key"],
                row["label"],
                row["cases"],
                _decimal(row["median"]),
                _decimal(row["percentile_90"]),
            )
            for row in found
        ]

    return TimelinessFigures(
        measures=[
            MeasureFigures(
                measure["slug"],
                by_month=rows(measure["by_month"]),
                by_team=rows(measure["by_team"]),
            )
            for measure in stored["measures"]
        ],
        overdue=[
            OverdueRow(
                row["key"],
                row["label"],
                row["overdue"],
                _decimal(row["median_days_overdue"]),
                _decimal(row["percentile_90_days_overdue"]),
            )
            for row in stored["overdue"]
        ],
    )


def figure_scopes_snapshot_latest(page: str, *, today: datetime.date) -> FiguresSnapshot | None:
    """The newest complete snapshot that can stand for `page` today. Reviews overdue count from
    the day the figures were worked out, so timeliness needs today's."""
    snapshots = FiguresSnapshot.objects.filter(state=SnapshotState.COMPLETE)
    if page == TIMELINESS:
        snapshots = snapshots.filter(figures_date=today)
    return snapshots.order_by("-as_at", "-id").first()


def _stored_figures(
    page: str, filters: FigureFilters, *, today: datetime.date
) -> tuple[dict[str, Any] | None, FiguresSnapshot | None]:
    """The stored figures of the scope that is exactly `filters`, and their snapshot; None and
    None when no snapshot holds them."""
    snapshot = figure_scopes_snapshot_latest(page, today=today)
    if snapshot is None:
        return None, None
    team = Q(team__isnull=True) if filters.team_id is None else Q(team_id=filters.team_id)
    stored = (
        FigureScopeSnapshot.objects.filter(
            team,
            snapshot=snapshot,
            page=page,
            client_group_code=filters.client_group_code,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
        .values_list("figures", flat=True)
        .first()
    )
    return (stored, snapshot) if stored is not None else (None, None)


def variation_figures_read(
    filters: FigureFilters, *, today: datetime.date
) -> tuple[VariationFigures, FiguresSnapshot | None]:
    """The variations figures for `filters`, and the snapshot they came from (None: worked out
    now, because no snapshot holds these filters)."""
    stored, snapshot = _stored_figures(VARIATIONS, filters, today=today)
    if stored is None:
        return variation_figures(filters), None
    return _variations_decoded(stored), snapshot


def timeliness_figures_read(
    filters: FigureFilters, *, today: datetime.date
) -> tuple[TimelinessFigures, FiguresSnapshot | None]:
    """The timeliness figures for `filters`, and the snapshot they came from (None: worked out
    now, because no snapshot made today holds these filters)."""
    stored, snapshot = _stored_figures(TIMELINESS, filters, today=today)
    if stored is None:
        return timeliness_figures(filters, today=today), None
    return _timeliness_decoded(stored), snapshot

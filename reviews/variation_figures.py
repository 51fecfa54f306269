"""How far final budgets move from the RAS: shares, sizes, and where the answers differ.

Read-only and set-based: every figure is one SQL statement over the decided cases; medians and
quartiles are PostgreSQL's `percentile_cont`, rounded half away from zero to whole pence (money)
or whole basis points (percentages). The definitions are in docs/adr/0019.

A decided case is a budget decision in state agreed or varied with a final budget. Each falls in
exactly one route:
- outside the RAS: it was ever referred to a manager or a panel (refer_to_manager,
  refer_to_panel, manager_send_to_panel) or it has a costed support plan;
- varied within authority: otherwise, the worker varied it (state varied, the VARY action);
- agreed at the indicative figure: everything else.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

OUTSIDE_ACTIONS = ("refer_to_manager", "refer_to_panel", "manager_send_to_panel")
ROUTE_AT_INDICATIVE = "agreed"
ROUTE_WITHIN_AUTHORITY = "varied"
ROUTE_OUTSIDE = "outside"


@dataclass(frozen=True, slots=True)
class FigureFilters:
    """Which cases count: dates are of the final sign-off (or the end event), both inclusive."""

    client_group_code: str = ""
    team_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class RouteShares:
    decided: int
    at_indicative: int
    within_authority: int
    outside: int

    def share_bp(self, count: int) -> int | None:
        """`count` as basis points of the decided cases, rounded half up; None when none."""
        if not self.decided:
            return None
        return (2 * count * 10_000 + self.decided) // (2 * self.decided)

    @property
    def at_indicative_bp(self) -> int | None:
        return self.share_bp(self.at_indicative)

    @property
    def within_authority_bp(self) -> int | None:
        return self.share_bp(self.within_authority)

    @property
    def outside_bp(self) -> int | None:
        return self.share_bp(self.outside)


@dataclass(frozen=True, slots=True)
class VariationSize:
    """Final − indicative over the cases whose final budget differs from the indicative one."""

    varied: int
    lower_quartile_pence: int | None
    median_pence: int | None
    upper_quartile_pence: int | None
    lower_quartile_bp: int | None
    median_bp: int | None
    upper_quartile_bp: int | None


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    key: str
    label: str
    decided: int
    at_indicative: int
    within_authority: int
    outside: int
    outside_bp: int | None
    median_variation_pence: int | None
    median_variation_bp: int | None


@dataclass(frozen=True, slots=True)
class DomainDifference:
    domain_code: str
    domain_title: str
    differing_answers: int
    assessments_differing: int
    assessments_with_worker_view: int
    share_bp: int | None


@dataclass(frozen=True, slots=True)
class VariationFigures:
    """Everything the variations page, its downloads and the API show for one set of filters."""

    routes: RouteShares
    size: VariationSize
    by_reason: list[BreakdownRow]
    by_team: list[BreakdownRow]
    by_client_group: list[BreakdownRow]
    domains: list[DomainDifference]


def decided_cases_cte(filters: FigureFilters) -> tuple[str, list[Any]]:
    """The decided cases in scope with their route, as a WITH clause and its parameters."""
    conditions = ["d.state IN ('agreed', 'varied')", "d.final_annual_pence IS NOT NULL"]
    params: list[Any] = [list(OUTSIDE_ACTIONS)]
    if filters.client_group_code:
        conditions.append("a.client_group_code = %s")
        params.append(filters.client_group_code)
    if filters.team_id is not None:
        conditions.append("u.team_id = %s")
        params.append(filters.team_id)
    if filters.date_from is not None:
        conditions.append("(d.signed_off_at AT TIME ZONE 'Europe/London')::date >= %s")
        params.append(filters.date_from)
    if filters.date_to is not None:
        conditions.append("(d.signed_off_at AT TIME ZONE 'Europe/London')::date <= %s")
        params.append(filters.date_to)
    sql = f"""
        WITH decided AS (
            SELECT d.id AS decision_id, d.assessment_id, a.client_group_code, u.team_id,
                   d.indicative_annual_pence AS indicative_pence,
                   d.final_annual_pence AS final_pence,
                   (d.signed_off_at AT TIME ZONE 'Europe/London')::date AS signed_off_on,
                   d.final_annual_pence - d.indicative_annual_pence AS variation_pence,
                   CASE WHEN d.indicative_annual_pence > 0 THEN
                       10000.0 * (d.final_annual_pence - d.indicative_annual_pence)
                       / d.indicative_annual_pence
                   END AS variation_bp,
                   CASE
                       WHEN EXISTS (
                           SELECT 1 FROM reviews_decisionevent e
                           WHERE e.decision_id = d.id AND e.action = ANY(%s)
                       ) OR EXISTS (
                           SELECT 1 FROM reviews_supportplanline p WHERE p.decision_id = d.id
                       ) THEN 'outside'
                       WHEN d.state = 'varied' THEN 'varied'
                       ELSE 'agreed'
                   END AS route
            FROM reviews_budgetdecision d
            JOIN questionnaires_assessment a ON a.id = d.assessment_id
            LEFT JOIN accounts_user u ON u.id = d.social_worker_id
            WHERE {" AND ".join(conditions)}
        )
    """  # noqa: S608 - built from constants, values as parameters
    return sql, params


def _rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def basis_points(count: int, total: int) -> int | None:
    return None if not total else (2 * count * 10_000 + total) // (2 * total)


def route_shares(filters: FigureFilters) -> RouteShares:
    """How many decided cases went each way."""
    cte, params = decided_cases_cte(filters)
    ((decided, at_indicative, within, outside),) = _rows(
        cte  # noqa: S608 - built from constants, values as parameters
        + """
        SELECT count(*),
               count(*) FILTER (WHERE route = 'agreed'),
               count(*) FILTER (WHERE route = 'varied'),
               count(*) FILTER (WHERE route = 'outside')
        FROM decided
        """,
        params,
    )
    return RouteShares(decided, at_indicative, within, outside)


_SIZE_COLUMNS = """
    count(*),
    round(percentile_cont(0.25) WITHIN GROUP (ORDER BY variation_pence)::numeric),
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY variation_pence)::numeric),
    round(percentile_cont(0.75) WITHIN GROUP (ORDER BY variation_pence)::numeric),
    round(percentile_cont(0.25) WITHIN GROUP (ORDER BY variation_bp)::numeric),
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY variation_bp)::numeric),
    round(percentile_cont(0.75) WITHIN GROUP (ORDER BY variation_bp)::numeric)
"""


def variation_size(filters: FigureFilters) -> VariationSize:
    """Quartiles of final − indicative (pence, and basis points of the indicative figure)."""
    cte, params = decided_cases_cte(filters)
    sql = cte + f"SELECT {_SIZE_COLUMNS} FROM decided WHERE variation_pence <> 0"  # noqa: S608 - built from constants, values as parameters
    ((count, *figures),) = _rows(sql, params)
    return VariationSize(count, *(_int(value) for value in figures))


_GROUPINGS = {
    "client_group": (
        "",
        "decided.client_group_code",
        "coalesce(max(g.name), decided.client_group_code)",
        "LEFT JOIN allocations_clientgroup g ON g.code = decided.client_group_code",
    ),
    "team": (
        "",
        "coalesce(decided.team_id::text, '')",
        "coalesce(max(t.name), 'No team')",
        "LEFT JOIN accounts_team t ON t.id = decided.team_id",
    ),
    "reason": (
        """, reasons AS (
            SELECT DISTINCT e.decision_id, unnest(e.reason_codes) AS code
            FROM reviews_decisionevent e JOIN decided ON decided.decision_id = e.decision_id
        )""",
        "reasons.code",
        "coalesce(max(r.label), reasons.code)",
        "JOIN reasons ON reasons.decision_id = decided.decision_id "
        "LEFT JOIN reviews_reasoncode r ON r.code = reasons.code",
    ),
}


def variation_breakdown(filters: FigureFilters, *, by: str) -> list[BreakdownRow]:
    """Routes and median variation per client group, team or reason code (`by`).

    A case with several reason codes counts once under each; the median variation is over the
    group's cases whose final budget differs from the indicative one.
    """
    extra_cte, key, label, join = _GROUPINGS[by]
    cte, params = decided_cases_cte(filters)
    rows = _rows(
        cte  # noqa: S608 - built from constants, values as parameters
        + extra_cte
        + f"""
        SELECT {key} AS key, {label} AS label, count(*),
               count(*) FILTER (WHERE route = 'agreed'),
               count(*) FILTER (WHERE route = 'varied'),
               count(*) FILTER (WHERE route = 'outside'),
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY variation_pence)
                     FILTER (WHERE variation_pence <> 0)::numeric),
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY variation_bp)
                     FILTER (WHERE variation_pence <> 0)::numeric)
        FROM decided {join}
        GROUP BY {key}
        ORDER BY count(*) DESC, 2
        """,  # noqa: S608 - built from constants, values as parameters
        params,
    )
    return [
        BreakdownRow(
            key=str(row[0]),
            label=str(row[1]),
            decided=row[2],
            at_indicative=row[3],
            within_authority=row[4],
            outside=row[5],
            outside_bp=basis_points(row[5], row[2]),
            median_variation_pence=_int(row[6]),
            median_variation_bp=_int(row[7]),
        )
        for row in rows
    ]


def domain_differences(filters: FigureFilters) -> list[DomainDifference]:
    """Per questionnaire domain, how often the worker's view differs from the person's answer.

    Over the decided cases in scope whose assessment has at least one worker answer: the number
    of questions answered differently, and the share of those assessments with at least one
    difference in the domain. Most differing domains first.
    """
    cte, params = decided_cases_cte(filters)
    rows = _rows(
        cte  # noqa: S608 - built from constants, values as parameters
        + """
        , viewed AS (
            SELECT DISTINCT w.assessment_id FROM questionnaires_answer w
            JOIN decided ON decided.assessment_id = w.assessment_id
            WHERE w.perspective = 'worker'
        ), differing AS (
            SELECT p.assessment_id, dm.code, dm.title
            FROM questionnaires_answer p
            JOIN viewed ON viewed.assessment_id = p.assessment_id
            JOIN questionnaires_answer w ON w.assessment_id = p.assessment_id
                 AND w.question_id = p.question_id AND w.perspective = 'worker'
            JOIN questionnaires_question q ON q.id = p.question_id
            JOIN questionnaires_domain dm ON dm.id = q.domain_id
            WHERE p.perspective = 'person' AND w.option_id <> p.option_id
        )
        SELECT code, max(title), count(*), count(DISTINCT assessment_id),
               (SELECT count(*) FROM viewed)
        FROM differing GROUP BY code
        ORDER BY count(*) DESC, count(DISTINCT assessment_id) DESC, code
        """,
        params,
    )
    return [
        DomainDifference(
            domain_code=row[0],
            domain_title=row[1],
            differing_answers=row[2],
            assessments_differing=row[3],
            assessments_with_worker_view=row[4],
            share_bp=basis_points(row[3], row[4]),
        )
        for row in rows
    ]


def variation_figures(filters: FigureFilters) -> VariationFigures:
    """Every figure of the variations page for `filters`, worked out now."""
    return VariationFigures(
        routes=route_shares(filters),
        size=variation_size(filters),
        by_reason=variation_breakdown(filters, by="reason"),
        by_team=variation_breakdown(filters, by="team"),
        by_client_group=variation_breakdown(filters, by="client_group"),
        domains=domain_differences(filters),
    )

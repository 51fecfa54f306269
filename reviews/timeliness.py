"""How long people wait: medians and 90th percentiles per month and per team.

Read-only and set-based: each measure is a set of (end time, team, duration) rows built in SQL;
`percentile_cont` gives the median and 90th percentile. The month is that of the end event (in
UK time); the team is the social worker's on the case's decision. Durations are in days, except
the wait for the indicative budget, in hours (it should be at once). See docs/adr/0019.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection

from reviews.variation_figures import FigureFilters

LONDON = "'Europe/London'"


@dataclass(frozen=True, slots=True)
class Measure:
    slug: str
    title: str
    unit: str
    seconds_per_unit: int
    durations_sql: str


# Each selects client_group_code, team_id, ended_at, seconds for the measure's cases.
_ASSESSMENT = """
    FROM questionnaires_assessment a
    LEFT JOIN reviews_budgetdecision d ON d.assessment_id = a.id
    LEFT JOIN accounts_user u ON u.id = d.social_worker_id
"""
_WAIT = """
    SELECT a.client_group_code, u.team_id, left_at.at AS ended_at,
           extract(epoch FROM left_at.at - e.at) AS seconds
    FROM reviews_decisionevent e
    JOIN reviews_budgetdecision d ON d.id = e.decision_id
    JOIN questionnaires_assessment a ON a.id = d.assessment_id
    LEFT JOIN accounts_user u ON u.id = d.social_worker_id
    CROSS JOIN LATERAL (
        SELECT min(x.at) AS at FROM reviews_decisionevent x
        WHERE x.decision_id = e.decision_id AND x.from_state = '{state}'
          AND x.to_state <> '{state}' AND (x.at, x.id) > (e.at, e.id)
    ) left_at
    WHERE e.to_state = '{state}' AND e.from_state <> '{state}' AND left_at.at IS NOT NULL
"""

MEASURES = (
    Measure(
        "submission",
        "Start of the assessment to submission",
        "days",
        86_400,
        "SELECT a.client_group_code, u.team_id, a.submitted_at AS ended_at, "  # noqa: S608 - built from constants, values as parameters
        "extract(epoch FROM a.submitted_at - a.started_at) AS seconds"
        + _ASSESSMENT
        + "WHERE a.submitted_at IS NOT NULL",
    ),
    Measure(
        "indicative",
        "Submission to the indicative budget",
        "hours",
        3_600,
        "SELECT a.client_group_code, u.team_id, b.created_at AS ended_at, "  # noqa: S608 - built from constants, values as parameters
        "extract(epoch FROM b.created_at - a.submitted_at) AS seconds"
        + _ASSESSMENT
        + "JOIN allocations_indicativebudget b ON b.assessment_id = a.id "
        "WHERE a.submitted_at IS NOT NULL",
    ),
    Measure(
        "final",
        "Start of the assessment to a final budget",
        "days",
        86_400,
        "SELECT a.client_group_code, u.team_id, d.signed_off_at AS ended_at, "  # noqa: S608 - built from constants, values as parameters
        "extract(epoch FROM d.signed_off_at - a.started_at) AS seconds"
        + _ASSESSMENT
        + "WHERE d.signed_off_at IS NOT NULL",
    ),
    Measure(
        "manager", "Waiting for a manager", "days", 86_400, _WAIT.format(state="awaiting_manager")
    ),
    Measure("panel", "Waiting for panel", "days", 86_400, _WAIT.format(state="awaiting_panel")),
)
MEASURES_BY_SLUG = {measure.slug: measure for measure in MEASURES}


@dataclass(frozen=True, slots=True)
class TimelinessRow:
    key: str
    label: str
    cases: int
    median: Decimal | None
    percentile_90: Decimal | None


@dataclass(frozen=True, slots=True)
class OverdueRow:
    key: str
    label: str
    overdue: int
    median_days_overdue: Decimal | None
    percentile_90_days_overdue: Decimal | None


def _where(filters: FigureFilters, date_column: str) -> tuple[str, list[Any]]:
    conditions = ["TRUE"]
    params: list[Any] = []
    if filters.client_group_code:
        conditions.append("client_group_code = %s")
        params.append(filters.client_group_code)
    if filters.team_id is not None:
        conditions.append("team_id = %s")
        params.append(filters.team_id)
    if filters.date_from is not None:
        conditions.append(f"{date_column} >= %s")
        params.append(filters.date_from)
    if filters.date_to is not None:
        conditions.append(f"{date_column} <= %s")
        params.append(filters.date_to)
    return " AND ".join(conditions), params


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def timeliness(measure: Measure, filters: FigureFilters, *, by: str) -> list[TimelinessRow]:
    """Cases, median and 90th percentile of the measure per month ("2026-11") or team, to 0.1."""
    local_end = f"(ended_at AT TIME ZONE {LONDON})"
    where, params = _where(filters, f"{local_end}::date")
    if by == "month":
        key = label = f"to_char({local_end}, 'YYYY-MM')"
        join = ""
    else:
        key = "coalesce(team_id::text, '')"
        label = "coalesce(max(t.name), 'No team')"
        join = "LEFT JOIN accounts_team t ON t.id = m.team_id"
    unit = measure.seconds_per_unit
    sql = f"""
        SELECT {key}, {label}, count(*),
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) / {unit})::numeric, 1),
               round((percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) / {unit})::numeric, 1)
        FROM ({measure.durations_sql}) m {join}
        WHERE {where}
        GROUP BY {key}
        ORDER BY {"1" if by == "month" else "2"}
    """  # noqa: S608 - built from constants, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        TimelinessRow(str(row[0]), str(row[1]), row[2], _decimal(row[3]), _decimal(row[4]))
        for row in rows
    ]


def overdue_reviews(filters: FigureFilters, *, today: date) -> list[OverdueRow]:
    """Decided cases whose review was due before `today`, per team, with days overdue.

    The date range, when given, is of the day the review fell due.
    """
    where, params = _where(filters, "next_review_due")
    sql = f"""
        SELECT coalesce(team_id::text, ''), coalesce(max(t.name), 'No team'), count(*),
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::numeric, 1),
               round(percentile_cont(0.9) WITHIN GROUP (ORDER BY days)::numeric, 1)
        FROM (
            SELECT a.client_group_code, u.team_id, d.next_review_due,
                   (%s::date - d.next_review_due) AS days
            FROM reviews_budgetdecision d
            JOIN questionnaires_assessment a ON a.id = d.assessment_id
            LEFT JOIN accounts_user u ON u.id = d.social_worker_id
            WHERE d.next_review_due < %s::date AND d.state IN ('agreed', 'varied')
        ) m LEFT JOIN accounts_team t ON t.id = m.team_id
        WHERE {where}
        GROUP BY 1 ORDER BY 2
    """  # noqa: S608 - built from constants, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, today, *params])
        rows = cursor.fetchall()
    return [
        OverdueRow(str(row[0]), str(row[1]), row[2], _decimal(row[3]), _decimal(row[4]))
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class MeasureFigures:
    slug: str
    by_month: list[TimelinessRow]
    by_team: list[TimelinessRow]

    @property
    def measure(self) -> Measure:
        return MEASURES_BY_SLUG[self.slug]


@dataclass(frozen=True, slots=True)
class TimelinessFigures:
    """Everything the timeliness page, its downloads and the API show for one set of filters:
    each measure in the order of `MEASURES`, then the reviews overdue."""

    measures: list[MeasureFigures]
    overdue: list[OverdueRow]


def timeliness_figures(filters: FigureFilters, *, today: date) -> TimelinessFigures:
    """Every figure of the timeliness page for `filters`, worked out now."""
    return TimelinessFigures(
        measures=[
            MeasureFigures(
                measure.slug,
                by_month=timeliness(measure, filters, by="month"),
                by_team=timeliness(measure, filters, by="team"),
            )
            for measure in MEASURES
        ],
        overdue=overdue_reviews(filters, today=today),
    )

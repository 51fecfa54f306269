"""The open data: figures per client group and quarter, read set-based, suppressed before use.

A person is counted in the quarter (local date, Europe/London) in which their final budget was
signed off, under the client group of their assessment. Only completed quarters are published, so
figures for a quarter do not change from one day to the next (see docs/adr/0020-open-data.md).
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from allocations.engine import format_percentage, format_pounds
from allocations.models import ClientGroup
from questionnaires.models import Assessment
from ras.exports import Cell, csv_text
from reviews.models import (
    BudgetDecision,
    DecisionEvent,
    FiguresSnapshot,
    OpenDataSnapshotRow,
    SnapshotState,
    SupportPlanLine,
)
from reviews.suppression import (
    Figure,
    Published,
    PublishedRow,
    Row,
    Share,
    Suppressed,
    suppress,
)
from reviews.workflow import Action

# Decisions that went through a manager or a panel were decided outside the RAS.
OUTSIDE_RAS_ACTIONS = (Action.REFER_TO_MANAGER.value, Action.REFER_TO_PANEL.value)

CSV_HEADER = (
    "Client group",
    "Quarter",
    "Number of people",
    "Median indicative annual budget (£)",
    "Median final annual budget (£)",
    "Share outside the RAS (%)",
    "Median days from assessment start to final budget",
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class DisplayRow:
    """One published row in words for the page: "fewer than 5" where a figure is kept back."""

    quarter: str
    people: str
    median_indicative_annual: str
    median_final_annual: str
    outside_ras: str
    median_days_to_final_budget: str


@dataclass(frozen=True)
class GroupTable:
    """One client group's published rows, oldest quarter first."""

    name: str
    rows: list[DisplayRow]


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(start: datetime.date) -> str:
    """`2026-01-01` is "January to March 2026"."""
    return f"{MONTHS[start.month - 1]} to {MONTHS[start.month + 1]} {start.year}"


def _next_quarter(start: datetime.date) -> datetime.date:
    if start.month == 10:
        return datetime.date(start.year + 1, 1, 1)
    return datetime.date(start.year, start.month + 3, 1)


_FIGURES_SQL = f"""
SELECT a.client_group_code,
       date_trunc('quarter', d.signed_off_at AT TIME ZONE %(tz)s)::date AS quarter_start,
       count(*) AS people,
       count(d.indicative_annual_pence) AS people_with_indicative,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.indicative_annual_pence)::numeric),
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.final_annual_pence)::numeric),
       count(*) FILTER (
           WHERE EXISTS (
               SELECT 1 FROM {DecisionEvent._meta.db_table} e
               WHERE e.decision_id = d.id AND e.action = ANY(%(actions)s)
           )
           OR EXISTS (
               SELECT 1 FROM {SupportPlanLine._meta.db_table} l WHERE l.decision_id = d.id
           )
       ) AS people_outside_ras,
       round(percentile_cont(0.5) WITHIN GROUP (
           ORDER BY (d.signed_off_at AT TIME ZONE %(tz)s)::date
                    - (a.started_at AT TIME ZONE %(tz)s)::date
       )::numeric)
FROM {BudgetDecision._meta.db_table} d
JOIN {Assessment._meta.db_table} a ON a.id = d.assessment_id
WHERE d.final_annual_pence IS NOT NULL
  AND d.signed_off_at IS NOT NULL
  AND d.signed_off_at AT TIME ZONE %(tz)s < %(before)s
GROUP BY 1, 2
"""  # noqa: S608 (table names come from the models, values are parameters)


_SNAPSHOT_FILL_SQL = f"""
INSERT INTO {OpenDataSnapshotRow._meta.db_table}
       (snapshot_id, client_group_code, quarter_start, people, people_with_indicative,
        median_indicative_annual_pence, median_final_annual_pence, people_outside_ras,
        median_days_to_final_budget)
SELECT %(snapshot)s, figures.* FROM ({_FIGURES_SQL}) figures
"""  # noqa: S608 (table names come from the models, values are parameters)

_SNAPSHOT_COLUMNS = (
    "client_group_code",
    "quarter_start",
    "people",
    "people_with_indicative",
    "median_indicative_annual_pence",
    "median_final_annual_pence",
    "people_outside_ras",
    "median_days_to_final_budget",
)


def _figure_params(before: datetime.date) -> dict[str, Any]:
    return {"tz": settings.TIME_ZONE, "actions": list(OUTSIDE_RAS_ACTIONS), "before": before}


def open_data_snapshot_fill(*, snapshot_id: int, today: datetime.date) -> datetime.date:
    """Writes the unsuppressed figures of every completed quarter into snapshot `snapshot_id`,
    inside the caller's transaction; returns the first day of the quarter in progress."""
    before = quarter_start(today)
    with connection.cursor() as cursor:
        cursor.execute(_SNAPSHOT_FILL_SQL, {"snapshot": snapshot_id, **_figure_params(before)})
    return before


def open_data_snapshot_latest(*, today: datetime.date | None = None) -> FiguresSnapshot | None:
    """The newest complete snapshot whose completed quarters are today's completed quarters."""
    return (
        FiguresSnapshot.objects.filter(
            state=SnapshotState.COMPLETE,
            open_data_before=quarter_start(today or timezone.localdate()),
        )
        .order_by("-as_at", "-id")
        .first()
    )


def open_data_rows(
    *, today: datetime.date | None = None, snapshot: FiguresSnapshot | None = None
) -> list[Row]:
    """Every client group in every completed quarter from the first with a final budget.

    Read from `snapshot` when given (one made for the same completed quarters), else worked out
    now. Quarters with nobody in a group are rows too (0 people), so a missing row never tells
    anything. Figures are unsuppressed: pass them through `suppress` before showing anyone.
    """
    before = quarter_start(today or timezone.localdate())
    if snapshot is not None:
        if snapshot.open_data_before != before:
            raise ValueError("The snapshot was made for other completed quarters.")
        found = {
            (code, start): figures
            for code, start, *figures in OpenDataSnapshotRow.objects.filter(
                snapshot=snapshot
            ).values_list(*_SNAPSHOT_COLUMNS)
        }
    else:
        with connection.cursor() as cursor:
            cursor.execute(_FIGURES_SQL, _figure_params(before))
            found = {(code, start): figures for code, start, *figures in cursor.fetchall()}
    groups = list(ClientGroup.objects.order_by("name").values_list("code", "name"))
    if not found:
        return []
    first = min(start for _code, start in found)
    quarters = []
    while first < before:
        quarters.append(first)
        first = _next_quarter(first)
    rows = []
    for code, name in groups:
        for start in quarters:
            people, with_indicative, indicative, final, outside, days = found.get(
                (code, start), (0, 0, None, None, 0, None)
            )
            rows.append(
                Row(
                    group=name,
                    quarter=quarter_label(start),
                    people=people,
                    median_indicative_annual_pence=Figure(_int(indicative), with_indicative),
                    median_final_annual_pence=Figure(_int(final), people),
                    outside_ras=Share(part=outside, whole=people),
                    median_days_to_final_budget=Figure(_int(days), people),
                )
            )
    return rows


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def open_data_published(
    *, today: datetime.date | None = None, snapshot: FiguresSnapshot | None = None
) -> list[PublishedRow]:
    """The open data as anyone may see it: every small number suppressed."""
    return suppress(open_data_rows(today=today, snapshot=snapshot))


@dataclass(frozen=True)
class OpenData:
    """The published rows and the moment their figures are from: a snapshot's, or now."""

    published: list[PublishedRow]
    as_at: datetime.datetime
    from_snapshot: bool


def open_data_read(*, today: datetime.date | None = None) -> OpenData:
    """The open data as published: from the newest snapshot for today's completed quarters, or
    worked out now when there is none."""
    snapshot = open_data_snapshot_latest(today=today)
    return OpenData(
        published=open_data_published(today=today, snapshot=snapshot),
        as_at=snapshot.as_at if snapshot and snapshot.as_at else timezone.now(),
        from_snapshot=snapshot is not None,
    )


def _shown(value: Published, show: Callable[[int], str]) -> str:
    return str(value) if isinstance(value, Suppressed) else show(value)


def open_data_by_group(published: Sequence[PublishedRow]) -> list[GroupTable]:
    """The published rows in words, one table per client group."""
    tables: list[GroupTable] = []
    for row in published:
        if not tables or tables[-1].name != row.group:
            tables.append(GroupTable(name=row.group, rows=[]))
        tables[-1].rows.append(
            DisplayRow(
                quarter=row.quarter,
                people=_shown(row.people, str),
                median_indicative_annual=_shown(row.median_indicative_annual_pence, format_pounds),
                median_final_annual=_shown(row.median_final_annual_pence, format_pounds),
                outside_ras=_shown(row.outside_ras_basis_points, format_percentage),
                median_days_to_final_budget=_shown(row.median_days_to_final_budget, str),
            )
        )
    return tables


def _hundredths(value: Published) -> Cell:
    """Pence as pounds, or basis points as a percentage, with two decimal places."""
    if isinstance(value, Suppressed):
        return str(value)
    return f"{value // 100}.{value % 100:02d}"


def _plain(value: Published) -> Cell:
    return str(value) if isinstance(value, Suppressed) else value


def open_data_csv(published: Sequence[PublishedRow]) -> str:
    """The same cells as the page; suppressed cells read "fewer than 5"."""
    return csv_text(
        CSV_HEADER,
        (
            (
                row.group,
                row.quarter,
                _plain(row.people),
                _hundredths(row.median_indicative_annual_pence),
                _hundredths(row.median_final_annual_pence),
                _hundredths(row.outside_ras_basis_points),
                _plain(row.median_days_to_final_budget),
            )
            for row in published
        ),
    )

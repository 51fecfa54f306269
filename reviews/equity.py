"""Equity figures: do similar needs get similar budgets?

Reads only. Every figure is worked out in PostgreSQL over the decided budgets (state agreed or
varied, with a final annual amount), never by looping over cases in Python:

- bands: per client group and band of points (``EQUITY_POINTS_BAND_WIDTH`` points wide, default
  10: band 0 is 0-9 points), the number of people and the minimum, lower quartile, median, upper
  quartile and maximum final annual budget (``percentile_cont``, rounded half up to whole pence);
- outliers: the people whose final budget is below Q1 - k x IQR or above Q3 + k x IQR of their
  band (k is ``EQUITY_OUTLIER_IQR_MULTIPLE``, default 1.5), with the reasons recorded on the event
  that set the final amount;
- dots for the chart of final budget against points: every person, or a deterministic systematic
  sample of at most ``MAX_CHART_DOTS`` (every n-th decision by id) when there are more.

Filters: client group code, the social worker's team, and the local date (Europe/London) the
final budget was signed off, from and to inclusive.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from questionnaires.models import Assessment
from ras.accounts.models import User
from reviews.models import BudgetDecision, DecisionEvent, ReasonCode
from reviews.workflow import State

MAX_CHART_DOTS = 2_000
DECIDED_STATES = (State.AGREED.value, State.VARIED.value)


def points_band_width() -> int:
    """How many points wide each band of the equity table is (setting, default 10)."""
    return int(settings.EQUITY_POINTS_BAND_WIDTH)


def outlier_iqr_multiple() -> Decimal:
    """k in Q1 - k x IQR and Q3 + k x IQR (setting, default 1.5)."""
    return Decimal(str(settings.EQUITY_OUTLIER_IQR_MULTIPLE))


@dataclass(frozen=True, slots=True)
class EquityFilters:
    client_group_code: str = ""
    team_id: int | None = None
    signed_off_from: datetime.date | None = None
    signed_off_to: datetime.date | None = None


@dataclass(frozen=True, slots=True)
class PointsBand:
    """One client group's band of points: its people and the spread of their final budgets."""

    client_group_code: str
    min_points: int
    max_points: int
    people: int
    minimum_pence: int
    lower_quartile_pence: int
    median_pence: int
    upper_quartile_pence: int
    maximum_pence: int


@dataclass(frozen=True, slots=True)
class Outlier:
    """A person whose final budget is far from those of peers in the same band of points."""

    decision_id: int
    client_group_code: str
    total_points: int
    min_points: int
    max_points: int
    final_annual_pence: int
    lower_fence_pence: int
    upper_fence_pence: int
    reason_labels: tuple[str, ...]
    reasons: str

    @property
    def is_above(self) -> bool:
        return self.final_annual_pence > self.upper_fence_pence


@dataclass(frozen=True, slots=True)
class Dots:
    """The chart's dots for one client group: (points, final annual pence) per person shown."""

    client_group_code: str
    people: int
    dots: tuple[tuple[int, int], ...]

    @property
    def is_sampled(self) -> bool:
        return len(self.dots) < self.people


def _decided_cte(filters: EquityFilters) -> tuple[str, dict[str, Any]]:
    """The decided budgets in scope as a CTE named ``decided``, and its parameters."""
    params: dict[str, Any] = {
        "states": list(DECIDED_STATES),
        "width": points_band_width(),
        "group": filters.client_group_code or None,
        "team": filters.team_id,
        "date_from": filters.signed_off_from,
        "date_to": filters.signed_off_to,
        "tz": timezone.get_current_timezone_name(),
    }
    sql = f"""
        WITH decided AS (
            SELECT d.id AS decision_id,
                   a.client_group_code,
                   a.total_points,
                   d.final_annual_pence,
                   a.total_points / %(width)s AS band
              FROM {BudgetDecision._meta.db_table} d
              JOIN {Assessment._meta.db_table} a ON a.id = d.assessment_id
              LEFT JOIN {User._meta.db_table} u ON u.id = d.social_worker_id
             WHERE d.state = ANY(%(states)s)
               AND d.final_annual_pence IS NOT NULL
               AND a.total_points IS NOT NULL
               AND (%(group)s::text IS NULL OR a.client_group_code = %(group)s::text)
               AND (%(team)s::bigint IS NULL OR u.team_id = %(team)s::bigint)
               AND (%(date_from)s::date IS NULL
                    OR (d.signed_off_at AT TIME ZONE %(tz)s)::date >= %(date_from)s::date)
               AND (%(date_to)s::date IS NULL
                    OR (d.signed_off_at AT TIME ZONE %(tz)s)::date <= %(date_to)s::date)
        ),
        bands AS (
            SELECT client_group_code, band, count(*) AS people,
                   min(final_annual_pence) AS minimum,
                   percentile_cont(0.25) WITHIN GROUP (ORDER BY final_annual_pence) AS q1,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY final_annual_pence) AS median,
                   percentile_cont(0.75) WITHIN GROUP (ORDER BY final_annual_pence) AS q3,
                   max(final_annual_pence) AS maximum
              FROM decided
             GROUP BY client_group_code, band
        )
    """  # noqa: S608 - table names from the models, values as parameters
    return sql, params


def _rows(cte: str, query: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Runs ``query`` after the ``decided`` and ``bands`` CTEs."""
    with connection.cursor() as cursor:
        cursor.execute(cte + query, params)
        return list(cursor.fetchall())


def _whole_pence(value: float) -> int:
    """Round half up: a quartile between two amounts may end in half a penny."""
    return int(Decimal(repr(value)).to_integral_value(rounding="ROUND_HALF_UP"))


def equity_bands(filters: EquityFilters) -> list[PointsBand]:
    """Per client group and band of points: people, minimum, quartiles, median and maximum."""
    cte, params = _decided_cte(filters)
    width = params["width"]
    rows = _rows(
        cte,
        """
        SELECT client_group_code, band, people, minimum, q1, median, q3, maximum
          FROM bands ORDER BY client_group_code, band
        """,
        params,
    )
    return [
        PointsBand(
            client_group_code=group,
            min_points=band * width,
            max_points=band * width + width - 1,
            people=people,
            minimum_pence=minimum,
            lower_quartile_pence=_whole_pence(q1),
            median_pence=_whole_pence(median),
            upper_quartile_pence=_whole_pence(q3),
            maximum_pence=maximum,
        )
        for group, band, people, minimum, q1, median, q3, maximum in rows
    ]


def equity_outliers(filters: EquityFilters) -> list[Outlier]:
    """The people outside Q1 - k x IQR or Q3 + k x IQR of their band, furthest out first.

    Their reasons are those of the latest event that moved the decision into its decided state
    (the event that set the final amount), with the reason codes' labels.
    """
    cte, params = _decided_cte(filters)
    params["k"] = float(outlier_iqr_multiple())
    width = params["width"]
    rows = _rows(
        cte,
        f"""
        , fenced AS (
            SELECT client_group_code, band,
                   q1 - %(k)s * (q3 - q1) AS lower_fence,
                   q3 + %(k)s * (q3 - q1) AS upper_fence
              FROM bands
        )
        SELECT d.decision_id, d.client_group_code, d.total_points, d.band,
               d.final_annual_pence, f.lower_fence, f.upper_fence,
               COALESCE(e.labels, ARRAY[]::text[]), COALESCE(e.reasons, '')
          FROM decided d
          JOIN fenced f USING (client_group_code, band)
          LEFT JOIN LATERAL (
              SELECT ev.reasons,
                     ARRAY(SELECT rc.label FROM {ReasonCode._meta.db_table} rc
                            WHERE rc.code = ANY(ev.reason_codes) ORDER BY rc.label) AS labels
                FROM {DecisionEvent._meta.db_table} ev
               WHERE ev.decision_id = d.decision_id AND ev.to_state = ANY(%(states)s)
               ORDER BY ev.at DESC, ev.id DESC
               LIMIT 1
          ) e ON TRUE
         WHERE d.final_annual_pence < f.lower_fence OR d.final_annual_pence > f.upper_fence
         ORDER BY d.client_group_code, d.band,
                  GREATEST(f.lower_fence - d.final_annual_pence,
                           d.final_annual_pence - f.upper_fence) DESC,
                  d.decision_id
        """,  # noqa: S608 - table names from the models, values as parameters
        params,
    )
    return [
        Outlier(
            decision_id=decision_id,
            client_group_code=group,
            total_points=points,
            min_points=band * width,
            max_points=band * width + width - 1,
            final_annual_pence=final,
            # A budget cannot be below nothing: a lower limit under £0 is shown as £0.
            lower_fence_pence=max(0, _whole_pence(lower)),
            upper_fence_pence=_whole_pence(upper),
            reason_labels=tuple(labels),
            reasons=reasons,
        )
        for decision_id, group, points, band, final, lower, upper, labels, reasons in rows
    ]


def equity_dots(filters: EquityFilters, *, max_dots: int = MAX_CHART_DOTS) -> list[Dots]:
    """Per client group, (points, final annual pence) for the chart's dots.

    When a group has more than ``max_dots`` people, every n-th decision by id is kept, with
    n = ceil(people / max_dots): the same data always gives the same dots.
    """
    cte, params = _decided_cte(filters)
    params["max_dots"] = max_dots
    rows = _rows(
        cte,
        """
        , numbered AS (
            SELECT client_group_code, total_points, final_annual_pence,
                   row_number() OVER (PARTITION BY client_group_code ORDER BY decision_id) AS n,
                   count(*) OVER (PARTITION BY client_group_code) AS people
              FROM decided
        )
        SELECT client_group_code, people, total_points, final_annual_pence
          FROM numbered
         WHERE (n - 1) %% ((people + %(max_dots)s - 1) / %(max_dots)s) = 0
         ORDER BY client_group_code, total_points, final_annual_pence
        """,
        params,
    )
    charts: dict[str, tuple[int, list[tuple[int, int]]]] = {}
    for group, people, points, final in rows:
        charts.setdefault(group, (people, []))[1].append((points, final))
    return [
        Dots(client_group_code=group, people=people, dots=tuple(dots))
        for group, (people, dots) in charts.items()
    ]


# The chart: final budget (up) against points (across), with the RAS line over the dots.
CHART_WIDTH = 760
CHART_HEIGHT = 440
CHART_LEFT = 96
CHART_RIGHT = CHART_WIDTH - 24
CHART_TOP = 16
CHART_BOTTOM = CHART_HEIGHT - 64


@dataclass(frozen=True, slots=True)
class ChartTick:
    position: str
    label: str


@dataclass(frozen=True, slots=True)
class EquityChart:
    """One client group's scatter chart, laid out in SVG pixels, with its RAS line.

    ``dots`` holds (points, final annual pence) per person shown. ``ras_line`` holds (points,
    full-needs annual pence) at every point from 0 to the axis end, priced by the engine with
    the table in force: the indicative budget of someone with no carer reduction. It is empty
    when the group has no table in force.
    """

    client_group_code: str
    client_group_name: str
    people: int
    shown: int
    table_label: str
    dots: tuple[tuple[int, int], ...]
    ras_line: tuple[tuple[int, int], ...]
    dot_pixels: tuple[tuple[str, str], ...]
    line_pixels: str
    x_ticks: tuple[ChartTick, ...]
    y_ticks: tuple[ChartTick, ...]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = CHART_LEFT
    right: int = CHART_RIGHT
    top: int = CHART_TOP
    bottom: int = CHART_BOTTOM

    @property
    def is_sampled(self) -> bool:
        return self.shown < self.people


def _px(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def equity_charts(dots_by_group: Sequence[Dots], *, on_date: datetime.date) -> list[EquityChart]:
    """A chart per client group's dots, with its RAS line from the table in force."""
    from allocations import engine
    from allocations.charts import nice_step
    from allocations.models import ClientGroup
    from allocations.selectors import engine_table, table_in_force

    groups = {group.code: group for group in ClientGroup.objects.all()}
    charts = []
    for dots in dots_by_group:
        group = groups.get(dots.client_group_code)
        max_points = max(points for points, _ in dots.dots)
        x_step = nice_step(max(max_points, 10), 8)
        x_end = -(-max(max_points, 10) // x_step) * x_step
        line: tuple[tuple[int, int], ...] = ()
        label = ""
        version = table_in_force(client_group=group, on_date=on_date) if group else None
        if version is not None:
            table = engine_table(version)
            if not table.problems and table.reductions_by_level:
                level = next(iter(table.reductions_by_level))
                line = tuple(
                    (points, engine.price(table, points, level).full_needs_annual_pence)
                    for points in range(x_end + 1)
                )
                label = version.label
        top_pence = max([pence for _, pence in dots.dots] + [pence for _, pence in line] + [1])
        y_step = nice_step(top_pence, 6)
        y_end = -(-top_pence // y_step) * y_step

        def x(points: int, x_end: int = x_end) -> float:
            return CHART_LEFT + points * (CHART_RIGHT - CHART_LEFT) / x_end

        def y(pence: int, y_end: int = y_end) -> float:
            return CHART_BOTTOM - pence * (CHART_BOTTOM - CHART_TOP) / y_end

        charts.append(
            EquityChart(
                client_group_code=dots.client_group_code,
                client_group_name=group.name if group else dots.client_group_code,
                people=dots.people,
                shown=len(dots.dots),
                table_label=label,
                dots=dots.dots,
                ras_line=line,
                dot_pixels=tuple((_px(x(points)), _px(y(pence))) for points, pence in dots.dots),
                line_pixels=" ".join(f"{_px(x(points))},{_px(y(pence))}" for points, pence in line),
                x_ticks=tuple(
                    ChartTick(_px(x(points)), str(points)) for points in range(0, x_end + 1, x_step)
                ),
                y_ticks=tuple(
                    ChartTick(_px(y(pence)), engine.format_pounds(pence).removesuffix(".00"))
                    for pence in range(0, y_end + 1, y_step)
                ),
            )
        )
    return charts

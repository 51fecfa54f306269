"""The equity dashboard's figures, precomputed into a snapshot and read back from it.

A snapshot holds, for every scope (each team and "all teams", times each financial year and
"all dates"), exactly what `reviews.equity` works out live for the same filters: bands, people
far from their peers, and the chart's dots, per client group. Filling it is four set-based
statements over one temporary table of the decided budgets; nothing loops over cases in Python.

Reading picks the newest complete snapshot made with today's settings (band width and IQR
multiple). Filters that match a scope are served from it; any other date range is worked out
live, and the page says so. See docs/adr/0025-precomputed-figures.md.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import ExpressionWrapper, F, FloatField, Q
from django.db.models.functions import Greatest

from questionnaires.models import Assessment
from ras.accounts.models import Team, User
from reviews.equity import (
    DECIDED_STATES,
    MAX_CHART_DOTS,
    Dots,
    EquityFilters,
    Outlier,
    PointsBand,
    equity_bands,
    equity_dots,
    equity_outliers,
    outlier_iqr_multiple,
    points_band_width,
)
from reviews.models import (
    BudgetDecision,
    DecisionEvent,
    EquitySnapshotBand,
    EquitySnapshotDots,
    EquitySnapshotOutlier,
    EquitySnapshotScope,
    FiguresSnapshot,
    ReasonCode,
    SnapshotState,
)

# The council's financial year starts on 1 April.
YEAR_START_MONTH = 4

# Keys the fill statements use for "all teams" and "all dates" (a scope's empty team and dates).
ALL_TEAMS_KEY = -1
NO_TEAM_KEY = 0
ALL_DATES_KEY = "-infinity"


@dataclass(frozen=True, slots=True)
class Period:
    """A ready-made range of sign-off dates: a financial year, both ends inclusive."""

    first_day: datetime.date
    last_day: datetime.date

    @property
    def label(self) -> str:
        return f"{self.first_day:%B %Y} to {self.last_day:%B %Y}"


def financial_year_start(day: datetime.date) -> datetime.date:
    year = day.year if day.month >= YEAR_START_MONTH else day.year - 1
    return datetime.date(year, YEAR_START_MONTH, 1)


def financial_year(start: datetime.date) -> Period:
    next_start = datetime.date(start.year + 1, start.month, start.day)
    return Period(start, next_start - datetime.timedelta(days=1))


def financial_year_start_sql(day: str) -> str:
    """SQL for the first day of the financial year of `day` (a local date or timestamp): back
    to January, truncate to the year, forward again."""
    before = f"interval '{YEAR_START_MONTH - 1} months'"
    return f"(date_trunc('year', {day} - {before}) + {before})::date"


# -- Filling a snapshot ---------------------------------------------------------------------


_FACTS_SQL = f"""
CREATE TEMPORARY TABLE equity_facts ON COMMIT DROP AS
SELECT d.id AS decision_id,
       a.client_group_code,
       a.total_points,
       d.final_annual_pence,
       a.total_points / %(width)s AS band,
       coalesce(u.team_id, {NO_TEAM_KEY}) AS team_key,
       {financial_year_start_sql("(d.signed_off_at AT TIME ZONE %(tz)s)")} AS year_start
  FROM {BudgetDecision._meta.db_table} d
  JOIN {Assessment._meta.db_table} a ON a.id = d.assessment_id
  LEFT JOIN {User._meta.db_table} u ON u.id = d.social_worker_id
 WHERE d.state = ANY(%(states)s)
   AND d.final_annual_pence IS NOT NULL
   AND a.total_points IS NOT NULL
"""  # noqa: S608 - table names from the models, values as parameters

# Whole numbers sort and hash much faster than text: each client group gets one for the build.
_CODES_SQL = """
CREATE TEMPORARY TABLE equity_codes ON COMMIT DROP AS
SELECT client_group_code, (row_number() OVER (ORDER BY client_group_code))::int AS group_key
  FROM (SELECT DISTINCT client_group_code FROM equity_facts) codes
"""

_SCOPES_SQL = f"""
INSERT INTO {EquitySnapshotScope._meta.db_table}
       (snapshot_id, team_id, signed_off_from, signed_off_to)
SELECT %(snapshot)s, teams.id, periods.first_day, periods.last_day
  FROM (SELECT NULL::bigint AS id UNION ALL SELECT id FROM {Team._meta.db_table}) teams
 CROSS JOIN (
       SELECT NULL::date AS first_day, NULL::date AS last_day
        UNION ALL
       SELECT year::date, (year + interval '1 year' - interval '1 day')::date
         FROM generate_series(
              least(%(this_year)s::date, (SELECT min(year_start) FROM equity_facts)),
              %(this_year)s::date, interval '1 year') AS year
       ) periods
"""  # noqa: S608 - table names from the models, values as parameters

# Every decided budget counts in four scopes: all teams and its own team, all dates and its own
# financial year. A budget whose worker has no team has no team scope (key 0 matches none).
_FOUR_SCOPES = f"""
CROSS JOIN LATERAL (VALUES ({ALL_TEAMS_KEY}, '{ALL_DATES_KEY}'::date),
                           ({ALL_TEAMS_KEY}, f.year_start),
                           (f.team_key, '{ALL_DATES_KEY}'::date),
                           (f.team_key, f.year_start)) AS k(team_key, year_start)
"""

_SCOPE_KEYS = f"""
SELECT id AS scope_id,
       coalesce(team_id, {ALL_TEAMS_KEY}) AS team_key,
       coalesce(signed_off_from, '{ALL_DATES_KEY}'::date) AS year_start
  FROM {EquitySnapshotScope._meta.db_table} WHERE snapshot_id = %(snapshot)s
"""  # noqa: S608 - table names from the models, values as parameters

# Per client group and band of points, in every scope at once (one sort of the decided budgets).
_BANDS_SQL = f"""
INSERT INTO {EquitySnapshotBand._meta.db_table}
       (scope_id, client_group_code, band, people, minimum_pence, lower_quartile, median,
        upper_quartile, maximum_pence)
SELECT s.scope_id, c.client_group_code, g.band, g.people, g.minimum, g.q[1], g.q[2], g.q[3],
       g.maximum
  FROM (
       SELECT c.group_key, f.band,
              CASE WHEN GROUPING(f.team_key) = 1 THEN {ALL_TEAMS_KEY} ELSE f.team_key END
                  AS team_key,
              CASE WHEN GROUPING(f.year_start) = 1 THEN '{ALL_DATES_KEY}'::date
                   ELSE f.year_start END AS year_start,
              count(*) AS people,
              min(f.final_annual_pence) AS minimum,
              percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY f.final_annual_pence)
                  AS q,
              max(f.final_annual_pence) AS maximum
         FROM equity_facts f JOIN equity_codes c USING (client_group_code)
        GROUP BY GROUPING SETS ((c.group_key, f.band),
                                (c.group_key, f.band, f.team_key),
                                (c.group_key, f.band, f.year_start),
                                (c.group_key, f.band, f.team_key, f.year_start))
       ) g
  JOIN equity_codes c USING (group_key)
  JOIN ({_SCOPE_KEYS}) s USING (team_key, year_start)
"""  # noqa: S608 - table names from the models, values as parameters

# The limits of each band in each scope, written exactly as `reviews.equity` writes them.
_FENCES_SQL = f"""
CREATE TEMPORARY TABLE equity_fences ON COMMIT DROP AS
SELECT b.scope_id, b.client_group_code, b.band, s.team_key, s.year_start, b.people,
       b.lower_quartile - %(k)s * (b.upper_quartile - b.lower_quartile) AS lower_fence,
       b.upper_quartile + %(k)s * (b.upper_quartile - b.lower_quartile) AS upper_fence
  FROM {EquitySnapshotBand._meta.db_table} b
  JOIN ({_SCOPE_KEYS}) s USING (scope_id)
"""  # noqa: S608 - table names from the models, values as parameters

_OUTLIERS_SQL = f"""
INSERT INTO {EquitySnapshotOutlier._meta.db_table}
       (scope_id, decision_id, client_group_code, total_points, band, final_annual_pence,
        lower_fence, upper_fence, reason_labels, reasons)
SELECT o.scope_id, o.decision_id, o.client_group_code, o.total_points, o.band,
       o.final_annual_pence, o.lower_fence, o.upper_fence,
       COALESCE(e.labels, ARRAY[]::text[]), COALESCE(e.reasons, '')
  FROM (
       SELECT b.scope_id, f.decision_id, f.client_group_code, f.total_points, f.band,
              f.final_annual_pence, b.lower_fence, b.upper_fence
         FROM equity_facts f
         {_FOUR_SCOPES}
         JOIN equity_fences b
           ON b.client_group_code = f.client_group_code AND b.band = f.band
          AND b.team_key = k.team_key AND b.year_start = k.year_start
        WHERE f.final_annual_pence < b.lower_fence OR f.final_annual_pence > b.upper_fence
       ) o
  LEFT JOIN LATERAL (
       SELECT ev.reasons,
              ARRAY(SELECT rc.label FROM {ReasonCode._meta.db_table} rc
                     WHERE rc.code = ANY(ev.reason_codes) ORDER BY rc.label) AS labels
         FROM {DecisionEvent._meta.db_table} ev
        WHERE ev.decision_id = o.decision_id AND ev.to_state = ANY(%(states)s)
        ORDER BY ev.at DESC, ev.id DESC
        LIMIT 1
       ) e ON TRUE
"""  # noqa: S608 - table names from the models, values as parameters

# Every n-th decision by id in each client group of each scope, n = ceil(people / max_dots),
# as `reviews.equity.equity_dots` samples them; the pairs sorted by points, then amount. Each
# budget is numbered once per kind of scope, and each kind joins its own scopes' steps.
_DOT_SCOPE_KINDS = (
    (str(ALL_TEAMS_KEY), f"'{ALL_DATES_KEY}'::date", "n_all"),
    (str(ALL_TEAMS_KEY), "x.year_start", "n_year"),
    ("x.team_key", f"'{ALL_DATES_KEY}'::date", "n_team"),
    ("x.team_key", "x.year_start", "n_team_year"),
)
_DOTS_PER_KIND = " UNION ALL ".join(
    f"""
       SELECT s.scope_id, s.group_key, s.people, x.total_points, x.final_annual_pence
         FROM numbered x JOIN steps s
           ON s.group_key = x.group_key AND s.team_key = {team} AND s.year_start = {year}
        WHERE (x.{number} - 1) %% s.step = 0"""  # noqa: S608 - built from constants
    for team, year, number in _DOT_SCOPE_KINDS
)
_DOTS_SQL = f"""
INSERT INTO {EquitySnapshotDots._meta.db_table}
       (scope_id, client_group_code, people, points, final_annual_pence)
WITH numbered AS MATERIALIZED (
       SELECT c.group_key, f.team_key, f.year_start, f.total_points, f.final_annual_pence,
              row_number() OVER (PARTITION BY c.group_key ORDER BY f.decision_id) AS n_all,
              row_number() OVER (PARTITION BY c.group_key, f.year_start ORDER BY f.decision_id)
                  AS n_year,
              row_number() OVER (PARTITION BY c.group_key, f.team_key ORDER BY f.decision_id)
                  AS n_team,
              row_number() OVER (PARTITION BY c.group_key, f.team_key, f.year_start
                                 ORDER BY f.decision_id) AS n_team_year
         FROM equity_facts f JOIN equity_codes c USING (client_group_code)
), steps AS MATERIALIZED (
       SELECT b.scope_id, c.group_key, b.team_key, b.year_start, sum(b.people) AS people,
              (sum(b.people) + %(max_dots)s - 1) / %(max_dots)s AS step
         FROM equity_fences b JOIN equity_codes c USING (client_group_code)
        GROUP BY b.scope_id, c.group_key, b.team_key, b.year_start
)
SELECT d.scope_id, c.client_group_code, d.people, d.points, d.final_annual_pence
  FROM (
       SELECT scope_id, group_key, people,
              array_agg(total_points ORDER BY total_points, final_annual_pence) AS points,
              array_agg(final_annual_pence ORDER BY total_points, final_annual_pence)
                  AS final_annual_pence
         FROM ({_DOTS_PER_KIND}) dots
        GROUP BY scope_id, group_key, people
       ) d
  JOIN equity_codes c USING (group_key)
"""  # noqa: S608 - table names from the models, values as parameters


def equity_snapshot_fill(*, snapshot_id: int, today: datetime.date, tz: str) -> int:
    """Writes the equity figures of snapshot `snapshot_id`; returns the decided budgets counted.

    Runs inside the caller's transaction (the build's), which makes the snapshot visible only
    once all of it is written. Scopes: every team now in the database and "all teams", times
    every financial year from the first sign-off to today's and "all dates".
    """
    params: dict[str, Any] = {
        "snapshot": snapshot_id,
        "states": list(DECIDED_STATES),
        "width": points_band_width(),
        "k": float(outlier_iqr_multiple()),
        "max_dots": MAX_CHART_DOTS,
        "tz": tz,
        "this_year": financial_year_start(today),
    }
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS equity_facts, equity_codes, equity_fences")
        cursor.execute(_FACTS_SQL, params)
        decided = int(cursor.rowcount)
        cursor.execute("ANALYZE equity_facts")
        cursor.execute(_CODES_SQL)
        cursor.execute("ANALYZE equity_codes")
        cursor.execute(_SCOPES_SQL, params)
        cursor.execute(_BANDS_SQL, params)
        cursor.execute(_FENCES_SQL, params)
        cursor.execute("ANALYZE equity_fences")
        # The planner cannot see that few budgets pass the fences; sorting four copies of every
        # budget for a merge join is several times slower than probing a hash of the fences.
        cursor.execute("SET LOCAL enable_mergejoin = off")
        cursor.execute(_OUTLIERS_SQL, params)
        cursor.execute("RESET enable_mergejoin")
        cursor.execute(_DOTS_SQL, params)
        cursor.execute("DROP TABLE equity_facts, equity_codes, equity_fences")
    return decided


# -- Reading ----------------------------------------------------------------------------------


def equity_snapshot_latest() -> FiguresSnapshot | None:
    """The newest complete snapshot made with today's band width and IQR multiple."""
    return (
        FiguresSnapshot.objects.filter(
            state=SnapshotState.COMPLETE,
            band_width=points_band_width(),
            iqr_multiple=outlier_iqr_multiple(),
        )
        .order_by("-as_at", "-id")
        .first()
    )


def _whole_pence(value: float) -> int:
    """Round half up, as `reviews.equity` does."""
    return int(Decimal(repr(value)).to_integral_value(rounding="ROUND_HALF_UP"))


@dataclass(frozen=True, slots=True)
class EquitySource:
    """Where the figures for some filters come from: a snapshot's scope, or the live records.

    ``scope_id`` is None when they are worked out now: no snapshot yet, or a range of dates the
    snapshot does not hold.
    """

    filters: EquityFilters
    snapshot: FiguresSnapshot | None
    scope_id: int | None

    @property
    def from_snapshot(self) -> bool:
        return self.scope_id is not None

    @property
    def as_at(self) -> datetime.datetime | None:
        return self.snapshot.as_at if self.snapshot is not None and self.from_snapshot else None

    def _rows(self, model: Any) -> Any:
        rows = model.objects.filter(scope_id=self.scope_id)
        if self.filters.client_group_code:
            rows = rows.filter(client_group_code=self.filters.client_group_code)
        return rows

    def bands(self) -> list[PointsBand]:
        if not self.from_snapshot:
            return equity_bands(self.filters)
        width = self.snapshot.band_width if self.snapshot else points_band_width()
        assert width is not None  # noqa: S101 - a complete snapshot always records it
        return [
            PointsBand(
                client_group_code=row.client_group_code,
                min_points=row.band * width,
                max_points=row.band * width + width - 1,
                people=row.people,
                minimum_pence=row.minimum_pence,
                lower_quartile_pence=_whole_pence(row.lower_quartile),
                median_pence=_whole_pence(row.median),
                upper_quartile_pence=_whole_pence(row.upper_quartile),
                maximum_pence=row.maximum_pence,
            )
            for row in self._rows(EquitySnapshotBand).order_by("client_group_code", "band")
        ]

    def outliers(self) -> list[Outlier]:
        if not self.from_snapshot:
            return equity_outliers(self.filters)
        width = self.snapshot.band_width if self.snapshot else points_band_width()
        assert width is not None  # noqa: S101 - a complete snapshot always records it
        distance = ExpressionWrapper(
            Greatest(
                F("lower_fence") - F("final_annual_pence"),
                F("final_annual_pence") - F("upper_fence"),
            ),
            output_field=FloatField(),
        )
        rows = (
            self._rows(EquitySnapshotOutlier)
            .annotate(distance=distance)
            .order_by("client_group_code", "band", "-distance", "decision_id")
        )
        return [
            Outlier(
                decision_id=row.decision_id,
                client_group_code=row.client_group_code,
                total_points=row.total_points,
                min_points=row.band * width,
                max_points=row.band * width + width - 1,
                final_annual_pence=row.final_annual_pence,
                lower_fence_pence=max(0, _whole_pence(row.lower_fence)),
                upper_fence_pence=_whole_pence(row.upper_fence),
                reason_labels=tuple(row.reason_labels),
                reasons=row.reasons,
            )
            for row in rows
        ]

    def dots(self) -> list[Dots]:
        if not self.from_snapshot:
            return equity_dots(self.filters)
        return [
            Dots(
                client_group_code=row.client_group_code,
                people=row.people,
                dots=tuple(zip(row.points, row.final_annual_pence, strict=True)),
            )
            for row in self._rows(EquitySnapshotDots).order_by("client_group_code")
        ]


def equity_source(filters: EquityFilters) -> EquitySource:
    """The snapshot scope that holds exactly these filters, or the live records."""
    snapshot = equity_snapshot_latest()
    scope_id = None
    if snapshot is not None:
        team = Q(team__isnull=True) if filters.team_id is None else Q(team_id=filters.team_id)
        scope_id = (
            EquitySnapshotScope.objects.filter(
                team,
                snapshot=snapshot,
                signed_off_from=filters.signed_off_from,
                signed_off_to=filters.signed_off_to,
            )
            .values_list("pk", flat=True)
            .first()
        )
    return EquitySource(filters=filters, snapshot=snapshot, scope_id=scope_id)


def equity_snapshot_periods(snapshot: FiguresSnapshot | None) -> list[Period]:
    """The financial years a snapshot holds ready-made, newest first."""
    if snapshot is None:
        return []
    starts = (
        EquitySnapshotScope.objects.filter(snapshot=snapshot, signed_off_from__isnull=False)
        .values_list("signed_off_from", flat=True)
        .distinct()
        .order_by("-signed_off_from")
    )
    return [financial_year(start) for start in starts if start is not None]

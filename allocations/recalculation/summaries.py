"""Reads of recalculation runs: their progress, and what they found, summarised set-based.

Every figure of a run's results is a SQL aggregate worked out by the database in one pass over
the run's rows (or over a join of two runs' rows), never a Python loop over results, so a run of a
million cases is summarised as quickly as one of a hundred.

Money is integer pence. A result's change is `difference_pence`: its indicative amount under the
run's table minus the indicative amount it was originally priced at. A result with no original
amount has no change and is counted apart ("not compared").

The bands a change falls in (edges included, in pence; "£0.01" is any change of at least 1p):

| band                  | change in pence             |
|-----------------------|-----------------------------|
| Over £1,000 less      | -100,001 or lower           |
| £0.01 to £1,000 less  | -100,000 to -1              |
| The same              | 0                           |
| £0.01 to £1,000 more  | 1 to 100,000                |
| Over £1,000 more      | 100,001 or higher           |
"""

import datetime
import math
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from allocations.models import RecalculationChunk, RecalculationResult, RecalculationRun, RunState
from allocations.recalculation.histogram import (
    BIN_WIDTH_PENCE,
    CLAMP_PENCE,
    OVERFLOW_INDEX,
    HistogramBin,
    histogram_bins,
)

LARGEST_CHANGES = 50
# A run that has priced nothing for this long may have lost its worker: the page offers to resume
# it. Resuming sends again only the chunks not yet done, so offering it early costs nothing.
STALLED_AFTER = datetime.timedelta(seconds=60)
WORKING_STATES = (RunState.QUEUED, RunState.RUNNING)


@dataclass(frozen=True, slots=True)
class ChangeBandDefinition:
    """A band of changes: its edges in pence, both included; None where the band is open."""

    code: str
    label: str
    low_pence: int | None
    high_pence: int | None

    def holds(self, difference_pence: int) -> bool:
        return (self.low_pence is None or difference_pence >= self.low_pence) and (
            self.high_pence is None or difference_pence <= self.high_pence
        )


CHANGE_BANDS: tuple[ChangeBandDefinition, ...] = (
    ChangeBandDefinition("much-less", "Over £1,000 less", None, -100_001),
    ChangeBandDefinition("less", "£0.01 to £1,000 less", -100_000, -1),
    ChangeBandDefinition("same", "The same", 0, 0),
    ChangeBandDefinition("more", "£0.01 to £1,000 more", 1, 100_000),
    ChangeBandDefinition("much-more", "Over £1,000 more", 100_001, None),
)


@dataclass(frozen=True, slots=True)
class ChangeBand:
    """How many people's change falls in a band, and the sum of their changes (pence a year)."""

    definition: ChangeBandDefinition
    count: int
    total_change_pence: int


@dataclass(frozen=True, slots=True)
class ChangeSummary:
    """Changes summarised: in bands, and in the histogram's bins."""

    compared_count: int
    bands: tuple[ChangeBand, ...]
    histogram: tuple[HistogramBin, ...]

    def _count(self, *codes: str) -> int:
        return sum(band.count for band in self.bands if band.definition.code in codes)

    @property
    def less_count(self) -> int:
        return self._count("much-less", "less")

    @property
    def same_count(self) -> int:
        return self._count("same")

    @property
    def more_count(self) -> int:
        return self._count("more", "much-more")

    @property
    def total_change_pence(self) -> int:
        return sum(band.total_change_pence for band in self.bands)


@dataclass(frozen=True, slots=True)
class CostComparison:
    """The annual cost of some cases now and under the run's table (pence a year)."""

    cases: int
    now_pence: int
    under_table_pence: int

    @property
    def difference_pence(self) -> int:
        return self.under_table_pence - self.now_pence


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run found.

    `indicative` compares, for the cases that had one, the original indicative amounts with the
    amounts under the run's table; `decided` compares the decided final budgets with the amounts
    under the run's table for the cases with a decided budget.
    """

    result_count: int
    under_table_pence: int
    indicative: CostComparison
    decided: CostComparison
    changes: ChangeSummary

    @property
    def not_compared_count(self) -> int:
        """Results with no original indicative amount, left out of the comparison."""
        return self.result_count - self.indicative.cases


@dataclass(frozen=True, slots=True)
class RunPairSummary:
    """Two runs compared case by case: B's indicative amount minus A's, for cases in both."""

    shared: CostComparison
    only_a_count: int
    only_b_count: int
    changes: ChangeSummary


@dataclass(frozen=True, slots=True)
class CaseChange:
    """One result, as the lists of largest changes show it."""

    assessment_reference: str
    assessment_public_id: uuid.UUID
    total_points: int
    carer_level: str
    original_indicative_annual_pence: int
    indicative_annual_pence: int
    difference_pence: int
    final_annual_pence: int | None


@dataclass(frozen=True, slots=True)
class LargestChanges:
    decreases: tuple[CaseChange, ...]
    increases: tuple[CaseChange, ...]


@dataclass(frozen=True, slots=True)
class RunProgress:
    """Where a run has got to, at `now`."""

    state: str
    done_count: int
    total_count: int
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    last_progress_at: datetime.datetime
    now: datetime.datetime

    @property
    def is_working(self) -> bool:
        return self.state in WORKING_STATES

    @property
    def is_stalled(self) -> bool:
        """Queued or running, yet nothing priced for longer than `STALLED_AFTER`."""
        return self.is_working and self.now - self.last_progress_at > STALLED_AFTER

    @property
    def percent(self) -> int:
        """Whole per cent done, rounded down, so 100% means every case is done."""
        if self.total_count == 0:
            return 0 if self.is_working else 100
        return min(100, self.done_count * 100 // self.total_count)

    @property
    def announced_percent(self) -> int:
        """The last multiple of 10% passed: what the page announces to screen readers."""
        return self.percent // 10 * 10

    @property
    def elapsed_seconds(self) -> float | None:
        if self.started_at is None:
            return None
        end = self.now if self.is_working or self.finished_at is None else self.finished_at
        return max(0.0, (end - self.started_at).total_seconds())

    @property
    def cases_per_second(self) -> int | None:
        """The average rate since the run started, in whole cases a second; None before any."""
        elapsed = self.elapsed_seconds
        if not elapsed or self.done_count == 0:
            return None
        return max(1, round(self.done_count / elapsed))

    @property
    def seconds_left(self) -> int | None:
        """At the average rate so far, in whole seconds (rounded up); None when not known."""
        rate = self.cases_per_second
        if not self.is_working or rate is None:
            return None
        return math.ceil(max(0, self.total_count - self.done_count) / rate)

    @property
    def time_left(self) -> str:
        """The time left in words: "About 12 seconds left", "About 3 minutes left"."""
        seconds = self.seconds_left
        if seconds is None:
            return "Working out the time left"
        if seconds < 1:
            return "Almost done"
        if seconds < 90:
            return f"About {seconds} second{'s' if seconds != 1 else ''} left"
        minutes = round(seconds / 60)
        if minutes < 90:
            return f"About {minutes} minutes left"
        hours, minutes = divmod(minutes, 60)
        return f"About {hours} hour{'s' if hours != 1 else ''} {minutes} minutes left"


def recalculation_runs() -> QuerySet[RecalculationRun]:
    """Every run, newest first, with its table, client group and who started it."""
    return RecalculationRun.objects.select_related(
        "table_version__client_group", "started_by"
    ).order_by("-created_at", "-pk")


def run_progress(run: RecalculationRun, *, now: datetime.datetime | None = None) -> RunProgress:
    """The run's counts and timings, and when it last priced anything (its latest done chunk)."""
    last_chunk_done_at = RecalculationChunk.objects.filter(run=run).aggregate(last=Max("done_at"))[
        "last"
    ]
    candidates = [moment for moment in (last_chunk_done_at, run.started_at) if moment is not None]
    return RunProgress(
        state=run.state,
        done_count=run.done_count,
        total_count=run.total_count,
        started_at=run.started_at,
        finished_at=run.finished_at,
        last_progress_at=max(candidates, default=run.created_at),
        now=now or timezone.now(),
    )


def run_summary(run: RecalculationRun) -> RunSummary:
    """Totals now and under the run's table, and the changes in bands and bins: three queries."""
    compared = Q(original_indicative_annual_pence__isnull=False)
    decided = Q(final_annual_pence__isnull=False)
    totals = RecalculationResult.objects.filter(run=run).aggregate(
        result_count=Count("pk"),
        under_table=Sum("indicative_annual_pence"),
        compared_count=Count("pk", filter=compared),
        compared_now=Sum("original_indicative_annual_pence", filter=compared),
        compared_under_table=Sum("indicative_annual_pence", filter=compared),
        decided_count=Count("pk", filter=decided),
        decided_now=Sum("final_annual_pence", filter=decided),
        decided_under_table=Sum("indicative_annual_pence", filter=decided),
    )
    return RunSummary(
        result_count=totals["result_count"],
        under_table_pence=_pence(totals["under_table"]),
        indicative=CostComparison(
            cases=totals["compared_count"],
            now_pence=_pence(totals["compared_now"]),
            under_table_pence=_pence(totals["compared_under_table"]),
        ),
        decided=CostComparison(
            cases=totals["decided_count"],
            now_pence=_pence(totals["decided_now"]),
            under_table_pence=_pence(totals["decided_under_table"]),
        ),
        changes=_change_summary(
            f"SELECT difference_pence AS change FROM {_RESULTS} "  # noqa: S608 - names are ours
            "WHERE run_id = %s AND difference_pence IS NOT NULL",
            [run.pk],
        ),
    )


def run_pair_summary(run_a: RecalculationRun, run_b: RecalculationRun) -> RunPairSummary:
    """Run B against run A case by case: for each assessment in both, B's indicative amount
    minus A's, summarised in the same bands and bins as one run's changes."""
    pairs = (
        f"FROM {_RESULTS} AS a JOIN {_RESULTS} AS b "
        "ON b.assessment_id = a.assessment_id AND b.run_id = %s WHERE a.run_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), sum(a.indicative_annual_pence), sum(b.indicative_annual_pence) "
            f"{pairs}",
            [run_b.pk, run_a.pk],
        )
        shared_count, a_total, b_total = cursor.fetchone()
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {_RESULTS} WHERE run_id = %s), "  # noqa: S608
            f"(SELECT count(*) FROM {_RESULTS} WHERE run_id = %s)",
            [run_a.pk, run_b.pk],
        )
        a_count, b_count = cursor.fetchone()
    return RunPairSummary(
        shared=CostComparison(
            cases=shared_count, now_pence=_pence(a_total), under_table_pence=_pence(b_total)
        ),
        only_a_count=a_count - shared_count,
        only_b_count=b_count - shared_count,
        changes=_change_summary(
            f"SELECT b.indicative_annual_pence - a.indicative_annual_pence AS change {pairs}",
            [run_b.pk, run_a.pk],
        ),
    )


def largest_changes(run: RecalculationRun, *, limit: int = LARGEST_CHANGES) -> LargestChanges:
    """The `limit` largest decreases and increases, largest first (ties by assessment id)."""
    results = RecalculationResult.objects.filter(run=run)
    fields = (
        "assessment__reference",
        "assessment__public_id",
        "total_points",
        "carer_level",
        "original_indicative_annual_pence",
        "indicative_annual_pence",
        "difference_pence",
        "final_annual_pence",
    )
    decreases = results.filter(difference_pence__lt=0).order_by("difference_pence", "assessment_id")
    increases = results.filter(difference_pence__gt=0).order_by(
        "-difference_pence", "assessment_id"
    )
    return LargestChanges(
        decreases=tuple(CaseChange(*row) for row in decreases.values_list(*fields)[:limit]),
        increases=tuple(CaseChange(*row) for row in increases.values_list(*fields)[:limit]),
    )


# The columns of a download: each result's field (an assessment's through the join) and heading.
EXPORT_COLUMNS = (
    ("assessment__reference", "Assessment reference"),
    ("assessment__client_group_code", "Client group"),
    ("assessment__submitted_at", "Submitted on"),
    ("total_points", "Total points"),
    ("carer_level", "Carer level"),
    ("full_needs_annual_pence", "Full needs a year (pounds)"),
    ("original_indicative_annual_pence", "Originally a year (pounds)"),
    ("indicative_annual_pence", "Under this table a year (pounds)"),
    ("difference_pence", "Change a year (pounds)"),
    ("final_annual_pence", "Decided final budget a year (pounds)"),
)
EXPORT_FIELDS = tuple(field for field, _ in EXPORT_COLUMNS)
EXPORT_HEADINGS = tuple(heading for _, heading in EXPORT_COLUMNS)

ExportRow = tuple[
    str, str, datetime.datetime | None, int, str, int, int | None, int, int | None, int | None
]


def run_result_count(run: RecalculationRun) -> int:
    return RecalculationResult.objects.filter(run=run).count()


def run_result_rows(run: RecalculationRun, *, chunk_size: int = 5_000) -> Iterator[ExportRow]:
    """Every result of the run, in assessment order, read a chunk at a time (a server-side
    cursor), so a million rows never sit in memory at once. Fields as in `EXPORT_FIELDS`."""
    rows = (
        RecalculationResult.objects.filter(run=run)
        .order_by("assessment_id")
        .values_list(*EXPORT_FIELDS)
    )
    return rows.iterator(chunk_size=chunk_size)


_RESULTS = RecalculationResult._meta.db_table

# The histogram bin of a change, as `histogram.bin_index` defines it. Integer division of
# non-negative whole numbers rounds down, so adding (width - 1) first rounds up.
_BIN_SQL = (
    f"CASE WHEN change > {CLAMP_PENCE} THEN {OVERFLOW_INDEX} "
    f"WHEN change < -{CLAMP_PENCE} THEN -{OVERFLOW_INDEX} "
    f"WHEN change < 0 THEN -((-change + {BIN_WIDTH_PENCE - 1}) / {BIN_WIDTH_PENCE}) "
    f"ELSE (change + {BIN_WIDTH_PENCE - 1}) / {BIN_WIDTH_PENCE} END"
)


def _change_summary(changes_sql: str, params: Sequence[int]) -> ChangeSummary:
    """Summarise the changes that `changes_sql` selects (one column, `change`, in pence)."""
    band_columns: list[str] = []
    band_params: list[int] = []
    for band in CHANGE_BANDS:
        condition, condition_params = _band_condition(band)
        band_columns += [
            f"count(*) FILTER (WHERE {condition})",
            f"coalesce(sum(change) FILTER (WHERE {condition}), 0)",
        ]
        band_params += [*condition_params, *condition_params]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), {', '.join(band_columns)} "  # noqa: S608 - built from constants
            f"FROM ({changes_sql}) AS changes",
            [*band_params, *params],
        )
        counts = cursor.fetchone()
        cursor.execute(
            f"SELECT {_BIN_SQL} AS bin, count(*) "  # noqa: S608 - built from constants
            f"FROM ({changes_sql}) AS changes GROUP BY bin",
            list(params),
        )
        bins = {int(index): count for index, count in cursor.fetchall()}
    return ChangeSummary(
        compared_count=counts[0],
        bands=tuple(
            ChangeBand(band, count=counts[1 + 2 * n], total_change_pence=int(counts[2 + 2 * n]))
            for n, band in enumerate(CHANGE_BANDS)
        ),
        histogram=histogram_bins(bins),
    )


def _band_condition(band: ChangeBandDefinition) -> tuple[str, list[int]]:
    parts: list[str] = []
    params: list[int] = []
    if band.low_pence is not None:
        parts.append("change >= %s")
        params.append(band.low_pence)
    if band.high_pence is not None:
        parts.append("change <= %s")
        params.append(band.high_pence)
    return " AND ".join(parts), params


def _pence(value: int | Decimal | None) -> int:
    """A sum from the database (None for no rows, a Decimal for a sum of bigints) in pence."""
    return 0 if value is None else int(value)

"""Calibration: existing cases and what their care really costs, priced under a table version.

A finance lead imports a sample of existing cases (reference, client group, total points, carer
level and the actual package cost a year) from an Excel workbook or a CSV file. The file passes
the same safety checks as a table's file (`allocations.spreadsheets.safety`), and the whole file
is read before anything is written: every problem is listed by row and column, and nothing is
saved if there is one.

The analysis prices each distinct (total points, carer level) once with the pure engine and
compares the RAS amount with the actual cost, client group by client group. The statistics are
worked by :func:`calibration_statistics`, which is pure: money stays in pence, and floats are
used only for the correlation itself.
"""

import csv
import datetime
import io
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from allocations import engine
from allocations.models import (
    AllocationTableVersion,
    CalibrationCase,
    CalibrationSample,
    ClientGroup,
    TableStatus,
)
from allocations.selectors import engine_table, table_in_force, table_versions
from allocations.services import TableChangeRefused
from allocations.spreadsheets import values
from allocations.spreadsheets.layout import CSV_FILE
from allocations.spreadsheets.problems import SpreadsheetProblem, SpreadsheetRefused
from allocations.spreadsheets.reading import RawCell, _open_workbook, _plain, _raw_cell
from allocations.spreadsheets.safety import FileKind, Upload, check_file, csv_text_of, read_upload
from questionnaires.carer_levels import CARER_LEVEL_CODES
from ras.accounts.models import User
from ras.accounts.roles import Role

MAX_CASES = 20_000
MAX_REFERENCE_LENGTH = 60
FURTHEST_OFF_SHOWN = 20


@dataclass(frozen=True, slots=True)
class CalibrationColumn:
    letter: str
    field: str
    heading: str


CALIBRATION_COLUMNS: tuple[CalibrationColumn, ...] = (
    CalibrationColumn("A", "reference", "Reference"),
    CalibrationColumn("B", "client_group", "Client group"),
    CalibrationColumn("C", "total_points", "Total points"),
    CalibrationColumn("D", "carer_level", "Carer level"),
    CalibrationColumn("E", "actual", "Actual cost £ a year"),
)


def _heading_key(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- Import -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    sheet: str
    row: int
    cells: dict[str, RawCell]


@dataclass
class _Reading:
    rows: list[_Row] = field(default_factory=list)
    problems: list[SpreadsheetProblem] = field(default_factory=list)


@transaction.atomic
def calibration_sample_import(
    *, name: str, uploaded_file: Upload, actor: User
) -> CalibrationSample:
    """A new sample holding every case in the file; finance leads only.

    Raises TableChangeRefused when the actor is not a finance lead or the name is blank, and
    SpreadsheetRefused listing every problem in the file; in both cases nothing is saved.
    """
    if not actor.has_role(Role.FINANCE_LEAD):
        raise TableChangeRefused(["Only a finance lead can import a calibration sample."])
    name = name.strip()
    if not name:
        raise TableChangeRefused(["Enter a name for the sample."])
    file_name, data = read_upload(uploaded_file)
    kind = check_file(name=file_name, data=data)
    reading = _Reading()
    if kind is FileKind.XLSX:
        _read_workbook(data, reading)
    else:
        _read_csv(csv_text_of(data), reading)
    cases = _cases_from_rows(reading)
    if reading.problems:
        raise SpreadsheetRefused(reading.problems)
    sample = CalibrationSample.objects.create(
        name=name[:120], uploaded_by=actor, file_name=file_name[:255]
    )
    for case in cases:
        case.sample = sample
    CalibrationCase.objects.bulk_create(cases, batch_size=2_000)
    return sample


def _read_workbook(data: bytes, reading: _Reading) -> None:
    as_written = _open_workbook(data, data_only=False)
    with_results = _open_workbook(data, data_only=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            formulas = as_written.worksheets[0]
            results = with_results.worksheets[0]
            sheet = results.title
            for worksheet in (formulas, results):
                worksheet.reset_dimensions()
            header = next(iter(results.iter_rows(min_row=1, max_row=1)), ())
            if not _headings_ok(sheet, [_plain(cell.value) for cell in header], reading):
                return
            width = len(CALIBRATION_COLUMNS)
            rows = zip(
                formulas.iter_rows(min_row=2, max_col=width),
                results.iter_rows(min_row=2, max_col=width),
                strict=True,
            )
            for row_number, (written, result) in enumerate(rows, start=2):
                cells = {
                    column.field: _raw_cell(written_cell, result_cell)
                    for column, written_cell, result_cell in zip(
                        CALIBRATION_COLUMNS, written, result, strict=False
                    )
                }
                if not _add_row(_Row(sheet, row_number, cells), reading):
                    return
    except SpreadsheetRefused:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error for a damaged part
        raise SpreadsheetRefused(
            [
                SpreadsheetProblem(
                    "The workbook could not be read: it may be damaged. Open it in Excel, save "
                    "it as an Excel Workbook (.xlsx) and upload it again."
                )
            ]
        ) from None
    finally:
        as_written.close()
        with_results.close()


def _read_csv(text: str, reading: _Reading) -> None:
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(records, None)
        if header is None:
            raise SpreadsheetRefused([SpreadsheetProblem("The CSV file is empty.")])
        if not _headings_ok(CSV_FILE, list(header), reading):
            return
        width = len(CALIBRATION_COLUMNS)
        for row_number, record in enumerate(records, start=2):
            if len(record) > width and any(not values.is_blank(v) for v in record[width:]):
                reading.problems.append(
                    SpreadsheetProblem(
                        f"the row has {len(record)} values but the file has {width} columns. "
                        "A value may hold a comma: write amounts without commas (3000.50), or "
                        'put quote marks around them ("3,000.50")',
                        CSV_FILE,
                        row_number,
                    )
                )
                continue
            cells = {
                column.field: RawCell(record[index] if index < len(record) else None)
                for index, column in enumerate(CALIBRATION_COLUMNS)
            }
            if not _add_row(_Row(CSV_FILE, row_number, cells), reading):
                return
    except csv.Error:
        raise SpreadsheetRefused(
            [
                SpreadsheetProblem(
                    "The CSV file could not be read: check that every quote mark around a "
                    "value has its pair."
                )
            ]
        ) from None


def _headings_ok(sheet: str, headings: Sequence[values.CellValue], reading: _Reading) -> bool:
    ok = True
    for index, column in enumerate(CALIBRATION_COLUMNS):
        heading = headings[index] if index < len(headings) else None
        text = "" if values.is_blank(heading) else str(heading)
        if _heading_key(text) == _heading_key(column.heading):
            continue
        message = (
            f"the heading '{column.heading}' is missing"
            if not text.strip()
            else f"the heading should be '{column.heading}', not {values.shown(heading)}"
        )
        reading.problems.append(SpreadsheetProblem(message, sheet, 1, column.letter))
        ok = False
    return ok


def _add_row(raw: _Row, reading: _Reading) -> bool:
    """Keeps a row that is not blank; False when there are too many rows to read on."""
    if all(cell.is_blank for cell in raw.cells.values()):
        return True
    if len(reading.rows) == MAX_CASES:
        reading.problems.append(
            SpreadsheetProblem(
                f"the file has more than {MAX_CASES:,} cases; a sample can have at most "
                f"{MAX_CASES:,}, so split it into smaller samples",
                raw.sheet,
            )
        )
        return False
    reading.rows.append(raw)
    return True


def _cases_from_rows(reading: _Reading) -> list[CalibrationCase]:
    groups: dict[str, ClientGroup] = {}
    for known in ClientGroup.objects.all():
        groups[known.code.casefold()] = known
        groups[_heading_key(known.name)] = known
    group_names = ", ".join(known.code for known in ClientGroup.objects.order_by("code"))
    levels = ", ".join(CARER_LEVEL_CODES)
    seen: dict[str, int] = {}
    cases: list[CalibrationCase] = []
    if not reading.rows and not reading.problems:
        reading.problems.append(SpreadsheetProblem("The file has no cases in it."))
    for raw in reading.rows:
        before = len(reading.problems)

        def fail(field_name: str, message: str, raw: _Row = raw) -> None:
            column = next(c for c in CALIBRATION_COLUMNS if c.field == field_name)
            reading.problems.append(
                SpreadsheetProblem(message, raw.sheet, raw.row, column.letter, column.heading)
            )

        def cell(field_name: str, raw: _Row = raw) -> RawCell:
            return raw.cells.get(field_name, RawCell())

        for field_name in ("reference", "client_group", "total_points", "carer_level", "actual"):
            unreadable = cell(field_name).unreadable
            if unreadable is not None:
                fail(field_name, unreadable)
        reference = _text(cell("reference"))
        if cell("reference").unreadable is None:
            if not reference:
                fail("reference", "is blank; enter the case's reference")
            elif len(reference) > MAX_REFERENCE_LENGTH:
                fail("reference", f"is longer than {MAX_REFERENCE_LENGTH} characters")
            elif reference.casefold() in seen:
                fail(
                    "reference",
                    f"'{reference}' is in row {seen[reference.casefold()]} already; give each "
                    "case one row",
                )
            else:
                seen[reference.casefold()] = raw.row
        group_text = _text(cell("client_group"))
        group = groups.get(_heading_key(group_text))
        if cell("client_group").unreadable is None and group is None:
            fail(
                "client_group",
                "is blank; enter the client group"
                if not group_text
                else f"{values.shown(group_text)} is not a client group; use one of: {group_names}",
            )
        points = _converted(
            cell("total_points"),
            lambda v: values.points_from_cell(v, blank_message="is blank; enter the total points"),
            lambda message: fail("total_points", message),
        )
        level = _text(cell("carer_level")).casefold()
        if cell("carer_level").unreadable is None and level not in CARER_LEVEL_CODES:
            fail(
                "carer_level",
                f"is blank; enter a carer level: {levels}"
                if not level
                else f"{values.shown(cell('carer_level').value)} is not a carer level; use one "
                f"of: {levels}",
            )
        actual = _converted(
            cell("actual"), values.pence_from_cell, lambda message: fail("actual", message)
        )
        if len(reading.problems) == before and group is not None and points is not None:
            assert actual is not None  # noqa: S101 - no problem means the amount was read
            cases.append(
                CalibrationCase(
                    reference=reference,
                    client_group=group,
                    total_points=points,
                    carer_level=level,
                    actual_annual_pence=actual,
                )
            )
    reading.problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return cases


def _text(cell: RawCell) -> str:
    if cell.unreadable is not None or values.is_blank(cell.value):
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _converted(cell: RawCell, convert: Any, fail: Any) -> int | None:
    if cell.unreadable is not None:
        return None
    try:
        result: int | None = convert(cell.value)
    except values.CellValueError as error:
        fail(error.message)
        return None
    return result


# --- Reads ------------------------------------------------------------------------------------


def calibration_samples() -> QuerySet[CalibrationSample]:
    return CalibrationSample.objects.select_related("uploaded_by")


def calibration_sample_groups(sample: CalibrationSample) -> list[ClientGroup]:
    ids = sample.cases.values_list("client_group_id", flat=True).distinct()
    return list(ClientGroup.objects.filter(pk__in=ids).order_by("name"))


def calibration_versions(sample: CalibrationSample) -> QuerySet[AllocationTableVersion]:
    """Every table version of the sample's client groups (draft or published) a lead may pick."""
    ids = sample.cases.values_list("client_group_id", flat=True).distinct()
    return (
        table_versions()
        .filter(client_group_id__in=ids)
        .exclude(status=TableStatus.RETIRED)
        .order_by("client_group__name", "-created_at")
    )


# --- Statistics (pure) ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalibrationStatistics:
    """How close the RAS amounts are to the actual costs. Shares are in basis points."""

    count: int
    correlation: float | None
    within_10_count: int
    within_20_count: int

    @property
    def within_10_bp(self) -> int:
        return engine.rhu(self.within_10_count * 10_000, self.count) if self.count else 0

    @property
    def within_20_bp(self) -> int:
        return engine.rhu(self.within_20_count * 10_000, self.count) if self.count else 0


def within_percent(ras_pence: int, actual_pence: int, percent: int) -> bool:
    """|ras - actual| is at most `percent`% of actual, compared exactly in whole numbers."""
    return 100 * abs(ras_pence - actual_pence) <= percent * actual_pence


def pearson_correlation(pairs: Sequence[tuple[int, int]]) -> float | None:
    """Pearson's r of whole-number pairs; None with fewer than 2 pairs or no spread.

    The sums are exact integers; only the last division is in floating point. When the
    denominator is a whole square root (as for perfectly linear data) it is taken exactly.
    """
    n = len(pairs)
    if n < 2:
        return None
    sum_x = sum(x for x, _ in pairs)
    sum_y = sum(y for _, y in pairs)
    covariance = n * sum(x * y for x, y in pairs) - sum_x * sum_y
    spread_x = n * sum(x * x for x, _ in pairs) - sum_x * sum_x
    spread_y = n * sum(y * y for _, y in pairs) - sum_y * sum_y
    if spread_x == 0 or spread_y == 0:
        return None
    product = spread_x * spread_y
    root = math.isqrt(product)
    denominator = root if root * root == product else math.sqrt(product)
    return max(-1.0, min(1.0, covariance / denominator))


def calibration_statistics(pairs: Sequence[tuple[int, int]]) -> CalibrationStatistics:
    """Statistics of (RAS amount, actual cost) pairs in pence."""
    return CalibrationStatistics(
        count=len(pairs),
        correlation=pearson_correlation(pairs),
        within_10_count=sum(1 for ras, actual in pairs if within_percent(ras, actual, 10)),
        within_20_count=sum(1 for ras, actual in pairs if within_percent(ras, actual, 20)),
    )


# --- Scatter chart (pure) ---------------------------------------------------------------------

CHART_SIZE = 520
CHART_LEFT = 96
CHART_TOP = 20
CHART_PLOT = CHART_SIZE - CHART_LEFT - 20
CHART_HEIGHT = CHART_TOP + CHART_PLOT + 64


@dataclass(frozen=True, slots=True)
class ChartTick:
    position: str
    label: str


@dataclass(frozen=True, slots=True)
class ScatterChart:
    """Pixel positions (display values, never money) and labels for a template to draw."""

    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    ticks: tuple[ChartTick, ...]
    x_ticks: tuple[ChartTick, ...]
    dots: tuple[tuple[str, str], ...]
    axis_max_label: str


def _tick_step_pence(max_pence: int) -> int:
    step = 100_00
    while True:
        for multiple in (1, 2, 5):
            if max_pence <= step * multiple * 5:
                return step * multiple
        step *= 10


def scatter_chart(pairs: Sequence[tuple[int, int]]) -> ScatterChart:
    """Each pair (RAS, actual) as a dot: RAS across, actual up; the same scale on both axes."""
    largest = max((max(ras, actual) for ras, actual in pairs), default=0)
    step = _tick_step_pence(max(largest, 1))
    axis_max = step * max(1, -(-largest // step))
    right = CHART_LEFT + CHART_PLOT
    bottom = CHART_TOP + CHART_PLOT

    def x_of(pence: int) -> str:
        return f"{CHART_LEFT + CHART_PLOT * pence / axis_max:.1f}"

    def y_of(pence: int) -> str:
        return f"{bottom - CHART_PLOT * pence / axis_max:.1f}"

    ticks = tuple(
        ChartTick(y_of(value), _short_pounds(value)) for value in range(0, axis_max + 1, step)
    )
    x_ticks = tuple(
        ChartTick(x_of(value), _short_pounds(value)) for value in range(0, axis_max + 1, step)
    )
    return ScatterChart(
        width=CHART_SIZE,
        height=CHART_HEIGHT,
        left=CHART_LEFT,
        top=CHART_TOP,
        right=right,
        bottom=bottom,
        ticks=ticks,
        x_ticks=x_ticks,
        dots=tuple((x_of(ras), y_of(actual)) for ras, actual in pairs),
        axis_max_label=_short_pounds(axis_max),
    )


def _short_pounds(pence: int) -> str:
    pounds = pence // 100
    if pounds >= 1_000 and pounds % 1_000 == 0:
        return f"£{pounds // 1_000:,}k"
    return f"£{pounds:,}"


# --- Analysis ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PricedCase:
    reference: str
    total_points: int
    carer_level: str
    ras_pence: int
    actual_pence: int

    @property
    def difference_pence(self) -> int:
        return self.ras_pence - self.actual_pence

    @property
    def difference_bp(self) -> int | None:
        """The difference as a share of the actual cost, in basis points (rounded half up)."""
        if self.actual_pence == 0:
            return None
        magnitude = engine.rhu(abs(self.difference_pence) * 10_000, self.actual_pence)
        return magnitude if self.difference_pence >= 0 else -magnitude


@dataclass(frozen=True, slots=True)
class GroupCalibration:
    client_group: ClientGroup
    version: AllocationTableVersion | None
    refusal: str
    statistics: CalibrationStatistics | None
    chart: ScatterChart | None
    cases: tuple[PricedCase, ...]
    furthest_off: tuple[PricedCase, ...]


def price_cases(table: engine.TableVersion, cases: Iterable[CalibrationCase]) -> list[PricedCase]:
    """Each case's RAS amount, pricing each distinct (points, carer level) once."""
    amounts: dict[tuple[int, str], int] = {}
    priced: list[PricedCase] = []
    for case in cases:
        key = (case.total_points, case.carer_level)
        if key not in amounts:
            amounts[key] = engine.indicative_amounts(table, *key)[2]
        priced.append(
            PricedCase(
                case.reference,
                case.total_points,
                case.carer_level,
                amounts[key],
                case.actual_annual_pence,
            )
        )
    return priced


def calibration_analysis(
    *,
    sample: CalibrationSample,
    chosen_version: AllocationTableVersion | None,
    today: datetime.date,
) -> list[GroupCalibration]:
    """Per client group: the version priced against (the chosen one, or the one in force)."""
    analyses: list[GroupCalibration] = []
    for group in calibration_sample_groups(sample):
        if chosen_version is not None and chosen_version.client_group_id == group.pk:
            version: AllocationTableVersion | None = chosen_version
        else:
            version = table_in_force(client_group=group, on_date=today)
        if version is None:
            analyses.append(
                GroupCalibration(
                    group, None, "No table is in force for this client group.", None, None, (), ()
                )
            )
            continue
        cases = sample.cases.filter(client_group=group).order_by("reference")
        try:
            priced = price_cases(engine_table(version), cases)
        except engine.PricingError as error:
            analyses.append(GroupCalibration(group, version, str(error), None, None, (), ()))
            continue
        pairs = [(case.ras_pence, case.actual_pence) for case in priced]
        furthest = sorted(priced, key=lambda case: (-abs(case.difference_pence), case.reference))[
            :FURTHEST_OFF_SHOWN
        ]
        analyses.append(
            GroupCalibration(
                group,
                version,
                "",
                calibration_statistics(pairs),
                scatter_chart(pairs),
                tuple(priced),
                tuple(furthest),
            )
        )
    return analyses

"""Reads a whole workbook or CSV file into bands and reductions, listing every problem found.

Nothing here writes. The file is checked by `safety` first; then every row of the Bands and
Carer reductions sections is read, and every cell that cannot be read is listed by sheet, row and
column. Cells are read as text, whole numbers or Decimals (see `values`), never as floats.

A workbook is opened twice, in openpyxl's streaming (read-only) mode: once as written, to see
which cells hold formulas, and once with the results Excel saved, to read those formulas' values.
A formula with no saved result is refused, naming the cell. Only the layout's columns are read
from each row; a heading to the right of them is refused, so a misplaced column is noticed.
"""

import csv
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import openpyxl
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from allocations import engine
from allocations.spreadsheets import values
from allocations.spreadsheets.layout import (
    BAND_COLUMNS,
    BANDS_SHEET,
    CSV_BAND_FIELDS,
    CSV_COLUMNS,
    CSV_FILE,
    CSV_REDUCTION_FIELDS,
    CSV_SECTION_BAND,
    CSV_SECTION_REDUCTION,
    MAX_BANDS,
    MAX_REDUCTION_ROWS,
    REDUCTION_COLUMNS,
    REDUCTIONS_SHEET,
    Column,
    column_for,
    column_letter,
)
from allocations.spreadsheets.problems import SpreadsheetProblem, SpreadsheetRefused
from allocations.spreadsheets.safety import FileKind, check_file, csv_text_of
from questionnaires.carer_levels import CARER_LEVEL_CODES

T = TypeVar("T")

# Cells that say nothing about the table: a row holding only these is a blank row.
NOTE_FIELDS = frozenset({"band", "description", "section"})


@dataclass(frozen=True, slots=True)
class RawCell:
    """A cell as found. `is_fraction`: formatted as a percentage (0.125 shows as 12.50%).

    `unreadable` says why the cell has no value to read, such as a formula with no saved result.
    """

    value: values.CellValue = None
    is_fraction: bool = False
    unreadable: str | None = None

    @property
    def is_blank(self) -> bool:
        return self.unreadable is None and values.is_blank(self.value)


@dataclass(frozen=True, slots=True)
class RawRow:
    sheet: str
    row: int
    cells: dict[str, RawCell]

    def cell(self, field_name: str) -> RawCell:
        return self.cells.get(field_name, RawCell())

    @property
    def is_blank(self) -> bool:
        return all(cell.is_blank for name, cell in self.cells.items() if name not in NOTE_FIELDS)


@dataclass
class Section:
    """The rows of one section (bands, or carer reductions) and where they came from.

    `complete` is False when some of the section could not be read (a bad cell, a bad heading,
    a missing sheet), so checks of the section as a whole would mislead.
    """

    sheet: str
    columns: tuple[Column, ...]
    is_bands: bool
    rows: list[RawRow] = field(default_factory=list)
    complete: bool = True

    @property
    def limit(self) -> int:
        return MAX_BANDS if self.is_bands else MAX_REDUCTION_ROWS


@dataclass
class TableFromFile:
    """What a file holds: bands in order, reductions by level, and every problem found.

    `band_rows[i]` is the row band i + 1 came from; `reduction_rows` the row of each level.
    `levels_named` holds every known carer level with a row, even one whose reduction could not
    be read, so the table checks do not also call it missing.
    """

    kind: FileKind
    bands_sheet: str
    band_columns: tuple[Column, ...]
    reductions_sheet: str
    reduction_columns: tuple[Column, ...]
    bands: list[engine.Band] = field(default_factory=list)
    band_rows: list[int] = field(default_factory=list)
    carer_reductions_bp: dict[str, int] = field(default_factory=dict)
    reduction_rows: dict[str, int] = field(default_factory=dict)
    levels_named: set[str] = field(default_factory=set)
    bands_complete: bool = True
    reductions_complete: bool = True
    problems: list[SpreadsheetProblem] = field(default_factory=list)


def read_table_file(*, name: str, data: bytes) -> TableFromFile:
    """Everything an uploaded file says about a table, with every problem in it.

    Raises SpreadsheetRefused when the file cannot be read at all (see `safety.check_file`);
    problems within a readable file are listed in the result's `problems`.
    """
    kind = check_file(name=name, data=data)
    problems: list[SpreadsheetProblem] = []
    if kind is FileKind.XLSX:
        bands, reductions = _workbook_sections(data, problems)
    else:
        bands, reductions = _csv_sections(csv_text_of(data), problems)
    table = TableFromFile(
        kind=kind,
        bands_sheet=bands.sheet,
        band_columns=bands.columns,
        reductions_sheet=reductions.sheet,
        reduction_columns=reductions.columns,
        problems=problems,
        bands_complete=bands.complete,
        reductions_complete=reductions.complete,
    )
    _read_bands(bands, table)
    _read_reductions(reductions, table)
    table.problems.sort(key=_reading_order)
    return table


def _reading_order(problem: SpreadsheetProblem) -> tuple[int, int, int, str]:
    """The whole file first, then sheet by sheet, row by row, column by column."""
    sheet_rank = {None: 0, BANDS_SHEET: 1, CSV_FILE: 1, REDUCTIONS_SHEET: 2}.get(problem.sheet, 3)
    column = problem.column or ""
    return sheet_rank, problem.row or 0, len(column), column


# --- Excel workbooks -------------------------------------------------------------------------


def _workbook_sections(data: bytes, problems: list[SpreadsheetProblem]) -> tuple[Section, Section]:
    bands = Section(BANDS_SHEET, BAND_COLUMNS, is_bands=True)
    reductions = Section(REDUCTIONS_SHEET, REDUCTION_COLUMNS, is_bands=False)
    as_written = _open_workbook(data, data_only=False)
    with_results = _open_workbook(data, data_only=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _read_sheet(as_written, with_results, bands, problems)
            _read_sheet(as_written, with_results, reductions, problems)
    except SpreadsheetRefused:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error for a damaged part
        raise SpreadsheetRefused([SpreadsheetProblem(_damaged_message())]) from None
    finally:
        as_written.close()
        with_results.close()
    return bands, reductions


def _open_workbook(data: bytes, *, data_only: bool) -> Any:
    try:
        with warnings.catch_warnings():
            # openpyxl warns about parts it leaves out, such as data validation extensions.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False
            )
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error for a damaged file
        raise SpreadsheetRefused([SpreadsheetProblem(_damaged_message())]) from None


def _damaged_message() -> str:
    return (
        "The workbook could not be read: it may be damaged. Open it in Excel, save it as an "
        "Excel Workbook (.xlsx) and upload it again."
    )


def _find_sheet(workbook: Any, title: str) -> Any:
    """The worksheet called `title` (any case), or None; a chart sheet does not count."""
    for sheet_name in workbook.sheetnames:
        if " ".join(sheet_name.split()).casefold() == title.casefold():
            sheet = workbook[sheet_name]
            return sheet if isinstance(sheet, ReadOnlyWorksheet) else None
    return None


def _read_sheet(
    as_written: Any,
    with_results: Any,
    section: Section,
    problems: list[SpreadsheetProblem],
) -> None:
    formulas = _find_sheet(as_written, section.sheet)
    results = _find_sheet(with_results, section.sheet)
    if formulas is None or results is None:
        names = ", ".join(f"'{name}'" for name in as_written.sheetnames)
        problems.append(
            SpreadsheetProblem(
                f"The workbook has no sheet called '{section.sheet}' (its sheets are {names}). "
                "Use the layout of a file exported from this service."
            )
        )
        section.complete = False
        return
    for sheet in (formulas, results):
        # Read as far as the cells really go, whatever size the sheet claims to be.
        sheet.reset_dimensions()
    header = next(iter(results.iter_rows(min_row=1, max_row=1)), ())
    heading_problems = _heading_problems(
        section.sheet, section.columns, [_plain(cell.value) for cell in header]
    )
    if heading_problems:
        problems.extend(heading_problems)
        section.complete = False
        return
    width = len(section.columns)
    rows = zip(
        formulas.iter_rows(min_row=2, max_col=width),
        results.iter_rows(min_row=2, max_col=width),
        strict=True,
    )
    for row_number, (written, result) in enumerate(rows, start=2):
        raw = RawRow(
            section.sheet,
            row_number,
            {
                column.field: _raw_cell(written_cell, result_cell)
                for column, written_cell, result_cell in zip(
                    section.columns, written, result, strict=True
                )
            },
        )
        if raw.is_blank:
            continue
        if len(section.rows) == section.limit:
            problems.append(_too_many_rows(section, "sheet"))
            return
        section.rows.append(raw)


def _too_many_rows(section: Section, where: str) -> SpreadsheetProblem:
    """Reading stops at the limit; the rows read so far are set aside."""
    section.complete = False
    section.rows.clear()
    if section.is_bands:
        message = (
            f"the {where} has more than {MAX_BANDS} bands; a table can have at most {MAX_BANDS}"
        )
    else:
        message = (
            f"the {where} has more than {MAX_REDUCTION_ROWS} carer reduction rows; give one row "
            "for each carer level"
        )
    return SpreadsheetProblem(message, section.sheet)


def _plain(value: Any) -> values.CellValue:
    """A cell value as one of the plain kinds `values` reads (rich text becomes its text)."""
    if value is None or isinstance(value, values.PLAIN_KINDS):
        return value
    return str(value)


def _raw_cell(written: Any, result: Any) -> RawCell:
    is_fraction = "%" in str(getattr(result, "number_format", None) or "")
    if getattr(result, "data_type", None) == "e":
        return RawCell(
            unreadable=(
                f"shows the error {values.shown(result.value)}; put it right in Excel and "
                "save the file again"
            )
        )
    if getattr(written, "data_type", None) == "f" and result.value is None:
        formula = getattr(written.value, "text", written.value)
        return RawCell(
            unreadable=(
                f"holds a formula ({values.shown(formula)}) with no saved result. Open the "
                "file in Excel so the formula is worked out, save it and upload it again, or "
                "type the value in"
            )
        )
    return RawCell(_plain(result.value), is_fraction=is_fraction)


def _heading_problems(
    sheet: str, columns: tuple[Column, ...], headings: list[values.CellValue]
) -> list[SpreadsheetProblem]:
    problems: list[SpreadsheetProblem] = []
    for index, column in enumerate(columns):
        heading = headings[index] if index < len(headings) else None
        text = "" if values.is_blank(heading) else str(heading).strip()
        if column.accepts(text):
            continue
        if not text:
            message = f"the heading '{column.heading}' is missing"
        else:
            message = f"the heading should be '{column.heading}', not {values.shown(heading)}"
        problems.append(SpreadsheetProblem(message, sheet, 1, column.letter))
    last = columns[-1].letter
    for index in range(len(columns), len(headings)):
        if not values.is_blank(headings[index]):
            problems.append(
                SpreadsheetProblem(
                    f"{values.shown(headings[index])} is not a column of this layout, which "
                    f"has columns A to {last} only; remove the column",
                    sheet,
                    1,
                    column_letter(index + 1),
                )
            )
    return problems


# --- CSV files --------------------------------------------------------------------------------


def _csv_sections(text: str, problems: list[SpreadsheetProblem]) -> tuple[Section, Section]:
    bands = Section(CSV_FILE, CSV_COLUMNS, is_bands=True)
    reductions = Section(CSV_FILE, CSV_COLUMNS, is_bands=False)
    records = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(records, None)
        if header is None:
            raise SpreadsheetRefused([SpreadsheetProblem("The CSV file is empty.")])
        heading_problems = _heading_problems(CSV_FILE, CSV_COLUMNS, list(header))
        if heading_problems:
            problems.extend(heading_problems)
            bands.complete = reductions.complete = False
            return bands, reductions
        for row_number, record in enumerate(records, start=2):
            if not _read_csv_record(row_number, record, bands, reductions, problems):
                break
    except csv.Error:
        raise SpreadsheetRefused(
            [
                SpreadsheetProblem(
                    "The CSV file could not be read: check that every quote mark around a "
                    "value has its pair, or export the file from this service again."
                )
            ]
        ) from None
    return bands, reductions


def _read_csv_record(
    row_number: int,
    record: list[str],
    bands: Section,
    reductions: Section,
    problems: list[SpreadsheetProblem],
) -> bool:
    """Adds one record to its section; False when reading must stop (too many rows)."""
    if all(values.is_blank(cell) for cell in record):
        return True
    width = len(CSV_COLUMNS)
    if len(record) > width:
        problems.append(
            SpreadsheetProblem(
                f"the row has {len(record)} values but the file has {width} columns. A value "
                "may hold a comma: write amounts without commas (3000.50), or put quote marks "
                'around them ("3,000.50")',
                CSV_FILE,
                row_number,
            )
        )
        bands.complete = reductions.complete = False
        return True
    cells = {
        column.field: RawCell(record[index] if index < len(record) else None)
        for index, column in enumerate(CSV_COLUMNS)
    }
    section_name = str(cells["section"].value or "").strip().casefold()
    fields: tuple[str, ...]
    if section_name == CSV_SECTION_BAND:
        section, fields = bands, CSV_BAND_FIELDS
    elif section_name == CSV_SECTION_REDUCTION:
        section, fields = reductions, CSV_REDUCTION_FIELDS
    else:
        what = (
            "is blank"
            if not section_name
            else f"{values.shown(cells['section'].value)} is not a section"
        )
        problems.append(
            SpreadsheetProblem(
                f"{what}; write {CSV_SECTION_BAND} or {CSV_SECTION_REDUCTION}",
                CSV_FILE,
                row_number,
                "A",
                "section",
            )
        )
        bands.complete = reductions.complete = False
        return True
    for column in CSV_COLUMNS:
        if column.field in (*fields, "section") or cells[column.field].is_blank:
            continue
        problems.append(
            SpreadsheetProblem(
                f"this is a {section_name} row, so this column should be blank",
                CSV_FILE,
                row_number,
                column.letter,
                column.heading,
            )
        )
        section.complete = False
    if len(section.rows) == section.limit:
        problems.append(_too_many_rows(section, "file"))
        return False
    section.rows.append(RawRow(CSV_FILE, row_number, {name: cells[name] for name in fields}))
    return True


# --- Rows to bands and reductions -------------------------------------------------------------


class _RowReader:
    """Reads one row's cells, noting a problem for each cell that cannot be read."""

    def __init__(
        self, raw: RawRow, columns: tuple[Column, ...], problems: list[SpreadsheetProblem]
    ) -> None:
        self.raw = raw
        self.columns = columns
        self.problems = problems
        self.ok = True

    def read(self, field_name: str, convert: Callable[[RawCell], T]) -> T | None:
        cell = self.raw.cell(field_name)
        try:
            if cell.unreadable is not None:
                raise values.CellValueError(cell.unreadable)
            return convert(cell)
        except values.CellValueError as error:
            self.fail(field_name, error.message)
            return None

    def fail(self, field_name: str, message: str) -> None:
        column = column_for(self.columns, field_name)
        self.problems.append(
            SpreadsheetProblem(message, self.raw.sheet, self.raw.row, column.letter, column.heading)
        )
        self.ok = False


def _read_bands(section: Section, table: TableFromFile) -> None:
    for raw in section.rows:
        reader = _RowReader(raw, section.columns, table.problems)
        min_points = reader.read(
            "min_points",
            lambda cell: values.points_from_cell(
                cell.value, blank_message="is blank; enter the fewest points the band covers"
            ),
        )
        max_points = reader.read(
            "max_points", lambda cell: values.points_from_cell(cell.value, blank_message="")
        )
        base_pence = reader.read("base_pence", lambda cell: values.pence_from_cell(cell.value))
        per_point_pence = reader.read(
            "per_point_pence", lambda cell: values.pence_from_cell(cell.value)
        )
        if not reader.ok or min_points is None or base_pence is None or per_point_pence is None:
            table.bands_complete = False
            continue
        table.bands.append(engine.Band(min_points, max_points, base_pence, per_point_pence))
        table.band_rows.append(raw.row)


def _read_reductions(section: Section, table: TableFromFile) -> None:
    known = ", ".join(CARER_LEVEL_CODES)
    for raw in section.rows:
        reader = _RowReader(raw, section.columns, table.problems)
        level = reader.read("carer_level", lambda cell: _carer_level(cell, known))
        if level is not None:
            if level in table.levels_named:
                first_row = table.reduction_rows.get(level)
                where = f"row {first_row}" if first_row else "an earlier row"
                reader.fail(
                    "carer_level",
                    f"'{level}' is in {where} already; give each carer level one row",
                )
                level = None
            else:
                table.levels_named.add(level)
        reduction_bp = reader.read(
            "reduction_bp",
            lambda cell: values.basis_points_from_cell(cell.value, is_fraction=cell.is_fraction),
        )
        if not reader.ok or level is None or reduction_bp is None:
            table.reductions_complete = False
            if level is not None:
                table.reduction_rows.setdefault(level, raw.row)
            continue
        table.carer_reductions_bp[level] = reduction_bp
        table.reduction_rows[level] = raw.row


def _carer_level(cell: RawCell, known: str) -> str:
    if values.is_blank(cell.value):
        raise values.CellValueError(f"is blank; enter a carer level code: {known}")
    code = str(cell.value).strip().casefold() if isinstance(cell.value, str) else None
    if code not in CARER_LEVEL_CODES:
        raise values.CellValueError(
            f"{values.shown(cell.value)} is not a carer level of the questionnaire; "
            f"use one of: {known}"
        )
    return code

"""Writes any table version as an Excel workbook (.xlsx) or a CSV file.

Amounts are written as numbers of pounds worked out exactly from pence (`Decimal(pence) / 100`),
formatted `£#,##0.00`; reductions as percentages with two decimals. Every text cell goes through
`formula_safe`, so a label such as `=HYPERLINK(...)` is written as text, never as a formula.
"""

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from allocations.models import AllocationTableVersion, Band, CarerReduction
from allocations.spreadsheets.layout import (
    ABOUT_SHEET,
    BAND_COLUMNS,
    BANDS_SHEET,
    CSV_COLUMNS,
    CSV_SECTION_BAND,
    CSV_SECTION_REDUCTION,
    DATE_FORMAT,
    PERCENT_FORMAT,
    POUNDS_FORMAT,
    REDUCTION_COLUMNS,
    REDUCTIONS_SHEET,
    column_letter,
)
from questionnaires.carer_levels import carer_level_label
from ras.exports import csv_text, formula_safe

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

UNITS_NOTE = (
    "Amounts are pounds a year, to the penny. 'Base £ a year' is the amount at the band's "
    "lowest points; '£ a year per point' is added for each point above them. A blank 'Max "
    "points' means the band has no upper limit (only the last band may have none). Reductions "
    "are percentages with up to 2 decimal places, taken off the amount for the help a person "
    "gets from family or friends."
)
IMPORT_NOTE = (
    "To change a draft, edit the Bands and Carer reductions sheets, keeping their headings, and "
    "import the file on the draft's import page. This sheet is not read on import."
)


def pounds(pence: int) -> Decimal:
    """Pence as an exact number of pounds: 300_010 is Decimal('3000.10')."""
    return Decimal(pence) / 100


def percentage(basis_points: int) -> Decimal:
    """Basis points as an exact percentage: 1_250 is Decimal('12.50')."""
    return Decimal(basis_points) / 100


def export_filename(version: AllocationTableVersion, extension: str) -> str:
    """`older-people-2026-to-2027.xlsx`: the client group's code and a slug of the label."""
    label = slugify(version.label) or "table"
    return f"{version.client_group.code}-{label}.{extension}"


def table_workbook(version: AllocationTableVersion, *, today: datetime.date | None = None) -> bytes:
    """The version as an .xlsx workbook: About this table, Bands and Carer reductions sheets."""
    workbook = Workbook()
    about = workbook.active
    assert isinstance(about, Worksheet)  # noqa: S101 - a new workbook's first sheet
    about.title = ABOUT_SHEET
    _write_about(about, version, today or timezone.localdate())
    _write_bands(workbook.create_sheet(BANDS_SHEET), _bands(version))
    _write_reductions(workbook.create_sheet(REDUCTIONS_SHEET), _reductions(version))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_csv(version: AllocationTableVersion) -> str:
    """The version as one CSV file: a `band` row per band, then a `carer_reduction` row per level.

    Amounts are plain numbers of pounds with two decimals (3000.00) and reductions plain
    percentages (12.50), so any program reads them back exactly.
    """
    rows: list[list[str | int | None]] = [
        [
            CSV_SECTION_BAND,
            position,
            band.min_points,
            band.max_points,
            f"{pounds(band.base_pence):.2f}",
            f"{pounds(band.per_point_pence):.2f}",
            None,
            None,
            None,
        ]
        for position, band in enumerate(_bands(version), start=1)
    ]
    rows.extend(
        [
            CSV_SECTION_REDUCTION,
            None,
            None,
            None,
            None,
            None,
            reduction.carer_level,
            carer_level_label(reduction.carer_level),
            f"{percentage(reduction.reduction_bp):.2f}",
        ]
        for reduction in _reductions(version)
    )
    return csv_text([column.heading for column in CSV_COLUMNS], rows)


def _bands(version: AllocationTableVersion) -> list[Band]:
    return sorted(version.bands.all(), key=lambda band: band.position)


def _reductions(version: AllocationTableVersion) -> list[CarerReduction]:
    return sorted(version.carer_reductions.all(), key=lambda reduction: reduction.id)


def _write_about(sheet: Worksheet, version: AllocationTableVersion, today: datetime.date) -> None:
    facts: list[tuple[str, str | datetime.date]] = [
        ("Client group", version.client_group.name),
        ("Client group code", version.client_group.code),
        ("Label", version.label),
        ("Status", version.get_status_display()),
        (
            "Effective from",
            version.effective_from or "Not set: a draft has no date until published",
        ),
        ("Exported on", today),
        ("Units", UNITS_NOTE),
        ("Importing", IMPORT_NOTE),
    ]
    sheet.append([formula_safe("About this table"), None])
    sheet["A1"].font = Font(bold=True, size=14)
    for name, value in facts:
        sheet.append(
            [formula_safe(name), value if isinstance(value, datetime.date) else formula_safe(value)]
        )
        row = sheet.max_row
        sheet.cell(row, 1).font = Font(bold=True)
        sheet.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, datetime.date):
            sheet.cell(row, 2).number_format = DATE_FORMAT
            sheet.cell(row, 2).alignment = Alignment(horizontal="left")
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 90


def _write_header(sheet: Worksheet, headings: Sequence[str], widths: Sequence[int]) -> None:
    sheet.append([formula_safe(heading) for heading in headings])
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(1, index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _write_bands(sheet: Worksheet, bands: list[Band]) -> None:
    _write_header(sheet, [column.heading for column in BAND_COLUMNS], (8, 12, 20, 16, 18))
    for position, band in enumerate(bands, start=1):
        sheet.append(
            [
                position,
                band.min_points,
                band.max_points,
                pounds(band.base_pence),
                pounds(band.per_point_pence),
            ]
        )
        row = sheet.max_row
        sheet.cell(row, 4).number_format = POUNDS_FORMAT
        sheet.cell(row, 5).number_format = POUNDS_FORMAT


def _write_reductions(sheet: Worksheet, reductions: list[CarerReduction]) -> None:
    _write_header(sheet, [column.heading for column in REDUCTION_COLUMNS], (18, 44, 14))
    for reduction in reductions:
        sheet.append(
            [
                formula_safe(reduction.carer_level),
                formula_safe(carer_level_label(reduction.carer_level)),
                percentage(reduction.reduction_bp),
            ]
        )
        sheet.cell(sheet.max_row, 3).number_format = PERCENT_FORMAT

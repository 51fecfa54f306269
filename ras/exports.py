"""Safe spreadsheet exports: a cell never starts a formula when opened in Excel or LibreOffice.

A text cell beginning with `=`, `+`, `-` or `@` (or a tab or carriage return, which some programs
strip before reading such a sign) is written with a leading apostrophe, which spreadsheet programs
read as "this is text". Numbers are written as numbers and need no escaping.
"""

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | None


def formula_safe(value: Cell) -> Cell:
    """The value to write in a cell: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A CSV document with every cell made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([formula_safe(cell) for cell in header])
    writer.writerows([formula_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]) -> bytes:
    """An .xlsx workbook with one sheet per (title, header, rows), every cell made formula-safe.

    Written in openpyxl's write-only mode, so large tables stream rather than sit in memory.
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([formula_safe(cell) for cell in header])
        for row in rows:
            sheet.append([formula_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

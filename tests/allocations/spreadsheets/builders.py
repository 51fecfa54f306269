"""Builders for the files the import tests upload: good ones, and every kind of bad one.

Files are built in the tests rather than committed, so each one shows how it is made. The good
table is the published older people's table of tests/allocations/conftest.py:
  band 1:   0-19 points, £0 base + £150 a point
  band 2:  20-49 points, £3,000 base + £260 a point
  band 3:  50-89 points, £10,800 base + £285 a point
  band 4: 90-129 points, £22,200 base + £300 a point
  band 5: 130+ points,   £34,200 base + £310 a point
Carer reductions: none 0%, some 10%, substantial 25%, most 40%.
"""

import csv
import io
import struct
import zipfile
import zlib
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from allocations.spreadsheets.layout import BAND_COLUMNS, CSV_COLUMNS, REDUCTION_COLUMNS

BAND_HEADINGS = [column.heading for column in BAND_COLUMNS]
REDUCTION_HEADINGS = [column.heading for column in REDUCTION_COLUMNS]
CSV_HEADINGS = [column.heading for column in CSV_COLUMNS]

GOOD_BANDS: list[list[Any]] = [
    [1, 0, 19, 0, 150],
    [2, 20, 49, 3000, 260],
    [3, 50, 89, 10800, 285],
    [4, 90, 129, 22200, 300],
    [5, 130, None, 34200, 310],
]
GOOD_REDUCTIONS: list[list[Any]] = [
    ["none", "No help from family or friends", 0],
    ["some", "Some help from family or friends", 10],
    ["substantial", "A lot of help from family or friends", 25],
    ["most", "Family or friends give most of the help", 40],
]
# The same table as the engine holds it, in pence and basis points.
GOOD_BANDS_PENCE = [
    (0, 19, 0, 15_000),
    (20, 49, 300_000, 26_000),
    (50, 89, 1_080_000, 28_500),
    (90, 129, 2_220_000, 30_000),
    (130, None, 3_420_000, 31_000),
]
GOOD_REDUCTIONS_BP = {"none": 0, "some": 1_000, "substantial": 2_500, "most": 4_000}

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bands_with(row_index: int, column_index: int, value: Any) -> list[list[Any]]:
    """The good bands with one cell changed (both counted from 0 within the band rows)."""
    rows = [list(row) for row in GOOD_BANDS]
    rows[row_index][column_index] = value
    return rows


def reductions_with(row_index: int, column_index: int, value: Any) -> list[list[Any]]:
    rows = [list(row) for row in GOOD_REDUCTIONS]
    rows[row_index][column_index] = value
    return rows


def workbook(
    *,
    bands: Sequence[Sequence[Any]] = GOOD_BANDS,
    reductions: Sequence[Sequence[Any]] = GOOD_REDUCTIONS,
    band_headings: Sequence[Any] = BAND_HEADINGS,
    reduction_headings: Sequence[Any] = REDUCTION_HEADINGS,
    sheets: Sequence[str] = ("Bands", "Carer reductions"),
    number_formats: dict[tuple[str, str], str] | None = None,
) -> bytes:
    """An .xlsx workbook with the given sheets (Bands is sheet1.xml, Carer reductions sheet2.xml).

    `number_formats` maps (sheet, cell) to a number format, such as ("Carer reductions", "C3")
    to "0.00%". A text value starting with "=" is written as a formula, as openpyxl does, with
    no saved result.
    """
    book = Workbook()
    book.remove(book.worksheets[0])
    contents = {
        "Bands": (band_headings, bands),
        "Carer reductions": (reduction_headings, reductions),
    }
    for name in sheets:
        sheet = book.create_sheet(name)
        headings, rows = next(
            (content for title, content in contents.items() if title.lower() == name.lower()),
            (["Notes"], [["Nothing here"]]),
        )
        sheet.append(list(headings))
        for row in rows:
            sheet.append(list(row))
    for (sheet_name, cell), number_format in (number_formats or {}).items():
        book[sheet_name][cell].number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_saved_result(data: bytes, *, part: str, cell: str, saved: str) -> bytes:
    """Gives the formula in `cell` of `part` a saved result, as Excel does when it saves."""
    xml = read_part(data, part)
    start = xml.index(f'<c r="{cell}"'.encode())
    end = xml.index(b"</c>", start)
    element = xml[start:end]
    assert b"<f>" in element, f"{cell} holds no formula"
    element = element.replace(b"<v />", b"").replace(b"<v></v>", b"") + f"<v>{saved}</v>".encode()
    return rezip(data, replace={part: xml[:start] + element + xml[end:]})


def read_part(data: bytes, part: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part)


def rezip(
    data: bytes,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    remove: Sequence[str] = (),
) -> bytes:
    """The same archive with some parts replaced, added or removed."""
    replace = replace or {}
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            if entry.filename in remove:
                continue
            target.writestr(entry.filename, replace.get(entry.filename, source.read(entry)))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def macro_enabled_workbook(*, with_vba_part: bool = True, with_macro_type: bool = True) -> bytes:
    """A good workbook made macro-enabled, as Excel saves an .xlsm file."""
    data = workbook()
    replace = {}
    if with_macro_type:
        types = read_part(data, "[Content_Types].xml")
        types = types.replace(
            b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        )
        replace["[Content_Types].xml"] = types
    add = {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500}
    return rezip(data, replace=replace, add=add if with_vba_part else None)


def zip_bomb(*, unpacked_bytes: int) -> bytes:
    """A workbook-shaped archive whose sheet unpacks from a few kilobytes to `unpacked_bytes`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            read_part(workbook(), "[Content_Types].xml"),
        )
        archive.writestr("xl/workbook.xml", read_part(workbook(), "xl/workbook.xml"))
        archive.writestr("xl/worksheets/sheet1.xml", b" " * unpacked_bytes)
    return buffer.getvalue()


def csv_file(
    *,
    bands: Sequence[Sequence[Any]] = GOOD_BANDS,
    reductions: Sequence[Sequence[Any]] = GOOD_REDUCTIONS,
    headings: Sequence[str] = CSV_HEADINGS,
    extra_rows: Sequence[Sequence[Any]] = (),
    byte_order_mark: bool = False,
) -> bytes:
    """A CSV file in the export's layout: band rows, then carer_reduction rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for band in bands:
        writer.writerow(["band", *band, "", "", ""])
    for reduction in reductions:
        writer.writerow(["carer_reduction", "", "", "", "", "", *reduction])
    writer.writerows(extra_rows)
    text = buffer.getvalue()
    return ("\ufeff" + text if byte_order_mark else text).encode()


def pdf_document() -> bytes:
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_image() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def upload(
    name: str, data: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)

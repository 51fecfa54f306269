"""Checks on an uploaded file before anything parses it: size, what it really is, and zip bombs.

The content decides what a file is, never its name, and the name must then agree with the
content. An Excel workbook (.xlsx) is a zip archive holding `[Content_Types].xml` and
`xl/workbook.xml` with the workbook content type; a CSV file is UTF-8 text (a byte order mark is
allowed) with no NUL bytes. A workbook's archive is checked from its directory before any entry is
unpacked: how many entries, how large they say they are once unpacked, and how much they say they
shrank. Then each entry is unpacked in pieces, counting the bytes really produced, so an archive
that understates its sizes is still stopped at the limit.
"""

import io
import zipfile
import zlib
from enum import StrEnum
from pathlib import PurePath
from typing import Protocol

from allocations.spreadsheets.layout import MAX_UPLOAD_BYTES
from allocations.spreadsheets.problems import SpreadsheetProblem, SpreadsheetRefused

MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Small entries may shrink a lot without harm (a run of empty styles); the ratio limit applies
# to entries that unpack to more than this.
RATIO_CHECKED_FROM_BYTES = 64 * 1024
MAX_ENTRIES = 1_000
READ_PIECE_BYTES = 64 * 1024

WORKBOOK_CONTENT_TYPE = (
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
)
MACRO_MARKERS = (b"macroenabled", b"vbaproject")

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an older Excel file (.xls) or a password-protected workbook",
    ),
)
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


class FileKind(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"


class Upload(Protocol):
    """What an import needs of an uploaded file (Django's UploadedFile has all of it)."""

    @property
    def name(self) -> str | None: ...

    @property
    def size(self) -> int | None: ...

    def read(self, size: int = -1, /) -> bytes: ...


def read_upload(uploaded_file: Upload) -> tuple[str, bytes]:
    """The file's name and bytes, refusing a file over 2 MB before reading it.

    Reads at most one byte past the limit, so a file whose stated size is wrong is still refused.
    Raises SpreadsheetRefused.
    """
    name = PurePath(uploaded_file.name or "").name
    if uploaded_file.size is not None and uploaded_file.size > MAX_UPLOAD_BYTES:
        raise _refused(file_too_large_message())
    data = uploaded_file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refused(file_too_large_message())
    return name, data


def file_too_large_message() -> str:
    return (
        "The selected file is larger than 2 MB. An allocation table's file is far smaller: "
        "check you chose the right file."
    )


def check_file(*, name: str, data: bytes) -> FileKind:
    """What the file really is, after checking it is safe to read and its name agrees.

    Raises SpreadsheetRefused with one file-level problem when the file is empty, is neither an
    Excel workbook nor CSV text, is a macro-enabled workbook, is a zip bomb, is damaged, or has a
    name whose extension does not match its content.
    """
    if not data:
        raise _refused("The selected file is empty.")
    extension = PurePath(name).suffix.lower()
    if data.startswith(_ZIP_SIGNATURES):
        _check_workbook_archive(data)
        if extension != ".xlsx":
            raise _refused(
                f"The file is named '{name}' but it is an Excel workbook. "
                "Rename it to end in .xlsx and upload it again."
            )
        return FileKind.XLSX
    for signature, description in _SIGNATURES:
        if data.startswith(signature):
            raise _refused(
                f"The file '{name}' is {description}, not an Excel workbook (.xlsx) or a CSV "
                "file. Upload a file exported from this service, or one in the same layout."
            )
    if not _is_text(data):
        raise _refused(
            f"The file '{name}' is not an Excel workbook (.xlsx) or a CSV file. If it is a CSV "
            "file, save it from Excel as 'CSV UTF-8 (Comma delimited)'."
        )
    if extension != ".csv":
        raise _refused(
            f"The file is named '{name}' but it is CSV text, not an Excel workbook. Rename it "
            "to end in .csv, or open it in Excel and save it as an Excel Workbook (.xlsx)."
        )
    return FileKind.CSV


def csv_text_of(data: bytes) -> str:
    """The text of a file `check_file` found to be CSV, without its byte order mark."""
    return data.decode("utf-8-sig")


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def _check_workbook_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _refused(_damaged()) from None
    with archive:
        entries = archive.infolist()
        _check_directory(entries)
        names = {entry.filename.lower() for entry in entries}
        if any(name.endswith("vbaproject.bin") for name in names):
            raise _refused(_macro_enabled())
        if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
            raise _refused(
                "The file is a zip archive but not an Excel workbook (.xlsx): it has no "
                "workbook in it."
            )
        _unpack_within_limits(archive, entries)
        content_types = archive.read("[Content_Types].xml")
    if any(marker in content_types.lower() for marker in MACRO_MARKERS):
        raise _refused(_macro_enabled())
    if WORKBOOK_CONTENT_TYPE not in content_types:
        raise _refused(
            "The file is not an Excel Workbook (.xlsx); it may be a template or a binary "
            "workbook. Open it in Excel and save it as an Excel Workbook (.xlsx)."
        )


def _check_directory(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise _refused(
            f"The workbook holds more than {MAX_ENTRIES:,} parts, far more than an allocation "
            "table needs, so it was not opened."
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise _refused(
            "The workbook is encrypted. Remove the password in Excel and upload it again."
        )
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        raise _refused(_too_large_unpacked())
    for entry in entries:
        if entry.file_size > RATIO_CHECKED_FROM_BYTES and (
            entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        ):
            raise _refused(
                f"Part of the workbook is packed more than {MAX_COMPRESSION_RATIO} times "
                "smaller than its size, as in a file built to overwhelm the computer that opens "
                "it (a zip bomb), so it was not opened."
            )


def _unpack_within_limits(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Unpack every entry in pieces, stopping at the limit; XML with a DOCTYPE is refused.

    Excel never writes a DOCTYPE, and refusing one keeps entity tricks away from the XML parser.
    """
    unpacked = 0
    try:
        for entry in entries:
            tail = b""
            with archive.open(entry) as stream:
                while piece := stream.read(READ_PIECE_BYTES):
                    unpacked += len(piece)
                    if unpacked > MAX_UNPACKED_BYTES:
                        raise _refused(_too_large_unpacked())
                    if b"<!DOCTYPE" in tail + piece:
                        raise _refused(_damaged())
                    tail = piece[-16:]
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, EOFError, OSError):
        raise _refused(_damaged()) from None


def _damaged() -> str:
    return (
        "The file could not be opened as an Excel workbook: it may be damaged. Open it in "
        "Excel, save it as an Excel Workbook (.xlsx) and upload it again."
    )


def _macro_enabled() -> str:
    return (
        "The file is a macro-enabled workbook. For safety, workbooks with macros are never "
        "opened: save it from Excel as an Excel Workbook (.xlsx), which leaves the macros out."
    )


def _too_large_unpacked() -> str:
    return (
        f"The workbook would unpack to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB, far "
        "more than an allocation table needs, so it was not opened."
    )


def _refused(message: str) -> SpreadsheetRefused:
    return SpreadsheetRefused([SpreadsheetProblem(message)])

"""What a file really is, whatever its name says; the files refused before anything reads them."""

import io
import zipfile

import pytest

from allocations.spreadsheets.layout import MAX_UPLOAD_BYTES
from allocations.spreadsheets.problems import SpreadsheetRefused
from allocations.spreadsheets.safety import FileKind, check_file, read_upload
from tests.allocations.spreadsheets import builders


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(SpreadsheetRefused) as refused:
        check_file(name=name, data=data)
    [problem] = refused.value.problems
    assert problem.sheet is None
    assert problem.row is None
    return problem.message


def test_a_workbook_named_xlsx_is_a_workbook() -> None:
    assert check_file(name="table.xlsx", data=builders.workbook()) is FileKind.XLSX
    assert check_file(name="TABLE.XLSX", data=builders.workbook()) is FileKind.XLSX


def test_utf8_text_named_csv_is_csv_with_or_without_a_byte_order_mark() -> None:
    assert check_file(name="table.csv", data=builders.csv_file()) is FileKind.CSV
    assert check_file(name="table.csv", data=builders.csv_file(byte_order_mark=True)) is (
        FileKind.CSV
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("table.xlsx", builders.pdf_document(), "'table.xlsx' is a PDF document"),
        ("table.xlsx", builders.png_image(), "'table.xlsx' is a PNG image"),
        ("table.csv", builders.png_image(), "'table.csv' is a PNG image"),
        ("table.xlsx", builders.csv_file(), "named 'table.xlsx' but it is CSV text"),
        ("table.csv", builders.workbook(), "named 'table.csv' but it is an Excel workbook"),
        ("table.txt", builders.csv_file(), "named 'table.txt' but it is CSV text"),
        ("table.pdf", builders.workbook(), "named 'table.pdf' but it is an Excel workbook"),
        ("table.csv", b"", "The selected file is empty"),
        ("table.csv", b"section,band\x00\n", "is not an Excel workbook (.xlsx) or a CSV file"),
        ("table.csv", "section,£\n".encode("cp1252"), "save it from Excel as 'CSV UTF-8"),
        ("table.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an older Excel file"),
    ],
)
def test_the_content_decides_what_a_file_is_and_the_name_must_agree(name, data, message) -> None:
    assert message in refusal(name, data)


@pytest.mark.parametrize("name", ["table.xlsx", "table.xlsm", "table.csv"])
def test_a_macro_enabled_workbook_is_refused_whatever_its_name(name) -> None:
    assert "macro-enabled workbook" in refusal(name, builders.macro_enabled_workbook())


def test_a_workbook_with_a_vba_project_is_refused_even_with_an_ordinary_content_type() -> None:
    data = builders.macro_enabled_workbook(with_macro_type=False)
    assert "macro-enabled workbook" in refusal("table.xlsx", data)


def test_a_workbook_with_the_macro_content_type_is_refused_without_a_vba_project() -> None:
    data = builders.macro_enabled_workbook(with_vba_part=False)
    assert "macro-enabled workbook" in refusal("table.xlsx", data)


def test_a_zip_bomb_larger_than_20_mb_unpacked_is_refused_from_its_directory() -> None:
    """30 MB of spaces packs into about 30 KB: well under the 2 MB upload limit."""
    data = builders.zip_bomb(unpacked_bytes=30 * 1024 * 1024)
    assert len(data) < 100_000
    assert "would unpack to more than 20 MB" in refusal("table.xlsx", data)


def test_a_zip_bomb_packed_more_than_100_to_1_is_refused_even_under_20_mb() -> None:
    """5 MB of spaces packs into about 5 KB, a ratio near 1,000 to 1."""
    data = builders.zip_bomb(unpacked_bytes=5 * 1024 * 1024)
    assert "packed more than 100 times smaller" in refusal("table.xlsx", data)


def test_a_zip_that_understates_its_unpacked_size_is_refused_as_damaged() -> None:
    """The directory says the sheet unpacks to 1 KB; it really unpacks to 25 MB.

    Unpacking stops at the stated 1 KB, whose checksum then fails: nothing more is unpacked.
    """
    bomb = builders.zip_bomb(unpacked_bytes=25 * 1024 * 1024)
    entries = zipfile.ZipFile(io.BytesIO(bomb)).infolist()
    sheet = next(entry for entry in entries if entry.filename.endswith("sheet1.xml"))
    real_size = sheet.file_size.to_bytes(4, "little")
    assert bomb.count(real_size) == 2  # the entry's local header and the directory
    lying = bomb.replace(real_size, (1024).to_bytes(4, "little"))
    assert "could not be opened as an Excel workbook: it may be damaged" in refusal(
        "table.xlsx", lying
    )


def test_a_zip_that_holds_no_workbook_is_not_a_workbook() -> None:
    data = builders.rezip(builders.workbook(), remove=["xl/workbook.xml"])
    assert "has no workbook in it" in refusal("table.xlsx", data)


def test_a_damaged_workbook_is_refused() -> None:
    data = builders.workbook()
    assert "damaged" in refusal("table.xlsx", data[: len(data) // 2])


def test_a_workbook_whose_xml_declares_a_doctype_is_refused() -> None:
    data = builders.workbook()
    part = "xl/worksheets/sheet1.xml"
    xml = builders.read_part(data, part)
    evil = xml.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet', 1)
    assert "damaged" in refusal("table.xlsx", builders.rezip(data, replace={part: evil}))


class Upload:
    def __init__(self, name: str, data: bytes, size: int | None) -> None:
        self.name, self.size, self._stream = name, size, io.BytesIO(data)
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.bytes_read += len(data)
        return data


def test_a_file_over_2_mb_is_refused_before_it_is_read() -> None:
    upload = Upload("table.xlsx", b"x" * (MAX_UPLOAD_BYTES + 1), MAX_UPLOAD_BYTES + 1)
    with pytest.raises(SpreadsheetRefused) as refused:
        read_upload(upload)
    assert "larger than 2 MB" in refused.value.messages[0]
    assert upload.bytes_read == 0


def test_a_file_whose_stated_size_is_wrong_is_read_no_further_than_the_limit() -> None:
    upload = Upload("table.xlsx", b"x" * (3 * MAX_UPLOAD_BYTES), size=10)
    with pytest.raises(SpreadsheetRefused):
        read_upload(upload)
    assert upload.bytes_read == MAX_UPLOAD_BYTES + 1


def test_a_file_of_exactly_2_mb_is_read_and_only_its_name_is_kept() -> None:
    upload = Upload("C:\\fakepath/../table.csv", b"x" * MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES)
    name, data = read_upload(upload)
    assert name == "table.csv"
    assert len(data) == MAX_UPLOAD_BYTES

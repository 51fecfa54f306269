import csv
import io

import pytest

from ras.exports import csv_text, formula_safe


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+44 1234", "-2+3", "@cmd", "\t=1", "\r=1"])
def test_text_that_could_start_a_formula_is_escaped(text: str) -> None:
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Older people", "2026 to 2027", "", 1500, -300, None])
def test_other_values_are_written_as_they_are(value: str | int | None) -> None:
    assert formula_safe(value) == value


def test_every_cell_of_a_csv_is_made_safe() -> None:
    document = csv_text(["label", "=header"], [['=HYPERLINK("x")', 5], ["plain", -5]])
    rows = list(csv.reader(io.StringIO(document)))
    assert rows == [["label", "'=header"], ['\'=HYPERLINK("x")', "5"], ["plain", "-5"]]


def test_every_cell_of_a_workbook_is_made_safe() -> None:
    import openpyxl

    from ras.exports import xlsx_bytes

    data = xlsx_bytes([("Figures", ["label", "people"], [["=cmd|'/c calc'!A1", 7], ["Plain", 5]])])
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Figures"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["label", "people"],
        ["'=cmd|'/c calc'!A1", 7],
        ["Plain", 5],
    ]

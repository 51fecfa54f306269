"""Exporting a version: exact pounds and pence, formula-safe text, and the file names."""

import datetime
import io

import openpyxl
import pytest

from allocations import engine
from allocations.spreadsheets.export import export_filename, table_csv, table_workbook
from tests.allocations.conftest import make_draft
from tests.allocations.spreadsheets import builders

pytestmark = pytest.mark.django_db

EVIL_LABEL = '=HYPERLINK("http://example.com/steal","Click")'


def open_workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_workbook_has_an_about_sheet_bands_and_carer_reductions(published_version) -> None:
    book = open_workbook(table_workbook(published_version, today=datetime.date(2026, 11, 24)))
    assert book.sheetnames == ["About this table", "Bands", "Carer reductions"]
    about = {row[0]: row[1] for row in book["About this table"].iter_rows(values_only=True)}
    assert about["Client group"] == "Older people"
    assert about["Client group code"] == "older-people"
    assert about["Label"] == "2026 to 2027"
    assert about["Status"] == "Published"
    # openpyxl reads a date cell back as a datetime at midnight.
    assert about["Effective from"].date() == datetime.date(2026, 4, 1)
    assert about["Exported on"].date() == datetime.date(2026, 11, 24)
    assert "pounds a year" in about["Units"]


def test_the_bands_sheet_holds_pounds_and_pence_as_formatted_numbers(published_version) -> None:
    bands = open_workbook(table_workbook(published_version))["Bands"]
    rows = list(bands.iter_rows(values_only=True))
    assert rows[0] == tuple(builders.BAND_HEADINGS)
    assert rows[1:] == [tuple(row) for row in builders.GOOD_BANDS]
    assert all(bands[f"{column}{row}"].number_format == "£#,##0.00"
               for column in "DE" for row in range(2, 7))  # fmt: skip


def test_amounts_are_written_exactly_from_pence(older_people, finance_lead) -> None:
    """300,010p is written as 3000.1 (shown £3,000.10) and 1p as 0.01, never as a float product.

    12.5% (1,250 basis points) is written as 12.5, shown 12.50.
    """
    draft = make_draft(
        older_people,
        finance_lead,
        bands=[engine.Band(0, 19, 300_010, 1), engine.Band(20, None, 999_999_999, 26_029)],
        carer_reductions_bp={"none": 0, "some": 1_250, "substantial": 2_501, "most": 10_000},
    )
    data = table_workbook(draft)
    sheet_xml = builders.read_part(data, "xl/worksheets/sheet2.xml").decode()
    for written in ("<v>3000.1</v>", "<v>0.01</v>", "<v>9999999.99</v>", "<v>260.29</v>"):
        assert written in sheet_xml
    book = open_workbook(data)
    reductions = list(book["Carer reductions"].iter_rows(values_only=True))
    assert reductions[1:] == [
        ("none", "No help from family or friends", 0),
        ("some", "Some help from family or friends", 12.5),
        ("substantial", "A lot of help from family or friends", 25.01),
        ("most", "Family or friends give most of the help", 100),
    ]
    assert book["Carer reductions"]["C3"].number_format == "0.00"


def test_a_label_that_looks_like_a_formula_is_written_as_text(older_people, finance_lead) -> None:
    draft = make_draft(older_people, finance_lead, label=EVIL_LABEL)
    data = table_workbook(draft)
    about = open_workbook(data)["About this table"]
    label_cell = next(row[1] for row in about.iter_rows() if row[0].value == "Label")
    assert label_cell.value == "'" + EVIL_LABEL
    assert label_cell.data_type == "s"
    for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        assert b"<f>" not in builders.read_part(data, part)
    assert "HYPERLINK" not in table_csv(draft)


def test_the_csv_file_holds_both_sections_in_one_table(published_version) -> None:
    assert table_csv(published_version).splitlines() == [
        "section,band,min_points,max_points,base_pounds_a_year,pounds_a_year_per_point,"
        "carer_level,description,reduction_percent",
        "band,1,0,19,0.00,150.00,,,",
        "band,2,20,49,3000.00,260.00,,,",
        "band,3,50,89,10800.00,285.00,,,",
        "band,4,90,129,22200.00,300.00,,,",
        "band,5,130,,34200.00,310.00,,,",
        "carer_reduction,,,,,,none,No help from family or friends,0.00",
        "carer_reduction,,,,,,some,Some help from family or friends,10.00",
        "carer_reduction,,,,,,substantial,A lot of help from family or friends,25.00",
        "carer_reduction,,,,,,most,Family or friends give most of the help,40.00",
    ]


def test_file_names_carry_the_client_group_code_and_a_slug_of_the_label(
    published_version, older_people, finance_lead
) -> None:
    assert export_filename(published_version, "xlsx") == "older-people-2026-to-2027.xlsx"
    evil = make_draft(older_people, finance_lead, label=EVIL_LABEL)
    assert export_filename(evil, "csv") == "older-people-hyperlinkhttpexamplecomstealclick.csv"
    blank = make_draft(older_people, finance_lead, label="£££")
    assert export_filename(blank, "csv") == "older-people-table.csv"


def test_an_exported_draft_says_it_has_no_date_yet(draft_version) -> None:
    about = open_workbook(table_workbook(draft_version))["About this table"]
    facts = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert facts["Status"] == "Draft"
    assert facts["Effective from"].startswith("Not set")

"""Reading a whole file: every problem is listed by sheet, row and column, in plain words."""

from typing import Any

import pytest

from allocations import engine
from allocations.spreadsheets.layout import MAX_BANDS
from allocations.spreadsheets.problems import SpreadsheetRefused
from allocations.spreadsheets.reading import read_table_file
from tests.allocations.spreadsheets import builders


def read_xlsx(data: bytes):
    return read_table_file(name="table.xlsx", data=data)


def read_csv(data: bytes):
    return read_table_file(name="table.csv", data=data)


def messages(table) -> list[str]:
    return [str(problem) for problem in table.problems]


def good_bands() -> list[engine.Band]:
    return [engine.Band(*band) for band in builders.GOOD_BANDS_PENCE]


def test_a_good_workbook_reads_as_the_table_it_shows() -> None:
    table = read_xlsx(builders.workbook())
    assert table.problems == []
    assert table.bands == good_bands()
    assert table.carer_reductions_bp == builders.GOOD_REDUCTIONS_BP
    assert table.band_rows == [2, 3, 4, 5, 6]


def test_a_good_csv_file_reads_as_the_same_table() -> None:
    table = read_csv(builders.csv_file(byte_order_mark=True))
    assert table.problems == []
    assert table.bands == good_bands()
    assert table.carer_reductions_bp == builders.GOOD_REDUCTIONS_BP


def test_a_cell_with_3_decimal_places_is_named_by_sheet_row_and_column() -> None:
    table = read_xlsx(builders.workbook(bands=builders.bands_with(1, 3, "3,000.505")))
    assert messages(table) == [
        "Bands sheet, row 3, column D (Base £ a year): '3,000.505' has more than 2 decimal "
        "places; amounts are pounds and pence"
    ]
    [problem] = table.problems
    assert (problem.sheet, problem.row, problem.column) == ("Bands", 3, "D")


def test_every_bad_cell_in_the_file_is_listed_not_just_the_first() -> None:
    bands = builders.bands_with(1, 3, "3,000.505")
    bands[2][4] = "about 285"
    bands[3][1] = 90.5
    bands[4][3] = -5
    reductions = builders.reductions_with(1, 2, "ten")
    table = read_xlsx(builders.workbook(bands=bands, reductions=reductions))
    assert messages(table) == [
        "Bands sheet, row 3, column D (Base £ a year): '3,000.505' has more than 2 decimal "
        "places; amounts are pounds and pence",
        "Bands sheet, row 4, column E (£ a year per point): 'about 285' is not an amount in "
        "pounds and pence, like 3000.50",
        "Bands sheet, row 5, column B (Min points): '90.5' is not a whole number of points",
        "Bands sheet, row 6, column D (Base £ a year): '-5' is below £0.00; amounts must be "
        "£0.00 or more",
        "Carer reductions sheet, row 3, column C (Reduction %): 'ten' is not a percentage from "
        "0 to 100, like 12.5",
    ]
    assert not table.bands_complete
    assert not table.reductions_complete


def test_a_float_looking_amount_keeps_its_pence() -> None:
    """3000.10 typed in Excel is stored as the float 3000.1 and must stay £3,000.10."""
    bands = builders.bands_with(1, 3, 3000.10)
    bands[1][4] = 260.29  # 260.29 * 100 == 26028.999999999996 as a float
    table = read_xlsx(builders.workbook(bands=bands))
    assert table.problems == []
    assert table.bands[1] == engine.Band(20, 49, 300_010, 26_029)


def test_a_reduction_formatted_as_a_percentage_is_read_as_excel_shows_it() -> None:
    """0.125 in a cell formatted 0.00% shows as 12.50%: 1,250 basis points."""
    reductions = builders.reductions_with(1, 2, 0.125)
    data = builders.workbook(
        reductions=reductions, number_formats={("Carer reductions", "C3"): "0.00%"}
    )
    assert read_xlsx(data).carer_reductions_bp["some"] == 1_250


def test_a_formula_without_a_saved_result_is_refused_naming_the_cell() -> None:
    table = read_xlsx(builders.workbook(bands=builders.bands_with(1, 3, "=B3*150")))
    assert messages(table) == [
        "Bands sheet, row 3, column D (Base £ a year): holds a formula ('=B3*150') with no "
        "saved result. Open the file in Excel so the formula is worked out, save it and upload "
        "it again, or type the value in"
    ]


def test_a_formula_with_a_saved_result_is_read_as_its_result() -> None:
    """=B3*150 in D3 with the result Excel saved, 3000: band 2's base is £3,000.00."""
    data = builders.workbook(bands=builders.bands_with(1, 3, "=B3*150"))
    data = builders.with_saved_result(
        data, part="xl/worksheets/sheet1.xml", cell="D3", saved="3000"
    )
    table = read_xlsx(data)
    assert table.problems == []
    assert table.bands == good_bands()


def test_a_formula_whose_result_is_an_error_is_refused() -> None:
    data = builders.workbook(bands=builders.bands_with(1, 3, "=1/0"))
    xml = builders.read_part(data, "xl/worksheets/sheet1.xml")
    xml = xml.replace(
        b'<c r="D3"><f>1/0</f><v /></c>', b'<c r="D3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    )
    data = builders.rezip(data, replace={"xl/worksheets/sheet1.xml": xml})
    assert messages(read_xlsx(data)) == [
        "Bands sheet, row 3, column D (Base £ a year): shows the error '#DIV/0!'; put it right "
        "in Excel and save the file again"
    ]


def contiguous_bands(count: int) -> list[list[Any]]:
    """`count` bands of 10 points each, the last open-ended, £100 more a year per band."""
    rows: list[list[Any]] = [[n + 1, n * 10, n * 10 + 9, n * 100, 10] for n in range(count)]
    rows[-1][2] = None
    return rows


def test_500_bands_are_accepted() -> None:
    table = read_xlsx(builders.workbook(bands=contiguous_bands(MAX_BANDS)))
    assert table.problems == []
    assert len(table.bands) == MAX_BANDS


def test_more_than_500_bands_are_refused() -> None:
    table = read_xlsx(builders.workbook(bands=contiguous_bands(MAX_BANDS + 1)))
    assert messages(table) == [
        "Bands sheet: the sheet has more than 500 bands; a table can have at most 500"
    ]
    assert table.bands == []


def test_more_than_500_bands_in_a_csv_file_are_refused() -> None:
    table = read_csv(builders.csv_file(bands=contiguous_bands(MAX_BANDS + 1)))
    assert messages(table) == [
        "CSV file: the file has more than 500 bands; a table can have at most 500"
    ]


def test_blank_rows_are_skipped_and_rows_keep_their_numbers() -> None:
    bands = [list(row) for row in builders.GOOD_BANDS]
    bands.insert(2, [None, None, None, None, None])
    bands.insert(3, [7, None, None, None, None])  # a band number alone is a blank row
    table = read_xlsx(builders.workbook(bands=bands))
    assert table.problems == []
    assert table.band_rows == [2, 3, 6, 7, 8]


def test_a_missing_sheet_is_named() -> None:
    table = read_xlsx(builders.workbook(sheets=("Bands", "Notes")))
    assert messages(table) == [
        "The workbook has no sheet called 'Carer reductions' (its sheets are 'Bands', "
        "'Notes'). Use the layout of a file exported from this service."
    ]


def test_sheet_names_are_matched_whatever_their_case() -> None:
    data = builders.workbook(sheets=("BANDS", "carer reductions"))
    assert read_xlsx(data).problems == []


def test_wrong_headings_are_refused_column_by_column() -> None:
    headings = ["Band", "Min points", "Maximum", "£ a year per point", "Base £ a year", "Notes"]
    table = read_xlsx(builders.workbook(band_headings=headings))
    assert messages(table) == [
        "Bands sheet, row 1, column C: the heading should be 'Max points (blank = no upper "
        "limit)', not 'Maximum'",
        "Bands sheet, row 1, column D: the heading should be 'Base £ a year', not '£ a year "
        "per point'",
        "Bands sheet, row 1, column E: the heading should be '£ a year per point', not 'Base "
        "£ a year'",
        "Bands sheet, row 1, column F: 'Notes' is not a column of this layout, which has "
        "columns A to E only; remove the column",
    ]


def test_a_shortened_max_points_heading_is_accepted() -> None:
    headings = ["band", "MIN POINTS", "Max points", "Base £ a year", "£ a year per point"]
    assert read_xlsx(builders.workbook(band_headings=headings)).problems == []


def test_an_unknown_carer_level_is_refused_with_the_levels_that_exist() -> None:
    table = read_xlsx(builders.workbook(reductions=builders.reductions_with(3, 0, "lots")))
    assert messages(table) == [
        "Carer reductions sheet, row 5, column A (Carer level code): 'lots' is not a carer "
        "level of the questionnaire; use one of: none, some, substantial, most"
    ]


def test_a_carer_level_listed_twice_is_refused_naming_the_first_row() -> None:
    table = read_xlsx(builders.workbook(reductions=builders.reductions_with(3, 0, "some")))
    assert messages(table) == [
        "Carer reductions sheet, row 5, column A (Carer level code): 'some' is in row 3 "
        "already; give each carer level one row"
    ]


def test_csv_problems_are_named_by_row_and_column_of_the_file() -> None:
    data = builders.csv_file(
        bands=builders.bands_with(1, 3, "3,000.505"),
        extra_rows=[
            ["bands", "", "", "", "", "", "", "", ""],
            ["band", 6, 200, "", "1", "1", "", "", "50"],
        ],
    )
    assert messages(read_csv(data)) == [
        "CSV file, row 3, column E (base_pounds_a_year): '3,000.505' has more than 2 decimal "
        "places; amounts are pounds and pence",
        "CSV file, row 11, column A (section): 'bands' is not a section; write band or "
        "carer_reduction",
        "CSV file, row 12, column I (reduction_percent): this is a band row, so this column "
        "should be blank",
    ]


def test_a_csv_amount_with_an_unquoted_comma_is_explained() -> None:
    text = builders.csv_file().decode() + "band,6,200,,3,000.00,10,,,\n"
    assert messages(read_csv(text.encode())) == [
        "CSV file, row 11: the row has 10 values but the file has 9 columns. A value may hold "
        "a comma: write amounts without commas (3000.50), or put quote marks around them "
        '("3,000.50")'
    ]


def test_a_csv_file_with_wrong_headings_is_refused() -> None:
    headings = list(builders.CSV_HEADINGS)
    headings[2] = "min"
    assert messages(read_csv(builders.csv_file(headings=headings))) == [
        "CSV file, row 1, column C: the heading should be 'min_points', not 'min'"
    ]


def test_a_csv_file_with_unbalanced_quotes_is_refused() -> None:
    data = builders.csv_file() + b'band,6,"200\n'
    with pytest.raises(SpreadsheetRefused) as refused:
        read_csv(data)
    assert refused.value.messages == [
        "The CSV file could not be read: check that every quote mark around a value has its "
        "pair, or export the file from this service again."
    ]

"""Reading one cell as pence, basis points or points: exactly, never through float arithmetic."""

import datetime
from decimal import Decimal
from typing import Any

import pytest

from allocations.spreadsheets.values import (
    CellValueError,
    basis_points_from_cell,
    pence_from_cell,
    points_from_cell,
)


@pytest.mark.parametrize(
    ("cell", "pence"),
    [
        (3000, 300_000),
        (3000.1, 300_010),  # Excel stores a typed 3000.10 as the float 3000.1
        ("3000.10", 300_010),
        ("3,000.10", 300_010),
        ("£3,000.10", 300_010),
        (" 3000.1 ", 300_010),
        (Decimal("3000.10"), 300_010),
        (0, 0),
        ("0.00", 0),
        ("3000.500", 300_050),  # a trailing zero adds no pence
    ],
)
def test_pounds_are_read_exactly_as_pence(cell, pence) -> None:
    assert pence_from_cell(cell) == pence


@pytest.mark.parametrize(
    ("cell", "pence"),
    [
        # Each of these is one of the floats that a multiplication by 100 gets wrong:
        # 0.29 * 100 == 28.999999999999996, 1.13 * 100 == 112.99999999999999,
        # 4.35 * 100 == 434.99999999999994, 0.57 * 100 == 56.99999999999999.
        (0.29, 29),
        (1.13, 113),
        (4.35, 435),
        (0.57, 57),
        # The float a spreadsheet holds for 0.1 + 0.2, shown by Excel as 0.3.
        (0.1 + 0.2, 30),
    ],
)
def test_floats_that_multiplying_gets_wrong_are_read_as_excel_shows_them(cell, pence) -> None:
    assert int(cell * 100) != pence or cell == 0.1 + 0.2  # the trap this reading avoids
    assert pence_from_cell(cell) == pence


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("3,000.505", "'3,000.505' has more than 2 decimal places"),
        (3000.505, "'3000.505' has more than 2 decimal places"),
        ("about 300", "'about 300' is not an amount in pounds and pence"),
        ("3.000,50", "'3.000,50' is not an amount in pounds and pence"),
        ("30,00", "'30,00' is not an amount in pounds and pence"),
        ("-5", "'-5' is below £0.00"),
        ("-£5.00", "'-£5.00' is below £0.00"),
        (-0.01, "'-0.01' is below £0.00"),
        (None, "is blank"),
        ("  ", "is blank"),
        (True, "'TRUE' is not an amount"),
        (datetime.date(2026, 4, 1), "'1 April 2026' is a date or time"),
        (float("nan"), "is not an amount"),
        ("1e3", "'1e3' is not an amount"),
        ("2000000000", "is more than £1,000,000,000.00"),
    ],
)
def test_a_cell_that_is_not_pounds_and_pence_is_refused_in_plain_words(cell, message) -> None:
    with pytest.raises(CellValueError) as refused:
        pence_from_cell(cell)
    assert message in refused.value.message


@pytest.mark.parametrize(
    ("cell", "is_fraction", "basis_points"),
    [
        (10, False, 1_000),
        ("12.5", False, 1_250),
        ("12.50%", False, 1_250),
        (12.25, False, 1_225),
        (0.125, True, 1_250),  # a cell formatted 0.00% holds 0.125 and shows 12.50%
        (0.1, True, 1_000),
        (100, False, 10_000),
        (0, False, 0),
    ],
)
def test_percentages_are_read_exactly_as_basis_points(cell, is_fraction, basis_points) -> None:
    assert basis_points_from_cell(cell, is_fraction=is_fraction) == basis_points


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("12.505", "'12.505' has more than 2 decimal places"),
        ("120", "'120' is not between 0 and 100"),
        ("-5", "'-5' is not between 0 and 100"),
        ("ten", "'ten' is not a percentage"),
        (None, "is blank"),
    ],
)
def test_a_cell_that_is_not_a_percentage_is_refused(cell, message) -> None:
    with pytest.raises(CellValueError) as refused:
        basis_points_from_cell(cell)
    assert message in refused.value.message


def test_points_are_whole_numbers() -> None:
    assert points_from_cell(20, blank_message="x") == 20
    assert points_from_cell(20.0, blank_message="x") == 20
    assert points_from_cell("20", blank_message="x") == 20
    assert points_from_cell(None, blank_message="") is None
    cases: list[tuple[Any, str]] = [
        (20.5, "'20.5' is not a whole number of points"),
        ("twenty", "'twenty' is not a whole number of points"),
        (-1, "'-1' is below 0"),
        (None, "enter the points"),
    ]
    for cell, message in cases:
        with pytest.raises(CellValueError) as refused:
            points_from_cell(cell, blank_message="is blank; enter the points")
        assert message in refused.value.message

"""Comparing two table versions: pure, so no database.

Table A in these tests (pounds a year):
  band 1:  0-19 points, £0 base + £150 a point
  band 2: 20-49 points, £3,000 base + £260 a point
  band 3: 50+ points,   £10,800 base + £285 a point
Carer reductions: none 0%, some 10%.
"""

import pytest

from allocations import engine
from allocations.comparison import (
    BandRow,
    DifferenceRow,
    ReductionRow,
    RowChange,
    compare_tables,
    comparison_last_points,
)

LABELS = {"none": "No help", "some": "Some help"}
BANDS_A = (
    engine.Band(0, 19, 0, 15_000),
    engine.Band(20, 49, 300_000, 26_000),
    engine.Band(50, None, 1_080_000, 28_500),
)
TABLE_A = engine.TableVersion.from_mapping(BANDS_A, {"none": 0, "some": 1_000})


def table(*bands: engine.Band, reductions: dict[str, int] | None = None) -> engine.TableVersion:
    return engine.TableVersion.from_mapping(bands, reductions or {"none": 0, "some": 1_000})


def test_a_version_compared_with_itself_has_no_changes() -> None:
    comparison = compare_tables(TABLE_A, TABLE_A, carer_level_labels=LABELS)
    assert [row.change for row in comparison.band_rows] == [RowChange.SAME] * 3
    assert [row.change for row in comparison.reduction_rows] == [RowChange.SAME] * 2
    assert all(row.difference_pence == 0 for row in comparison.difference_rows)
    assert comparison.changed_band_count == 0
    assert comparison.changed_reduction_count == 0


def test_a_changed_band_names_the_figures_that_changed() -> None:
    table_b = table(BANDS_A[0], engine.Band(20, 49, 310_000, 26_000), BANDS_A[2])
    rows = compare_tables(TABLE_A, table_b, carer_level_labels=LABELS).band_rows
    assert rows[1] == BandRow(
        BANDS_A[1], 2, engine.Band(20, 49, 310_000, 26_000), 2, RowChange.CHANGED, ("base_pence",)
    )
    assert rows[1].base_changed
    assert not rows[1].per_point_changed
    assert not rows[1].max_points_changed


def test_splitting_a_band_marks_one_band_changed_and_one_new() -> None:
    """Band 2 (20-49) becomes 20-34 and 35-49; band 3 keeps its start, so it is unchanged."""
    table_b = table(
        BANDS_A[0],
        engine.Band(20, 34, 300_000, 26_000),
        engine.Band(35, 49, 690_000, 26_000),
        BANDS_A[2],
    )
    rows = compare_tables(TABLE_A, table_b, carer_level_labels=LABELS).band_rows
    assert [(row.min_points, row.change) for row in rows] == [
        (0, RowChange.SAME),
        (20, RowChange.CHANGED),
        (35, RowChange.NEW),
        (50, RowChange.SAME),
    ]
    assert rows[1].changed_fields == ("max_points",)
    assert (rows[2].band_a, rows[2].band_a_number, rows[2].band_b_number) == (None, None, 3)
    assert rows[3].band_a_number == 3
    assert rows[3].band_b_number == 4


def test_a_band_only_in_a_is_removed() -> None:
    table_b = table(BANDS_A[0], engine.Band(20, None, 300_000, 26_000))
    rows = compare_tables(TABLE_A, table_b, carer_level_labels=LABELS).band_rows
    assert [(row.min_points, row.change) for row in rows] == [
        (0, RowChange.SAME),
        (20, RowChange.CHANGED),
        (50, RowChange.REMOVED),
    ]
    assert rows[2].band_b is None
    assert rows[2].band_a == BANDS_A[2]


def test_reductions_are_listed_in_the_questionnaires_order_then_any_other_level() -> None:
    table_b = table(*BANDS_A, reductions={"none": 0, "some": 1_500, "extra": 500})
    rows = compare_tables(TABLE_A, table_b, carer_level_labels=LABELS).reduction_rows
    assert [(row.carer_level, row.label, row.change) for row in rows] == [
        ("none", "No help", RowChange.SAME),
        ("some", "Some help", RowChange.CHANGED),
        ("extra", "extra", RowChange.NEW),
    ]
    assert (rows[1].reduction_a_bp, rows[1].reduction_b_bp) == (1_000, 1_500)
    removed = compare_tables(table_b, TABLE_A, carer_level_labels=LABELS).reduction_rows
    assert removed[2].change == RowChange.REMOVED


def test_a_level_missing_from_both_tables_is_still_listed() -> None:
    labels = {**LABELS, "most": "Most help"}
    rows = compare_tables(TABLE_A, TABLE_A, carer_level_labels=labels).reduction_rows
    assert rows[2] == ReductionRow("most", "Most help", None, None, RowChange.SAME)


def test_the_difference_is_worked_every_5_points_with_no_carer_reduction() -> None:
    """B puts band 3 at £300 a point (A: £285), from £10,800 at 50 points.

    At 55 points: A = £10,800 + 5 x £285 = £12,225.00 (1,222,500p);
                  B = £10,800 + 5 x £300 = £12,300.00 (1,230,000p); B - A = 7,500p.
    As basis points of A: 7,500 x 10,000 / 1,222,500 = 61.35, rounded to 61 (0.61%).
    The open top band starts at 50, so the rows run 0, 5, ... 55: 12 rows.
    """
    table_b = table(BANDS_A[0], BANDS_A[1], engine.Band(50, None, 1_080_000, 30_000))
    comparison = compare_tables(TABLE_A, table_b, carer_level_labels=LABELS)
    assert comparison.last_points == 55
    assert [row.total_points for row in comparison.difference_rows] == list(range(0, 56, 5))
    row = comparison.difference_rows[-1]
    assert (row.amount_a_pence, row.amount_b_pence) == (1_222_500, 1_230_000)
    assert (row.difference_pence, row.change_bp) == (7_500, 61)


def test_the_amounts_are_full_needs_whatever_the_carer_reductions() -> None:
    """25 points in band 2: £3,000 + 5 x £260 = £4,300, whatever 'some' takes off."""
    table_b = table(*BANDS_A, reductions={"none": 5_000, "some": 9_000})
    row = compare_tables(TABLE_A, table_b, carer_level_labels=LABELS).difference_rows[5]
    assert (row.total_points, row.amount_a_pence, row.amount_b_pence) == (25, 430_000, 430_000)


@pytest.mark.parametrize(
    ("amount_a", "amount_b", "change_bp"),
    [
        # +1p on £2.00 = 0.5% = 50 basis points exactly.
        (200, 201, 50),
        # +1p on £3.00 = 33.33 basis points, rounded down to 33.
        (300, 301, 33),
        # +1p on 80,000p = 0.125 basis points, rounded down to 0.
        (80_000, 80_001, 0),
        # +1p on 20,000p = 0.5 basis points exactly: half rounds up, to 1.
        (20_000, 20_001, 1),
        # -1p on 20,000p = -0.5 basis points: half rounds away from zero, to -1.
        (20_000, 19_999, -1),
        # -£10 on £40 = -25% = -2,500 basis points.
        (4_000, 3_000, -2_500),
        # From £0 there is no percentage.
        (0, 500, None),
    ],
)
def test_the_change_is_a_percentage_of_a_rounded_half_away_from_zero(
    amount_a, amount_b, change_bp
) -> None:
    assert DifferenceRow(0, amount_a, amount_b).change_bp == change_bp


def test_a_table_with_no_bands_has_no_amounts_and_no_line() -> None:
    empty = engine.TableVersion.from_mapping([], {})
    comparison = compare_tables(TABLE_A, empty, carer_level_labels=LABELS)
    assert comparison.a_can_be_priced
    assert not comparison.b_can_be_priced
    assert comparison.chart_points_b == ()
    assert {row.amount_b_pence for row in comparison.difference_rows} == {None}
    assert {row.difference_pence for row in comparison.difference_rows} == {None}
    assert [row.change for row in comparison.band_rows] == [RowChange.REMOVED] * 3


def test_two_empty_tables_compare_at_0_points_only() -> None:
    empty = engine.TableVersion.from_mapping([], {})
    comparison = compare_tables(empty, empty, carer_level_labels={})
    assert comparison.last_points == 5
    assert comparison.band_rows == ()


@pytest.mark.parametrize(
    ("top_band", "last_points"),
    [
        # An open top band from 50: 5 beyond its start is 55, a multiple of 5.
        (engine.Band(50, None, 0, 0), 55),
        # 5 beyond 53 is 58; the next multiple of 5 is 60.
        (engine.Band(53, None, 0, 0), 60),
        # A closed top band 50-129 is shown whole: 5 beyond its end is 134, so 135.
        (engine.Band(50, 129, 0, 0), 135),
        # 5 beyond 132 is 137; the next multiple of 5 is 140.
        (engine.Band(50, 132, 0, 0), 140),
    ],
)
def test_the_comparison_runs_5_points_beyond_the_top_band(top_band, last_points) -> None:
    """An open top band is compared 5 points beyond its start; a closed one beyond its end."""
    table_b = table(engine.Band(0, top_band.min_points - 1, 0, 100), top_band)
    assert comparison_last_points(table_b, table_b) == last_points


def test_the_comparison_runs_to_the_furthest_of_the_two_tables() -> None:
    longer = table(engine.Band(0, 99, 0, 100), engine.Band(100, None, 10_000, 100))
    assert comparison_last_points(TABLE_A, longer) == 105
    assert comparison_last_points(longer, TABLE_A) == 105


def test_the_chart_points_are_the_band_corners_and_trace_every_whole_point() -> None:
    """Between corners the amount rises by the same sum each point, so the lines are exact."""
    comparison = compare_tables(TABLE_A, TABLE_A, carer_level_labels=LABELS)
    assert comparison.chart_points_a == (
        (0, 0),
        (19, 285_000),  # 19 x £150 = £2,850
        (20, 300_000),
        (49, 1_054_000),  # £3,000 + 29 x £260 = £10,540
        (50, 1_080_000),
        (55, 1_222_500),  # £10,800 + 5 x £285 = £12,225
    )
    corners = dict(comparison.chart_points_a)
    for points in range(56):
        below = max(x for x in corners if x <= points)
        above = min(x for x in corners if x >= points)
        expected = engine.price(TABLE_A, points, "none").full_needs_annual_pence
        if below == above:
            assert corners[points] == expected
        else:
            slope = (corners[above] - corners[below]) // (above - below)
            assert corners[below] + slope * (points - below) == expected

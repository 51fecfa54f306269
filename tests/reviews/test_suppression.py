"""Small-number suppression: no published figure rests on fewer than 5 people, and no suppressed
figure can be worked back out from what is published.

Pure: no database. Tables are small and random; the brute-force checks try every value a
suppressed count could have had and see which of them publish exactly the same cells.
"""

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from reviews.suppression import (
    MINIMUM_PEOPLE,
    SUPPRESSED,
    Figure,
    PublishedRow,
    Row,
    Share,
    Suppressed,
    share_basis_points,
    suppress,
)

FIGURE_FIELDS = (
    "median_indicative_annual_pence",
    "median_final_annual_pence",
    "median_days_to_final_budget",
)


@st.composite
def rows(draw, group: str = "Older people", quarter: str = "January to March 2026") -> Row:
    people = draw(st.integers(min_value=0, max_value=12))
    with_indicative = draw(st.integers(min_value=0, max_value=people))
    outside = draw(st.integers(min_value=0, max_value=people))

    def figure(base: int) -> Figure:
        value = None if base == 0 else draw(st.integers(min_value=0, max_value=5_000_000))
        return Figure(value, base)

    return Row(
        group=group,
        quarter=quarter,
        people=people,
        median_indicative_annual_pence=figure(with_indicative),
        median_final_annual_pence=figure(people),
        outside_ras=Share(part=outside, whole=people),
        median_days_to_final_budget=figure(people),
    )


@st.composite
def tables(draw) -> list[Row]:
    groups = draw(st.integers(min_value=1, max_value=3))
    quarters = draw(st.integers(min_value=1, max_value=3))
    return [
        draw(rows(group=f"Group {g}", quarter=f"Quarter {q}"))
        for g in range(groups)
        for q in range(quarters)
    ]


def test_four_people_show_fewer_than_5_everywhere():
    row = Row(
        "Older people",
        "January to March 2026",
        4,
        Figure(300_000, 4),
        Figure(320_000, 4),
        Share(0, 4),
        Figure(30, 4),
    )
    [published] = suppress([row])
    assert published == PublishedRow(
        "Older people",
        "January to March 2026",
        SUPPRESSED,
        SUPPRESSED,
        SUPPRESSED,
        SUPPRESSED,
        SUPPRESSED,
    )
    assert str(published.people) == "fewer than 5"


def test_five_people_show_their_figures_but_not_a_share_that_implies_a_small_count():
    """5 people, 1 outside the RAS: 20.00% of 5 would give away a count of 1, so it is kept back."""
    row = Row(
        "Older people",
        "January to March 2026",
        5,
        Figure(300_000, 5),
        Figure(320_000, 5),
        Share(1, 5),
        Figure(30, 5),
    )
    [published] = suppress([row])
    assert published.people == 5
    assert published.median_indicative_annual_pence == 300_000
    assert published.median_final_annual_pence == 320_000
    assert published.median_days_to_final_budget == 30
    assert published.outside_ras_basis_points is SUPPRESSED


def test_a_share_is_published_when_both_inside_and_outside_are_at_least_5():
    """5 outside of 12: 5 / 12 = 41.666...% -> 4,167 basis points (half up)."""
    assert share_basis_points(Share(5, 12)) == 4167
    row = Row("g", "q", 12, Figure(1, 12), Figure(1, 12), Share(5, 12), Figure(1, 12))
    assert suppress([row])[0].outside_ras_basis_points == 4167
    seven_outside = dataclasses.replace(row, outside_ras=Share(8, 12))
    assert suppress([seven_outside])[0].outside_ras_basis_points is SUPPRESSED


def test_a_median_from_fewer_than_5_is_kept_back_even_when_the_row_has_more_people():
    """6 people, 4 of them with an indicative budget: the indicative median rests on 4."""
    row = Row("g", "q", 6, Figure(1_000, 4), Figure(2_000, 6), Share(0, 6), Figure(9, 6))
    published = suppress([row])[0]
    assert published.people == 6
    assert published.median_indicative_annual_pence is SUPPRESSED
    assert published.median_final_annual_pence == 2_000


@given(tables())
def test_no_published_number_rests_on_fewer_than_5_people(table):
    for row, published in zip(table, suppress(table), strict=True):
        if not isinstance(published.people, Suppressed):
            assert row.people >= MINIMUM_PEOPLE
        for name in FIGURE_FIELDS:
            if not isinstance(getattr(published, name), Suppressed):
                assert getattr(row, name).people >= MINIMUM_PEOPLE
        if not isinstance(published.outside_ras_basis_points, Suppressed):
            share = row.outside_ras
            assert share.whole >= MINIMUM_PEOPLE
            assert share.part >= MINIMUM_PEOPLE
            assert share.whole - share.part >= MINIMUM_PEOPLE


@given(tables())
def test_no_totals_are_published(table):
    """One published row for each row given, in the same order: no total row or column."""
    published = suppress(table)
    assert [(row.group, row.quarter) for row in published] == [
        (row.group, row.quarter) for row in table
    ]
    assert {field.name for field in dataclasses.fields(PublishedRow)} == {
        "group",
        "quarter",
        "people",
        *FIGURE_FIELDS,
        "outside_ras_basis_points",
    }


def _people_alternatives(row: Row) -> list[Row]:
    """The row as it would be with any other number of people below 5 (figures from them)."""
    alternatives = []
    for people in range(MINIMUM_PEOPLE):
        alternatives.append(
            Row(
                row.group,
                row.quarter,
                people,
                Figure(None if people == 0 else 1, people),
                Figure(None if people == 0 else 1, people),
                Share(0, people),
                Figure(None if people == 0 else 1, people),
            )
        )
    return alternatives


def _outside_alternatives(row: Row) -> list[Row]:
    return [
        dataclasses.replace(row, outside_ras=Share(part, row.people))
        for part in range(row.people + 1)
    ]


@given(tables())
def test_every_suppressed_count_has_at_least_two_values_consistent_with_what_is_published(table):
    """For each suppressed cell, try every value it could have had and keep those that publish
    exactly the same table: at least two must remain, so the published table cannot tell."""
    published = suppress(table)
    for index, (row, shown) in enumerate(zip(table, published, strict=True)):
        candidates: list[list[Row]] = []
        if isinstance(shown.people, Suppressed):
            candidates.append(_people_alternatives(row))
        elif isinstance(shown.outside_ras_basis_points, Suppressed):
            candidates.append(_outside_alternatives(row))
        for name in FIGURE_FIELDS:
            figure = getattr(row, name)
            if isinstance(getattr(shown, name), Suppressed) and not isinstance(
                shown.people, Suppressed
            ):
                candidates.append(
                    [
                        dataclasses.replace(row, **{name: Figure(value, figure.people)})
                        for value in (0, 1, 999_999)
                    ]
                )
        for alternatives in candidates:
            consistent = {
                alternative
                for alternative in alternatives
                if suppress([*table[:index], alternative, *table[index + 1 :]]) == published
            }
            assert len(consistent) >= 2


def test_the_suppression_module_imports_nothing_but_the_standard_library():
    import ast
    import sys
    from pathlib import Path

    import reviews.suppression

    tree = ast.parse(Path(reviews.suppression.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add(str(node.module).split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
    assert imported <= sys.stdlib_module_names

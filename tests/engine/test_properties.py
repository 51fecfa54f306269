"""Properties of the pricing rule that hold for every valid table, total and carer level."""

import dataclasses
from fractions import Fraction
from math import floor

from hypothesis import given
from hypothesis import strategies as st

from allocations.engine import (
    Band,
    PricingResult,
    ScoredAnswer,
    ScoredAssessment,
    TableVersion,
    indicative_amounts,
    price,
    price_assessment,
    price_many,
    rhu,
    validate_table,
)

REALISTIC_TABLE = TableVersion.from_mapping(
    [
        Band(0, 29, 0, 27_500),
        Band(30, 59, 825_000, 26_000),
        Band(60, 89, 1_605_000, 27_500),
        Band(90, 119, 2_430_000, 29_000),
    ],
    {"none": 0, "some": 1_000, "substantial": 2_500, "most": 4_000},
)

level_codes = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)


@st.composite
def tables(draw: st.DrawFn) -> TableVersion:
    """Valid tables: bands from 0 with no gaps or overlaps, sometimes open-ended, money >= 0."""
    widths = draw(st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=8))
    open_ended = draw(st.booleans())
    bands = []
    start = 0
    for position, width in enumerate(widths):
        is_last = position == len(widths) - 1
        bands.append(
            Band(
                min_points=start,
                max_points=None if is_last and open_ended else start + width - 1,
                base_pence=draw(st.integers(min_value=0, max_value=10_000_000)),
                per_point_pence=draw(st.integers(min_value=0, max_value=100_000)),
            )
        )
        start += width
    levels = draw(st.lists(level_codes, min_size=1, max_size=6, unique=True))
    reductions = {level: draw(st.integers(min_value=0, max_value=10_000)) for level in levels}
    return TableVersion.from_mapping(bands, reductions)


@st.composite
def cases(draw: st.DrawFn) -> tuple[TableVersion, int, str]:
    """A valid table, a total from 0 to far above its top band, and one of its carer levels."""
    table = draw(tables())
    total_points = draw(st.integers(min_value=0, max_value=table.top_band.min_points + 1_000_000))
    return table, total_points, draw(st.sampled_from(table.carer_levels))


def answers_in(domains: list[str]) -> st.SearchStrategy[ScoredAnswer]:
    return st.builds(
        ScoredAnswer,
        domain_code=st.sampled_from(domains),
        question_code=st.text(min_size=1, max_size=8),
        option_code=st.text(min_size=1, max_size=8),
        option_label=st.text(max_size=20),
        points=st.integers(min_value=0, max_value=40),
    )


@st.composite
def assessments(draw: st.DrawFn, carer_levels: tuple[str, ...]) -> ScoredAssessment:
    domains = draw(st.lists(level_codes, min_size=1, max_size=6, unique=True))
    answers = draw(st.lists(answers_in(domains), max_size=30))
    return ScoredAssessment(answers=tuple(answers), carer_level=draw(st.sampled_from(carer_levels)))


@given(cases())
def test_the_same_input_always_gives_the_same_result(case):
    table, total_points, carer_level = case

    first, second = price(table, total_points, carer_level), price(table, total_points, carer_level)

    assert first == second
    assert hash(first) == hash(second)
    assert first.steps == second.steps


@given(cases())
def test_the_indicative_amount_is_never_more_than_full_needs(case):
    result = price(*case)

    assert 0 <= result.indicative_annual_pence <= result.full_needs_annual_pence
    assert 0 <= result.carer_adjustment_pence <= result.full_needs_annual_pence


@given(tables(), st.integers(min_value=0, max_value=5_000))
def test_a_zero_reduction_leaves_the_amount_unchanged(table, total_points):
    with_no_reduction = TableVersion(table.bands, (("none", 0),))

    result = price(with_no_reduction, total_points, "none")

    assert result.carer_adjustment_pence == 0
    assert result.indicative_annual_pence == result.full_needs_annual_pence


@given(cases())
def test_every_total_prices_by_the_rule_without_error(case):
    """Any total from 0 to far above the top band prices, with the figures of the rule."""
    table, total_points, carer_level = case

    result = price(table, total_points, carer_level)

    band = result.band
    reduction_bp = table.reduction_bp(carer_level)
    assert band == table.bands[result.band_index - 1]
    assert band.covers(total_points) or (result.above_table and band == table.top_band)
    assert result.full_needs_annual_pence == (
        band.base_pence + (total_points - band.min_points) * band.per_point_pence
    )
    assert result.carer_adjustment_pence == rhu(
        result.full_needs_annual_pence * reduction_bp, 10_000
    )
    assert result.indicative_annual_pence == (
        result.full_needs_annual_pence - result.carer_adjustment_pence
    )
    assert result.indicative_weekly_pence == rhu(result.indicative_annual_pence, 52)


@given(cases())
def test_only_totals_above_a_closed_top_band_are_flagged(case):
    table, total_points, carer_level = case
    top = table.top_band

    result = price(table, total_points, carer_level)

    assert result.above_table == (top.max_points is not None and total_points > top.max_points)


def test_every_total_far_above_a_realistic_table_prices_without_a_cap():
    previous_full_pence = -1
    for total_points in range(10_001):
        result = price(REALISTIC_TABLE, total_points, "most")
        if total_points >= REALISTIC_TABLE.top_band.min_points:
            assert result.full_needs_annual_pence > previous_full_pence
        previous_full_pence = result.full_needs_annual_pence
    assert result.above_table is True


@given(cases())
def test_the_weekly_amount_times_52_is_within_26p_of_the_annual_amount(case):
    result = price(*case)

    assert abs(result.indicative_weekly_pence * 52 - result.indicative_annual_pence) <= 26


@given(cases())
def test_the_bulk_paths_give_the_same_figures_as_price(case):
    table, total_points, carer_level = case
    result = price(table, total_points, carer_level)

    assert indicative_amounts(table, total_points, carer_level) == (
        result.full_needs_annual_pence,
        result.carer_adjustment_pence,
        result.indicative_annual_pence,
        result.indicative_weekly_pence,
    )
    assert price_many(table, [(total_points, carer_level)]) == {(total_points, carer_level): result}


@given(cases())
def test_a_priced_result_is_a_complete_pricing_result(case):
    result = price(*case)

    assert isinstance(result, PricingResult)
    assert dataclasses.replace(result) == result


@given(st.data())
def test_domain_subtotals_add_up_to_the_total(data):
    table = data.draw(tables())
    assessment = data.draw(assessments(table.carer_levels))

    result = price_assessment(table, assessment)

    assert sum(points for _, points in result.domain_points) == result.total_points
    assert result.total_points == sum(answer.points for answer in assessment.answers)
    assert [code for code, _ in result.domain_points] == list(
        dict.fromkeys(answer.domain_code for answer in assessment.answers)
    )
    assert len(result.steps) >= len(assessment.answers) + len(result.domain_points)


@given(tables())
def test_generated_tables_are_valid_for_their_own_carer_levels(table):
    assert validate_table(table, table.carer_levels) == []


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=10**6))
def test_rhu_is_the_exact_quotient_rounded_half_up(numerator, denominator):
    assert rhu(numerator, denominator) == floor(Fraction(numerator, denominator) + Fraction(1, 2))

"""Worked examples of the pricing rule, with the arithmetic done by hand in each docstring."""

import pickle

import pytest

from allocations.engine import (
    Band,
    PricingError,
    PricingResult,
    ScoredAnswer,
    ScoredAssessment,
    TableVersion,
    format_percentage,
    format_pounds,
    indicative_amounts,
    price,
    price_assessment,
    price_many,
    rhu,
)

# Whole-pound rates: £280 a point up to 29 points, then £8,400 + £222 a point, and so on.
TABLE = TableVersion.from_mapping(
    [
        Band(min_points=0, max_points=29, base_pence=0, per_point_pence=28_000),
        Band(min_points=30, max_points=59, base_pence=840_000, per_point_pence=22_200),
        Band(min_points=60, max_points=89, base_pence=1_500_000, per_point_pence=25_000),
        Band(min_points=90, max_points=119, base_pence=2_250_000, per_point_pence=27_500),
    ],
    {"none": 0, "some": 1_000, "substantial": 2_500, "most": 4_000, "all": 10_000},
)

# Rates to the penny, where a 10% reduction can land on exactly half a penny.
PENNY_TABLE = TableVersion.from_mapping(
    [
        Band(min_points=0, max_points=59, base_pence=0, per_point_pence=16_667),
        Band(min_points=60, max_points=None, base_pence=1_000_020, per_point_pence=18_333),
    ],
    {"none": 0, "some": 1_000},
)


def test_rhu_rounds_an_exact_half_up():
    """26p shared over 52 weeks is 0.5p a week, which rounds up to 1p."""
    assert rhu(26, 52) == 1


def test_rhu_rounds_just_below_a_half_down():
    """25p over 52 weeks is 0.48p, which rounds down to 0p."""
    assert rhu(25, 52) == 0


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(0, 52, 0), (104, 52, 2), (5_000, 10_000, 1), (4_999, 10_000, 0), (15_000, 10_000, 2)],
)
def test_rhu_is_round_half_up_division(numerator, denominator, expected):
    """(2 * numerator + denominator) // (2 * denominator): (2 x 5,000 + 10,000) // 20,000 = 1."""
    assert rhu(numerator, denominator) == expected


@pytest.mark.parametrize(("numerator", "denominator"), [(-1, 52), (1, 0), (1, -52)])
def test_rhu_refuses_negative_numbers_and_a_zero_divisor(numerator, denominator):
    with pytest.raises(ValueError, match="must be"):
        rhu(numerator, denominator)


@pytest.mark.parametrize(
    ("pence", "words"),
    [
        (0, "£0.00"),
        (5, "£0.05"),
        (995_400, "£9,954.00"),
        (123_456_789, "£1,234,567.89"),
        (-5, "-£0.05"),
    ],
)
def test_format_pounds_writes_pence_as_pounds(pence, words):
    assert format_pounds(pence) == words


def test_format_percentage_writes_basis_points_as_a_percentage():
    assert [format_percentage(bp) for bp in (0, 1_250, 10_000, -500)] == [
        "0.00%",
        "12.50%",
        "100.00%",
        "-5.00%",
    ]


@pytest.mark.parametrize(
    ("points", "band_index", "full_needs_pence"),
    [
        (0, 1, 0),
        (29, 1, 812_000),
        (30, 2, 840_000),
        (37, 2, 995_400),
        (59, 2, 1_483_800),
        (60, 3, 1_500_000),
        (89, 3, 2_225_000),
        (90, 4, 2_250_000),
        (119, 4, 3_047_500),
    ],
)
def test_points_fall_into_their_band_at_both_edges(points, band_index, full_needs_pence):
    """Each band's minimum and maximum are inside it.

    0 points: band 1, £0 + 0 x £280 = £0.        29 points: band 1, £0 + 29 x £280 = £8,120.
    30 points: band 2, £8,400 + 0 x £222.          37 points: £8,400 + 7 x £222 = £9,954.
    59 points: £8,400 + 29 x £222 = £14,838.        60 points: band 3, £15,000 + 0 x £250.
    89 points: £15,000 + 29 x £250 = £22,250.      90 points: band 4, £22,500 + 0 x £275.
    119 points: £22,500 + 29 x £275 = £30,475, still inside the top band.
    """
    result = price(TABLE, points, "none")

    assert result.band_index == band_index
    assert result.band == TABLE.bands[band_index - 1]
    assert result.full_needs_annual_pence == full_needs_pence
    assert result.indicative_annual_pence == full_needs_pence
    assert result.above_table is False


def test_thirty_seven_points_with_some_carer_support_is_worked_in_full():
    """37 points is in band 30-59: £8,400 base + (37 - 30) x £222 = £9,954.00 = 995,400p.

    Carer level 'some' takes 10%: 995,400 x 1,000 / 10,000 = 99,540p exactly.
    Indicative annual: 995,400 - 99,540 = 895,860p (£8,958.60).
    Weekly: 895,860 / 52 = 17,228.08p, rounded half up to 17,228p (£172.28).
    """
    result = price(TABLE, 37, "some")

    assert result == PricingResult(
        total_points=37,
        band_index=2,
        band=TABLE.bands[1],
        above_table=False,
        full_needs_annual_pence=995_400,
        carer_level="some",
        carer_reduction_bp=1_000,
        carer_adjustment_pence=99_540,
        indicative_annual_pence=895_860,
        indicative_weekly_pence=17_228,
    )


def test_a_carer_adjustment_of_exactly_half_a_penny_rounds_up():
    """5 points at £166.67 a point: 5 x 16,667 = 83,335p full needs (£833.35).

    Carer level 'some' takes 10%: 83,335 x 1,000 / 10,000 = 8,333.5p, exactly half a penny,
    which rounds up: (2 x 83,335,000 + 10,000) // 20,000 = 8,334p.
    Indicative annual: 83,335 - 8,334 = 75,001p. Weekly: 75,001 / 52 = 1,442.33p -> 1,442p.
    """
    result = price(PENNY_TABLE, 5, "some")

    assert result.full_needs_annual_pence == 83_335
    assert result.carer_adjustment_pence == 8_334
    assert result.indicative_annual_pence == 75_001
    assert result.indicative_weekly_pence == 1_442


def test_a_weekly_amount_of_exactly_half_a_penny_rounds_up():
    """41 points: £8,400 + (41 - 30) x £222 = 840,000 + 244,200 = 1,084,200p full needs.

    Carer level 'substantial' takes 25%: 1,084,200 / 4 = 271,050p exactly.
    Indicative annual: 1,084,200 - 271,050 = 813,150p.
    Weekly: 813,150 / 52 = 15,637.5p, exactly half a penny, which rounds up to 15,638p (£156.38).
    """
    result = price(TABLE, 41, "substantial")

    assert result.full_needs_annual_pence == 1_084_200
    assert result.carer_adjustment_pence == 271_050
    assert result.indicative_annual_pence == 813_150
    assert result.indicative_weekly_pence == 15_638


def test_points_above_a_closed_top_band_are_flagged_not_capped():
    """The top band covers 90 to 119 points; 130 points is above it.

    The top band's formula continues: £22,500 + (130 - 90) x £275 = £22,500 + £11,000
    = £33,500 (3,350,000p), more than the £30,475 at 119 points: there is no cap.
    Carer level 'most' takes 40%: 1,340,000p, leaving 2,010,000p; weekly 2,010,000 / 52
    = 38,653.85p -> 38,654p.
    """
    result = price(TABLE, 130, "most")

    assert result.above_table is True
    assert result.band_index == 4
    assert result.full_needs_annual_pence == 3_350_000
    assert result.carer_adjustment_pence == 1_340_000
    assert result.indicative_annual_pence == 2_010_000
    assert result.indicative_weekly_pence == 38_654


def test_the_top_of_a_closed_top_band_is_not_flagged():
    assert price(TABLE, 119, "none").above_table is False
    assert price(TABLE, 120, "none").above_table is True


def test_an_open_ended_last_band_covers_any_total_without_a_flag():
    """Band 2 covers 60 points and above: 500 points is £10,000.20 + 440 x £183.33.

    1,000,020 + 440 x 18,333 = 1,000,020 + 8,066,520 = 9,066,540p, and no flag.
    """
    result = price(PENNY_TABLE, 500, "none")

    assert result.band_index == 2
    assert result.above_table is False
    assert result.full_needs_annual_pence == 9_066_540


def test_a_zero_reduction_leaves_the_full_needs_amount_unchanged():
    """Carer level 'none' takes 0%: 37 points stays at 995,400p; weekly 995,400 / 52 = 19,142.31p
    -> 19,142p.
    """
    result = price(TABLE, 37, "none")

    assert result.carer_adjustment_pence == 0
    assert result.indicative_annual_pence == result.full_needs_annual_pence == 995_400
    assert result.indicative_weekly_pence == 19_142


def test_a_full_reduction_leaves_nothing_to_pay():
    """Carer level 'all' takes 100%: 995,400 x 10,000 / 10,000 = 995,400p, leaving £0.00."""
    result = price(TABLE, 37, "all")

    assert result.full_needs_annual_pence == 995_400
    assert result.carer_adjustment_pence == 995_400
    assert result.indicative_annual_pence == 0
    assert result.indicative_weekly_pence == 0


def test_an_unknown_carer_level_is_refused_with_a_sentence():
    with pytest.raises(PricingError) as refusal:
        price(PENNY_TABLE, 37, "lots")

    assert str(refusal.value) == (
        "The allocation table has no carer reduction for carer level 'lots'; "
        "it has reductions for 'none', 'some'."
    )


def test_a_pricing_error_is_a_value_error():
    assert issubclass(PricingError, ValueError)


def test_negative_points_are_refused():
    with pytest.raises(PricingError, match="Cannot price -1 points"):
        price(TABLE, -1, "none")


def test_a_table_with_problems_is_refused_for_pricing():
    broken = TableVersion.from_mapping(
        [Band(0, 29, 0, 28_000), Band(31, None, 840_000, 22_200)], {"none": 0}
    )

    with pytest.raises(PricingError) as refusal:
        price(broken, 10, "none")

    assert str(refusal.value) == (
        "The allocation table cannot be used for pricing until it is corrected: "
        "Band 2 starts at 31 but band 1 ends at 29: point 30 belongs to no band."
    )


def test_a_table_with_several_problems_says_how_many_more_there_are():
    broken = TableVersion.from_mapping([], {"none": -1})

    with pytest.raises(PricingError, match=r"\(and 1 more problem\)$"):
        price(broken, 0, "none")


def test_the_reduction_for_a_level_can_be_read_from_the_table():
    assert TABLE.reduction_bp("substantial") == 2_500
    with pytest.raises(PricingError, match="no carer reduction for carer level 'lots'"):
        TABLE.reduction_bp("lots")


def test_a_table_built_from_lists_and_a_mapping_is_stored_immutably():
    bands = [Band(0, None, 0, 100)]
    table = TableVersion(bands=bands, carer_reductions_bp={"none": 0, "some": 1_000})  # type: ignore[arg-type]

    assert table.bands == (Band(0, None, 0, 100),)
    assert table.carer_reductions_bp == (("none", 0), ("some", 1_000))
    assert table.carer_levels == ("none", "some")
    assert hash(table) == hash(TableVersion.from_mapping(bands, {"none": 0, "some": 1_000}))


def test_a_table_survives_pickling_and_still_prices():
    copy = pickle.loads(pickle.dumps(TABLE))  # noqa: S301 - a table this test has just pickled

    assert copy == TABLE
    assert copy.reduction_bp("most") == 4_000
    assert price(copy, 37, "some") == price(TABLE, 37, "some")


def test_the_top_band_is_the_last_band():
    assert TABLE.top_band == Band(90, 119, 2_250_000, 27_500)
    with pytest.raises(PricingError, match="no bands"):
        TableVersion(bands=(), carer_reductions_bp=()).top_band  # noqa: B018


def test_a_band_describes_its_points_and_knows_what_it_covers():
    closed, open_ended = Band(30, 59, 0, 0), Band(120, None, 0, 0)

    assert closed.describe_points() == "30 to 59 points"
    assert open_ended.describe_points() == "120 points and above"
    assert (closed.covers(29), closed.covers(30), closed.covers(59), closed.covers(60)) == (
        False,
        True,
        True,
        False,
    )
    assert open_ended.is_open_ended
    assert open_ended.covers(10_000)
    assert not closed.is_open_ended


def assessment_of_37_points() -> ScoredAssessment:
    return ScoredAssessment(
        answers=(
            ScoredAnswer("personal_care", "washing", "daily", "I need help every day", 12),
            ScoredAnswer("meals", "cooking", "most", "I need help with most meals", 10),
            ScoredAnswer("personal_care", "dressing", "some", "I need some help", 15),
            ScoredAnswer("carers", "carer", "some", "My family help a few times a week", 0),
        ),
        carer_level="some",
    )


def test_an_assessment_adds_up_its_domains_in_the_order_they_first_appear():
    """personal_care: 12 + 15 = 27; meals: 10; carers: 0; total 27 + 10 + 0 = 37."""
    assessment = assessment_of_37_points()

    assert assessment.domain_points == (("personal_care", 27), ("meals", 10), ("carers", 0))
    assert assessment.total_points == 37


def test_pricing_an_assessment_keeps_its_answers_and_domain_subtotals():
    assessment = assessment_of_37_points()

    result = price_assessment(TABLE, assessment)

    assert result.domain_points == assessment.domain_points
    assert result.answers == assessment.answers
    assert result.indicative_annual_pence == price(TABLE, 37, "some").indicative_annual_pence


def test_an_answer_cannot_score_negative_points():
    with pytest.raises(PricingError, match="must score 0 points or more"):
        ScoredAnswer("meals", "cooking", "odd", "Odd option", -3)


def test_the_steps_explain_an_assessment_in_plain_english():
    result = price_assessment(TABLE, assessment_of_37_points())

    assert result.steps == (
        "personal_care, question 'washing': answered 'I need help every day', "
        "which scores 12 points.",
        "meals, question 'cooking': answered 'I need help with most meals', "
        "which scores 10 points.",
        "personal_care, question 'dressing': answered 'I need some help', which scores 15 points.",
        "carers, question 'carer': answered 'My family help a few times a week', "
        "which scores 0 points.",
        "personal_care subtotal: 12 + 15 = 27 points.",
        "meals subtotal: 10 points.",
        "carers subtotal: 0 points.",
        "Total: 27 + 10 + 0 = 37 points.",
        "Band 2 covers 30 to 59 points: £8,400.00 base + (37 - 30) points × £222.00 = £9,954.00.",
        "Full-needs annual amount: £9,954.00.",
        "Carer level 'some' has a reduction of 10.00%: £9,954.00 × 10.00% = £995.40, "
        "rounded half up to the nearest penny.",
        "Indicative annual amount: £9,954.00 - £995.40 = £8,958.60.",
        "Indicative weekly amount: £8,958.60 ÷ 52 = £172.28, rounded half up to the nearest penny.",
    )


def test_the_steps_use_domain_and_question_wording_when_given():
    answer = ScoredAnswer(
        "meals",
        "cooking",
        "most",
        "Most meals",
        1,
        domain_label="Meals",
        question_text="Do you need help to cook?",
    )

    steps = price_assessment(TABLE, ScoredAssessment((answer,), "none")).steps

    assert steps[:3] == (
        "Meals, question 'Do you need help to cook?': answered 'Most meals', which scores 1 point.",
        "Meals subtotal: 1 point.",
        "Total: 1 point.",
    )


def test_the_steps_say_a_case_above_the_table_is_flagged_and_not_capped():
    steps = price(TABLE, 130, "none").steps

    assert steps[:3] == (
        "Total: 130 points.",
        "130 points is above the top band, band 4, which covers 90 to 119 points; its formula "
        "continues with no cap: £22,500.00 base + (130 - 90) points × £275.00 = £33,500.00.",
        "This case is above the table and is flagged for individual costing.",
    )


def test_indicative_amounts_gives_the_same_figures_as_price():
    result = price(TABLE, 41, "substantial")

    assert indicative_amounts(TABLE, 41, "substantial") == (
        result.full_needs_annual_pence,
        result.carer_adjustment_pence,
        result.indicative_annual_pence,
        result.indicative_weekly_pence,
    )


def test_indicative_amounts_refuses_what_price_refuses():
    with pytest.raises(PricingError, match="carer level 'lots'"):
        indicative_amounts(TABLE, 10, "lots")


def test_price_many_prices_each_distinct_pair_once():
    cases = [(37, "some"), (130, "most"), (37, "some"), (0, "none")]

    results = price_many(TABLE, cases)

    assert list(results) == [(37, "some"), (130, "most"), (0, "none")]
    assert results[(130, "most")] == price(TABLE, 130, "most")

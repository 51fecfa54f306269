"""The annual uplift, with the arithmetic worked by hand in each docstring.

An uplift of p basis points turns an amount of x pence into rhu(x x (10,000 + p) / 10,000): the
amount plus the uplift, rounded half up to the penny.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allocations.engine import Band, PricingError, TableVersion, price, rhu, uplift_bands
from allocations.engine.uplift import uplift_pence

# The older people's table of the test fixtures: pounds a year.
BANDS = (
    Band(min_points=0, max_points=19, base_pence=0, per_point_pence=15_000),
    Band(min_points=20, max_points=49, base_pence=300_000, per_point_pence=26_000),
    Band(min_points=50, max_points=89, base_pence=1_080_000, per_point_pence=28_500),
    Band(min_points=90, max_points=129, base_pence=2_220_000, per_point_pence=30_000),
    Band(min_points=130, max_points=None, base_pence=3_420_000, per_point_pence=31_000),
)
REDUCTIONS = {"none": 0, "some": 1_000, "substantial": 2_500, "most": 4_000}


def test_half_a_penny_of_uplift_rounds_up():
    """£285.00 x 3.5% = £9.975, which rounds up to £9.98: 28,500 x 1.035 = 29,497.5 -> 29,498."""
    assert uplift_pence(28_500, 350) == 29_498


def test_less_than_half_a_penny_of_uplift_rounds_down():
    """£284.99 x 3.5% = £9.97465, which rounds down to £9.97: 28,499 + 997 = 29,496."""
    assert uplift_pence(28_499, 350) == 29_496


def test_an_uplift_that_comes_to_whole_pence_needs_no_rounding():
    """£100.00 x 3% = £3.00 exactly: 10,000 + 300 = 10,300."""
    assert uplift_pence(10_000, 300) == 10_300


def test_a_single_penny_raised_by_half_is_two_pence():
    """1p x 50% = 0.5p, an exact half, so it rounds up: 1 + 1 = 2."""
    assert uplift_pence(1, 5_000) == 2


def test_every_money_figure_of_every_band_is_uplifted():
    """3.5% on each figure, each rounded on its own:
    band 1: £0 -> £0; £150 + £5.25 = £155.25
    band 2: £3,000 + £105 = £3,105; £260 + £9.10 = £269.10
    band 3: £10,800 + £378 = £11,178; £285 + £9.975 = £294.975 -> £294.98
    band 4: £22,200 + £777 = £22,977; £300 + £10.50 = £310.50
    band 5: £34,200 + £1,197 = £35,397; £310 + £10.85 = £320.85
    """
    assert uplift_bands(BANDS, 350) == (
        Band(min_points=0, max_points=19, base_pence=0, per_point_pence=15_525),
        Band(min_points=20, max_points=49, base_pence=310_500, per_point_pence=26_910),
        Band(min_points=50, max_points=89, base_pence=1_117_800, per_point_pence=29_498),
        Band(min_points=90, max_points=129, base_pence=2_297_700, per_point_pence=31_050),
        Band(min_points=130, max_points=None, base_pence=3_539_700, per_point_pence=32_085),
    )


def test_an_uplift_keeps_the_points_of_each_band_and_the_open_ended_top():
    uplifted = uplift_bands(BANDS, 250)
    assert [(b.min_points, b.max_points) for b in uplifted] == [
        (b.min_points, b.max_points) for b in BANDS
    ]
    assert uplifted[-1].is_open_ended


def test_no_uplift_gives_the_same_bands():
    """0% adds nothing: every figure stays as it was."""
    assert uplift_bands(BANDS, 0) == BANDS


def test_the_largest_uplift_doubles_every_figure():
    """100% adds the whole amount again: £285 becomes £570."""
    uplifted = uplift_bands(BANDS, 10_000)
    assert uplifted[2] == Band(50, 89, 2_160_000, 57_000)


def test_a_case_is_priced_from_the_rounded_figures_of_its_band():
    """60 points, band 3, no carer reduction.
    Before: £10,800 + 10 x £285 = £13,650.00 (1,365,000 pence).
    After 3.5%: £11,178 + 10 x £294.98 = £14,127.80 (1,412,780 pence): 5p more than £13,650 x
    1.035 = £14,127.75, because each point's £9.975 was rounded up to £9.98 first.
    """
    before = TableVersion.from_mapping(BANDS, REDUCTIONS)
    after = TableVersion.from_mapping(uplift_bands(BANDS, 350), REDUCTIONS)
    assert price(before, 60, "none").full_needs_annual_pence == 1_365_000
    assert price(after, 60, "none").full_needs_annual_pence == 1_412_780
    assert rhu(1_365_000 * 10_350, 10_000) == 1_412_775


@pytest.mark.parametrize("percent_bp", [-1, -350, -10_000])
def test_a_cut_is_not_an_uplift(percent_bp):
    with pytest.raises(PricingError, match="an uplift must be 0% or more"):
        uplift_bands(BANDS, percent_bp)


def test_a_cut_is_refused_with_the_percentage_in_words():
    with pytest.raises(PricingError, match=r"An uplift of -3\.50% would cut the table"):
        uplift_bands(BANDS, -350)


@pytest.mark.parametrize("percent_bp", [10_001, 35_000])
def test_an_uplift_above_one_hundred_percent_is_refused(percent_bp):
    with pytest.raises(PricingError, match="is more than 100%"):
        uplift_bands(BANDS, percent_bp)


def test_a_negative_amount_cannot_be_uplifted():
    with pytest.raises(PricingError, match=r"Cannot uplift -£0\.01"):
        uplift_bands([Band(0, None, -1, 100)], 350)


def test_an_uplift_of_no_bands_is_no_bands():
    assert uplift_bands([], 350) == ()


@given(
    pence=st.integers(min_value=0, max_value=10**12),
    percent_bp=st.integers(min_value=0, max_value=10_000),
)
def test_an_uplift_adds_the_uplift_rounded_on_its_own(pence, percent_bp):
    """x raised by p is x + rhu(x x p / 10,000): never less than x, never more than 2x."""
    uplifted = uplift_pence(pence, percent_bp)
    assert uplifted == pence + rhu(pence * percent_bp, 10_000)
    assert pence <= uplifted <= 2 * pence


@given(
    pence=st.integers(min_value=0, max_value=10**9),
    smaller=st.integers(min_value=0, max_value=10_000),
    larger=st.integers(min_value=0, max_value=10_000),
)
def test_a_larger_uplift_never_gives_less(pence, smaller, larger):
    smaller, larger = sorted((smaller, larger))
    assert uplift_pence(pence, smaller) <= uplift_pence(pence, larger)

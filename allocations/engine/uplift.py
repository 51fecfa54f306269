"""The annual uplift: every money figure of a table raised by the same percentage.

An uplift changes money only. The points each band covers and the carer reductions (which are
percentages, not money) stay as they are. Each figure is rounded half up to the penny on its own,
so an uplifted table prices exactly as a finance lead would work it out by hand, band by band.
"""

from collections.abc import Iterable

from allocations.engine.errors import PricingError
from allocations.engine.money import BASIS_POINTS_IN_WHOLE, format_percentage, format_pounds, rhu
from allocations.engine.tables import Band

# A cut is not an uplift: reducing a table is a change a finance lead makes, and explains, band by
# band. Above 100% is far more likely a slip of the finger (350 typed for 3.5) than a decision.
LARGEST_UPLIFT_BP = BASIS_POINTS_IN_WHOLE


def uplift_pence(pence: int, percent_bp: int) -> int:
    """``pence`` raised by ``percent_bp`` basis points, rounded half up to the penny.

    The result is ``rhu(pence x (10,000 + percent_bp) / 10,000)``, which equals ``pence`` plus the
    uplift rounded half up on its own, since ``pence`` is whole: £285.00 raised by 3.5% is
    28,500 x 10,350 / 10,000 = 29,497.5 pence, rounded up to 29,498 (£294.98).

    Raises:
        PricingError: if ``pence`` is negative or ``percent_bp`` is outside 0 to 10,000.
    """
    _check_uplift(percent_bp)
    if pence < 0:
        raise PricingError(
            f"Cannot uplift {format_pounds(pence)}: amounts in a table must be £0.00 or more."
        )
    return rhu(pence * (BASIS_POINTS_IN_WHOLE + percent_bp), BASIS_POINTS_IN_WHOLE)


def uplift_bands(bands: Iterable[Band], percent_bp: int) -> tuple[Band, ...]:
    """``bands`` with ``base_pence`` and ``per_point_pence`` each raised by ``percent_bp``.

    ``percent_bp`` is the uplift in basis points (350 = 3.5%), from 0 to 10,000 (100%). Points are
    kept as they are; each money figure is rounded half up to the penny on its own (see
    :func:`uplift_pence`). The bands come back in the order given.

    Raises:
        PricingError: if ``percent_bp`` is below 0% or above 100%, or a band holds a negative
            amount.
    """
    _check_uplift(percent_bp)
    return tuple(
        Band(
            min_points=band.min_points,
            max_points=band.max_points,
            base_pence=uplift_pence(band.base_pence, percent_bp),
            per_point_pence=uplift_pence(band.per_point_pence, percent_bp),
        )
        for band in bands
    )


def _check_uplift(percent_bp: int) -> None:
    if percent_bp < 0:
        raise PricingError(
            f"An uplift of {format_percentage(percent_bp)} would cut the table: an uplift must be "
            "0% or more. To lower amounts, edit the bands of a draft and give the reason."
        )
    if percent_bp > LARGEST_UPLIFT_BP:
        raise PricingError(
            f"An uplift of {format_percentage(percent_bp)} is more than 100%: check the figure. "
            "An uplift must be between 0% and 100%."
        )

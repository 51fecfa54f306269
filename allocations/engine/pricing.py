"""The pricing rule: total points and carer level in, annual and weekly amounts in pence out.

1. The band is the one whose limits include the total. Above a closed top band, the top band's
   formula continues and the case is flagged ``above_table``; there is never a cap.
2. full needs = base + (total points - band minimum) * per-point rate.
3. carer adjustment = rhu(full needs * reduction basis points / 10,000).
4. indicative annual = full needs - carer adjustment.
5. indicative weekly = rhu(indicative annual / 52).

``rhu`` is round half up (see :func:`allocations.engine.money.rhu`). The hot paths below write its
formula out in full to save a function call per figure when pricing in bulk; the tests check
their results against ``rhu`` itself.
"""

from bisect import bisect_right
from collections.abc import Iterable

from allocations.engine.assessments import ScoredAssessment
from allocations.engine.errors import PricingError
from allocations.engine.results import PricingResult, new_pricing_result
from allocations.engine.tables import TableVersion, unknown_carer_level_message


def price(table: TableVersion, total_points: int, carer_level: str) -> PricingResult:
    """Price a total of points for a carer level with ``table``.

    Returns a :class:`PricingResult` with money in pence; its ``steps`` explain the figures.

    Raises:
        PricingError: if ``total_points`` is below 0, if the table has no reduction for
            ``carer_level``, or if the table has problems (see ``validate_table``).
    """
    reduction_bp = table.reductions_by_level.get(carer_level)
    if reduction_bp is None or total_points < 0 or table.problems:
        raise _refusal(table, total_points, carer_level)
    # A valid table's bands run in order from 0 with no gaps, so the last band starting at or
    # below the total is the band; only the top band can be passed by its maximum.
    position = bisect_right(table.band_starts, total_points) - 1
    band = table.bands[position]
    full_pence = band.base_pence + (total_points - band.min_points) * band.per_point_pence
    # rhu(x, y) = (2x + y) // 2y, which is (x + y/2) // y when y is even, as 10,000 and 52 are.
    adjustment_pence = (full_pence * reduction_bp + 5_000) // 10_000
    indicative_pence = full_pence - adjustment_pence
    return new_pricing_result(
        total_points,
        position + 1,
        band,
        band.max_points is not None and total_points > band.max_points,
        full_pence,
        carer_level,
        reduction_bp,
        adjustment_pence,
        indicative_pence,
        (indicative_pence + 26) // 52,
        (),
        (),
    )


def price_assessment(table: TableVersion, assessment: ScoredAssessment) -> PricingResult:
    """Price a scored assessment; the result also keeps its answers and domain subtotals.

    Money is in pence. The figures are those of ``price(table, assessment.total_points,
    assessment.carer_level)``.

    Raises:
        PricingError: as :func:`price` does.
    """
    result = price(table, assessment.total_points, assessment.carer_level)
    return PricingResult(
        result.total_points,
        result.band_index,
        result.band,
        result.above_table,
        result.full_needs_annual_pence,
        result.carer_level,
        result.carer_reduction_bp,
        result.carer_adjustment_pence,
        result.indicative_annual_pence,
        result.indicative_weekly_pence,
        domain_points=assessment.domain_points,
        answers=assessment.answers,
    )


def indicative_amounts(
    table: TableVersion, total_points: int, carer_level: str
) -> tuple[int, int, int, int]:
    """The money figures alone, for bulk work: the same numbers as :func:`price`.

    Returns ``(full_needs_annual_pence, carer_adjustment_pence, indicative_annual_pence,
    indicative_weekly_pence)``.

    Raises:
        PricingError: as :func:`price` does.
    """
    reduction_bp = table.reductions_by_level.get(carer_level)
    if reduction_bp is None or total_points < 0 or table.problems:
        raise _refusal(table, total_points, carer_level)
    band = table.bands[bisect_right(table.band_starts, total_points) - 1]
    full_pence = band.base_pence + (total_points - band.min_points) * band.per_point_pence
    adjustment_pence = (full_pence * reduction_bp + 5_000) // 10_000
    indicative_pence = full_pence - adjustment_pence
    return full_pence, adjustment_pence, indicative_pence, (indicative_pence + 26) // 52


def price_many(
    table: TableVersion, cases: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], PricingResult]:
    """Price each distinct ``(total points, carer level)`` pair once.

    Re-pricing depends only on the total and the carer level, so a million cases usually need a
    few hundred prices; the caller maps each case to its pair's result.

    Raises:
        PricingError: as :func:`price` does, for the first pair that cannot be priced.
    """
    results: dict[tuple[int, str], PricingResult] = {}
    for total_points, carer_level in cases:
        key = (total_points, carer_level)
        if key not in results:
            results[key] = price(table, total_points, carer_level)
    return results


def _refusal(table: TableVersion, total_points: int, carer_level: str) -> PricingError:
    if total_points < 0:
        return PricingError(
            f"Cannot price {total_points} points: a total of points must be 0 or more."
        )
    if carer_level not in table.reductions_by_level:
        return PricingError(unknown_carer_level_message(table, carer_level))
    problems = table.problems
    others = len(problems) - 1
    more = "" if others == 0 else f" (and {others} more problem{'s' if others > 1 else ''})"
    return PricingError(
        f"The allocation table cannot be used for pricing until it is corrected: "
        f"{problems[0].message}{more}"
    )

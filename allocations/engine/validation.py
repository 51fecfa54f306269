"""Checks that an allocation table follows the pricing rule, in words a finance lead understands.

Every problem is reported, not just the first, so a whole sheet can be put right in one go.
Bands are numbered from 1, in the order the table lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from allocations.engine.money import BASIS_POINTS_IN_WHOLE, format_percentage, format_pounds

if TYPE_CHECKING:
    from allocations.engine.tables import Band, TableVersion


@dataclass(frozen=True, slots=True)
class TableProblem:
    """One thing wrong with an allocation table.

    ``code`` names the kind of problem for programs (for example ``"gap"`` or ``"overlap"``);
    ``message`` is the sentence to show a person. ``band_number`` (counted from 1), ``field`` (the
    band or table field at fault) and ``carer_level`` point at where the problem is, when it has
    such a place.
    """

    code: str
    message: str
    band_number: int | None = None
    field: str | None = None
    carer_level: str | None = None


def validate_table(table: TableVersion, carer_levels: Iterable[str]) -> list[TableProblem]:
    """Every problem that stops ``table`` pricing the questionnaire's ``carer_levels``.

    Returns an empty list when the table is valid: its bands start at 0 points and follow one
    another with no gap or overlap, only the last band is open-ended, money amounts and points are
    0 or more, and there is exactly one reduction between 0% and 100% for each carer level of the
    questionnaire and none for any other level. Raises nothing.
    """
    problems = list(table.problems)
    questionnaire_levels = list(dict.fromkeys(carer_levels))
    table_levels = set(table.reductions_by_level)
    for level in questionnaire_levels:
        if level not in table_levels:
            problems.append(
                TableProblem(
                    code="missing_reduction",
                    message=(
                        f"Carer level '{level}' is in the questionnaire "
                        "but the table has no reduction for it."
                    ),
                    field="carer_reductions",
                    carer_level=level,
                )
            )
    known_levels = set(questionnaire_levels)
    for level in table.reductions_by_level:
        if level not in known_levels:
            problems.append(
                TableProblem(
                    code="unknown_carer_level",
                    message=(
                        f"The table has a reduction for carer level '{level}', "
                        "which the questionnaire does not have."
                    ),
                    field="carer_reductions",
                    carer_level=level,
                )
            )
    return problems


def find_table_problems(
    bands: Sequence[Band], carer_reductions_bp: Sequence[tuple[str, int]]
) -> list[TableProblem]:
    """Problems within the table itself, whatever questionnaire it is used with.

    These are the checks of :func:`validate_table` that need no list of carer levels; a table
    with any of them is refused for pricing. Raises nothing.
    """
    return [*_band_problems(bands), *_reduction_problems(carer_reductions_bp)]


def _band_problems(bands: Sequence[Band]) -> list[TableProblem]:
    if not bands:
        return [
            TableProblem(
                code="no_bands",
                message="The table has no bands; it needs at least one band starting at 0 points.",
                field="bands",
            )
        ]
    problems: list[TableProblem] = []
    for number, band in enumerate(bands, start=1):
        problems.extend(_problems_within_band(number, band, is_last=number == len(bands)))
    for number in range(2, len(bands) + 1):
        problems.extend(_order_problems(number, bands[number - 2], bands[number - 1]))
    problems.extend(_coverage_problems(bands))
    # Band by band, so a sheet can be put right from the top down.
    return sorted(problems, key=lambda problem: problem.band_number or 0)


def _problems_within_band(number: int, band: Band, *, is_last: bool) -> list[TableProblem]:
    problems: list[TableProblem] = []
    if band.min_points < 0:
        problems.append(
            TableProblem(
                code="negative_points",
                message=(
                    f"Band {number} starts at {band.min_points} points; points cannot be below 0."
                ),
                band_number=number,
                field="min_points",
            )
        )
    if band.max_points is not None and band.max_points < band.min_points:
        problems.append(
            TableProblem(
                code="ends_before_start",
                message=(
                    f"Band {number} ends at {band.max_points} points, "
                    f"before it starts at {band.min_points} points."
                ),
                band_number=number,
                field="max_points",
            )
        )
    if band.max_points is None and not is_last:
        problems.append(
            TableProblem(
                code="open_band_not_last",
                message=(
                    f"Band {number} has no upper limit but is not the last band; "
                    "only the last band may be open-ended."
                ),
                band_number=number,
                field="max_points",
            )
        )
    if band.base_pence < 0:
        problems.append(
            TableProblem(
                code="negative_money",
                message=(
                    f"Band {number} has a base amount of {format_pounds(band.base_pence)}; "
                    "it must be £0.00 or more."
                ),
                band_number=number,
                field="base_pence",
            )
        )
    if band.per_point_pence < 0:
        problems.append(
            TableProblem(
                code="negative_money",
                message=(
                    f"Band {number} has {format_pounds(band.per_point_pence)} per point; "
                    "it must be £0.00 or more."
                ),
                band_number=number,
                field="per_point_pence",
            )
        )
    return problems


def _order_problems(number: int, previous: Band, band: Band) -> list[TableProblem]:
    """Band ``number`` must start after the band listed before it."""
    if band.min_points > previous.min_points:
        return []
    return [
        TableProblem(
            code="out_of_order",
            message=(
                f"Band {number} starts at {band.min_points} points, not after band {number - 1} "
                f"(which starts at {previous.min_points}); list bands from the fewest points "
                "to the most."
            ),
            band_number=number,
            field="min_points",
        )
    ]


def _coverage_problems(bands: Sequence[Band]) -> list[TableProblem]:
    """Points that no band covers, or that two bands cover.

    Bands are taken from the fewest points up, so a table listed out of order is still described
    truly; each band is compared with the earlier band that reaches furthest. A band that ends
    before it starts is left out: it is reported on its own.
    """
    in_points_order = sorted(
        (
            (number, band)
            for number, band in enumerate(bands, start=1)
            if band.max_points is None or band.max_points >= band.min_points
        ),
        key=lambda numbered: (numbered[1].min_points, numbered[0]),
    )
    if not in_points_order:
        return []
    problems: list[TableProblem] = []
    lowest_number, lowest = in_points_order[0]
    if lowest.min_points > 0:
        which = "Band 1" if lowest_number == 1 else f"The lowest band, band {lowest_number},"
        problems.append(
            TableProblem(
                code="first_band_not_at_zero",
                message=f"{which} starts at {lowest.min_points} points but must start at 0.",
                band_number=lowest_number,
                field="min_points",
            )
        )
    reach_number, reach = lowest_number, lowest
    for number, band in in_points_order[1:]:
        if reach.max_points is None:
            # Everything above an open-ended band overlaps it; that band is reported already.
            break
        problem = _gap_or_overlap(number, band, reach_number, reach.max_points)
        if problem is not None:
            problems.append(problem)
        if band.max_points is None or band.max_points > reach.max_points:
            reach_number, reach = number, band
    return problems


def _gap_or_overlap(
    number: int, band: Band, earlier_number: int, earlier_max_points: int
) -> TableProblem | None:
    """Compare band ``number`` with the earlier band that reaches furthest.

    That band ends at ``earlier_max_points``; it is band ``earlier_number``.
    """
    heading = (
        f"Band {number} starts at {band.min_points} "
        f"but band {earlier_number} ends at {earlier_max_points}"
    )
    if band.min_points > earlier_max_points + 1:
        first_missing, last_missing = earlier_max_points + 1, band.min_points - 1
        verb = "belongs" if first_missing == last_missing else "belong"
        return TableProblem(
            code="gap",
            message=(
                f"{heading}: {_describe_points(first_missing, last_missing)} {verb} to no band."
            ),
            band_number=number,
            field="min_points",
        )
    if band.min_points <= earlier_max_points:
        last_shared = earlier_max_points
        if band.max_points is not None:
            last_shared = min(last_shared, band.max_points)
        verb = "is" if band.min_points == last_shared else "are"
        return TableProblem(
            code="overlap",
            message=(
                f"{heading}: {_describe_points(band.min_points, last_shared)} {verb} in both bands."
            ),
            band_number=number,
            field="min_points",
        )
    return None


def _reduction_problems(carer_reductions_bp: Sequence[tuple[str, int]]) -> list[TableProblem]:
    problems: list[TableProblem] = []
    seen: set[str] = set()
    reported_twice: set[str] = set()
    for level, reduction_bp in carer_reductions_bp:
        if level in seen and level not in reported_twice:
            reported_twice.add(level)
            problems.append(
                TableProblem(
                    code="duplicate_reduction",
                    message=(
                        f"Carer level '{level}' has more than one reduction; give it exactly one."
                    ),
                    field="carer_reductions",
                    carer_level=level,
                )
            )
        seen.add(level)
        if not 0 <= reduction_bp <= BASIS_POINTS_IN_WHOLE:
            problems.append(
                TableProblem(
                    code="reduction_out_of_range",
                    message=(
                        f"The reduction for carer level '{level}' is "
                        f"{format_percentage(reduction_bp)}; it must be between 0% and 100%."
                    ),
                    field="carer_reductions",
                    carer_level=level,
                )
            )
    return problems


def _describe_points(first: int, last: int) -> str:
    if first == last:
        return f"point {first}"
    return f"points {first} to {last}"

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
    first = bands[0]
    if first.min_points != 0:
        problems.append(
            TableProblem(
                code="first_band_not_at_zero",
                message=f"Band 1 starts at {first.min_points} points but must start at 0.",
                band_number=1,
                field="min_points",
            )
        )
    for number, band in enumerate(bands, start=1):
        problems.extend(_problems_within_band(number, band, is_last=number == len(bands)))
    for number in range(2, len(bands) + 1):
        problems.extend(_problems_between_bands(number, bands[number - 2], bands[number - 1]))
    return problems


def _problems_within_band(number: int, band: Band, *, is_last: bool) -> list[TableProblem]:
    problems: list[TableProblem] = []
    if band.min_points < 0 and number != 1:
        problems.append(
            TableProblem(
                code="negative_points",
                message=(
                    f"Band {number} starts at {band.min_points} points; "
                    "points cannot be below 0."
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


def _problems_between_bands(number: int, previous: Band, band: Band) -> list[TableProblem]:
    """Compare band ``number`` with the band before it (``number - 1``)."""
    before = number - 1
    if band.min_points <= previous.min_points:
        return [
            TableProblem(
                code="out_of_order",
                message=(
                    f"Band {number} starts at {band.min_points} points, not after band {before} "
                    f"(which starts at {previous.min_points}); list bands from the fewest points "
                    "to the most."
                ),
                band_number=number,
                field="min_points",
            )
        ]
    if previous.max_points is None or previous.max_points < previous.min_points:
        # Already reported for the band before; a gap or overlap worked out from it would mislead.
        return []
    expected_start = previous.max_points + 1
    heading = f"Band {number} starts at {band.min_points} but band {before} ends at"
    if band.min_points > expected_start:
        missing = _describe_points(expected_start, band.min_points - 1)
        verb = "belongs" if expected_start == band.min_points - 1 else "belong"
        return [
            TableProblem(
                code="gap",
                message=f"{heading} {previous.max_points}: {missing} {verb} to no band.",
                band_number=number,
                field="min_points",
            )
        ]
    if band.min_points < expected_start:
        last_shared = previous.max_points
        if band.max_points is not None and band.max_points >= band.min_points:
            last_shared = min(last_shared, band.max_points)
        shared = _describe_points(band.min_points, last_shared)
        verb = "is" if band.min_points == last_shared else "are"
        return [
            TableProblem(
                code="overlap",
                message=f"{heading} {previous.max_points}: {shared} {verb} in both bands.",
                band_number=number,
                field="min_points",
            )
        ]
    return []


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
                        f"Carer level '{level}' has more than one reduction; "
                        "give it exactly one."
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

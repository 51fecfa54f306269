"""Small-number suppression for the open data: pure, no Django.

Every figure arrives with the number of people it rests on. A figure is published only when it
rests on at least MINIMUM_PEOPLE people; otherwise it becomes SUPPRESSED ("fewer than 5").

A share (people outside the RAS out of all people) also implies two counts: the people inside
and the people outside. Published beside the number of people, a share of 1 in 6 would give away
a count of 1, so a share is published only when both of those counts are at least
MINIMUM_PEOPLE, and never when the number of people is itself suppressed.

No totals are published (no row or column adds up the cells), so no published figure is the sum
of a suppressed cell and others: a suppressed count may be any of 0 to 4 whatever else is shown.
See docs/adr/0020-open-data.md.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final


class Suppressed(Enum):
    """The marker for a figure that is not published."""

    FEWER_THAN_5 = "fewer than 5"

    def __str__(self) -> str:
        return self.value


SUPPRESSED: Final = Suppressed.FEWER_THAN_5
MINIMUM_PEOPLE: Final = 5


@dataclass(frozen=True)
class Figure:
    """A figure with the number of people it was worked out from."""

    value: int | None
    people: int


@dataclass(frozen=True)
class Share:
    """`part` people out of `whole` people; published in basis points."""

    part: int
    whole: int


@dataclass(frozen=True)
class Row:
    """The figures for one client group in one quarter, before suppression.

    Money in pence, time in whole days; `None` when there is nothing to work a figure from.
    """

    group: str
    quarter: str
    people: int
    median_indicative_annual_pence: Figure
    median_final_annual_pence: Figure
    outside_ras: Share
    median_days_to_final_budget: Figure


Published = int | Suppressed


@dataclass(frozen=True)
class PublishedRow:
    """The same row as it may be shown to anyone: each figure a number or SUPPRESSED."""

    group: str
    quarter: str
    people: Published
    median_indicative_annual_pence: Published
    median_final_annual_pence: Published
    outside_ras_basis_points: Published
    median_days_to_final_budget: Published


def share_basis_points(share: Share) -> int:
    """part / whole in basis points, rounded half up; whole must be positive."""
    return (2 * share.part * 10_000 + share.whole) // (2 * share.whole)


def _figure(figure: Figure) -> Published:
    if figure.people < MINIMUM_PEOPLE or figure.value is None:
        return SUPPRESSED
    return figure.value


def _share(share: Share) -> Published:
    outside, inside = share.part, share.whole - share.part
    if share.whole < MINIMUM_PEOPLE or outside < MINIMUM_PEOPLE or inside < MINIMUM_PEOPLE:
        return SUPPRESSED
    return share_basis_points(share)


def suppress_row(row: Row) -> PublishedRow:
    """One row with every figure resting on fewer than MINIMUM_PEOPLE people suppressed."""
    return PublishedRow(
        group=row.group,
        quarter=row.quarter,
        people=row.people if row.people >= MINIMUM_PEOPLE else SUPPRESSED,
        median_indicative_annual_pence=_figure(row.median_indicative_annual_pence),
        median_final_annual_pence=_figure(row.median_final_annual_pence),
        outside_ras_basis_points=_share(row.outside_ras),
        median_days_to_final_budget=_figure(row.median_days_to_final_budget),
    )


def suppress(table: Sequence[Row]) -> list[PublishedRow]:
    """The table as it may be published: the same rows in the same order, no totals added."""
    return [suppress_row(row) for row in table]

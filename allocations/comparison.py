"""Comparing two allocation table versions: bands and carer reductions side by side, and money.

Pure: it takes two :class:`engine.TableVersion` values and returns plain, frozen dataclasses; it
reads no database. Version A is the one compared *from* (typically the published table) and B the
one compared *to* (typically a draft), so "New" means "in B but not in A".

Bands are paired by the points they start at, not by their number, so splitting one band in two
marks one band changed and one new, rather than every band after the split. Amounts are the
full-needs annual amount (no carer reduction), priced by the engine itself, so the figures here
are exactly the figures a case would get.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from allocations import engine

DIFFERENCE_STEP_POINTS = 5
# The comparison prices with a reduction of 0% under a level of its own, whatever the table's own
# reductions are, so a table with bands but no reductions can still be drawn.
_FULL_NEEDS_LEVEL = "full-needs"
_BAND_FIELDS = ("max_points", "base_pence", "per_point_pence")


class RowChange(StrEnum):
    """How a row of B differs from the matching row of A."""

    SAME = "same"
    CHANGED = "changed"
    NEW = "new"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        """The words shown in the row's tag."""
        return _CHANGE_LABELS[self]


_CHANGE_LABELS = {
    RowChange.SAME: "No change",
    RowChange.CHANGED: "Changed",
    RowChange.NEW: "New",
    RowChange.REMOVED: "Removed",
}


@dataclass(frozen=True, slots=True)
class BandRow:
    """A band of A beside the band of B that starts at the same points (either may be missing).

    ``band_a_number`` and ``band_b_number`` count from 1 within each table. ``changed_fields``
    names the fields that differ (``max_points``, ``base_pence``, ``per_point_pence``).
    """

    band_a: engine.Band | None
    band_a_number: int | None
    band_b: engine.Band | None
    band_b_number: int | None
    change: RowChange
    changed_fields: tuple[str, ...] = ()

    @property
    def min_points(self) -> int:
        band = self.band_b if self.band_b is not None else self.band_a
        assert band is not None  # noqa: S101 - a row always has at least one band
        return band.min_points

    @property
    def max_points_changed(self) -> bool:
        return "max_points" in self.changed_fields

    @property
    def base_changed(self) -> bool:
        return "base_pence" in self.changed_fields

    @property
    def per_point_changed(self) -> bool:
        return "per_point_pence" in self.changed_fields


@dataclass(frozen=True, slots=True)
class ReductionRow:
    """The carer reduction of one level under A and under B, in basis points (None: missing)."""

    carer_level: str
    label: str
    reduction_a_bp: int | None
    reduction_b_bp: int | None
    change: RowChange


@dataclass(frozen=True, slots=True)
class DifferenceRow:
    """The full-needs annual amount at one total of points under A and B, in pence.

    An amount is None when that table cannot be priced (it has no bands, or problems).
    """

    total_points: int
    amount_a_pence: int | None
    amount_b_pence: int | None

    @property
    def difference_pence(self) -> int | None:
        """B minus A: positive when B gives more."""
        if self.amount_a_pence is None or self.amount_b_pence is None:
            return None
        return self.amount_b_pence - self.amount_a_pence

    @property
    def change_bp(self) -> int | None:
        """The difference as basis points of A's amount, rounded half away from zero.

        None when there is nothing to divide by: A's amount is £0.00 or missing.
        """
        difference = self.difference_pence
        if difference is None or not self.amount_a_pence:
            return None
        size = engine.rhu(abs(difference) * 10_000, self.amount_a_pence)
        return size if difference >= 0 else -size


@dataclass(frozen=True, slots=True)
class TableComparison:
    """Everything the comparison page shows, as plain values.

    ``chart_points_a`` and ``chart_points_b`` are ``(total points, full-needs pence)`` pairs at
    every band start and end and at both ends of the range, from 0 to ``last_points``: between
    them the amount rises by the same sum for every point, so straight lines through these pairs
    are exactly the amounts at every whole point. They are empty when the table cannot be priced.
    """

    band_rows: tuple[BandRow, ...]
    reduction_rows: tuple[ReductionRow, ...]
    difference_rows: tuple[DifferenceRow, ...]
    chart_points_a: tuple[tuple[int, int], ...]
    chart_points_b: tuple[tuple[int, int], ...]
    last_points: int

    @property
    def a_can_be_priced(self) -> bool:
        return bool(self.chart_points_a)

    @property
    def b_can_be_priced(self) -> bool:
        return bool(self.chart_points_b)

    @property
    def changed_band_count(self) -> int:
        return sum(row.change is not RowChange.SAME for row in self.band_rows)

    @property
    def changed_reduction_count(self) -> int:
        return sum(row.change is not RowChange.SAME for row in self.reduction_rows)


def compare_tables(
    table_a: engine.TableVersion,
    table_b: engine.TableVersion,
    *,
    carer_level_labels: Mapping[str, str],
) -> TableComparison:
    """Compare ``table_a`` (from) with ``table_b`` (to).

    ``carer_level_labels`` maps the questionnaire's carer level codes, in their order, to their
    words; a level found only in a table is listed after them, under its code. Money is in pence.
    Raises nothing: a table that cannot be priced gets no amounts.
    """
    last_points = comparison_last_points(table_a, table_b)
    pricer_a = _full_needs_pricer(table_a)
    pricer_b = _full_needs_pricer(table_b)
    return TableComparison(
        band_rows=band_rows(table_a.bands, table_b.bands),
        reduction_rows=reduction_rows(table_a, table_b, carer_level_labels),
        difference_rows=tuple(
            DifferenceRow(
                total_points=points,
                amount_a_pence=full_needs_pence(pricer_a, points),
                amount_b_pence=full_needs_pence(pricer_b, points),
            )
            for points in range(0, last_points + 1, DIFFERENCE_STEP_POINTS)
        ),
        chart_points_a=_chart_points(pricer_a, last_points),
        chart_points_b=_chart_points(pricer_b, last_points),
        last_points=last_points,
    )


def comparison_last_points(table_a: engine.TableVersion, table_b: engine.TableVersion) -> int:
    """The highest total compared: 5 points beyond the furthest top band, in steps of 5.

    The top band "reaches" its start when it is open-ended, or its end when it is closed (so a
    closed top band is shown whole, and then how its formula carries on above it). The result is
    the first multiple of 5 at least 5 points beyond the furthest reach of either table.
    """
    reaches = [
        band.min_points if band.max_points is None else max(band.min_points, band.max_points)
        for band in (table.bands[-1] for table in (table_a, table_b) if table.bands)
    ]
    furthest = max([0, *reaches])
    step = DIFFERENCE_STEP_POINTS
    return -(-(furthest + step) // step) * step


def band_rows(
    bands_a: Sequence[engine.Band], bands_b: Sequence[engine.Band]
) -> tuple[BandRow, ...]:
    """Bands of A and B paired by the points they start at, from the fewest points up."""
    numbered_a = sorted(enumerate(bands_a, start=1), key=lambda pair: pair[1].min_points)
    numbered_b = sorted(enumerate(bands_b, start=1), key=lambda pair: pair[1].min_points)
    rows: list[BandRow] = []
    index_a = index_b = 0
    while index_a < len(numbered_a) or index_b < len(numbered_b):
        next_a = numbered_a[index_a] if index_a < len(numbered_a) else None
        next_b = numbered_b[index_b] if index_b < len(numbered_b) else None
        if next_b is None or (next_a is not None and next_a[1].min_points < next_b[1].min_points):
            assert next_a is not None  # noqa: S101 - the loop runs while either side has a band
            rows.append(BandRow(next_a[1], next_a[0], None, None, RowChange.REMOVED))
            index_a += 1
        elif next_a is None or next_b[1].min_points < next_a[1].min_points:
            rows.append(BandRow(None, None, next_b[1], next_b[0], RowChange.NEW))
            index_b += 1
        else:
            changed = tuple(
                name
                for name in _BAND_FIELDS
                if getattr(next_a[1], name) != getattr(next_b[1], name)
            )
            change = RowChange.CHANGED if changed else RowChange.SAME
            rows.append(BandRow(next_a[1], next_a[0], next_b[1], next_b[0], change, changed))
            index_a += 1
            index_b += 1
    return tuple(rows)


def reduction_rows(
    table_a: engine.TableVersion,
    table_b: engine.TableVersion,
    carer_level_labels: Mapping[str, str],
) -> tuple[ReductionRow, ...]:
    """The reductions of every carer level of the questionnaire, then of any other level."""
    levels = list(
        dict.fromkeys([*carer_level_labels, *table_a.carer_levels, *table_b.carer_levels])
    )
    rows = []
    for level in levels:
        reduction_a = table_a.reductions_by_level.get(level)
        reduction_b = table_b.reductions_by_level.get(level)
        if reduction_a == reduction_b:
            change = RowChange.SAME
        elif reduction_a is None:
            change = RowChange.NEW
        elif reduction_b is None:
            change = RowChange.REMOVED
        else:
            change = RowChange.CHANGED
        rows.append(
            ReductionRow(
                level, carer_level_labels.get(level, level), reduction_a, reduction_b, change
            )
        )
    return tuple(rows)


def full_needs_pence(pricer: engine.TableVersion | None, total_points: int) -> int | None:
    """The full-needs annual amount at ``total_points``, or None if the table cannot price."""
    if pricer is None:
        return None
    return engine.price(pricer, total_points, _FULL_NEEDS_LEVEL).full_needs_annual_pence


def _full_needs_pricer(table: engine.TableVersion) -> engine.TableVersion | None:
    """The table's bands with a 0% reduction only, or None when the bands cannot price."""
    pricer = engine.TableVersion(bands=table.bands, carer_reductions_bp=((_FULL_NEEDS_LEVEL, 0),))
    return None if pricer.problems else pricer


def _chart_points(
    pricer: engine.TableVersion | None, last_points: int
) -> tuple[tuple[int, int], ...]:
    if pricer is None:
        return ()
    corners = {0, last_points}
    for band in pricer.bands:
        corners.add(band.min_points)
        if band.max_points is not None:
            corners.add(band.max_points)
    return tuple(
        (points, engine.price(pricer, points, _FULL_NEEDS_LEVEL).full_needs_annual_pence)
        for points in sorted(corner for corner in corners if 0 <= corner <= last_points)
    )

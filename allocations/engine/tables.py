"""Allocation tables: the bands that turn points into money and the carer reductions.

A table is plain, immutable data. Building a :class:`TableVersion` never fails, so that a draft
with mistakes can be held and shown with its problems; pricing with such a table is refused.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Self

from allocations.engine.errors import PricingError
from allocations.engine.validation import TableProblem, find_table_problems


@dataclass(frozen=True, slots=True)
class Band:
    """One row of an allocation table.

    ``min_points`` to ``max_points`` (both included) are the totals the band covers;
    ``max_points`` is ``None`` for an open-ended last band. ``base_pence`` is the annual amount at
    ``min_points`` and ``per_point_pence`` the annual amount added for each point above it.
    """

    min_points: int
    max_points: int | None
    base_pence: int
    per_point_pence: int

    @property
    def is_open_ended(self) -> bool:
        """True when the band has no upper limit."""
        return self.max_points is None

    def covers(self, total_points: int) -> bool:
        """True when ``total_points`` lies within the band's limits (both included)."""
        if total_points < self.min_points:
            return False
        return self.max_points is None or total_points <= self.max_points

    def describe_points(self) -> str:
        """The band's range in words: ``"30 to 59 points"`` or ``"120 points and above"``."""
        if self.max_points is None:
            return f"{self.min_points} points and above"
        return f"{self.min_points} to {self.max_points} points"


@dataclass(frozen=True, slots=True)
class TableVersion:
    """One version of an allocation table: its bands in order of points and its carer reductions.

    ``carer_reductions_bp`` holds ``(carer level code, reduction in basis points)`` pairs; use
    :meth:`from_mapping` to build a table from a ``{level: basis points}`` mapping. A list of bands
    or a mapping of reductions given to the constructor is stored as tuples, so the table stays
    immutable and hashable.

    The fields after ``carer_reductions_bp`` are worked out once when the table is built, so that
    pricing one case needs no searching: ``band_starts`` (each band's ``min_points``, for a binary
    search), ``reductions_by_level`` (a read-only lookup by level code) and ``problems`` (what is
    wrong with the bands or reductions; pricing is refused while there are any).
    """

    bands: tuple[Band, ...]
    carer_reductions_bp: tuple[tuple[str, int], ...]
    band_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    reductions_by_level: Mapping[str, int] = field(init=False, repr=False, compare=False)
    problems: tuple[TableProblem, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bands = tuple(self.bands)
        reductions: object = self.carer_reductions_bp
        if isinstance(reductions, Mapping):
            pairs = tuple(reductions.items())
        else:
            pairs = tuple((level, bp) for level, bp in self.carer_reductions_bp)
        # Frozen dataclasses are set up through object.__setattr__; this is their documented idiom.
        object.__setattr__(self, "bands", bands)
        object.__setattr__(self, "carer_reductions_bp", pairs)
        object.__setattr__(self, "band_starts", tuple(band.min_points for band in bands))
        object.__setattr__(self, "reductions_by_level", MappingProxyType(dict(pairs)))
        object.__setattr__(self, "problems", tuple(find_table_problems(bands, pairs)))

    def __reduce__(self) -> tuple[type[Self], tuple[tuple[Band, ...], tuple[tuple[str, int], ...]]]:
        # Pickle the table as its bands and reductions; the lookups are rebuilt on unpickling.
        return (type(self), (self.bands, self.carer_reductions_bp))

    @classmethod
    def from_mapping(cls, bands: Iterable[Band], carer_reductions_bp: Mapping[str, int]) -> Self:
        """Build a table from bands and a ``{carer level code: basis points}`` mapping."""
        return cls(bands=tuple(bands), carer_reductions_bp=tuple(carer_reductions_bp.items()))

    @property
    def carer_levels(self) -> tuple[str, ...]:
        """The carer level codes the table has a reduction for, in the table's order."""
        return tuple(self.reductions_by_level)

    @property
    def top_band(self) -> Band:
        """The last band.

        Raises:
            PricingError: if the table has no bands.
        """
        if not self.bands:
            raise PricingError("The allocation table has no bands.")
        return self.bands[-1]

    def reduction_bp(self, carer_level: str) -> int:
        """The carer reduction for ``carer_level``, in basis points (10,000 = 100%).

        Raises:
            PricingError: if the table has no reduction for that level.
        """
        reduction = self.reductions_by_level.get(carer_level)
        if reduction is None:
            raise PricingError(unknown_carer_level_message(self, carer_level))
        return reduction


def unknown_carer_level_message(table: TableVersion, carer_level: str) -> str:
    """The sentence shown when a table has no reduction for ``carer_level``."""
    known = ", ".join(f"'{level}'" for level in table.reductions_by_level) or "no levels at all"
    return (
        f"The allocation table has no carer reduction for carer level '{carer_level}'; "
        f"it has reductions for {known}."
    )

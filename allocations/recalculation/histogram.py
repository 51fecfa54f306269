"""The histogram of changes a recalculation finds: its bins, and its layout as server-drawn SVG.

Pure: nothing here reads the database. The bins are fixed, so two runs' histograms can be read
side by side:

- "No change" (exactly 0p) has a bin of its own, so no bin mixes people who gain with people who
  lose.
- Either side of it, bins of £250: £0.01 to £250.00, £250.01 to £500.00, ... up to £5,000.00. Each
  £1,000 band of the summary (`summaries.CHANGE_BANDS`) is exactly four bins.
- A change of more than £5,000 either way falls in one overflow bin at that end.

A bin's index runs from -21 (more than £5,000 less) through 0 (no change) to 21 (more than £5,000
more). :func:`bin_index` gives a difference's bin; `summaries` asks the database the same question
for every result at once. :func:`histogram_chart` lays the counts out as bars whose coordinates are
pixels in the chart's own view box (display values, never money).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from allocations.charts import Tick, nice_step
from allocations.engine import format_pounds

BIN_WIDTH_PENCE = 25_000
CLAMP_PENCE = 500_000
BINS_EACH_SIDE = CLAMP_PENCE // BIN_WIDTH_PENCE
OVERFLOW_INDEX = BINS_EACH_SIDE + 1

WIDTH = 760
HEIGHT = 450
PLOT_LEFT = 72
PLOT_RIGHT = WIDTH - 16
PLOT_TOP = 40
PLOT_BOTTOM = HEIGHT - 72
Y_TICKS_WANTED = 5
# Overflow bars stand one bar's width apart from the rest: they are not £250 wide.
SLOTS = 2 * OVERFLOW_INDEX + 1 + 2

# Direction words, and the fill for each: GOV.UK red, dark grey and blue all have more than 3:1
# contrast with white (WCAG 1.4.11). Colour is never the only clue: losses are left of £0, gains
# right of it, and the table under the chart gives every figure.
LESS, SAME, MORE = "less", "same", "more"
FILLS = {LESS: "#d4351c", SAME: "#505a5f", MORE: "#1d70b8"}


@dataclass(frozen=True, slots=True)
class HistogramBin:
    """One bin: the smallest and largest change it holds (pence; None where open) and a count."""

    index: int
    low_pence: int | None
    high_pence: int | None
    count: int

    @property
    def direction(self) -> str:
        return LESS if self.index < 0 else MORE if self.index > 0 else SAME

    @property
    def label(self) -> str:
        """The bin in words: "£250.01 to £500.00 less", "No change", "More than £5,000.00 more"."""
        if self.index == 0:
            return "No change"
        if abs(self.index) == OVERFLOW_INDEX:
            return f"More than {format_pounds(CLAMP_PENCE)} {self.direction}"
        size = abs(self.index)
        smallest = (size - 1) * BIN_WIDTH_PENCE + 1
        largest = size * BIN_WIDTH_PENCE
        return f"{format_pounds(smallest)} to {format_pounds(largest)} {self.direction}"


def bin_index(difference_pence: int) -> int:
    """The bin of a change in pence: 0 for no change, ±1 to ±20 by £250, ±21 beyond £5,000.

    ``bin_index(1) == 1``, ``bin_index(25_000) == 1``, ``bin_index(25_001) == 2``,
    ``bin_index(-500_000) == -20`` and ``bin_index(-500_001) == -21``.
    """
    if difference_pence > CLAMP_PENCE:
        return OVERFLOW_INDEX
    if difference_pence < -CLAMP_PENCE:
        return -OVERFLOW_INDEX
    size = (abs(difference_pence) + BIN_WIDTH_PENCE - 1) // BIN_WIDTH_PENCE
    return -size if difference_pence < 0 else size


def bin_edges(index: int) -> tuple[int | None, int | None]:
    """The smallest and largest change in pence that bin `index` holds; None where it is open."""
    if index == 0:
        return 0, 0
    if index == OVERFLOW_INDEX:
        return CLAMP_PENCE + 1, None
    if index == -OVERFLOW_INDEX:
        return None, -CLAMP_PENCE - 1
    size = abs(index)
    smallest, largest = (size - 1) * BIN_WIDTH_PENCE + 1, size * BIN_WIDTH_PENCE
    return (smallest, largest) if index > 0 else (-largest, -smallest)


def histogram_bins(counts: Mapping[int, int]) -> tuple[HistogramBin, ...]:
    """Every bin from -21 to 21 in order, with its count from `counts` (by index; 0 if absent).

    Raises:
        ValueError: if `counts` names a bin that does not exist.
    """
    unknown = sorted(set(counts) - set(range(-OVERFLOW_INDEX, OVERFLOW_INDEX + 1)))
    if unknown:
        raise ValueError(f"No such histogram bins: {unknown}")
    return tuple(
        HistogramBin(index, *bin_edges(index), count=counts.get(index, 0))
        for index in range(-OVERFLOW_INDEX, OVERFLOW_INDEX + 1)
    )


@dataclass(frozen=True, slots=True)
class Bar:
    """A bin drawn: where its bar is (pixels, as text), its fill, and its words."""

    x: str
    y: str
    width: str
    height: str
    fill: str
    css_class: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class HistogramChart:
    """Everything a template needs to draw the histogram. Numbers are pixels, given as text."""

    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: tuple[Bar, ...]
    x_ticks: tuple[Tick, ...]
    overflow_less_label: str
    overflow_more_label: str
    y_ticks: tuple[Tick, ...]
    x_axis_label: str
    y_axis_label: str

    @property
    def x_axis_label_x(self) -> int:
        return (self.plot_left + self.plot_right) // 2

    @property
    def x_axis_label_y(self) -> int:
        return self.height - 10

    @property
    def x_tick_label_y(self) -> int:
        return self.plot_bottom + 22

    @property
    def overflow_label_y(self) -> int:
        return self.plot_bottom + 40

    @property
    def y_tick_label_x(self) -> int:
        return self.plot_left - 8

    @property
    def y_axis_label_y(self) -> int:
        return self.plot_top - 18


def histogram_chart(bins: tuple[HistogramBin, ...], *, title: str) -> HistogramChart:
    """Lay out the 43 bins of :func:`histogram_bins` as bars, with a count axis from 0.

    The description says in words how many people get less, the same and more, and which bar is
    tallest, so the chart can be understood without seeing it.

    Raises:
        ValueError: if `bins` is not every bin from -21 to 21 in order.
    """
    if tuple(item.index for item in bins) != tuple(range(-OVERFLOW_INDEX, OVERFLOW_INDEX + 1)):
        raise ValueError("A histogram needs every bin from -21 to 21, in order.")
    highest = max(1, *(item.count for item in bins))
    step = nice_step(highest, Y_TICKS_WANTED)
    top = -(-highest // step) * step
    slot = (PLOT_RIGHT - PLOT_LEFT) / SLOTS

    def slot_left(index: int) -> float:
        # Slot 0 holds the bar of more than £5,000 less; a gap; the 41 middle bins; a gap; the last.
        position = index + OVERFLOW_INDEX
        if index > -OVERFLOW_INDEX:
            position += 1
        if index == OVERFLOW_INDEX:
            position += 1
        return PLOT_LEFT + slot * position

    def y_pixels(count: int) -> float:
        return PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * count / top

    bars = tuple(
        Bar(
            x=_pixels(slot_left(item.index) + 1),
            y=_pixels(y_pixels(item.count)),
            width=_pixels(slot - 2),
            height=_pixels(PLOT_BOTTOM - y_pixels(item.count)),
            fill=FILLS[item.direction],
            css_class=f"ras-histogram__bar ras-histogram__bar--{item.direction}",
            label=item.label,
            count=item.count,
        )
        for item in bins
    )
    whole_pounds = format_pounds(CLAMP_PENCE).removesuffix(".00")
    half_pounds = format_pounds(CLAMP_PENCE // 2).removesuffix(".00")
    # Ticks sit on the edges between bins (and in the middle of "no change").
    x_ticks = (
        Tick(_pixels(slot_left(-BINS_EACH_SIDE)), f"-{whole_pounds}"),
        Tick(_pixels(slot_left(-BINS_EACH_SIDE // 2)), f"-{half_pounds}"),
        Tick(_pixels(slot_left(0) + slot / 2), "£0"),
        Tick(_pixels(slot_left(BINS_EACH_SIDE // 2) + slot), half_pounds),
        Tick(_pixels(slot_left(BINS_EACH_SIDE) + slot), whole_pounds),
    )
    return HistogramChart(
        title=title,
        description=_description(bins),
        width=WIDTH,
        height=HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=PLOT_BOTTOM,
        bars=bars,
        x_ticks=x_ticks,
        overflow_less_label=f"First bar: over {whole_pounds} less",
        overflow_more_label=f"Last bar: over {whole_pounds} more",
        y_ticks=tuple(
            Tick(_pixels(y_pixels(count)), f"{count:,}") for count in range(0, top + 1, step)
        ),
        x_axis_label="Change in the indicative budget a year (less on the left, more on the right)",
        y_axis_label="People",
    )


def _description(bins: tuple[HistogramBin, ...]) -> str:
    less = sum(item.count for item in bins if item.direction == LESS)
    same = sum(item.count for item in bins if item.direction == SAME)
    more = sum(item.count for item in bins if item.direction == MORE)
    total = less + same + more
    opening = (
        "Bar chart of how many people's indicative budget a year would change, and by how much: "
        f"one bar for no change, bars of £250 up to {format_pounds(CLAMP_PENCE)} either way, and "
        "one bar at each end for anything more. Bars for less are on the left, in red; bars for "
        "more on the right, in blue."
    )
    if total == 0:
        return f"{opening} There are no changes to show."
    tallest = max(bins, key=lambda item: (item.count, -abs(item.index)))
    return (
        f"{opening} Of {_people(total)}, {_people(less)} would get less, {same:,} the same and "
        f"{more:,} more. The tallest bar is {tallest.label.lower()}, with {_people(tallest.count)}."
        " The table after the chart gives every bar's figures."
    )


def _people(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


def _pixels(value: float) -> str:
    text = f"{value:.1f}"
    return text.removesuffix(".0")

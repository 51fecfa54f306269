"""Line charts drawn as SVG on the server, with no script in the browser.

Pure: :func:`line_chart` takes series of whole-number ``(x, y)`` pairs (points, and pence) and
returns a :class:`LineChart` of plain strings (path data, tick positions and labels) that a
template turns into SVG, so Django's escaping covers every piece of text. Each line has its own
colour *and* dash pattern, and a legend names it in words, so colour is never the only clue.
Coordinates are pixels in the chart's own view box; they are display values, never money.
"""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 760
HEIGHT = 480
PLOT_LEFT = 92
PLOT_RIGHT = WIDTH - 28
PLOT_BOTTOM = HEIGHT - 64
LEGEND_TOP = 24
LEGEND_ROW = 26
LEGEND_SAMPLE_LENGTH = 48
Y_TICKS_WANTED = 6
X_TICKS_WANTED = 8


@dataclass(frozen=True, slots=True)
class LineStyle:
    """How one line looks: a colour, a dash pattern ("" for solid) and the pattern in words."""

    stroke: str
    dash_array: str
    pattern: str
    css_class: str


# GOV.UK blue and red both have more than 3:1 contrast with white (WCAG 1.4.11), and the dash
# patterns tell the lines apart without colour.
LINE_STYLES: tuple[LineStyle, ...] = (
    LineStyle("#1d70b8", "", "solid blue line", "ras-chart__line ras-chart__line--first"),
    LineStyle("#d4351c", "12 6", "dashed red line", "ras-chart__line ras-chart__line--second"),
    LineStyle("#00703c", "3 5", "dotted green line", "ras-chart__line ras-chart__line--third"),
)


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """One line: its name for the legend and its ``(x, y)`` pairs, in order of x."""

    label: str
    points: Sequence[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Tick:
    """A mark on an axis: where it is (pixels, as text) and what it says."""

    position: str
    label: str


@dataclass(frozen=True, slots=True)
class PlottedLine:
    """A series drawn: its path, its style, and where its legend entry goes."""

    label: str
    path_data: str
    style: LineStyle
    legend_y: str
    legend_text_y: str


@dataclass(frozen=True, slots=True)
class LineChart:
    """Everything a template needs to draw the chart. Numbers are pixels, given as text."""

    title: str
    description: str
    x_axis_label: str
    y_axis_label: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[PlottedLine, ...]

    @property
    def legend_sample_end(self) -> int:
        return self.plot_left + LEGEND_SAMPLE_LENGTH

    @property
    def legend_text_x(self) -> int:
        return self.plot_left + LEGEND_SAMPLE_LENGTH + 10

    @property
    def x_axis_label_x(self) -> int:
        return (self.plot_left + self.plot_right) // 2

    @property
    def x_axis_label_y(self) -> int:
        return self.height - 16

    @property
    def x_tick_label_y(self) -> int:
        return self.plot_bottom + 22

    @property
    def y_tick_label_x(self) -> int:
        return self.plot_left - 8

    @property
    def y_axis_label_y(self) -> int:
        return self.plot_top - 14


def line_chart(
    series: Sequence[ChartSeries],
    *,
    title: str,
    description: str,
    x_axis_label: str,
    y_axis_label: str,
) -> LineChart:
    """Lay out ``series`` (x in points, y in pence) on axes that start at 0.

    The y axis is labelled in whole pounds and the x axis in points, each with round steps
    (1, 2 or 5 times a power of ten). At most three series can be drawn.

    Raises:
        ValueError: if there are more series than line styles.
    """
    if len(series) > len(LINE_STYLES):
        raise ValueError(f"A chart can show at most {len(LINE_STYLES)} lines.")
    plot_top = LEGEND_TOP + LEGEND_ROW * len(series) + 40
    highest_x = max([1, *(x for line in series for x, _ in line.points)])
    highest_pounds = max([1, *(-(-y // 100) for line in series for _, y in line.points)])
    x_step = nice_step(highest_x, X_TICKS_WANTED)
    x_top = -(-highest_x // x_step) * x_step
    y_step_pounds = nice_step(highest_pounds, Y_TICKS_WANTED)
    y_top_pence = -(-highest_pounds // y_step_pounds) * y_step_pounds * 100

    def x_pixels(x: int) -> float:
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * x / x_top

    def y_pixels(pence: int) -> float:
        return PLOT_BOTTOM - (PLOT_BOTTOM - plot_top) * pence / y_top_pence

    lines = tuple(
        PlottedLine(
            label=line.label,
            path_data=" ".join(
                f"{'M' if index == 0 else 'L'}{_pixels(x_pixels(x))},{_pixels(y_pixels(y))}"
                for index, (x, y) in enumerate(line.points)
            ),
            style=LINE_STYLES[number],
            legend_y=str(LEGEND_TOP + LEGEND_ROW * number),
            legend_text_y=str(LEGEND_TOP + LEGEND_ROW * number + 5),
        )
        for number, line in enumerate(series)
    )
    return LineChart(
        title=title,
        description=description,
        x_axis_label=x_axis_label,
        y_axis_label=y_axis_label,
        width=WIDTH,
        height=HEIGHT,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plot_top=plot_top,
        plot_bottom=PLOT_BOTTOM,
        x_ticks=tuple(Tick(_pixels(x_pixels(x)), f"{x:,}") for x in range(0, x_top + 1, x_step)),
        y_ticks=tuple(
            Tick(_pixels(y_pixels(pounds * 100)), f"£{pounds:,}")
            for pounds in range(0, y_top_pence // 100 + 1, y_step_pounds)
        ),
        lines=lines,
    )


def nice_step(span: int, ticks_wanted: int) -> int:
    """The smallest round step (1, 2 or 5 times a power of ten) giving at most
    ``ticks_wanted`` steps across ``span``: ``nice_step(137, 8) == 20``."""
    smallest = max(1, -(-span // max(1, ticks_wanted)))
    magnitude = 1
    while magnitude * 10 <= smallest:
        magnitude *= 10
    return next(
        multiple * magnitude for multiple in (1, 2, 5, 10) if multiple * magnitude >= smallest
    )


def _pixels(value: float) -> str:
    text = f"{value:.1f}"
    return text.removesuffix(".0")

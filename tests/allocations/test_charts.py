"""Laying out a line chart for SVG: pure, so no database.

The chart's plot area runs from x = 92 to x = 732 pixels (640 wide) and, with two lines in the
legend, from y = 24 + 2 x 26 + 40 = 116 down to y = 416 (300 high).
"""

import pytest

from allocations.charts import LINE_STYLES, ChartSeries, line_chart, nice_step


def two_line_chart():
    """A runs from £0 at 0 points to £12,000 at 100; B from £0 to £15,000 at 100."""
    return line_chart(
        [
            ChartSeries("A: old", [(0, 0), (100, 1_200_000)]),
            ChartSeries("B: new", [(0, 0), (50, 500_000), (100, 1_500_000)]),
        ],
        title="Amount against points",
        description="Two lines.",
        x_axis_label="Total points",
        y_axis_label="Amount a year (£)",
    )


@pytest.mark.parametrize(
    ("span", "ticks_wanted", "step"),
    [
        (137, 8, 20),  # 137 / 8 = 17.1, so the next round step is 20
        (100, 8, 20),  # 12.5 -> 20
        (80, 8, 10),  # 10 exactly
        (15_000, 6, 5_000),  # 2,500 -> 5,000
        (12_000, 6, 2_000),  # 2,000 exactly
        (1, 6, 1),
        (0, 6, 1),
        (35_750, 6, 10_000),  # 5,958.3 -> 10,000
    ],
)
def test_steps_are_1_2_or_5_times_a_power_of_ten(span, ticks_wanted, step) -> None:
    assert nice_step(span, ticks_wanted) == step


def test_the_axes_start_at_zero_with_round_labelled_ticks() -> None:
    """x: 100 points in steps of 20 (100 / 8 = 12.5 -> 20): 0, 20, ... 100, every 128 pixels.
    y: £15,000 in steps of £5,000 (15,000 / 6 = 2,500 -> 5,000): £0 to £15,000, every 100 pixels.
    """
    chart = two_line_chart()
    assert [(tick.position, tick.label) for tick in chart.x_ticks] == [
        ("92", "0"),
        ("220", "20"),
        ("348", "40"),
        ("476", "60"),
        ("604", "80"),
        ("732", "100"),
    ]
    assert [(tick.position, tick.label) for tick in chart.y_ticks] == [
        ("416", "£0"),
        ("316", "£5,000"),
        ("216", "£10,000"),
        ("116", "£15,000"),
    ]


def test_each_line_is_a_path_through_its_points() -> None:
    """B's middle point: 50 points is halfway across (92 + 320 = 412); £5,000 is a third of the
    way up (416 - 100 = 316). A ends at £12,000: 416 - 300 x 12/15 = 176."""
    chart = two_line_chart()
    assert chart.lines[0].path_data == "M92,416 L732,176"
    assert chart.lines[1].path_data == "M92,416 L412,316 L732,116"


def test_the_lines_differ_in_dash_pattern_as_well_as_colour() -> None:
    chart = two_line_chart()
    first, second = (line.style for line in chart.lines)
    assert first.dash_array != second.dash_array
    assert first.stroke != second.stroke
    assert [line.label for line in chart.lines] == ["A: old", "B: new"]
    assert [line.style.pattern for line in chart.lines] == ["solid blue line", "dashed red line"]
    assert [line.legend_y for line in chart.lines] == ["24", "50"]


def test_every_line_style_has_a_distinct_pattern() -> None:
    assert len({style.dash_array for style in LINE_STYLES}) == len(LINE_STYLES)
    assert len({style.pattern for style in LINE_STYLES}) == len(LINE_STYLES)


def test_amounts_with_pence_round_the_axis_up_to_whole_pounds() -> None:
    """£10,000.01 needs the axis to reach past £10,000: steps of £2,000 (10,001 / 6 = 1,667)
    give £0 to £12,000."""
    chart = line_chart(
        [ChartSeries("A", [(0, 0), (10, 1_000_001)])],
        title="t",
        description="d",
        x_axis_label="x",
        y_axis_label="y",
    )
    assert chart.y_ticks[-1].label == "£12,000"


def test_a_flat_line_at_zero_still_has_an_axis() -> None:
    chart = line_chart(
        [ChartSeries("A", [(0, 0), (10, 0)])],
        title="t",
        description="d",
        x_axis_label="x",
        y_axis_label="y",
    )
    assert [tick.label for tick in chart.y_ticks] == ["£0", "£1"]
    assert chart.lines[0].path_data.startswith("M92,")


def test_more_lines_than_styles_are_refused() -> None:
    series = [ChartSeries(str(n), [(0, 0)]) for n in range(len(LINE_STYLES) + 1)]
    with pytest.raises(ValueError, match="at most 3 lines"):
        line_chart(series, title="t", description="d", x_axis_label="x", y_axis_label="y")


def test_text_is_kept_as_given_for_the_template_to_escape() -> None:
    chart = line_chart(
        [ChartSeries("<b>A</b> & co", [(0, 0), (5, 100)])],
        title="T <script>",
        description="d",
        x_axis_label="x",
        y_axis_label="y",
    )
    assert chart.lines[0].label == "<b>A</b> & co"
    assert chart.title == "T <script>"

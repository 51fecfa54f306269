"""Template tags for the equity charts: thousands of dots and table rows, written in one go.

A chart can show 2,000 dots and as many rows in its table; a template loop, or
`format_html_join`, over them costs far more than joining plain strings. Every value is a
number or formatted from one, and is escaped all the same.
"""

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from allocations.engine import format_pounds

register = template.Library()

_ROW = (
    '<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td></tr>'
)


@register.simple_tag
def chart_dots(dot_pixels: Iterable[tuple[str, str]]) -> SafeString:
    """One SVG circle per (x, y) position."""
    return mark_safe(  # noqa: S308 - every value is escaped here
        "".join(f'<circle cx="{escape(x)}" cy="{escape(y)}" r="3"/>' for x, y in dot_pixels)
    )


@register.simple_tag
def points_pounds_rows(pairs: Iterable[tuple[int, int]]) -> SafeString:
    """One table row per (points, pence a year): the points, then the amount in pounds."""
    return mark_safe(  # noqa: S308 - every value is escaped here
        "".join(
            _ROW.format(int(points), escape(format_pounds(int(pence)))) for points, pence in pairs
        )
    )

"""Template filters that show pence as pounds and basis points as percentages."""

from django import template

from allocations.engine import format_percentage, format_pounds
from questionnaires.carer_levels import carer_level_label

register = template.Library()


@register.filter
def pounds(pence: int | None) -> str:
    """`{{ 995400|pounds }}` shows £9,954.00."""
    return "" if pence is None else format_pounds(int(pence))


@register.filter
def percent(basis_points: int | None) -> str:
    """`{{ 1250|percent }}` shows 12.50%."""
    return "" if basis_points is None else format_percentage(int(basis_points))


@register.filter
def carer_level(code: str) -> str:
    """`{{ "some"|carer_level }}` shows the words for a carer level."""
    return carer_level_label(code)

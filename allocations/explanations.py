"""How an indicative budget was worked out, in plain words, for the person, the letter and staff.

Everything here is read from the stored budget and its assessment, so the explanation is always
the one that priced the budget, whatever tables or questionnaires came later.
"""

from dataclasses import dataclass

from allocations.engine import format_percentage, format_pounds
from allocations.models import IndicativeBudget
from questionnaires.carer_levels import carer_level_label
from questionnaires.models import Domain


@dataclass(frozen=True, slots=True)
class DomainLine:
    title: str
    points: int


@dataclass(frozen=True, slots=True)
class BudgetExplanation:
    reference: str
    client_group: str
    table_label: str
    table_effective_from: str
    questionnaire: str
    domain_lines: tuple[DomainLine, ...]
    total_points: int
    band_sentence: str
    calculation_sentence: str
    above_table: bool
    full_needs_annual: str
    carer_help: str
    carer_reduction: str
    carer_adjustment_annual: str
    indicative_annual: str
    indicative_weekly: str
    steps: tuple[str, ...]


def budget_explanation(budget: IndicativeBudget) -> BudgetExplanation:
    assessment = budget.assessment
    titles = dict(
        Domain.objects.filter(version=assessment.questionnaire_version).values_list("code", "title")
    )
    band = budget.table_version.bands.get(position=budget.band_position)
    band_range = (
        f"{band.min_points} points and above"
        if band.max_points is None
        else f"{band.min_points} to {band.max_points} points"
    )
    extra_points = budget.total_points - band.min_points
    return BudgetExplanation(
        reference=assessment.reference,
        client_group=budget.client_group.name,
        table_label=budget.table_version.label,
        table_effective_from=f"{budget.table_version.effective_from:%-d %B %Y}",
        questionnaire=str(assessment.questionnaire_version),
        domain_lines=tuple(
            DomainLine(titles.get(code, code), points) for code, points in budget.domain_points
        ),
        total_points=budget.total_points,
        band_sentence=f"Your total is in band {budget.band_position}, which covers {band_range}.",
        calculation_sentence=(
            f"Band {budget.band_position} starts at {format_pounds(band.base_pence)} a year for "
            f"{band.min_points} points and adds {format_pounds(band.per_point_pence)} a year for "
            f"each point above that. You have {extra_points} points above {band.min_points}, so: "
            f"{format_pounds(band.base_pence)} + {extra_points} × "
            f"{format_pounds(band.per_point_pence)} = "
            f"{format_pounds(budget.full_needs_annual_pence)} a year."
        ),
        above_table=budget.above_table,
        full_needs_annual=format_pounds(budget.full_needs_annual_pence),
        carer_help=carer_level_label(budget.carer_level),
        carer_reduction=format_percentage(budget.carer_reduction_bp),
        carer_adjustment_annual=format_pounds(budget.carer_adjustment_pence),
        indicative_annual=format_pounds(budget.indicative_annual_pence),
        indicative_weekly=format_pounds(budget.indicative_weekly_pence),
        steps=tuple(budget.steps),
    )

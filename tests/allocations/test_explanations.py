import datetime

import pytest
import time_machine

from allocations.budgets import assessment_submit_and_price
from allocations.explanations import DomainLine, budget_explanation
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    FULL_ANSWERS,
    answer_all,
    assessment,
    questionnaire,
)

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_the_explanation_follows_the_money_line_by_line(
    assessment, service_user, published_version
) -> None:
    """34 points: band 2 (20 to 49), £3,000.00 + 14 x £260.00 = £6,640.00 a year.
    A lot of help from family or friends, 25%: £1,660.00. £6,640.00 - £1,660.00 = £4,980.00
    a year, £95.77 a week."""
    answer_all(assessment, service_user, FULL_ANSWERS)
    _, budget = assessment_submit_and_price(assessment=assessment, actor=service_user)
    assert budget is not None
    explanation = budget_explanation(budget)
    assert explanation.domain_lines == (
        DomainLine("Looking after yourself", 8),
        DomainLine("Eating and drinking", 26),
    )
    assert explanation.total_points == 34
    assert explanation.band_sentence == "Your total is in band 2, which covers 20 to 49 points."
    assert explanation.calculation_sentence.endswith(
        "so: £3,000.00 + 14 × £260.00 = £6,640.00 a year."
    )
    assert explanation.carer_reduction == "25.00%"
    assert explanation.carer_adjustment_annual == "£1,660.00"
    assert explanation.indicative_annual == "£4,980.00"
    assert explanation.indicative_weekly == "£95.77"
    assert explanation.full_needs_annual == "£6,640.00"
    assert explanation.table_effective_from == "1 April 2026"

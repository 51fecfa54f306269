import io

import pytest
from django.core.management import call_command

from allocations.models import AllocationTableVersion, CalibrationSample, IndicativeBudget
from questionnaires.models import Assessment, AssessmentStatus
from ras.people.models import Person
from reviews.equity import EquityFilters, equity_outliers
from reviews.models import BudgetDecision
from reviews.workflow import Action, State

pytestmark = pytest.mark.django_db


def test_demo_data_loads_a_story_and_loading_it_again_changes_nothing() -> None:
    """The demo service user's assessment scores 44 points with some help from family:
    band 2, £3,000 + (44 - 20) x £260 = £9,240.00, less 10% = £8,316.00 a year."""
    for _ in range(2):
        call_command("load_demo_data", verbosity=0)
    assert AllocationTableVersion.objects.filter(status="published").count() == 4
    assert AllocationTableVersion.objects.filter(status="draft").count() == 1
    person = Person.objects.get(user__email="service.user@example.org")
    submitted = Assessment.objects.get(person=person, status=AssessmentStatus.SUBMITTED)
    assert submitted.total_points == 44
    assert Assessment.objects.filter(status=AssessmentStatus.IN_PROGRESS).count() == 1
    assert IndicativeBudget.objects.get(assessment__person=person).indicative_annual_pence == (
        831_600
    )
    decision = BudgetDecision.objects.get(person=person)
    assert decision.state == State.INDICATIVE
    assert decision.social_worker is not None
    assert decision.social_worker.email == "social.worker@example.org"
    assert CalibrationSample.objects.get(name="Pilot, spring 2026").cases.count() == 300


def test_demo_data_holds_a_history_of_about_3000_decided_cases_in_every_client_group() -> None:
    """Two years of cases for the equity pages: about a fifth went through a manager or panel."""
    call_command("load_demo_data", verbosity=0)
    history = BudgetDecision.objects.filter(assessment__reference__startswith="DH-")
    assert history.count() == 3000
    assert set(history.values_list("assessment__client_group_code", flat=True)) == {
        "older-people",
        "learning-disabilities",
        "physical-disabilities",
        "mental-health",
    }
    outside = history.filter(
        events__action__in=(Action.REFER_TO_MANAGER, Action.REFER_TO_PANEL)
    ).distinct()
    assert 0.15 <= outside.count() / 3000 <= 0.25
    decided = history.filter(state__in=(State.AGREED, State.VARIED))
    assert decided.count() >= 2900
    far_from_peers = equity_outliers(EquityFilters())
    assert far_from_peers
    assert all(outlier.reason_labels for outlier in far_from_peers if outlier.is_above)


def test_demo_data_names_every_sign_in_and_says_staff_take_two_steps() -> None:
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    printed = out.getvalue()
    for email in (
        "service.user@example.org",
        "finance.lead@example.org",
        "administrator@example.org",
    ):
        assert email in printed
    assert "Staff sign in in two steps" in printed

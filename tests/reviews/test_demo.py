import pytest
from django.core.management import call_command

from allocations.models import AllocationTableVersion, CalibrationSample, IndicativeBudget
from questionnaires.models import Assessment, AssessmentStatus
from reviews.models import BudgetDecision
from reviews.workflow import State

pytestmark = pytest.mark.django_db


def test_demo_data_loads_a_story_and_loading_it_again_changes_nothing() -> None:
    """The demo service user's assessment scores 44 points with some help from family:
    band 2, £3,000 + (44 - 20) x £260 = £9,240.00, less 10% = £8,316.00 a year."""
    for _ in range(2):
        call_command("load_demo_data", verbosity=0)
    assert AllocationTableVersion.objects.filter(status="published").count() == 4
    assert AllocationTableVersion.objects.filter(status="draft").count() == 1
    submitted = Assessment.objects.get(status=AssessmentStatus.SUBMITTED)
    assert submitted.total_points == 44
    assert Assessment.objects.filter(status=AssessmentStatus.IN_PROGRESS).count() == 1
    assert IndicativeBudget.objects.get().indicative_annual_pence == 831_600
    decision = BudgetDecision.objects.get()
    assert decision.state == State.INDICATIVE
    assert decision.social_worker is not None
    assert decision.social_worker.email == "social.worker@example.org"
    assert CalibrationSample.objects.get(name="Pilot, spring 2026").cases.count() == 300

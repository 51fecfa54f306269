"""An emergency allocation for someone new: the person and the decision, or neither."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ras.people.models import Person
from reviews.emergency_services import emergency_record_for_new_person
from reviews.models import BudgetDecision
from reviews.services import TransitionRefused
from reviews.workflow import State

pytestmark = pytest.mark.django_db


def test_the_person_and_their_emergency_allocation_are_recorded_together(social_worker) -> None:
    decision = emergency_record_for_new_person(
        full_name="  Eve Crisis ", actor=social_worker, amount_pence=520_000, reasons="Crisis."
    )
    assert decision.person.full_name == "Eve Crisis"
    assert decision.state == State.EMERGENCY
    assert decision.final_annual_pence == 520_000
    assert decision.signed_off_by == social_worker


def test_a_refused_allocation_leaves_no_person_behind(social_worker) -> None:
    with pytest.raises(TransitionRefused):
        emergency_record_for_new_person(
            full_name="Eve Crisis", actor=social_worker, amount_pence=0, reasons="Crisis."
        )
    assert not Person.objects.exists()
    assert not BudgetDecision.objects.exists()


def test_a_missing_name_is_refused(social_worker) -> None:
    with pytest.raises(ValidationError):
        emergency_record_for_new_person(
            full_name=" ", actor=social_worker, amount_pence=100, reasons="Crisis."
        )
    assert not BudgetDecision.objects.exists()


@pytest.mark.parametrize("role", ["team_manager", "finance_lead", "service_user"])
def test_only_a_social_worker_records_an_emergency_allocation(request, role) -> None:
    with pytest.raises(PermissionDenied):
        emergency_record_for_new_person(
            full_name="Eve", actor=request.getfixturevalue(role), amount_pence=100, reasons="X"
        )
    assert not Person.objects.exists()

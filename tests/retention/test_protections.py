"""The database's narrow allowances for retention, tried with raw SQL as the application user.

Submitted answers, indicative budgets and decision events stay immutable, except that once a
person is anonymised their answers may be deleted, their budget's breakdown emptied and their
decisions' written reasons cleared: nothing more, and never for anyone else.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from allocations.models import IndicativeBudget
from ras.people.models import ANONYMISED_NAME, Person
from reviews.models import DecisionEvent
from reviews.services import decision_request_amount
from reviews.workflow import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(decision, social_worker) -> DecisionEvent:
    return decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=547_800,
        reason_codes=["night-support"],
        reasons="Needs a check at night.",
    )


def anonymise(person: Person) -> None:
    Person.objects.filter(pk=person.pk).update(
        full_name=ANONYMISED_NAME, user=None, anonymised_at=timezone.now()
    )


def refused(sql: str, params: list[int]) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except IntegrityError:
        return True
    return False


def test_submitted_answers_of_someone_not_anonymised_still_cannot_be_deleted(
    submitted_assessment,
) -> None:
    assert refused(
        "DELETE FROM questionnaires_answer WHERE assessment_id = %s", [submitted_assessment.pk]
    )
    assert submitted_assessment.answers.exists()


def test_submitted_answers_of_an_anonymised_person_can_be_deleted_but_not_changed(
    submitted_assessment,
) -> None:
    anonymise(submitted_assessment.person)
    assert refused(
        "UPDATE questionnaires_answer SET answered_at = now() WHERE assessment_id = %s",
        [submitted_assessment.pk],
    )
    assert not refused(
        "DELETE FROM questionnaires_answer WHERE assessment_id = %s", [submitted_assessment.pk]
    )
    assert not submitted_assessment.answers.exists()


def test_a_decision_events_reasons_cannot_be_cleared_for_someone_not_anonymised(event) -> None:
    assert refused("UPDATE reviews_decisionevent SET reasons = '' WHERE id = %s", [event.pk])
    assert DecisionEvent.objects.get(pk=event.pk).reasons == "Needs a check at night."


def test_only_the_reasons_of_an_anonymised_persons_event_can_be_cleared(event) -> None:
    anonymise(event.decision.person)
    assert refused(
        "UPDATE reviews_decisionevent SET reasons = '', amount_after_pence = 1 WHERE id = %s",
        [event.pk],
    )
    assert refused(
        "UPDATE reviews_decisionevent SET reasons = 'Something else' WHERE id = %s", [event.pk]
    )
    assert refused("UPDATE reviews_decisionevent SET reason_codes = '{}' WHERE id = %s", [event.pk])
    assert refused("DELETE FROM reviews_decisionevent WHERE id = %s", [event.pk])
    assert not refused("UPDATE reviews_decisionevent SET reasons = '' WHERE id = %s", [event.pk])
    kept = DecisionEvent.objects.get(pk=event.pk)
    assert (kept.reasons, kept.reason_codes, kept.amount_after_pence) == (
        "",
        ["night-support"],
        547_800,
    )


def test_a_budgets_breakdown_cannot_be_emptied_for_someone_not_anonymised(
    submitted_assessment,
) -> None:
    budget = IndicativeBudget.objects.get(assessment=submitted_assessment)
    assert refused(
        "UPDATE allocations_indicativebudget SET steps = '[]' WHERE id = %s", [budget.pk]
    )


def test_only_the_breakdown_of_an_anonymised_persons_budget_can_be_emptied(
    submitted_assessment,
) -> None:
    budget = IndicativeBudget.objects.get(assessment=submitted_assessment)
    anonymise(submitted_assessment.person)
    assert refused(
        "UPDATE allocations_indicativebudget SET steps = '[]', indicative_annual_pence = 1"
        " WHERE id = %s",
        [budget.pk],
    )
    assert refused(
        """UPDATE allocations_indicativebudget SET steps = '["other"]' WHERE id = %s""",
        [budget.pk],
    )
    assert not refused(
        "UPDATE allocations_indicativebudget SET steps = '[]' WHERE id = %s", [budget.pk]
    )
    kept = IndicativeBudget.objects.get(pk=budget.pk)
    assert (kept.steps, kept.indicative_annual_pence) == ([], budget.indicative_annual_pence)


def test_a_person_cannot_be_marked_anonymised_while_keeping_a_name(assessment) -> None:
    assert refused(
        "UPDATE people_person SET anonymised_at = now() WHERE id = %s", [assessment.person_id]
    )
    assert Person.objects.get(pk=assessment.person_id).anonymised_at is None

"""Closed cases: a person with no activity on any record for 8 years is anonymised. The name, the
account, who acts for them, answers and written reasons go; the figures stay."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.db.models import Max

from allocations.models import IndicativeBudget
from questionnaires.models import Answer, Assessment
from ras.accounts.models import User
from ras.people.models import ANONYMISED_NAME, Person, Representation
from ras.retention.models import LegalHold
from reviews.models import BudgetDecision, DecisionEvent, SupportPlanLine
from reviews.services import decision_request_amount
from reviews.workflow import State
from tests.retention.conftest import line, run_at

pytestmark = pytest.mark.django_db

CLOSED = "closed-cases"
REASONS = "Needs a check at night twice a week since her fall."


@pytest.fixture
def varied(decision, social_worker, representative) -> BudgetDecision:
    """A varied budget with a reason code, written reasons, a plan line and a representative."""
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=547_800,
        reason_codes=["night-support"],
        reasons=REASONS,
    )
    SupportPlanLine.objects.create(
        decision=decision,
        description="Night visits by Mrs Smith's neighbour",
        units_per_week_hundredths=200,
        unit_cost_pence=2_000,
        annual_pence=208_000,
    )
    Representation.objects.create(
        person=decision.person, representative=representative, relationship="Her son"
    )
    return BudgetDecision.objects.get(pk=decision.pk)


def last_activity(person: Person) -> datetime.datetime:
    moments = [
        person.created_at,
        *Assessment.objects.filter(person=person)
        .aggregate(Max("started_at"), Max("last_saved_at"), Max("submitted_at"))
        .values(),
        *BudgetDecision.objects.filter(person=person)
        .aggregate(Max("created_at"), Max("state_changed_at"), Max("signed_off_at"))
        .values(),
        DecisionEvent.objects.filter(decision__person=person).aggregate(Max("at"))["at__max"],
    ]
    latest: datetime.datetime = max(moment for moment in moments if moment is not None)
    return latest


def years_later(moment: datetime.datetime, years: int = 8) -> datetime.datetime:
    return moment.replace(year=moment.year + years)


def test_a_case_quiet_for_a_day_over_8_years_is_anonymised(varied) -> None:
    run = run_at(years_later(last_activity(varied.person)) + datetime.timedelta(days=1))
    assert Person.objects.get(pk=varied.person_id).anonymised_at is not None
    assert line(run, CLOSED).anonymised_count == 1


def test_a_case_quiet_for_a_day_under_8_years_is_kept(varied) -> None:
    run = run_at(years_later(last_activity(varied.person)) - datetime.timedelta(days=1))
    person = Person.objects.get(pk=varied.person_id)
    assert person.anonymised_at is None
    assert person.full_name == "Sam Service-User"
    assert line(run, CLOSED).anonymised_count == 0


def test_a_single_recent_decision_event_keeps_the_case(varied, social_worker) -> None:
    quiet_since = last_activity(varied.person)
    later = years_later(quiet_since, 5)
    with time_machine.travel(later, tick=False):
        DecisionEvent.objects.create(
            decision=varied,
            action="start_review",
            from_state=State.VARIED,
            to_state=State.INDICATIVE,
            actor=social_worker,
            at=later,
        )
    run = run_at(years_later(quiet_since) + datetime.timedelta(days=1))
    assert line(run, CLOSED).anonymised_count == 0
    run = run_at(years_later(later) + datetime.timedelta(days=1))
    assert line(run, CLOSED).anonymised_count == 1


def test_a_recent_sign_in_to_the_persons_own_account_keeps_the_case(varied, service_user) -> None:
    quiet_since = last_activity(varied.person)
    User.objects.filter(pk=service_user.pk).update(last_login=years_later(quiet_since, 3))
    run = run_at(years_later(quiet_since) + datetime.timedelta(days=1))
    assert line(run, CLOSED).anonymised_count == 0


def test_anonymising_removes_who_they_are_their_answers_and_written_reasons(
    varied, service_user, representative
) -> None:
    assessment = varied.assessment
    budget = IndicativeBudget.objects.get(assessment=assessment)
    assert budget.steps
    run = run_at(years_later(last_activity(varied.person)) + datetime.timedelta(days=1))

    person = Person.objects.get(pk=varied.person_id)
    assert person.full_name == ANONYMISED_NAME
    assert person.user_id is None
    assert not Representation.objects.filter(person=person).exists()
    assert not Answer.objects.filter(assessment=assessment).exists()
    answer_history = apps.get_model("questionnaires", "AnswerEvent")
    assert not answer_history.objects.filter(assessment_id=assessment.pk).exists()
    assert IndicativeBudget.objects.get(pk=budget.pk).steps == []
    assert set(DecisionEvent.objects.filter(decision=varied).values_list("reasons", flat=True)) == {
        ""
    }
    assert SupportPlanLine.objects.get(decision=varied).description == ""

    # Their own account is closed: no name, an address that reaches nobody, no sign-in.
    account = User.objects.get(pk=service_user.pk)
    assert (account.full_name, account.is_active, account.has_usable_password()) == (
        "",
        False,
        False,
    )
    assert account.email.endswith("@closed-account.invalid")
    # The son's account, unused for 8 years, acted for her alone: it is closed the same way.
    acting = User.objects.get(pk=representative.pk)
    assert (acting.full_name, acting.is_active, acting.has_usable_password()) == ("", False, False)
    assert acting.email.endswith("@closed-account.invalid")
    assert line(run, CLOSED).accounts_closed_count == 2  # hers and her son's


def test_a_representative_who_signed_in_within_the_period_keeps_their_account(
    varied, representative
) -> None:
    """The case is quiet, so it is anonymised; the son signed in a year ago, so his account,
    which now acts for nobody, is his to keep until its own silence says otherwise."""
    moment = years_later(last_activity(varied.person)) + datetime.timedelta(days=1)
    User.objects.filter(pk=representative.pk).update(
        last_login=moment.replace(year=moment.year - 1)
    )
    run = run_at(moment)
    assert line(run, CLOSED).accounts_closed_count == 1  # hers alone
    assert Person.objects.get(pk=varied.person_id).anonymised_at is not None
    kept = User.objects.get(pk=representative.pk)
    assert (kept.full_name, kept.email, kept.is_active) == (
        "Rita Representative",
        "rita@example.org",
        True,
    )


def test_a_representative_with_a_record_of_their_own_keeps_their_account(
    varied, representative
) -> None:
    """Acting for nobody now, but the service has supported her too since a year ago: the
    account is hers."""
    moment = years_later(last_activity(varied.person)) + datetime.timedelta(days=1)
    own = Person.objects.create(full_name="Rita Representative", user=representative)
    Person.objects.filter(pk=own.pk).update(created_at=moment.replace(year=moment.year - 1))
    run_at(moment)
    assert Person.objects.get(pk=varied.person_id).anonymised_at is not None
    assert Person.objects.get(pk=own.pk).anonymised_at is None
    assert User.objects.get(pk=representative.pk).is_active


def test_anonymising_keeps_every_figure(varied) -> None:
    assessment = Assessment.objects.get(pk=varied.assessment_id)
    budget = IndicativeBudget.objects.get(assessment=assessment)
    events = list(DecisionEvent.objects.filter(decision=varied).order_by("pk").values())
    line_before = SupportPlanLine.objects.filter(decision=varied).values().get()
    run_at(years_later(last_activity(varied.person)) + datetime.timedelta(days=1))

    after = Assessment.objects.get(pk=assessment.pk)
    assert (after.total_points, after.carer_level, after.domain_points) == (
        assessment.total_points,
        assessment.carer_level,
        assessment.domain_points,
    )
    assert (after.client_group_code, after.submitted_at) == (
        assessment.client_group_code,
        assessment.submitted_at,
    )
    kept_budget = IndicativeBudget.objects.get(pk=budget.pk)
    for field in ("total_points", "carer_level", "full_needs_annual_pence",
                  "indicative_annual_pence", "domain_points", "priced_on"):  # fmt: skip
        assert getattr(kept_budget, field) == getattr(budget, field)
    decided = BudgetDecision.objects.get(pk=varied.pk)
    assert (decided.state, decided.final_annual_pence) == (State.VARIED, 547_800)
    events_after = list(DecisionEvent.objects.filter(decision=varied).order_by("pk").values())
    assert [{**event, "reasons": ""} for event in events] == events_after
    assert any(event["reason_codes"] == ["night-support"] for event in events_after)
    line_after = SupportPlanLine.objects.filter(decision=varied).values().get()
    assert {**line_before, "description": ""} == line_after


def test_a_held_case_is_never_anonymised_and_is_counted(varied, administrator) -> None:
    LegalHold.objects.create(
        person=varied.person, reason="Ombudsman complaint 24 001 234", placed_by=administrator,
        placed_at=varied.created_at,
    )  # fmt: skip
    run = run_at(years_later(last_activity(varied.person), 20))
    person = Person.objects.get(pk=varied.person_id)
    assert person.anonymised_at is None
    assert Answer.objects.filter(assessment_id=varied.assessment_id).exists()
    assert DecisionEvent.objects.filter(decision=varied, reasons=REASONS).exists()
    assert (line(run, CLOSED).held_count, line(run, CLOSED).anonymised_count) == (1, 0)


def test_running_twice_anonymises_nothing_more(varied) -> None:
    moment = years_later(last_activity(varied.person)) + datetime.timedelta(days=1)
    assert line(run_at(moment), CLOSED).anonymised_count == 1
    again = run_at(moment)
    assert line(again, CLOSED).anonymised_count == 0
    assert line(again, CLOSED).succeeded


def test_an_account_that_acts_for_someone_else_stays_open(
    varied, service_user, questionnaire
) -> None:
    other = Person.objects.create(full_name="Someone Else")
    Representation.objects.create(person=other, representative=service_user, relationship="Friend")
    Person.objects.filter(pk=other.pk).update(created_at=varied.person.created_at)
    later = years_later(last_activity(varied.person)) + datetime.timedelta(days=1)
    Assessment.objects.create(
        person=other, questionnaire_version=questionnaire, started_by=service_user
    )
    Assessment.objects.filter(person=other).update(started_at=later, last_saved_at=later)
    run_at(later)
    assert Person.objects.get(pk=varied.person_id).anonymised_at is not None
    assert User.objects.get(pk=service_user.pk).is_active

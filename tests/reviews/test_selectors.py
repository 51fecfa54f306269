"""The caseload lists, the timeline, the final budget, the actions offered and where a request
went, read straight from the database.

The case (tests/reviews/conftest.py) has an indicative budget of £4,980.00 a year.
"""

import datetime

import pytest

from allocations.budgets import assessment_submit_and_price
from questionnaires.services import assessment_start, person_add_for_representative
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from reviews.models import BudgetDecision, DecisionEvent, ReasonCode
from reviews.selectors import (
    ACTION_WORDS,
    case_actions,
    caseload,
    decision_timeline,
    final_budget,
    is_overdue,
    new_assessments,
    overdue,
    reason_labels,
    request_outcome,
    support_plan,
    waiting_for_action,
)
from reviews.services import (
    PlanLine,
    decision_open,
    decision_record_emergency,
    decision_request_amount,
    decision_transition,
)
from reviews.workflow import Action, State
from tests.questionnaires.conftest import FULL_ANSWERS, answer_all

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
YESTERDAY = TODAY - datetime.timedelta(days=1)


def refreshed(decision: BudgetDecision) -> BudgetDecision:
    return BudgetDecision.objects.get(pk=decision.pk)


@pytest.fixture
def second_worker(db):
    return user_create(email="wes@example.org", full_name="Wes Worker", roles=[Role.SOCIAL_WORKER])


@pytest.fixture
def another_submitted(questionnaire, published_version):
    """A second person's submitted assessment, filled in by their daughter."""
    helper = user_create(
        email="hal@example.org", full_name="Hal Helper", roles=[Role.REPRESENTATIVE]
    )
    person = person_add_for_representative(
        representative=helper, full_name="Ida Other", relationship="My mother"
    )
    assessment = assessment_start(
        actor=helper, person=person, client_group_code="older-people",
        questionnaire_version=questionnaire,
    )  # fmt: skip
    answer_all(assessment, helper, FULL_ANSWERS)
    submitted, _ = assessment_submit_and_price(assessment=assessment, actor=helper)
    return submitted


# New assessments


def test_a_submitted_assessment_nobody_has_taken_is_new(submitted_assessment) -> None:
    assert list(new_assessments()) == [submitted_assessment]


def test_an_unsubmitted_assessment_is_not_new(assessment) -> None:
    assert list(new_assessments()) == []


def test_a_taken_assessment_is_no_longer_new(decision, another_submitted) -> None:
    assert list(new_assessments()) == [another_submitted]


def test_neither_a_returned_copy_nor_the_assessment_it_replaced_is_new(
    decision, social_worker, service_user
) -> None:
    decision_transition(
        decision_id=decision.pk,
        action=Action.RETURN_TO_PERSON,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        reasons="Check the meals answer.",
    )
    copy = refreshed(decision).reopened_assessment
    assert copy is not None
    assessment_submit_and_price(assessment=copy, actor=service_user)
    assert list(new_assessments()) == []
    decision_transition(
        decision_id=decision.pk,
        action=Action.RESUBMIT,
        actor=service_user,
        seen_state=State.RETURNED,
    )
    assert refreshed(decision).assessment == copy
    assert list(new_assessments()) == []


# The caseload


def test_a_caseload_holds_the_workers_own_cases_and_a_manager_sees_all(
    decision, second_worker, another_submitted
) -> None:
    theirs = decision_open(assessment=another_submitted, actor=second_worker)
    assert list(caseload(decision.social_worker)) == [decision]
    assert list(caseload(second_worker)) == [theirs]
    assert set(caseload(None)) == {decision, theirs}


def test_cases_in_a_workers_state_wait_for_their_action(decision, social_worker) -> None:
    assert list(waiting_for_action(social_worker)) == [decision]
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=560_000,
        reason_codes=[],
        reasons="Meals.",
    )
    assert list(waiting_for_action(social_worker)) == []


def test_a_returned_case_waits_for_the_worker_only_once_the_changes_are_sent(
    decision, social_worker, service_user
) -> None:
    decision_transition(
        decision_id=decision.pk,
        action=Action.RETURN_TO_PERSON,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        reasons="Check the meals answer.",
    )
    assert list(waiting_for_action(social_worker)) == []
    copy = refreshed(decision).reopened_assessment
    assert copy is not None
    assessment_submit_and_price(assessment=copy, actor=service_user)
    assert list(waiting_for_action(social_worker)) == [decision]


def test_a_review_is_overdue_the_day_after_it_was_due(decision, social_worker) -> None:
    BudgetDecision.objects.filter(pk=decision.pk).update(next_review_due=TODAY)
    assert list(overdue(social_worker, today=TODAY)) == []
    assert not is_overdue(refreshed(decision), today=TODAY)
    BudgetDecision.objects.filter(pk=decision.pk).update(next_review_due=YESTERDAY)
    assert list(overdue(social_worker, today=TODAY)) == [decision]
    assert list(overdue(None, today=TODAY)) == [decision]
    assert is_overdue(refreshed(decision), today=TODAY)


def test_an_emergency_allocation_unconfirmed_after_its_last_day_is_overdue(
    social_worker, team_manager, service_user
) -> None:
    from questionnaires.services import person_for_service_user

    emergency = decision_record_emergency(
        person=person_for_service_user(service_user),
        actor=social_worker,
        amount_pence=520_000,
        reasons="Carer in hospital.",
    )
    BudgetDecision.objects.filter(pk=emergency.pk).update(emergency_confirm_by=TODAY)
    assert list(overdue(social_worker, today=TODAY)) == []
    BudgetDecision.objects.filter(pk=emergency.pk).update(emergency_confirm_by=YESTERDAY)
    assert list(overdue(social_worker, today=TODAY)) == [emergency]
    decision_transition(
        decision_id=emergency.pk,
        action=Action.CONFIRM_EMERGENCY,
        actor=team_manager,
        seen_state=State.EMERGENCY,
    )
    assert list(overdue(social_worker, today=TODAY)) == []


def test_another_workers_overdue_case_is_not_on_my_list(decision, second_worker) -> None:
    BudgetDecision.objects.filter(pk=decision.pk).update(next_review_due=YESTERDAY)
    assert list(overdue(second_worker, today=TODAY)) == []


# The timeline and the final budget


def test_every_action_has_words_for_the_timeline() -> None:
    assert set(ACTION_WORDS) == set(Action)


def test_the_timeline_reads_oldest_first_with_reason_labels(
    decision, social_worker, team_manager
) -> None:
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=560_000,
        reason_codes=["night-support", "two-carers-needed"],
        reasons="Needs a check at night.",
    )
    decision_transition(
        decision_id=decision.pk,
        action=Action.MANAGER_APPROVE,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="Agreed.",
    )
    first, second = decision_timeline(decision)
    assert (first.actor, first.action, first.words) == (
        "Wendy Worker",
        Action.REFER_TO_MANAGER,
        "asked a manager to agree a different amount",
    )
    assert first.reason_labels == (
        "Support is needed at night",
        "Two care workers are needed at once",
    )
    assert (first.amount_before_pence, first.amount_after_pence) == (498_000, 560_000)
    assert second.to_state == State.VARIED
    assert second.actor == "Mo Manager"


def test_a_retired_reason_code_keeps_its_label(decision) -> None:
    ReasonCode.objects.filter(code="night-support").update(is_active=False)
    assert reason_labels(["night-support", "gone"]) == ("Support is needed at night", "gone")


def test_a_final_budget_names_who_signed_it_off_and_the_request_behind_it(
    decision, social_worker, team_manager
) -> None:
    """£5,600.00 approved against £4,980.00 indicative: £620.00 more."""
    assert final_budget(decision, decision_timeline(decision)) is None
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=560_000,
        reason_codes=[],
        reasons="Needs a check at night.",
    )
    decision_transition(
        decision_id=decision.pk,
        action=Action.MANAGER_APPROVE,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="Agreed.",
    )
    decided = refreshed(decision)
    final = final_budget(decided, decision_timeline(decided))
    assert final is not None
    assert (final.final_pence, final.indicative_pence) == (560_000, 498_000)
    assert final.difference_pence == 62_000
    assert final.signed_off_by == "Mo Manager"
    assert final.sign_off is not None
    assert final.sign_off.reasons == "Agreed."
    assert final.request is not None
    assert final.request.reasons == "Needs a check at night."


def test_a_reduction_shows_the_size_of_the_difference(decision, social_worker, team_manager):
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=400_000,
        reason_codes=[],
        reasons="Day centre covers lunches.",
    )
    decision_transition(
        decision_id=decision.pk,
        action=Action.MANAGER_APPROVE,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="Agreed.",
    )
    decided = refreshed(decision)
    final = final_budget(decided, decision_timeline(decided))
    assert final is not None
    assert (final.difference_pence, final.difference_size_pence) == (-98_000, 98_000)


def test_an_emergency_final_budget_has_no_indicative_figure(social_worker, service_user):
    from questionnaires.services import person_for_service_user

    emergency = decision_record_emergency(
        person=person_for_service_user(service_user),
        actor=social_worker,
        amount_pence=520_000,
        reasons="Carer in hospital.",
    )
    final = final_budget(emergency, decision_timeline(emergency))
    assert final is not None
    assert final.sign_off is not None
    assert final.indicative_pence is None
    assert final.difference_pence is None
    assert final.sign_off.action == Action.RECORD_EMERGENCY


def test_plan_lines_show_hours_in_hundredths_as_decimals(decision, social_worker) -> None:
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=0,
        reason_codes=[],
        reasons="Two carers.",
        plan_lines=[PlanLine("Visits", 1_050, 2_400), PlanLine("Sitting", 125_005, 100)],
    )
    assert [row.units_per_week for row in support_plan(decision)] == ["10.50", "1,250.05"]


# What a user may do


def test_a_social_worker_is_offered_the_workers_moves_from_the_state(
    decision, social_worker, second_worker
) -> None:
    for worker in (social_worker, second_worker):
        actions = case_actions(decision, worker)
        assert (actions.agree, actions.vary, actions.ask_outside_ras) == (True, True, True)
        assert actions.return_to_person
        assert not actions.start_review
        assert not actions.set_contribution


def test_a_final_budget_offers_a_review_and_a_contribution(
    decision, social_worker, team_manager, panel_member
) -> None:
    decision_transition(
        decision_id=decision.pk,
        action=Action.AGREE,
        actor=social_worker,
        seen_state=State.INDICATIVE,
    )
    decided = refreshed(decision)
    worker = case_actions(decided, social_worker)
    assert worker.start_review
    assert worker.set_contribution
    assert not worker.agree
    manager = case_actions(decided, team_manager)
    assert manager.set_contribution
    assert not manager.start_review
    assert not case_actions(decided, panel_member).any


def test_nothing_is_offered_while_a_manager_decides(decision, social_worker) -> None:
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=560_000,
        reason_codes=[],
        reasons="Meals.",
    )
    assert not case_actions(refreshed(decision), social_worker).any


def test_agreeing_is_not_offered_without_an_indicative_budget(decision, social_worker) -> None:
    BudgetDecision.objects.filter(pk=decision.pk).update(indicative_annual_pence=None)
    actions = case_actions(refreshed(decision), social_worker)
    assert not actions.agree
    assert actions.vary


# Where a request went


def request(decision, social_worker, amount_pence: int, **extra):
    return decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=amount_pence,
        reason_codes=[],
        reasons="Because.",
        **extra,
    )


def test_a_variation_within_authority_says_it_is_final(decision, social_worker) -> None:
    """£5,478.00 is £498.00 more, exactly 10.00% of £4,980.00."""
    event = request(decision, social_worker, 547_800)
    outcome = request_outcome(refreshed(decision), event.pk)
    assert outcome.agreed
    assert outcome.headline == "You agreed £5,478.00 a year"
    assert outcome.why == (
        "It is £498.00 (10.00%) more than the indicative budget of £4,980.00.",
        "That is within your delegated authority, so no one else needs to agree it.",
        "This is now the final budget.",
    )
    assert [limit.role for limit in outcome.limits] == ["Social worker", "Team manager"]


def test_a_request_beyond_a_manager_says_the_panel_decides(decision, social_worker) -> None:
    """£6,225.01 is £1,245.01 more: 25.0002...%, shown rounded as 25.00%."""
    event = request(decision, social_worker, 622_501)
    outcome = request_outcome(refreshed(decision), event.pk)
    assert not outcome.agreed
    assert outcome.why == (
        "It is £1,245.01 (25.00%) more than the indicative budget of £4,980.00.",
        "That is more than a social worker may agree on their own.",
        "It is also more than a team manager may agree on their own.",
        "The panel will decide.",
    )


def test_a_plan_within_a_managers_authority_goes_to_a_manager(decision, social_worker) -> None:
    """5 hours a week at £20.50 x 52 = £5,330.00: £350.00 more, within a worker's 10% even, but
    a plan outside the RAS is never agreed by its requester."""
    event = request(decision, social_worker, 0, plan_lines=[PlanLine("Visits", 500, 2_050)])
    outcome = request_outcome(refreshed(decision), event.pk)
    assert event.action == Action.REFER_TO_MANAGER
    assert outcome.amount_pence == 533_000
    assert [row.annual_pence for row in outcome.plan_lines] == [533_000]
    assert "always agreed by someone other than the person who asks for it" in outcome.why[1]
    assert outcome.why[-1] == "A team manager will decide."


def test_an_agreement_is_not_a_request_with_an_outcome(decision, social_worker) -> None:
    event = decision_transition(
        decision_id=decision.pk,
        action=Action.AGREE,
        actor=social_worker,
        seen_state=State.INDICATIVE,
    )
    with pytest.raises(DecisionEvent.DoesNotExist):
        request_outcome(refreshed(decision), event.pk)


def test_a_later_assessment_of_someone_with_a_decision_is_new(
    decision, service_user, questionnaire
) -> None:
    from questionnaires.services import person_for_service_user

    later = assessment_start(
        actor=service_user, person=person_for_service_user(service_user),
        client_group_code="older-people", questionnaire_version=questionnaire,
    )  # fmt: skip
    answer_all(later, service_user, FULL_ANSWERS)
    submitted, _ = assessment_submit_and_price(assessment=later, actor=service_user)
    assert list(new_assessments()) == [submitted]

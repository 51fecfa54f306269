import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from questionnaires.models import AssessmentStatus
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from reviews.models import BudgetDecision, DecisionEvent, PanelAgendaItem, PanelMeeting
from reviews.services import (
    DecidedFirst,
    MoveNotAllowed,
    OutsideAuthority,
    PlanLine,
    TransitionRefused,
    decision_open,
    decision_record_emergency,
    decision_request_amount,
    decision_transition,
)
from reviews.workflow import Action, State
from tests.reviews.conftest import INDICATIVE_PENCE

pytestmark = pytest.mark.django_db


def refreshed(decision: BudgetDecision) -> BudgetDecision:
    return BudgetDecision.objects.get(pk=decision.pk)


def test_a_worker_agrees_the_indicative_budget_in_one_step(decision, social_worker) -> None:
    event = decision_transition(
        decision_id=decision.pk,
        action=Action.AGREE,
        actor=social_worker,
        seen_state=State.INDICATIVE,
    )
    decided = refreshed(decision)
    assert decided.state == State.AGREED
    assert decided.final_annual_pence == INDICATIVE_PENCE
    assert decided.signed_off_by == social_worker
    assert decided.signed_off_at is not None
    assert decided.next_review_due is not None
    assert (event.amount_before_pence, event.amount_after_pence) == (498_000, 498_000)


def test_a_variation_within_authority_needs_no_one_else(decision, social_worker) -> None:
    """10% of £4,980.00 is £498.00, under the £2,000 amount limit: £5,478.00 is within."""
    event = decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=547_800,
        reason_codes=["night-support"],
        reasons="Needs a check at night twice a week.",
    )
    assert event.action == Action.VARY
    decided = refreshed(decision)
    assert decided.state == State.VARIED
    assert decided.final_annual_pence == 547_800
    assert decided.signed_off_by == social_worker
    assert event.reason_codes == ["night-support"]


def test_a_penny_over_the_workers_authority_goes_to_a_manager(decision, social_worker) -> None:
    event = decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=547_801,
        reason_codes=[],
        reasons="More help with meals.",
    )
    assert event.action == Action.REFER_TO_MANAGER
    decided = refreshed(decision)
    assert decided.state == State.AWAITING_MANAGER
    assert decided.final_annual_pence is None
    assert decided.requested_annual_pence == 547_801


def test_beyond_a_managers_authority_goes_to_panel(decision, social_worker) -> None:
    """A manager may agree 25% of £4,980.00 = £1,245.00 more: £6,225.00. A penny more is panel."""
    event = decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=622_501,
        reason_codes=[],
        reasons="Two carers needed.",
    )
    assert event.action == Action.REFER_TO_PANEL
    assert refreshed(decision).state == State.AWAITING_PANEL


def test_a_reduction_by_a_worker_needs_a_manager(decision, social_worker) -> None:
    event = decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=400_000,
        reason_codes=["other-service-meets-need"],
        reasons="Day centre already covers lunches.",
    )
    assert event.action == Action.REFER_TO_MANAGER


def test_a_costed_plan_outside_the_ras_sets_the_requested_amount(decision, social_worker) -> None:
    """10.5 hours a week at £24.00 = £252.00 a week, x 52 = £13,104.00 a year; plus 1 unit a
    week at £35.50 x 52 = £1,846.00; total £14,950.00: beyond a manager's 25%, so panel."""
    plan = [
        PlanLine("Personal care visits", units_per_week_hundredths=1_050, unit_cost_pence=2_400),
        PlanLine("Day centre transport", units_per_week_hundredths=100, unit_cost_pence=3_550),
    ]
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=0,
        reason_codes=["two-carers-needed"],
        reasons="Needs two carers for transfers.",
        plan_lines=plan,
    )
    decided = refreshed(decision)
    assert decided.requested_annual_pence == 1_495_000
    assert decided.state == State.AWAITING_PANEL
    assert [line.annual_pence for line in decided.support_plan_lines.all()] == [
        1_310_400,
        184_600,
    ]


def refer_to_manager(decision, social_worker, amount_pence: int = 560_000) -> None:
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=amount_pence,
        reason_codes=[],
        reasons="Needs more help with meals.",
    )


def test_a_manager_approves_a_request_with_their_name_on_it(
    decision, social_worker, team_manager
) -> None:
    refer_to_manager(decision, social_worker)
    decision_transition(
        decision_id=decision.pk,
        action=Action.MANAGER_APPROVE,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="Agreed: meals support is essential.",
    )
    decided = refreshed(decision)
    assert decided.state == State.VARIED
    assert decided.final_annual_pence == 560_000
    assert decided.signed_off_by == team_manager


def test_the_requester_can_never_approve_their_own_request(decision) -> None:
    both = user_create(
        email="both@example.org",
        full_name="Worker And Manager",
        roles=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER],
    )
    BudgetDecision.objects.filter(pk=decision.pk).update(social_worker=both)
    refer_to_manager(decision, both)
    with pytest.raises(PermissionDenied):
        decision_transition(
            decision_id=decision.pk,
            action=Action.MANAGER_APPROVE,
            actor=both,
            seen_state=State.AWAITING_MANAGER,
            reasons="Fine by me.",
        )
    assert refreshed(decision).state == State.AWAITING_MANAGER


def test_the_wrong_role_is_refused_and_nothing_changes(decision, finance_lead, service_user):
    for person in (finance_lead, service_user):
        with pytest.raises(PermissionDenied):
            decision_transition(
                decision_id=decision.pk,
                action=Action.AGREE,
                actor=person,
                seen_state=State.INDICATIVE,
            )
    assert refreshed(decision).state == State.INDICATIVE
    assert not DecisionEvent.objects.exists()


def test_an_out_of_order_action_is_refused_with_the_current_state(decision, team_manager):
    with pytest.raises(MoveNotAllowed) as refused:
        decision_transition(
            decision_id=decision.pk,
            action=Action.MANAGER_APPROVE,
            actor=team_manager,
            seen_state=State.INDICATIVE,
            reasons="Approve",
        )
    assert refused.value.current_state == State.INDICATIVE


def test_reasons_are_needed_for_every_decision_but_agreeing(decision, social_worker) -> None:
    with pytest.raises(TransitionRefused, match="Enter the reasons"):
        decision_request_amount(
            decision_id=decision.pk,
            actor=social_worker,
            seen_state=State.INDICATIVE,
            amount_pence=500_000,
            reason_codes=[],
            reasons=" ",
        )
    assert refreshed(decision).state == State.INDICATIVE


def test_a_vary_beyond_authority_is_refused_when_asked_for_directly(decision, social_worker):
    with pytest.raises(OutsideAuthority):
        decision_transition(
            decision_id=decision.pk,
            action=Action.VARY,
            actor=social_worker,
            seen_state=State.INDICATIVE,
            amount_pence=900_000,
            reasons="Trying my luck",
        )


def test_a_manager_cannot_approve_beyond_their_authority(decision, social_worker, team_manager):
    decision_transition(
        decision_id=decision.pk,
        action=Action.REFER_TO_MANAGER,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=700_000,
        reasons="Needs a lot more",
    )
    with pytest.raises(OutsideAuthority, match="send the case to panel"):
        decision_transition(
            decision_id=decision.pk,
            action=Action.MANAGER_APPROVE,
            actor=team_manager,
            seen_state=State.AWAITING_MANAGER,
            reasons="OK",
        )


def test_a_second_decision_on_a_stale_page_is_told_who_decided_first(
    decision, social_worker, team_manager
) -> None:
    refer_to_manager(decision, social_worker)
    decision_transition(
        decision_id=decision.pk,
        action=Action.MANAGER_DECLINE,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="Not needed.",
    )
    other_manager = user_create(
        email="m2@example.org", full_name="Max Manager", roles=[Role.TEAM_MANAGER]
    )
    with pytest.raises(MoveNotAllowed):
        decision_transition(
            decision_id=decision.pk,
            action=Action.MANAGER_APPROVE,
            actor=other_manager,
            seen_state=State.DECLINED,  # not a move from declined at all
            reasons="Yes",
        )


@pytest.mark.django_db(transaction=True)
def test_two_managers_approving_at_the_same_moment_make_one_decision(
    decision, social_worker, team_manager
) -> None:
    refer_to_manager(decision, social_worker)
    second = user_create(email="m2@example.org", full_name="Max Manager", roles=[Role.TEAM_MANAGER])
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def approve(manager) -> None:
        barrier.wait()
        try:
            outcomes[manager.email] = decision_transition(
                decision_id=decision.pk,
                action=Action.MANAGER_APPROVE,
                actor=manager,
                seen_state=State.AWAITING_MANAGER,
                reasons=f"Approved by {manager.full_name}",
            )
        except DecidedFirst as refused:
            outcomes[manager.email] = refused
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(m,)) for m in (team_manager, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refusals = [o for o in outcomes.values() if isinstance(o, DecidedFirst)]
    assert len(refusals) == 1
    assert "decided first" in refusals[0].messages[0]
    assert DecisionEvent.objects.filter(action=Action.MANAGER_APPROVE).count() == 1
    assert refreshed(decision).state == State.VARIED


def test_decision_events_are_a_permanent_record(decision, social_worker) -> None:
    decision_transition(
        decision_id=decision.pk,
        action=Action.AGREE,
        actor=social_worker,
        seen_state=State.INDICATIVE,
    )
    for sql in (
        "UPDATE reviews_decisionevent SET reasons = 'x'",
        "DELETE FROM reviews_decisionevent",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)


def test_a_final_budget_cannot_exist_without_a_named_person(decision) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetDecision.objects.filter(pk=decision.pk).update(final_annual_pence=100)


def test_the_person_can_challenge_a_decision_and_a_stranger_cannot(
    decision, social_worker, service_user, second_service_user
) -> None:
    decision_transition(
        decision_id=decision.pk,
        action=Action.AGREE,
        actor=social_worker,
        seen_state=State.INDICATIVE,
    )
    with pytest.raises(PermissionDenied):
        decision_transition(
            decision_id=decision.pk,
            action=Action.CHALLENGE,
            actor=second_service_user,
            seen_state=State.AGREED,
            reasons="Not enough",
        )
    decision_transition(
        decision_id=decision.pk,
        action=Action.CHALLENGE,
        actor=service_user,
        seen_state=State.AGREED,
        reasons="It does not cover my evening meal.",
    )
    assert refreshed(decision).state == State.CHALLENGED


def test_each_decision_emails_the_person_and_worker_with_no_details(
    decision, social_worker, team_manager, service_user, django_capture_on_commit_callbacks
) -> None:
    refer_to_manager(decision, social_worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decision_transition(
            decision_id=decision.pk,
            action=Action.MANAGER_APPROVE,
            actor=team_manager,
            seen_state=State.AWAITING_MANAGER,
            reasons="Meals support is essential.",
        )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([service_user.email, social_worker.email])
    for message in mail.outbox:
        assert "£" not in message.body
        assert "meals" not in message.body.lower()
        link = "/your-budget/" if service_user.email in message.to else "/cases/"
        assert link in message.body


def test_returning_to_the_person_opens_a_copy_and_resubmitting_brings_the_new_figure(
    decision, social_worker, service_user
) -> None:
    from allocations.budgets import assessment_submit_and_price
    from questionnaires.services import answer_save

    decision_transition(
        decision_id=decision.pk,
        action=Action.RETURN_TO_PERSON,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        reasons="Please check the meals answer with your daughter.",
    )
    returned = refreshed(decision)
    copy = returned.reopened_assessment
    assert returned.state == State.RETURNED
    assert copy is not None
    assert copy.status == AssessmentStatus.IN_PROGRESS
    assert copy.answers.count() == 4
    answer_save(assessment=copy, question_code="meals", option_code="some-help", actor=service_user)
    assessment_submit_and_price(assessment=copy, actor=service_user)
    decision_transition(
        decision_id=decision.pk,
        action=Action.RESUBMIT,
        actor=service_user,
        seen_state=State.RETURNED,
    )
    resubmitted = refreshed(decision)
    assert resubmitted.state == State.INDICATIVE
    assert resubmitted.assessment == copy
    # 3 + 5 + 10 = 18 points: band 1, 18 x £150 = £2,700.00, less 25% = £2,025.00.
    assert resubmitted.indicative_annual_pence == 202_500


def test_an_emergency_allocation_needs_a_managers_confirmation(
    social_worker, team_manager, service_user
) -> None:
    from questionnaires.services import person_for_service_user

    decision = decision_record_emergency(
        person=person_for_service_user(service_user),
        actor=social_worker,
        amount_pence=520_000,
        reasons="Carer in hospital; needs daily visits from today.",
    )
    assert decision.state == State.EMERGENCY
    assert decision.signed_off_by == social_worker
    assert decision.emergency_confirm_by is not None
    with pytest.raises(PermissionDenied):
        decision_transition(
            decision_id=decision.pk,
            action=Action.CONFIRM_EMERGENCY,
            actor=social_worker,
            seen_state=State.EMERGENCY,
        )
    decision_transition(
        decision_id=decision.pk,
        action=Action.CONFIRM_EMERGENCY,
        actor=team_manager,
        seen_state=State.EMERGENCY,
    )
    assert refreshed(decision).emergency_confirmed_at is not None


def test_only_members_of_the_meeting_decide_at_panel(
    decision, social_worker, panel_member, team_manager
) -> None:
    decision_transition(
        decision_id=decision.pk,
        action=Action.REFER_TO_PANEL,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=900_000,
        reasons="Complex needs",
    )
    outsider = user_create(
        email="p2@example.org", full_name="Other Panel", roles=[Role.PANEL_MEMBER]
    )
    meeting = PanelMeeting.objects.create(
        held_on="2026-12-01", title="December panel", created_by=team_manager
    )
    meeting.members.add(panel_member)
    PanelAgendaItem.objects.create(meeting=meeting, decision=decision, added_by=team_manager)
    with pytest.raises(PermissionDenied):
        decision_transition(
            decision_id=decision.pk,
            action=Action.PANEL_APPROVE,
            actor=outsider,
            seen_state=State.AWAITING_PANEL,
            reasons="Yes",
        )
    event = decision_transition(
        decision_id=decision.pk,
        action=Action.PANEL_APPROVE_DIFFERENT,
        actor=panel_member,
        seen_state=State.AWAITING_PANEL,
        amount_pence=850_000,
        reasons="Agreed at £8,500: night support twice a week, not three times.",
    )
    assert refreshed(decision).final_annual_pence == 850_000
    assert PanelAgendaItem.objects.get().outcome == event


def test_opening_a_case_twice_keeps_one_decision(submitted_assessment, social_worker) -> None:
    first = decision_open(assessment=submitted_assessment, actor=social_worker)
    second = decision_open(assessment=submitted_assessment, actor=social_worker)
    assert first.pk == second.pk

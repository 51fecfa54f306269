"""What the person and their representatives may see, and each decision in plain words.

Sam's assessment scores 34 points: £6,640.00 full needs less 25% for a lot of help from family or
friends, an indicative budget of £4,980.00 a year. A social worker may agree up to 10% more alone
(£498.00): £5,478.00. A penny more goes to a team manager, who may agree up to 25% more
(£6,225.00).
"""

import datetime

import pytest

from questionnaires.services import person_for_service_user
from ras.people.models import Representation
from reviews.models import BudgetDecision
from reviews.person_selectors import (
    acts_for,
    budgets_by_person,
    decisions_visible_to_person,
    final_amount,
    panel_date,
    person_actions,
    person_timeline,
    state_in_plain_words,
)
from reviews.services import decision_record_emergency, decision_transition
from reviews.workflow import Action, State
from tests.reviews.person_cast import (  # noqa: F401 - fixtures
    agree,
    ask_for,
    other_representative,
    put_on_agenda,
    refreshed,
    sams_daughter,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def headline(decision: BudgetDecision, *, is_you: bool = True, today=TODAY) -> str:
    return state_in_plain_words(refreshed(decision), is_you=is_you, today=today).headline


# Who may see what


def test_a_service_user_sees_the_decisions_about_them(decision, service_user) -> None:
    assert list(decisions_visible_to_person(service_user)) == [decision]


def test_a_representative_sees_the_decisions_of_the_people_they_act_for(
    decision, sams_daughter
) -> None:
    assert list(decisions_visible_to_person(sams_daughter)) == [decision]
    assert acts_for(sams_daughter, decision.person)


def test_a_second_service_user_and_another_representative_see_nothing(
    decision, second_service_user, other_representative
) -> None:
    assert not decisions_visible_to_person(second_service_user).exists()
    assert not decisions_visible_to_person(other_representative).exists()
    assert not acts_for(second_service_user, decision.person)
    assert not acts_for(other_representative, decision.person)


@pytest.mark.parametrize(
    "role", ["social_worker", "team_manager", "panel_member", "finance_lead", "administrator"]
)
def test_staff_see_no_decisions_here(decision, role, request) -> None:
    assert not decisions_visible_to_person(request.getfixturevalue(role)).exists()


def test_acting_for_someone_needs_the_representative_role(decision, second_service_user):
    """A representation on record is not enough without the role (as for assessments)."""
    Representation.objects.create(
        person=decision.person, representative=second_service_user, relationship="neighbour"
    )
    assert not decisions_visible_to_person(second_service_user).exists()


def test_a_representative_who_acts_for_many_sees_each_once(
    decision, sams_daughter, second_service_user
) -> None:
    ida = person_for_service_user(second_service_user)
    Representation.objects.create(person=ida, representative=sams_daughter, relationship="aunt")
    assert list(decisions_visible_to_person(sams_daughter)) == [decision]


def test_the_list_has_a_section_for_each_person_a_representative_acts_for(
    decision, sams_daughter, second_service_user
) -> None:
    ida = person_for_service_user(second_service_user)
    Representation.objects.create(person=ida, representative=sams_daughter, relationship="aunt")
    sections = budgets_by_person(sams_daughter, today=TODAY)
    assert [(s.person.full_name, s.is_you, len(s.decisions)) for s in sections] == [
        ("Sam Service-User", False, 1),
        ("Sol Second-User", False, 0),
    ]
    summary = sections[0].decisions[0]
    assert summary.headline == "Sam Service-User’s social worker is looking at their budget"
    assert (summary.amount_label, summary.amount_pence) == ("Indicative budget", 498_000)


def test_a_service_users_own_section_says_you(decision, service_user) -> None:
    [section] = budgets_by_person(service_user, today=TODAY)
    assert section.is_you
    assert section.decisions[0].headline == "Your social worker is looking at your budget"
    assert section.decisions[0].title.startswith("Budget from assessment ")


# Each state in plain words


def test_an_indicative_budget_is_with_the_social_worker(decision) -> None:
    assert headline(decision) == "Your social worker is looking at your budget"
    assert headline(decision, is_you=False) == (
        "Sam Service-User’s social worker is looking at their budget"
    )


def test_agreed_and_varied_budgets_say_so_with_the_review_date(decision, social_worker):
    agree(decision, social_worker)
    plain = state_in_plain_words(refreshed(decision), is_you=True, today=TODAY)
    assert plain.headline == "Your budget is agreed"
    assert plain.tag == "Agreed"
    review = refreshed(decision).next_review_due
    assert any(f"by {review:%-d %B %Y}" in step for step in plain.next_steps)
    assert "ask us to look at it again" in plain.next_steps[-1]


def test_a_variation_within_authority_is_agreed_at_a_different_amount(decision, social_worker):
    ask_for(decision, social_worker, 547_800)
    assert headline(decision) == "Your budget is agreed at a different amount"


def test_a_request_for_more_is_with_a_manager(decision, social_worker) -> None:
    """£5,478.01 is a penny over the worker's 10% (£498.00 on £4,980.00)."""
    ask_for(decision, social_worker, 547_801)
    plain = state_in_plain_words(refreshed(decision), is_you=True, today=TODAY)
    assert plain.headline == "A manager is checking a request for more"
    assert "asked for a budget of £5,478.01 a year" in plain.next_steps[0]


def test_a_reduction_with_a_manager_is_a_change_not_a_request_for_more(decision, social_worker):
    ask_for(decision, social_worker, 400_000, reason_codes=["other-service-meets-need"])
    assert headline(decision) == "A manager is checking a change to your budget"


def test_the_panel_date_shows_once_the_case_is_on_an_agenda(
    decision, social_worker, team_manager, panel_member
) -> None:
    """£6,225.01 is a penny over a manager's 25% (£1,245.00 on £4,980.00): panel."""
    ask_for(decision, social_worker, 622_501)
    assert headline(decision) == "The panel will decide"
    put_on_agenda(decision, team_manager, panel_member, "2026-12-01")
    assert headline(decision) == "The panel will decide on 1 December 2026"
    assert (
        headline(decision, today=datetime.date(2026, 12, 2)) == "The panel met on 1 December 2026"
    )


def test_the_next_meeting_is_the_date_once_a_decision_was_put_off(
    decision, social_worker, team_manager, panel_member
) -> None:
    ask_for(decision, social_worker, 622_501)
    put_on_agenda(decision, team_manager, panel_member, "2026-12-01")
    decision_transition(
        decision_id=decision.pk,
        action=Action.PANEL_DEFER,
        actor=panel_member,
        seen_state=State.AWAITING_PANEL,
        reasons="We need the occupational therapist's report.",
    )
    put_on_agenda(decision, team_manager, panel_member, "2027-01-05")
    assert panel_date(refreshed(decision), today=TODAY) == datetime.date(2027, 1, 5)


def test_a_declined_request_and_a_challenge(
    decision, social_worker, team_manager, service_user
) -> None:
    ask_for(decision, social_worker, 560_000)
    decision_transition(
        decision_id=decision.pk,
        action=Action.MANAGER_DECLINE,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="The day centre covers the evening meal.",
    )
    assert headline(decision) == "A request for a different amount was turned down"
    assert person_actions(refreshed(decision)).challenge
    decision_transition(
        decision_id=decision.pk,
        action=Action.CHALLENGE,
        actor=service_user,
        seen_state=State.DECLINED,
        reasons="The day centre is closed at weekends.",
    )
    assert headline(decision) == "We are looking again at the decision"
    assert not person_actions(refreshed(decision)).challenge


def test_a_returned_assessment_asks_for_the_answers_to_be_checked(decision, social_worker):
    decision_transition(
        decision_id=decision.pk,
        action=Action.RETURN_TO_PERSON,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        reasons="Please check the meals answer.",
    )
    returned = refreshed(decision)
    assert headline(decision) == "Your social worker asked for the answers to be checked"
    actions = person_actions(returned)
    assert (actions.continue_answers, actions.send_changed_answers) == (True, False)


def test_an_emergency_budget_says_a_manager_will_confirm_it(service_user, social_worker):
    decision = decision_record_emergency(
        person=person_for_service_user(service_user),
        actor=social_worker,
        amount_pence=520_000,
        reasons="Carer in hospital.",
    )
    plain = state_in_plain_words(refreshed(decision), is_you=True, today=TODAY)
    assert plain.headline == "Your emergency budget is in place"
    assert "A manager will confirm it." in plain.next_steps[0]


@pytest.mark.parametrize(
    ("state", "may_challenge"),
    [
        (State.INDICATIVE, False),
        (State.AGREED, True),
        (State.VARIED, True),
        (State.AWAITING_MANAGER, False),
        (State.AWAITING_PANEL, False),
        (State.DECLINED, True),
        (State.RETURNED, False),
        (State.CHALLENGED, False),
        (State.EMERGENCY, False),
    ],
)
def test_asking_us_to_look_again_is_offered_for_final_and_declined_decisions_only(
    decision, state, may_challenge
) -> None:
    decision.state = state
    assert person_actions(decision).challenge is may_challenge


# The timeline and the money


def test_the_timeline_names_who_decided_in_what_role_with_amounts_and_reasons(
    decision, social_worker, team_manager, service_user
) -> None:
    """£5,600.00 asked for is £620.00 (12.45%) above £4,980.00: more than a worker's 10%."""
    ask_for(decision, social_worker, 560_000, reasons="Evening meals are missing.")
    decision_transition(
        decision_id=decision.pk,
        action=Action.MANAGER_APPROVE,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="Agreed: the evening meal is an assessed need.",
    )
    decision_transition(
        decision_id=decision.pk,
        action=Action.CHALLENGE,
        actor=service_user,
        seen_state=State.VARIED,
        reasons="It does not cover weekends.",
    )
    request_entry, approval, challenge = person_timeline(refreshed(decision), service_user)
    assert (request_entry.who, request_entry.role) == ("Wendy Worker", "social worker")
    assert request_entry.what == "asked a team manager to agree a different amount"
    assert (request_entry.amount_before_pence, request_entry.amount_after_pence) == (
        498_000,
        560_000,
    )
    assert request_entry.amount_changed
    assert request_entry.reason_labels == ("Support is needed at night",)
    assert request_entry.reasons == "Evening meals are missing."
    assert (approval.who, approval.role, approval.what) == (
        "Mo Manager",
        "team manager",
        "agreed the amount asked for",
    )
    assert (challenge.who, challenge.role) == ("You", "")
    seen_by_someone_else = person_timeline(refreshed(decision), team_manager)[2]
    assert (seen_by_someone_else.who, seen_by_someone_else.role) == (
        "Sam Service-User",
        "the person the budget is for",
    )


def test_a_representatives_own_action_is_theirs_and_others_see_who_acted_for_sam(
    decision, social_worker, sams_daughter, service_user
) -> None:
    agree(decision, social_worker)
    decision_transition(
        decision_id=decision.pk,
        action=Action.CHALLENGE,
        actor=sams_daughter,
        seen_state=State.AGREED,
        reasons="Dad needs help at weekends too.",
    )
    assert person_timeline(refreshed(decision), sams_daughter)[-1].who == "You"
    seen_by_sam = person_timeline(refreshed(decision), service_user)[-1]
    assert (seen_by_sam.who, seen_by_sam.role) == (
        "Dana Daughter",
        "acting for Sam Service-User",
    )


def test_the_final_budget_is_split_into_what_the_council_and_the_person_pay(
    decision, social_worker
) -> None:
    """£4,980.00 a year less £1,200.00 the person pays: the council pays £3,780.00.
    A week: 498,000 / 52 = 9,576.92 pence, rounded half up to £95.77."""
    assert final_amount(refreshed(decision)) is None
    agree(decision, social_worker)
    before_contribution = final_amount(refreshed(decision))
    assert before_contribution is not None
    assert before_contribution.contribution_pence is None
    assert before_contribution.council_pays_pence is None
    BudgetDecision.objects.filter(pk=decision.pk).update(contribution_annual_pence=120_000)
    final = final_amount(refreshed(decision))
    assert final is not None
    assert final.annual_pence == 498_000
    assert final.weekly_pence == 9_577
    assert final.contribution_pence == 120_000
    assert final.council_pays_pence == 378_000
    assert final.signed_off_by == "Wendy Worker"
    assert not final.in_force_while_deciding


def test_a_budget_under_review_stays_in_force(decision, social_worker, service_user) -> None:
    agree(decision, social_worker)
    decision_transition(
        decision_id=decision.pk,
        action=Action.CHALLENGE,
        actor=service_user,
        seen_state=State.AGREED,
        reasons="Not enough.",
    )
    final = final_amount(refreshed(decision))
    assert final is not None
    assert final.in_force_while_deciding

"""Arranging panel meetings and putting cases on their agendas: who may, and every refusal.

The case (tests/reviews/conftest.py): an indicative budget of £4,980.00 a year. A team manager may
agree up to 25% (£1,245.00) more, so up to £6,225.00; the worker's £7,200.00 is beyond that and
goes straight to panel.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ras.accounts.roles import Role
from ras.accounts.services import user_create
from reviews.models import BudgetDecision, PanelAgendaItem, PanelMeeting
from reviews.panel_services import panel_agenda_add, panel_meeting_create
from reviews.services import TransitionRefused, decision_request_amount, decision_transition
from reviews.workflow import Action, State

pytestmark = pytest.mark.django_db

ASKED_PENCE = 720_000


def to_panel(decision: BudgetDecision, worker) -> BudgetDecision:
    decision_request_amount(
        decision_id=decision.pk,
        actor=worker,
        seen_state=State.INDICATIVE,
        amount_pence=ASKED_PENCE,
        reason_codes=["night-support"],
        reasons="Needs waking support at night.",
    )
    decision.refresh_from_db()
    assert decision.state == State.AWAITING_PANEL
    return decision


def a_meeting(actor, members, *, days_ahead: int = 7, title: str = "December panel"):
    return panel_meeting_create(
        held_on=timezone.localdate() + datetime.timedelta(days=days_ahead),
        title=title,
        member_ids=[member.pk for member in members],
        actor=actor,
    )


@pytest.fixture
def second_panel_member(db):
    return user_create(
        email="pip@example.org", full_name="Pip Panel", roles=[Role.PANEL_MEMBER], password="x"
    )


@pytest.fixture
def waiting(decision, social_worker) -> BudgetDecision:
    return to_panel(decision, social_worker)


def test_a_team_manager_arranges_a_meeting_with_panel_members(
    team_manager, panel_member, second_panel_member
) -> None:
    held_on = timezone.localdate() + datetime.timedelta(days=7)
    meeting = panel_meeting_create(
        held_on=held_on,
        title="  December panel  ",
        member_ids=[panel_member.pk, second_panel_member.pk, panel_member.pk],
        actor=team_manager,
    )
    assert meeting.held_on == held_on
    assert meeting.title == "December panel"
    assert meeting.created_by == team_manager
    assert set(meeting.members.all()) == {panel_member, second_panel_member}


def test_a_panel_member_may_arrange_a_meeting_and_sits_on_it_only_if_chosen(
    panel_member, second_panel_member
) -> None:
    meeting = a_meeting(panel_member, [second_panel_member])
    assert list(meeting.members.all()) == [second_panel_member]


@pytest.mark.parametrize("role", ["social_worker", "finance_lead", "service_user", "administrator"])
def test_only_team_managers_and_panel_members_arrange_meetings(request, role, panel_member) -> None:
    actor = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied, match="team manager or a panel member"):
        a_meeting(actor, [panel_member])
    assert not PanelMeeting.objects.exists()


def test_every_problem_with_a_meeting_is_said_at_once_and_nothing_is_saved(
    team_manager,
) -> None:
    with pytest.raises(TransitionRefused) as refused:
        panel_meeting_create(
            held_on=timezone.localdate() - datetime.timedelta(days=1),
            title="   ",
            member_ids=[],
            actor=team_manager,
        )
    today = timezone.localdate()
    assert refused.value.messages == [
        "Enter a title for the meeting",
        f"The meeting date must be today ({today:%-d %B %Y}) or later",
        "Choose at least one panel member",
    ]
    assert not PanelMeeting.objects.exists()


def test_a_title_longer_than_200_characters_is_refused(team_manager, panel_member) -> None:
    with pytest.raises(TransitionRefused, match="200 characters or fewer"):
        a_meeting(team_manager, [panel_member], title="x" * 201)
    assert not PanelMeeting.objects.exists()


def test_a_meeting_may_be_held_today(team_manager, panel_member) -> None:
    meeting = a_meeting(team_manager, [panel_member], days_ahead=0)
    assert meeting.held_on == timezone.localdate()


@pytest.mark.parametrize("who", ["social_worker", "team_manager", "unknown"])
def test_members_must_be_people_holding_the_panel_member_role(
    request, who, team_manager, panel_member
) -> None:
    """A team manager is not a panel member unless they also hold that role."""
    member_id = 999_999 if who == "unknown" else request.getfixturevalue(who).pk
    with pytest.raises(TransitionRefused, match="Choose members from the list of panel members"):
        panel_meeting_create(
            held_on=timezone.localdate(),
            title="December panel",
            member_ids=[panel_member.pk, member_id],
            actor=team_manager,
        )
    assert not PanelMeeting.objects.exists()


def test_a_panel_member_whose_account_is_closed_cannot_sit(team_manager, panel_member) -> None:
    panel_member.is_active = False
    panel_member.save()
    with pytest.raises(TransitionRefused, match="Choose members from the list"):
        a_meeting(team_manager, [panel_member])


def test_a_case_waiting_for_panel_goes_on_the_agenda(waiting, team_manager, panel_member) -> None:
    meeting = a_meeting(team_manager, [panel_member])
    item = panel_agenda_add(meeting=meeting, decision=waiting, actor=team_manager)
    assert item.meeting == meeting
    assert item.decision == waiting
    assert item.added_by == team_manager
    assert item.outcome is None


def test_a_panel_member_may_add_a_case_too(waiting, team_manager, panel_member) -> None:
    meeting = a_meeting(team_manager, [panel_member])
    panel_agenda_add(meeting=meeting, decision=waiting, actor=panel_member)
    assert PanelAgendaItem.objects.get().added_by == panel_member


def test_a_case_goes_on_a_meetings_agenda_once(waiting, team_manager, panel_member) -> None:
    meeting = a_meeting(team_manager, [panel_member])
    panel_agenda_add(meeting=meeting, decision=waiting, actor=team_manager)
    with pytest.raises(TransitionRefused, match="already on the agenda of this meeting"):
        panel_agenda_add(meeting=meeting, decision=waiting, actor=panel_member)
    assert PanelAgendaItem.objects.count() == 1


@pytest.mark.parametrize("role", ["social_worker", "finance_lead", "service_user"])
def test_only_team_managers_and_panel_members_add_cases(
    request, role, waiting, team_manager, panel_member
) -> None:
    meeting = a_meeting(team_manager, [panel_member])
    with pytest.raises(PermissionDenied):
        panel_agenda_add(meeting=meeting, decision=waiting, actor=request.getfixturevalue(role))
    assert not PanelAgendaItem.objects.exists()


def test_only_a_case_waiting_for_panel_can_be_added(
    decision, social_worker, team_manager, panel_member
) -> None:
    """A case waiting for a manager (£5,600.00 is within a manager's £6,225.00) is not yet for
    panel."""
    meeting = a_meeting(team_manager, [panel_member])
    with pytest.raises(TransitionRefused, match="This case is: Indicative budget to agree"):
        panel_agenda_add(meeting=meeting, decision=decision, actor=team_manager)
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=560_000,
        reason_codes=[],
        reasons="Needs a check at night.",
    )
    with pytest.raises(TransitionRefused, match="This case is: Waiting for a manager"):
        panel_agenda_add(meeting=meeting, decision=decision, actor=team_manager)
    assert not PanelAgendaItem.objects.exists()


def test_a_manager_sending_a_case_to_panel_makes_it_ready_for_an_agenda(
    decision, social_worker, team_manager, panel_member
) -> None:
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
        action=Action.MANAGER_SEND_TO_PANEL,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="Unusual: the panel should see it.",
    )
    meeting = a_meeting(team_manager, [panel_member])
    assert panel_agenda_add(meeting=meeting, decision=decision, actor=team_manager).pk


def test_a_case_open_on_another_agenda_waits_until_that_panel_decides_or_defers(
    waiting, team_manager, panel_member, second_panel_member
) -> None:
    first = a_meeting(team_manager, [panel_member], days_ahead=1, title="First panel")
    second = a_meeting(team_manager, [second_panel_member], days_ahead=8, title="Second panel")
    panel_agenda_add(meeting=first, decision=waiting, actor=team_manager)
    with pytest.raises(TransitionRefused, match="already on the agenda of First panel"):
        panel_agenda_add(meeting=second, decision=waiting, actor=team_manager)

    decision_transition(
        decision_id=waiting.pk,
        action=Action.PANEL_DEFER,
        actor=panel_member,
        seen_state=State.AWAITING_PANEL,
        reasons="We need the occupational therapist's report.",
    )
    item = panel_agenda_add(meeting=second, decision=waiting, actor=team_manager)
    assert item.meeting == second
    assert PanelAgendaItem.objects.filter(decision=waiting).count() == 2


def test_a_meeting_held_before_today_takes_no_more_cases(
    waiting, team_manager, panel_member
) -> None:
    meeting = a_meeting(team_manager, [panel_member], days_ahead=0)
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=1)),
        pytest.raises(TransitionRefused, match="add the case to a meeting today or later"),
    ):
        panel_agenda_add(meeting=meeting, decision=waiting, actor=team_manager)
    assert not PanelAgendaItem.objects.exists()


def test_a_member_of_the_meeting_decides_and_the_agenda_records_the_outcome(
    waiting, team_manager, panel_member
) -> None:
    """The panel approves £6,800.00 a year instead of the £7,200.00 asked for."""
    meeting = a_meeting(team_manager, [panel_member])
    item = panel_agenda_add(meeting=meeting, decision=waiting, actor=team_manager)
    event = decision_transition(
        decision_id=waiting.pk,
        action=Action.PANEL_APPROVE_DIFFERENT,
        actor=panel_member,
        seen_state=State.AWAITING_PANEL,
        amount_pence=680_000,
        reasons="Night support three nights a week meets the need.",
    )
    item.refresh_from_db()
    waiting.refresh_from_db()
    assert item.outcome == event
    assert waiting.final_annual_pence == 680_000
    assert waiting.signed_off_by == panel_member

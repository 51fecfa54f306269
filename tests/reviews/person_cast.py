"""The person's side of the cast: Sam's daughter acts for Sam; another representative acts for
someone else. And short ways to move a decision to a state, through the one door."""

import pytest

from questionnaires.services import person_add_for_representative
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.people.models import Representation
from reviews.models import BudgetDecision, PanelAgendaItem, PanelMeeting
from reviews.services import decision_request_amount, decision_transition
from reviews.workflow import Action, State
from tests.conftest import make_user


@pytest.fixture
def sams_daughter(decision: BudgetDecision) -> User:
    daughter = make_user(Role.REPRESENTATIVE, "dana@example.org", "Dana Daughter")
    Representation.objects.create(
        person=decision.person, representative=daughter, relationship="my father"
    )
    return daughter


@pytest.fixture
def other_representative(representative: User) -> User:
    """Rita acts for Ida, not for Sam."""
    person_add_for_representative(
        representative=representative, full_name="Ida Represented", relationship="my mother"
    )
    return representative


def agree(decision: BudgetDecision, social_worker: User) -> None:
    decision_transition(
        decision_id=decision.pk,
        action=Action.AGREE,
        actor=social_worker,
        seen_state=State.INDICATIVE,
    )


def ask_for(decision: BudgetDecision, social_worker: User, amount_pence: int, **extra) -> None:
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=amount_pence,
        reason_codes=extra.get("reason_codes", ["night-support"]),
        reasons=extra.get("reasons", "Needs a check at night twice a week."),
    )


def put_on_agenda(
    decision: BudgetDecision, team_manager: User, panel_member: User, held_on: str
) -> PanelMeeting:
    meeting = PanelMeeting.objects.create(
        held_on=held_on, title="Resource panel", created_by=team_manager
    )
    meeting.members.add(panel_member)
    PanelAgendaItem.objects.create(meeting=meeting, decision=decision, added_by=team_manager)
    return meeting


def refreshed(decision: BudgetDecision) -> BudgetDecision:
    return BudgetDecision.objects.select_related("person", "reopened_assessment").get(
        pk=decision.pk
    )

"""Panel meetings and their agendas: the writes around the panel's decisions.

A team manager or a panel member arranges a meeting and chooses its members from the people who
hold the Panel member role; cases waiting for panel are put on a meeting's agenda. The panel's
decisions themselves go through the one door, `reviews.services.decision_transition`, which
checks that the actor is a member of the meeting and records the agenda item's outcome.
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ras.accounts.models import User
from ras.accounts.roles import Role
from reviews.models import BudgetDecision, PanelAgendaItem, PanelMeeting
from reviews.services import TransitionRefused
from reviews.workflow import State

# Who may arrange a meeting or put a case on an agenda; deciding is for the meeting's members.
ARRANGING_ROLES = (Role.TEAM_MANAGER, Role.PANEL_MEMBER)
TITLE_MAX_LENGTH = 200


def _check_arranger(actor: User, what: str) -> None:
    if not any(actor.has_role(role) for role in ARRANGING_ROLES):
        raise PermissionDenied(f"Only a team manager or a panel member can {what}.")


@transaction.atomic
def panel_meeting_create(
    *, held_on: datetime.date, title: str, member_ids: Sequence[int], actor: User
) -> PanelMeeting:
    """A panel meeting on `held_on` (today or later), with a title and its members.

    Every member must be an active user holding the Panel member role; the person arranging it
    sits on it only if they choose themselves. Raises PermissionDenied unless `actor` is a team
    manager or a panel member, and TransitionRefused with every problem found, in plain words.
    Nothing is saved when it raises.
    """
    _check_arranger(actor, "arrange a panel meeting")
    problems: list[str] = []
    title = title.strip()
    if not title:
        problems.append("Enter a title for the meeting")
    elif len(title) > TITLE_MAX_LENGTH:
        problems.append(f"The title must be {TITLE_MAX_LENGTH} characters or fewer")
    today = timezone.localdate()
    if held_on < today:
        problems.append(f"The meeting date must be today ({today:%-d %B %Y}) or later")
    wanted = set(member_ids)
    members = list(
        User.objects.filter(
            pk__in=wanted, is_active=True, groups__name=Role.PANEL_MEMBER.value
        ).distinct()
    )
    if not wanted:
        problems.append("Choose at least one panel member")
    elif len(members) != len(wanted):
        problems.append("Choose members from the list of panel members")
    if problems:
        raise TransitionRefused(problems)
    meeting = PanelMeeting.objects.create(held_on=held_on, title=title, created_by=actor)
    meeting.members.set(members)
    return meeting


@transaction.atomic
def panel_agenda_add(
    *, meeting: PanelMeeting, decision: BudgetDecision, actor: User
) -> PanelAgendaItem:
    """Puts a case waiting for panel on a meeting's agenda, once.

    Refused (TransitionRefused, with the reason) when the case is not waiting for panel, is
    already on this agenda, is still open on another meeting's agenda (it is decided or deferred
    there first), or the meeting was held before today. Raises PermissionDenied unless `actor` is
    a team manager or a panel member. Two people adding the same case at once make one item:
    the decision's row is locked while the checks run.
    """
    _check_arranger(actor, "add a case to a panel agenda")
    locked = BudgetDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.state != State.AWAITING_PANEL:
        raise TransitionRefused(
            [f"Only a case waiting for panel can be added. This case is: {locked.state_label}."]
        )
    if meeting.held_on < timezone.localdate():
        raise TransitionRefused(
            [
                f"That meeting was held on {meeting.held_on:%-d %B %Y}: add the case to a "
                "meeting today or later."
            ]
        )
    if PanelAgendaItem.objects.filter(meeting=meeting, decision=locked).exists():
        raise TransitionRefused(["This case is already on the agenda of this meeting."])
    elsewhere = (
        PanelAgendaItem.objects.filter(decision=locked, outcome=None)
        .select_related("meeting")
        .first()
    )
    if elsewhere is not None:
        raise TransitionRefused(
            [
                f"This case is already on the agenda of {elsewhere.meeting}: the panel decides "
                "or defers it there first."
            ]
        )
    return PanelAgendaItem.objects.create(meeting=meeting, decision=locked, added_by=actor)

"""Who may see which budget decisions, and which actions are open to them now.

Deny by default. Social workers and team managers see every decision (any worker may cover for a
colleague; managers approve across the team); panel members those on the agendas of the meetings
they sit on; the person and their representatives their own (reviews.person_selectors); anyone
else, finance leads and administrators included, none.

The actions open to someone are worked out from the workflow table, their roles and the decision,
never from a page or a request. The one door, `reviews.services.decision_transition`, still has
the last word: these lists only say what is worth offering.
"""

from django.db.models import Q, QuerySet

from ras.accounts.models import User
from ras.accounts.roles import Role
from reviews.authority import within_authority
from reviews.models import BudgetDecision, DelegatedAuthority, PanelAgendaItem
from reviews.person_selectors import acts_for, person_visibility
from reviews.services import ACTOR_ROLES
from reviews.workflow import WHO_MAY, Action, Actor, State, allowed_actions

SEE_EVERY_DECISION = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
DECISION_READERS = (
    Role.SERVICE_USER,
    Role.REPRESENTATIVE,
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.PANEL_MEMBER,
)
APPROVALS = (Action.MANAGER_APPROVE, Action.PANEL_APPROVE, Action.PANEL_APPROVE_DIFFERENT)


def decisions_visible_to(user: User) -> QuerySet[BudgetDecision]:
    """The decisions `user` may see, the latest change first."""
    decisions = BudgetDecision.objects.select_related(
        "person",
        "assessment",
        "reopened_assessment",
        "social_worker",
        "requested_by",
        "signed_off_by",
    ).order_by("-state_changed_at", "-pk")
    if not user.is_authenticated:
        return decisions.none()
    roles = set(user.roles)
    if roles & set(SEE_EVERY_DECISION):
        return decisions
    visible = person_visibility(user)
    if Role.PANEL_MEMBER in roles:
        visible |= Q(
            pk__in=PanelAgendaItem.objects.filter(meeting__members=user).values("decision")
        )
    return decisions.filter(visible)


def actions_open_to(decision: BudgetDecision, user: User) -> list[Action]:
    """The workflow actions `user` may take on `decision` now, in the order a page offers them.

    The move must be allowed from the decision's state and `user` must be the right kind of
    person for it: a social worker, a team manager, a member of a panel meeting with the case on
    its agenda and undecided, or the person or their representative. Also left out: approving
    one's own request, agreeing with no indicative budget, a manager approving beyond their
    delegated authority, confirming an emergency allocation twice, returning an assessment when
    there is none, and sending changed answers before they are submitted.
    """
    roles = set(user.roles)
    state = State(decision.state)
    return [
        action
        for action in allowed_actions(state)
        if _is_the_right_person(decision, action, user, roles)
        and _worth_offering(decision, action, user)
    ]


def _is_the_right_person(
    decision: BudgetDecision, action: Action, user: User, roles: set[Role]
) -> bool:
    who = WHO_MAY[action]
    if who is Actor.PERSON:
        return acts_for(user, decision.person)
    if ACTOR_ROLES[who] not in roles:
        return False
    if who is Actor.PANEL:
        return PanelAgendaItem.objects.filter(
            decision=decision, outcome=None, meeting__members=user
        ).exists()
    return True


def _worth_offering(decision: BudgetDecision, action: Action, user: User) -> bool:
    if action in APPROVALS and decision.requested_by_id == user.pk:
        return False
    if action is Action.AGREE:
        return decision.indicative_annual_pence is not None
    if action is Action.MANAGER_APPROVE:
        return _within_a_managers_authority(decision)
    if action is Action.CONFIRM_EMERGENCY:
        return decision.emergency_confirmed_at is None
    if action is Action.RETURN_TO_PERSON:
        return decision.assessment_id is not None
    if action is Action.RESUBMIT and decision.state == State.RETURNED:
        reopened = decision.reopened_assessment
        return reopened is not None and reopened.is_submitted
    return True


def _within_a_managers_authority(decision: BudgetDecision) -> bool:
    requested = decision.requested_annual_pence
    indicative = decision.indicative_annual_pence
    if requested is None or indicative is None:
        return True
    authority = DelegatedAuthority.objects.filter(role=Role.TEAM_MANAGER.value).first()
    return authority is None or within_authority(
        authority.limits, indicative_pence=indicative, final_pence=requested
    )

"""The budget decision workflow as data: which action may move a decision from which state.

Pure: no Django. `reviews.services.decision_transition` is the one door that performs a move; it
checks the move here, then the actor's role and delegated authority, then changes the state with a
compare-and-swap and records the event.
"""

from enum import StrEnum


class State(StrEnum):
    INDICATIVE = "indicative"
    AGREED = "agreed"
    VARIED = "varied"
    AWAITING_MANAGER = "awaiting_manager"
    AWAITING_PANEL = "awaiting_panel"
    DECLINED = "declined"
    RETURNED = "returned"
    CHALLENGED = "challenged"
    EMERGENCY = "emergency"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.INDICATIVE: "Indicative budget to agree",
    State.AGREED: "Agreed at the indicative budget",
    State.VARIED: "Agreed at a different amount",
    State.AWAITING_MANAGER: "Waiting for a manager",
    State.AWAITING_PANEL: "Waiting for panel",
    State.DECLINED: "Request declined",
    State.RETURNED: "Returned to the person to change answers",
    State.CHALLENGED: "The person asked for a review",
    State.EMERGENCY: "Emergency allocation",
}


class Action(StrEnum):
    AGREE = "agree"
    VARY = "vary"  # within the worker's own authority
    REFER_TO_MANAGER = "refer_to_manager"
    REFER_TO_PANEL = "refer_to_panel"
    RETURN_TO_PERSON = "return_to_person"
    RESUBMIT = "resubmit"
    MANAGER_APPROVE = "manager_approve"
    MANAGER_DECLINE = "manager_decline"
    MANAGER_SEND_TO_PANEL = "manager_send_to_panel"
    MANAGER_RETURN = "manager_return"
    PANEL_APPROVE = "panel_approve"
    PANEL_APPROVE_DIFFERENT = "panel_approve_different"
    PANEL_DECLINE = "panel_decline"
    PANEL_DEFER = "panel_defer"
    CHALLENGE = "challenge"
    CONFIRM_EMERGENCY = "confirm_emergency"
    START_REVIEW = "start_review"
    RECORD_EMERGENCY = "record_emergency"


class Actor(StrEnum):
    """Who may take an action: a kind of person, mapped to roles by the service."""

    WORKER = "social worker"
    MANAGER = "team manager"
    PANEL = "panel member"
    PERSON = "the person or their representative"


# States in which the social worker holds the case and decides what happens next.
WORKER_STATES = (State.INDICATIVE, State.DECLINED, State.CHALLENGED)
FINAL_STATES = (State.AGREED, State.VARIED)

MOVES: dict[tuple[State, Action], State] = {
    **{(state, Action.AGREE): State.AGREED for state in WORKER_STATES},
    **{(state, Action.VARY): State.VARIED for state in WORKER_STATES},
    **{(state, Action.REFER_TO_MANAGER): State.AWAITING_MANAGER for state in WORKER_STATES},
    **{(state, Action.REFER_TO_PANEL): State.AWAITING_PANEL for state in WORKER_STATES},
    **{(state, Action.RETURN_TO_PERSON): State.RETURNED for state in WORKER_STATES},
    (State.RETURNED, Action.RESUBMIT): State.INDICATIVE,
    (State.AWAITING_MANAGER, Action.MANAGER_APPROVE): State.VARIED,
    (State.AWAITING_MANAGER, Action.MANAGER_DECLINE): State.DECLINED,
    (State.AWAITING_MANAGER, Action.MANAGER_SEND_TO_PANEL): State.AWAITING_PANEL,
    (State.AWAITING_MANAGER, Action.MANAGER_RETURN): State.INDICATIVE,
    (State.AWAITING_PANEL, Action.PANEL_APPROVE): State.VARIED,
    (State.AWAITING_PANEL, Action.PANEL_APPROVE_DIFFERENT): State.VARIED,
    (State.AWAITING_PANEL, Action.PANEL_DECLINE): State.DECLINED,
    (State.AWAITING_PANEL, Action.PANEL_DEFER): State.AWAITING_PANEL,
    (State.AGREED, Action.CHALLENGE): State.CHALLENGED,
    (State.VARIED, Action.CHALLENGE): State.CHALLENGED,
    (State.DECLINED, Action.CHALLENGE): State.CHALLENGED,
    (State.EMERGENCY, Action.CONFIRM_EMERGENCY): State.EMERGENCY,
    (State.EMERGENCY, Action.RESUBMIT): State.INDICATIVE,
    (State.AGREED, Action.START_REVIEW): State.INDICATIVE,
    (State.VARIED, Action.START_REVIEW): State.INDICATIVE,
}

WHO_MAY: dict[Action, Actor] = {
    Action.AGREE: Actor.WORKER,
    Action.VARY: Actor.WORKER,
    Action.REFER_TO_MANAGER: Actor.WORKER,
    Action.REFER_TO_PANEL: Actor.WORKER,
    Action.RETURN_TO_PERSON: Actor.WORKER,
    Action.RESUBMIT: Actor.PERSON,
    Action.MANAGER_APPROVE: Actor.MANAGER,
    Action.MANAGER_DECLINE: Actor.MANAGER,
    Action.MANAGER_SEND_TO_PANEL: Actor.MANAGER,
    Action.MANAGER_RETURN: Actor.MANAGER,
    Action.PANEL_APPROVE: Actor.PANEL,
    Action.PANEL_APPROVE_DIFFERENT: Actor.PANEL,
    Action.PANEL_DECLINE: Actor.PANEL,
    Action.PANEL_DEFER: Actor.PANEL,
    Action.CHALLENGE: Actor.PERSON,
    Action.CONFIRM_EMERGENCY: Actor.MANAGER,
    Action.START_REVIEW: Actor.WORKER,
    Action.RECORD_EMERGENCY: Actor.WORKER,
}

# Actions that set the final budget, and so need a named person's sign-off and an amount.
SIGN_OFF_ACTIONS = frozenset(
    {
        Action.AGREE,
        Action.VARY,
        Action.MANAGER_APPROVE,
        Action.PANEL_APPROVE,
        Action.PANEL_APPROVE_DIFFERENT,
    }
)
# Actions whose reasons must be written down (every refusal and every change of amount).
REASONS_REQUIRED = frozenset(Action) - {
    Action.AGREE,
    Action.RESUBMIT,
    Action.START_REVIEW,
    Action.CONFIRM_EMERGENCY,
}


def next_state(state: State, action: Action) -> State | None:
    """The state `action` leads to from `state`, or None when the move is not allowed."""
    return MOVES.get((state, action))


def allowed_actions(state: State) -> list[Action]:
    """The actions allowed from `state`, in the order a page should offer them."""
    return [action for (from_state, action) in MOVES if from_state == state]

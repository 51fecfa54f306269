"""The workflow table on its own: every allowed move, and every other move refused."""

import itertools

import pytest

from reviews.authority import Limits, within_authority
from reviews.workflow import MOVES, WHO_MAY, Action, State, allowed_actions, next_state


@pytest.mark.parametrize(("state", "action"), list(itertools.product(State, Action)))
def test_a_move_is_allowed_only_if_the_table_lists_it(state: State, action: Action) -> None:
    assert next_state(state, action) == MOVES.get((state, action))


def test_every_action_names_who_may_take_it() -> None:
    assert set(WHO_MAY) == set(Action)


def test_a_final_budget_can_only_be_challenged_or_reviewed() -> None:
    assert set(allowed_actions(State.AGREED)) == {Action.CHALLENGE, Action.START_REVIEW}


def test_nothing_leaves_awaiting_panel_but_a_panel_decision() -> None:
    assert {a.value.split("_")[0] for a in allowed_actions(State.AWAITING_PANEL)} == {"panel"}


SOCIAL_WORKER = Limits(
    max_increase_bp=1_000, max_increase_pence=200_000, reduction_needs_manager=True
)


@pytest.mark.parametrize(
    ("final_pence", "within"),
    [
        (498_000, True),  # no change
        (547_800, True),  # +£498.00: exactly 10% of £4,980.00
        (547_801, False),  # a penny over 10%
        (400_000, False),  # a reduction needs a manager
    ],
)
def test_the_percentage_limit_holds_at_its_boundary(final_pence: int, within: bool) -> None:
    assert (
        within_authority(SOCIAL_WORKER, indicative_pence=498_000, final_pence=final_pence) is within
    )


@pytest.mark.parametrize(
    ("final_pence", "within"),
    [
        (3_200_000, True),  # +£2,000.00 on £30,000.00: exactly the amount limit (6.7%)
        (3_200_001, False),  # a penny over £2,000
    ],
)
def test_the_amount_limit_holds_at_its_boundary(final_pence: int, within: bool) -> None:
    assert (
        within_authority(SOCIAL_WORKER, indicative_pence=3_000_000, final_pence=final_pence)
        is within
    )

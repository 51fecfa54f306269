"""What the person pays towards a final budget of £4,980.00 a year (tests/reviews/conftest.py)."""

import pytest
from django.core.exceptions import PermissionDenied

from reviews.contribution_services import decision_set_contribution
from reviews.models import BudgetDecision, DecisionEvent
from reviews.services import TransitionRefused, decision_transition
from reviews.workflow import Action, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(decision, social_worker) -> BudgetDecision:
    decision_transition(
        decision_id=decision.pk,
        action=Action.AGREE,
        actor=social_worker,
        seen_state=State.INDICATIVE,
    )
    return BudgetDecision.objects.get(pk=decision.pk)


def contribution_of(decision: BudgetDecision) -> int | None:
    return BudgetDecision.objects.get(pk=decision.pk).contribution_annual_pence


def test_a_contribution_splits_the_final_budget(agreed, social_worker) -> None:
    """£1,200.00 paid by the person of £4,980.00: the council pays £3,780.00."""
    decided = decision_set_contribution(
        decision_id=agreed.pk, actor=social_worker, contribution_pence=120_000
    )
    assert decided.contribution_annual_pence == 120_000
    assert BudgetDecision.objects.get(pk=agreed.pk).council_pays_annual_pence == 378_000


def test_a_contribution_records_no_workflow_event_and_keeps_the_state(agreed, team_manager):
    decision_set_contribution(decision_id=agreed.pk, actor=team_manager, contribution_pence=0)
    assert contribution_of(agreed) == 0
    assert BudgetDecision.objects.get(pk=agreed.pk).state == State.AGREED
    assert DecisionEvent.objects.filter(decision=agreed).count() == 1


@pytest.mark.parametrize("pence", [0, 498_000])
def test_a_contribution_may_be_nothing_or_the_whole_budget(agreed, social_worker, pence) -> None:
    decision_set_contribution(decision_id=agreed.pk, actor=social_worker, contribution_pence=pence)
    assert contribution_of(agreed) == pence


@pytest.mark.parametrize(
    ("pence", "message"),
    [(-1, "£0.00 or more"), (498_001, "more than the final budget of £4,980.00")],
)
def test_a_contribution_out_of_range_is_refused(agreed, social_worker, pence, message) -> None:
    with pytest.raises(TransitionRefused, match=message):
        decision_set_contribution(
            decision_id=agreed.pk, actor=social_worker, contribution_pence=pence
        )
    assert contribution_of(agreed) is None


def test_there_is_no_contribution_without_a_final_budget(decision, social_worker) -> None:
    with pytest.raises(TransitionRefused, match="no final budget yet"):
        decision_set_contribution(
            decision_id=decision.pk, actor=social_worker, contribution_pence=1
        )
    assert contribution_of(decision) is None


@pytest.mark.parametrize("role", ["finance_lead", "panel_member", "service_user"])
def test_only_social_workers_and_managers_enter_a_contribution(request, agreed, role) -> None:
    with pytest.raises(PermissionDenied):
        decision_set_contribution(
            decision_id=agreed.pk, actor=request.getfixturevalue(role), contribution_pence=100
        )
    assert contribution_of(agreed) is None


def test_a_final_budget_that_changed_meanwhile_refuses_the_contribution(
    agreed, social_worker, monkeypatch
) -> None:
    """The budget is read at £4,980.00, then someone else's sign-off makes it £4,000.00 before
    the write: £4,500.00 would now be more than the budget, so nothing is written."""
    real_get = BudgetDecision.objects.get

    def read_then_change(*args, **kwargs):
        found = real_get(*args, **kwargs)
        BudgetDecision.objects.filter(pk=found.pk).update(final_annual_pence=400_000)
        return found

    monkeypatch.setattr(BudgetDecision.objects, "get", read_then_change)
    with pytest.raises(TransitionRefused, match="changed while you were entering"):
        decision_set_contribution(
            decision_id=agreed.pk, actor=social_worker, contribution_pence=450_000
        )
    assert contribution_of(agreed) is None

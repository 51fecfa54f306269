"""What the person pays towards a final budget, from the council's separate financial assessment.

The contribution is not a workflow move: it does not change the decision's state and records no
DecisionEvent. It is written with a compare-and-swap on the final amount it was checked against,
so it can never end up larger than the budget it belongs to.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from allocations.engine import format_pounds
from ras.accounts.models import User
from ras.accounts.roles import Role
from reviews.models import BudgetDecision
from reviews.services import TransitionRefused

CONTRIBUTION_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)


@transaction.atomic
def decision_set_contribution(
    *, decision_id: int, actor: User, contribution_pence: int
) -> BudgetDecision:
    """Sets what the person pays a year, in pence, towards the decision's final budget.

    0 <= contribution <= final budget. Raises PermissionDenied unless `actor` is a social worker
    or a team manager, BudgetDecision.DoesNotExist for an unknown decision, and TransitionRefused
    when there is no final budget yet, the amount is out of range, or the final budget changed
    while the amount was being checked. Nothing changes when it raises.
    """
    if not any(actor.has_role(role) for role in CONTRIBUTION_ROLES):
        raise PermissionDenied("Only a social worker or a team manager can enter a contribution.")
    decision = BudgetDecision.objects.get(pk=decision_id)
    final = decision.final_annual_pence
    if final is None:
        raise TransitionRefused(["There is no final budget yet, so there is nothing to pay into."])
    if contribution_pence < 0:
        raise TransitionRefused(["Enter a contribution of £0.00 or more"])
    if contribution_pence > final:
        raise TransitionRefused(
            [f"The contribution cannot be more than the final budget of {format_pounds(final)}"]
        )
    updated = BudgetDecision.objects.filter(pk=decision_id, final_annual_pence=final).update(
        contribution_annual_pence=contribution_pence
    )
    if not updated:
        raise TransitionRefused(
            ["The final budget changed while you were entering the contribution: check it again."]
        )
    decision.contribution_annual_pence = contribution_pence
    return decision

"""What every case page needs: the signed-in user, the decision, and how a refusal is shown."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

from ras.accounts.models import User
from ras.accounts.roles import Role
from reviews.access_selectors import decisions_visible_to
from reviews.models import BudgetDecision
from reviews.selectors import decision_for_page
from reviews.services import MoveNotAllowed

# Who may open a case page; acting on a case is narrower (see reviews.selectors.case_actions).
CASE_VIEW_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PANEL_MEMBER)
CASELOAD_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)


def signed_in_user(request: HttpRequest) -> User:
    # role_required lets signed-in users alone through.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def decision_or_404(decision_id: int, user: User) -> BudgetDecision:
    """The case, if `user` may see it (`decisions_visible_to`): a panel member sees only the
    cases on their meetings' agendas. Any other case is "not found", so its existence is not
    revealed."""
    if not decisions_visible_to(user).filter(pk=decision_id).exists():
        raise Http404("No such case")
    try:
        return decision_for_page(decision_id)
    except BudgetDecision.DoesNotExist as missing:
        raise Http404("No such case") from missing


def case_redirect(decision_id: int) -> HttpResponseRedirect:
    return redirect("cases:detail", decision_id=decision_id)


def someone_decided_first(
    request: HttpRequest, decision_id: int, refusal: MoveNotAllowed
) -> HttpResponseRedirect:
    """The fresh case page, saying who decided first and what the case is now."""
    messages.warning(request, " ".join(refusal.messages))
    return case_redirect(decision_id)


def not_offered(request: HttpRequest, decision: BudgetDecision, what: str) -> HttpResponseRedirect:
    """Back to the case page when an action is not possible in the case's state."""
    messages.warning(request, f"You cannot {what} now. The case is: {decision.state_label}.")
    return case_redirect(decision.pk)

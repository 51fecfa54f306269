"""The person's pages: "Your care and support budget", mounted at /your-budget/.

For service users and representatives only (deny by default). Staff have their own case pages and
get 403 here; a decision that is not about the user or someone they act for answers 404, for each
page and action, as if it did not exist. Each action is a small form that calls one service with
the state the page showed, so a decision that moved in the meantime is never acted on blindly.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.audit.models import AccessKind
from ras.audit.recording import records_access
from reviews.audit_subjects import decision_subject
from reviews.models import BudgetDecision
from reviews.person_forms import OUT_OF_DATE, ChallengeForm, SendChangedAnswersForm
from reviews.person_selectors import (
    PERSON_ROLES,
    budgets_by_person,
    decision_for_person,
    decision_title,
    final_amount,
    person_actions,
    person_timeline,
    state_in_plain_words,
)
from reviews.selectors import support_plan
from reviews.services import MoveNotAllowed, TransitionRefused, decision_transition
from reviews.workflow import Action, State

person_page = role_required(*PERSON_ROLES)
# States in which an amount asked for is still the question (waiting, or turned down).
REQUEST_STATES = (State.AWAITING_MANAGER, State.AWAITING_PANEL, State.DECLINED)


def _user(request: HttpRequest) -> User:
    # role_required lets signed-in users alone through.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _decision_or_404(user: User, decision_id: int) -> BudgetDecision:
    try:
        return decision_for_person(user, decision_id)
    except BudgetDecision.DoesNotExist as missing:
        raise Http404("No such budget decision") from missing


def _is_you(decision: BudgetDecision, user: User) -> bool:
    return decision.person.user_id == user.pk


def _decision_redirect(decision_id: int) -> HttpResponseRedirect:
    return redirect("your-budget:decision", decision_id=decision_id)


def _changed_meanwhile(
    request: HttpRequest, decision: BudgetDecision, user: User
) -> HttpResponseRedirect:
    """The fresh decision page, saying the decision moved before the request reached us."""
    fresh = _decision_or_404(user, decision.pk)
    now = state_in_plain_words(fresh, is_you=_is_you(fresh, user), today=timezone.localdate())
    messages.warning(
        request,
        f"The decision changed before your request reached us, so nothing was sent. "
        f"Where it is now: {now.headline}.",
    )
    return _decision_redirect(decision.pk)


@person_page
def budgets(request: HttpRequest) -> HttpResponse:
    """Every budget decision about the user, and a section for each person they act for."""
    user = _user(request)
    sections = budgets_by_person(user, today=timezone.localdate())
    return render(
        request,
        "reviews/person/budgets.html",
        {
            "sections": sections,
            "only_for_others": bool(sections) and not any(s.is_you for s in sections),
            "start_url": reverse("saq:start"),
        },
    )


@records_access(AccessKind.BUDGET, subjects=decision_subject)
@person_page
def decision_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Where the budget is and what happens next, the money, and every decision with its
    reasons; with the actions open to the person now."""
    user = _user(request)
    decision = _decision_or_404(user, decision_id)
    is_you = _is_you(decision, user)
    actions = person_actions(decision)
    assessment = decision.assessment
    reopened = decision.reopened_assessment
    return render(
        request,
        "reviews/person/decision.html",
        {
            "decision": decision,
            "is_you": is_you,
            "title": decision_title(decision),
            "plain": state_in_plain_words(decision, is_you=is_you, today=timezone.localdate()),
            "final": final_amount(decision),
            "timeline": person_timeline(decision, user),
            "plan_lines": support_plan(decision),
            "requested_pence": (
                decision.requested_annual_pence if decision.state in REQUEST_STATES else None
            ),
            "actions": actions,
            "explanation_url": (
                reverse(
                    "assessment-budget:confirmation", kwargs={"public_id": assessment.public_id}
                )
                if assessment is not None and decision.indicative_annual_pence is not None
                else None
            ),
            "continue_url": (
                reverse("saq:resume", kwargs={"public_id": reopened.public_id})
                if actions.continue_answers and reopened is not None
                else None
            ),
            "send_form": SendChangedAnswersForm(initial={"seen_state": decision.state}),
        },
    )


@records_access(AccessKind.BUDGET, subjects=decision_subject)
@person_page
def challenge(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Ask us to look again at a final or declined decision, with the person's reasons: the case
    goes back to a social worker."""
    user = _user(request)
    decision = _decision_or_404(user, decision_id)
    is_you = _is_you(decision, user)
    if request.method != "POST" and not person_actions(decision).challenge:
        plain = state_in_plain_words(decision, is_you=is_you, today=timezone.localdate())
        messages.warning(
            request,
            f"You cannot ask us to look again at this decision now. Where it is: {plain.headline}.",
        )
        return _decision_redirect(decision.pk)
    form = ChallengeForm(
        request.POST if request.method == "POST" else None,
        initial={"seen_state": decision.state},
    )
    if form.is_bound and form.is_valid():
        try:
            decision_transition(
                decision_id=decision.pk,
                action=Action.CHALLENGE,
                actor=user,
                seen_state=form.seen(),
                reasons=form.cleaned_data["reasons"],
            )
        except MoveNotAllowed:
            return _changed_meanwhile(request, decision, user)
        except TransitionRefused as refusal:
            form.add_error("reasons", refusal.messages)
        else:
            messages.success(
                request,
                "We have your request to look again at the decision. A social worker will look "
                "at the budget again and get in touch.",
            )
            return _decision_redirect(decision.pk)
    return render(
        request,
        "reviews/person/challenge.html",
        {"decision": decision, "is_you": is_you, "title": decision_title(decision), "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@records_access(AccessKind.BUDGET, subjects=decision_subject)
@person_page
@require_POST
def send_changed_answers(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Sends the changed answers of a returned assessment to the social worker: the decision
    takes the new assessment and its indicative budget."""
    user = _user(request)
    decision = _decision_or_404(user, decision_id)
    form = SendChangedAnswersForm(request.POST)
    if not form.is_valid():
        messages.warning(request, OUT_OF_DATE)
        return _decision_redirect(decision.pk)
    try:
        decision_transition(
            decision_id=decision.pk,
            action=Action.RESUBMIT,
            actor=user,
            seen_state=form.seen(),
        )
    except MoveNotAllowed:
        return _changed_meanwhile(request, decision, user)
    except TransitionRefused as refusal:
        messages.warning(request, " ".join(refusal.messages))
        return _decision_redirect(decision.pk)
    messages.success(
        request,
        "The changed answers are with the social worker. They will look at the new budget and "
        "get in touch.",
    )
    return _decision_redirect(decision.pk)

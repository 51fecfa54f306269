"""Review tasks from a new table, mounted at /proposals/.

Finance leads pick a completed run of a published table and a threshold, see how many cases would
get a task, then confirm. Social workers see the open tasks, their own cases first, and either
keep the current budget (with reasons) or start a review. Any social worker may act, covering for
a colleague. Everyone else gets 403; anyone signed out is sent to sign in.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from allocations.engine import format_pounds
from allocations.models import RecalculationRun
from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.audit.models import AccessKind
from ras.audit.recording import records_access
from reviews.audit_subjects import proposal_subject
from reviews.models import BudgetProposal
from reviews.proposal_forms import (
    DEFAULT_THRESHOLD_POUNDS,
    KeepForm,
    StartReviewForm,
    ThresholdForm,
)
from reviews.proposal_selectors import (
    open_proposal_counts,
    open_proposals,
    proposal_for_page,
    proposal_preview,
    proposal_runs,
    run_for_proposals,
    run_proposal_counts,
    run_refusals,
)
from reviews.proposal_services import (
    ProposalAlreadyResolved,
    ProposalRefused,
    proposal_keep,
    proposal_start_review,
    proposals_create,
)
from reviews.services import MoveNotAllowed, TransitionRefused

PAGE_SIZE = 50
RUN_LIST_LIMIT = 50


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _run_or_404(run_id: int) -> RecalculationRun:
    try:
        return run_for_proposals(run_id)
    except RecalculationRun.DoesNotExist as missing:
        raise Http404("No such run") from missing


def _proposal_or_404(proposal_id: int) -> BudgetProposal:
    try:
        return proposal_for_page(proposal_id)
    except BudgetProposal.DoesNotExist as missing:
        raise Http404("No such review task") from missing


def _run_url(run_id: int) -> str:
    """The run's own page."""
    return reverse("recalculations:detail", kwargs={"pk": run_id})


def _error_links(form: ThresholdForm | KeepForm) -> list[dict[str, str]]:
    return [
        {"href": f"#{field.auto_id}", "message": str(error)}
        for field in form
        for error in field.errors
    ]


# Finance leads


@require_GET
@role_required(Role.FINANCE_LEAD)
def runs(request: HttpRequest) -> HttpResponse:
    """Completed runs of published tables, the newest first, each with the tasks it made."""
    return render(
        request,
        "reviews/proposals/runs.html",
        {"runs": list(proposal_runs()[:RUN_LIST_LIMIT])},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(Role.FINANCE_LEAD)
def create(request: HttpRequest, run_id: int) -> HttpResponse:
    """A threshold, how many cases it would give a task (counted before anything is made), and
    the button that makes them. A run that cannot make tasks says why."""
    run = _run_or_404(run_id)
    refusals = run_refusals(run)
    context: dict[str, Any] = {
        "run": run,
        "counts": run_proposal_counts(run),
        "run_url": _run_url(run.pk),
    }
    if refusals:
        return render(
            request,
            "reviews/proposals/create.html",
            {**context, "refusals": refusals},
            status=409,
        )
    if request.method == "POST":
        form = ThresholdForm(request.POST)
        if form.is_valid():
            threshold: int = form.cleaned_data["threshold"]
            try:
                created = proposals_create(run=run, actor=_user(request), threshold_pence=threshold)
            except ProposalRefused as refused:
                return render(
                    request,
                    "reviews/proposals/create.html",
                    {**context, "refusals": refused.messages},
                    status=409,
                )
            if created:
                messages.success(
                    request,
                    f"{created:,} review task{'' if created == 1 else 's'} made. Social workers "
                    "see them in their list of review tasks.",
                )
            else:
                messages.info(
                    request,
                    "No new review tasks: every case over the threshold already has one.",
                )
            query = urlencode({"threshold": form.data.get("threshold", "")})
            return redirect(f"{reverse('proposals:create', args=[run.pk])}?{query}")
    else:
        form = ThresholdForm({"threshold": request.GET.get("threshold", DEFAULT_THRESHOLD_POUNDS)})
    preview = None
    if form.is_valid():
        preview = proposal_preview(run=run, threshold_pence=form.cleaned_data["threshold"])
    error_links = _error_links(form)
    return render(
        request,
        "reviews/proposals/create.html",
        {**context, "form": form, "preview": preview, "error_links": error_links},
        status=400 if error_links else 200,
    )


# Social workers


@records_access(AccessKind.LIST)
@require_GET
@role_required(Role.SOCIAL_WORKER)
def task_list(request: HttpRequest) -> HttpResponse:
    """Every open review task, the worker's own cases first, then the largest changes."""
    user = _user(request)
    total, mine = open_proposal_counts(user)
    page = Paginator(open_proposals(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/proposals/list.html",
        {"page": page, "total": total, "mine": mine, "user_pk": user.pk},
    )


@records_access(AccessKind.CASE, subjects=proposal_subject)
@never_cache
@require_http_methods(["GET", "POST"])
@role_required(Role.SOCIAL_WORKER)
def keep(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Keep the current budget, with the reasons why; the task is then resolved."""
    user = _user(request)
    proposal = _proposal_or_404(proposal_id)
    if proposal.resolved_at is not None:
        return _resolved_already(request, proposal)
    form = KeepForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            proposal_keep(proposal=proposal, actor=user, reasons=form.cleaned_data["reasons"])
        except ProposalAlreadyResolved as refused:
            messages.warning(request, " ".join(refused.messages))
            return redirect("proposals:list")
        except ProposalRefused as refused:
            for message in refused.messages:
                form.add_error("reasons", message)
        else:
            messages.success(
                request,
                f"You kept {proposal.decision.person}’s current budget of "
                f"{format_pounds(proposal.current_annual_pence)} a year.",
            )
            return redirect("proposals:list")
    error_links = _error_links(form)
    difference = proposal.proposed_annual_pence - proposal.current_annual_pence
    return render(
        request,
        "reviews/proposals/keep.html",
        {
            "proposal": proposal,
            "form": form,
            "error_links": error_links,
            "covering": proposal.decision.social_worker_id not in (None, user.pk),
            "change_size_pence": abs(difference),
            "going_up": difference > 0,
        },
        status=400 if error_links else 200,
    )


@records_access(AccessKind.CASE, subjects=proposal_subject)
@require_POST
@role_required(Role.SOCIAL_WORKER)
def start_review(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """Starts a review of the case and resolves the task; the worker lands on the case page."""
    user = _user(request)
    proposal = _proposal_or_404(proposal_id)
    form = StartReviewForm(request.POST)
    if not form.is_valid():
        messages.warning(request, "The list was out of date: nothing was changed. Try again.")
        return redirect("proposals:list")
    try:
        proposal_start_review(proposal=proposal, actor=user, seen_state=form.seen())
    except MoveNotAllowed as refused:
        messages.warning(
            request,
            f"A review of {proposal.decision.person}’s budget could not be started. "
            + " ".join(refused.messages),
        )
        return redirect("proposals:list")
    except TransitionRefused as refused:
        messages.warning(request, " ".join(refused.messages))
        return redirect("proposals:list")
    messages.success(
        request,
        "You started a review. The current budget stays in place until you agree, vary or "
        "return it.",
    )
    return redirect("cases:detail", decision_id=proposal.decision_id)


def _resolved_already(request: HttpRequest, proposal: BudgetProposal) -> HttpResponseRedirect:
    how = "kept the current budget" if proposal.resolution == "kept" else "started a review"
    messages.info(request, f"{proposal.resolved_by} already {how} for {proposal.decision.person}.")
    return redirect("proposals:list")

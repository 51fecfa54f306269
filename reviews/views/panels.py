"""Panel meetings: the list with the cases waiting for panel, arranging a meeting, the meeting
page with each case's papers and the decision forms, putting cases on the agenda, and the minutes.

Panel members and team managers may see every page; only the members of a meeting record its
decisions, and its minutes are for its members and team managers. Everyone else gets 403, and
anonymous visitors are sent to sign in.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from allocations.engine import format_pounds
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.audit.models import AccessKind
from ras.audit.recording import records_access
from reviews.audit_subjects import meeting_subjects
from reviews.manager_forms import (
    AgendaAddForm,
    MeetingForm,
    PanelDecisionForm,
    PanelDifferentAmountForm,
)
from reviews.minutes import meeting_minutes_pdf, minutes_file_name
from reviews.models import BudgetDecision, DecisionEvent, PanelAgendaItem, PanelMeeting
from reviews.panel_selectors import (
    AgendaCase,
    case_name,
    cases_to_add,
    may_read_minutes,
    meeting_agenda,
    meetings_list,
    panel_members,
    waiting_for_panel,
)
from reviews.panel_services import panel_agenda_add, panel_meeting_create
from reviews.services import (
    DecidedFirst,
    MoveNotAllowed,
    TransitionRefused,
    decision_transition,
)
from reviews.views.managers import case_page_url, current_user, refused
from reviews.workflow import Action

PANEL_ROLES = (Role.PANEL_MEMBER, Role.TEAM_MANAGER)
Form = PanelDecisionForm | PanelDifferentAmountForm


@dataclass(frozen=True, slots=True)
class Step:
    slug: str
    action: Action
    verb: str
    done: str  # "{amount}" and "{case}" are filled in


STEPS: dict[str, Step] = {
    step.slug: step
    for step in (
        Step(
            "approve",
            Action.PANEL_APPROVE,
            "approve the amount asked for",
            "The panel approved {amount} a year for {case}. It is the final budget, signed "
            "off in your name.",
        ),
        Step(
            "approve-different",
            Action.PANEL_APPROVE_DIFFERENT,
            "approve a different amount",
            "The panel approved {amount} a year for {case}. It is the final budget, signed "
            "off in your name.",
        ),
        Step(
            "decline",
            Action.PANEL_DECLINE,
            "decline the request",
            "The panel declined the request for {case}. The case is back with the social worker.",
        ),
        Step(
            "defer",
            Action.PANEL_DEFER,
            "defer the decision",
            "The panel deferred {case}. It waits for panel again, to be put on a later "
            "meeting’s agenda.",
        ),
    )
}


def _decision_form(step: Step, case: AgendaCase, data: Any = None) -> Form:
    prefix = f"case-{case.item.pk}-{step.slug}"
    initial = {"seen_state": case.papers.decision.state}
    if step.action is Action.PANEL_APPROVE_DIFFERENT:
        return PanelDifferentAmountForm(
            data,
            initial=initial,
            prefix=prefix,
            requested_pence=case.papers.decision.requested_annual_pence,
        )
    return PanelDecisionForm(data, initial=initial, prefix=prefix)


@dataclass(slots=True)
class CaseOnPage:
    """A case on the meeting page with the decision forms its viewer may use."""

    case: AgendaCase
    case_url: str
    forms: dict[str, Form] = field(default_factory=dict)

    @property
    def approve(self) -> Form | None:
        return self.forms.get("approve")

    @property
    def approve_different(self) -> Form | None:
        return self.forms.get("approve-different")

    @property
    def decline(self) -> Form | None:
        return self.forms.get("decline")

    @property
    def defer(self) -> Form | None:
        return self.forms.get("defer")


def _meeting_or_404(meeting_id: int) -> PanelMeeting:
    return get_object_or_404(PanelMeeting.objects.select_related("created_by"), pk=meeting_id)


def _meeting_page(
    request: HttpRequest,
    meeting: PanelMeeting,
    *,
    failed_item: int | None = None,
    failed_step: Step | None = None,
    failed_form: Form | None = None,
    add_form: AgendaAddForm | None = None,
) -> HttpResponse:
    user = current_user(request)
    today = timezone.localdate()
    agenda = meeting_agenda(meeting, today=today)
    is_member = agenda.is_member(user)
    cases = []
    for case in agenda.cases:
        on_page = CaseOnPage(case=case, case_url=case_page_url(case.papers.decision.pk))
        if is_member and case.is_open:
            on_page.forms = {slug: _decision_form(step, case) for slug, step in STEPS.items()}
        if failed_step is not None and failed_form is not None and case.item.pk == failed_item:
            on_page.forms[failed_step.slug] = failed_form
        cases.append(on_page)
    addable = cases_to_add(meeting, today=today)
    if add_form is None and addable:
        add_form = AgendaAddForm()
    error_form = failed_form if failed_form is not None else add_form
    has_errors = error_form is not None and error_form.is_bound and bool(error_form.errors)
    return render(
        request,
        "reviews/panels/meeting.html",
        {
            "meeting": meeting,
            "agenda": agenda,
            "cases": cases,
            "is_member": is_member,
            "addable": addable,
            "add_form": add_form,
            "error_form": error_form if has_errors else None,
            "error_first_field": _first_field_id(error_form) if has_errors else "",
            "may_read_minutes": may_read_minutes(meeting, user),
            "today": today,
        },
        status=400 if has_errors else 200,
    )


def _first_field_id(form: Any) -> str:
    for bound in form:
        if not bound.is_hidden:
            return str(bound.auto_id)
    return "main-content"


@records_access(AccessKind.LIST)
@role_required(*PANEL_ROLES)
def meetings_page(request: HttpRequest) -> HttpResponse:
    """Upcoming and past meetings, and the cases waiting for panel with how long each has
    waited; the count waiting and the longest current wait."""
    today = timezone.localdate()
    upcoming, past = meetings_list(today=today)
    waiting = waiting_for_panel(today=today)
    return render(
        request,
        "reviews/panels/meetings.html",
        {
            "upcoming": upcoming,
            "past": past,
            "waiting": waiting,
            "longest_wait": max(waiting, key=lambda case: case.waited_days, default=None),
            "today": today,
        },
    )


@role_required(*PANEL_ROLES)
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Arranges a meeting: its date, a title and members chosen from the panel members."""
    user = current_user(request)
    candidates = list(panel_members())
    form = MeetingForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if form.is_bound and form.is_valid():
        try:
            meeting = panel_meeting_create(
                held_on=form.cleaned_data["held_on"],
                title=form.cleaned_data["title"],
                member_ids=form.member_ids(),
                actor=user,
            )
        except TransitionRefused as refusal:
            form.add_error(None, refusal.messages)
        else:
            messages.success(request, f"You arranged {meeting}. Now add the cases to its agenda.")
            return redirect("panels:meeting", meeting_id=meeting.pk)
    return render(
        request,
        "reviews/panels/meeting_new.html",
        {"form": form, "candidates": candidates},
        status=400 if form.is_bound and form.errors else 200,
    )


@records_access(AccessKind.CASE, subjects=meeting_subjects)
@role_required(*PANEL_ROLES)
def meeting_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting, its members, each case's papers and how long it waited, the decisions
    recorded, the forms for the meeting's members, and the cases that may be added."""
    return _meeting_page(request, _meeting_or_404(meeting_id))


@records_access(AccessKind.CASE, subjects=meeting_subjects)
@role_required(*PANEL_ROLES)
@require_POST
def agenda_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Puts a case waiting for panel on this meeting's agenda."""
    user = current_user(request)
    meeting = _meeting_or_404(meeting_id)
    form = AgendaAddForm(request.POST)
    if form.is_valid():
        decision = BudgetDecision.objects.filter(pk=form.decision_id()).first()
        if decision is None:
            form.add_error("decision", "Choose a case from the list of cases waiting for panel")
        else:
            try:
                item = panel_agenda_add(meeting=meeting, decision=decision, actor=user)
            except TransitionRefused as refusal:
                form.add_error("decision", refusal.messages)
            else:
                messages.success(request, f"You added {case_name(decision)} to the agenda.")
                return redirect(f"{_meeting_url(meeting)}#case-{item.pk}")
    return _meeting_page(request, meeting, add_form=form)


def _meeting_url(meeting: PanelMeeting) -> str:
    return reverse("panels:meeting", kwargs={"meeting_id": meeting.pk})


@records_access(AccessKind.CASE, subjects=meeting_subjects)
@role_required(*PANEL_ROLES)
@require_POST
def decide(request: HttpRequest, meeting_id: int, item_id: int, step: str) -> HttpResponse:
    """One panel decision on a case of this meeting, through the one door."""
    user = current_user(request)
    meeting = _meeting_or_404(meeting_id)
    item = (
        PanelAgendaItem.objects.filter(meeting=meeting, pk=item_id)
        .select_related("decision__assessment")
        .first()
    )
    if item is None:
        raise Http404("No such case on this agenda")
    chosen = STEPS[step]
    if item.outcome_id is not None:
        messages.warning(
            request,
            "This meeting has already recorded its decision on this case: see it below.",
        )
        return redirect(f"{_meeting_url(meeting)}#case-{item.pk}")
    agenda = meeting_agenda(meeting, today=timezone.localdate())
    case = next(case for case in agenda.cases if case.item.pk == item.pk)
    form = _decision_form(chosen, case, request.POST)
    if form.is_valid():
        try:
            event = decision_transition(
                decision_id=item.decision_id,
                action=chosen.action,
                actor=user,
                seen_state=form.seen(),
                amount_pence=form.cleaned_data.get("amount"),
                reasons=form.cleaned_data["reasons"],
            )
        except DecidedFirst as refusal:
            messages.warning(request, " ".join(refusal.messages))
            return redirect(f"{_meeting_url(meeting)}#case-{item.pk}")
        except MoveNotAllowed as refusal:
            messages.warning(
                request,
                f"You cannot {chosen.verb} now. The case is: {refusal.current_state.label}.",
            )
            return redirect(f"{_meeting_url(meeting)}#case-{item.pk}")
        except TransitionRefused as refusal:
            form.add_error(None, refusal.messages)
        except PermissionDenied as refusal:
            return refused(request, refusal)
        else:
            messages.success(request, _done(chosen, case, event))
            return redirect(f"{_meeting_url(meeting)}#case-{item.pk}")
    return _meeting_page(
        request, meeting, failed_item=item.pk, failed_step=chosen, failed_form=form
    )


def _done(step: Step, case: AgendaCase, event: DecisionEvent) -> str:
    return step.done.format(
        amount=format_pounds(event.amount_after_pence or 0), case=case.papers.case_name
    )


@records_access(AccessKind.EXPORT, subjects=meeting_subjects)
@role_required(*PANEL_ROLES)
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting's minutes as a tagged PDF, for its members and team managers."""
    user = current_user(request)
    meeting = _meeting_or_404(meeting_id)
    if not may_read_minutes(meeting, user):
        raise PermissionDenied
    response = HttpResponse(meeting_minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{minutes_file_name(meeting)}"'
    response["Cache-Control"] = "private, no-store"
    return response

"""Reads for the team manager's queue and decision page, and for panel meetings and minutes.

The papers of a case (the person, the amounts, the worker's request and plan, the manager's
notes, the timeline) are read once here and shown the same way on the manager's page, the
meeting page and the minutes. How long a case waited for panel runs from the event that moved it
to "waiting for panel" to the event that moved it on (the panel's decision), or to today.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from allocations.engine import format_percentage, format_pounds, rhu
from allocations.explanations import BudgetExplanation, budget_explanation
from ras.accounts.models import User
from ras.accounts.roles import Role
from reviews.authority import BASIS_POINTS_IN_WHOLE, within_authority
from reviews.models import (
    BudgetDecision,
    DecisionEvent,
    DelegatedAuthority,
    PanelAgendaItem,
    PanelMeeting,
)
from reviews.selectors import PlanRow, TimelineEntry, decision_timeline, support_plan
from reviews.workflow import Action, State

REQUEST_ACTIONS = (Action.REFER_TO_MANAGER, Action.REFER_TO_PANEL)
PANEL_OUTCOME_WORDS = {
    Action.PANEL_APPROVE: "Approved the amount asked for",
    Action.PANEL_APPROVE_DIFFERENT: "Approved a different amount",
    Action.PANEL_DECLINE: "Declined the request",
    Action.PANEL_DEFER: "Deferred to a later panel",
}


def days_words(days: int | Decimal) -> str:
    """`1 day`, `12 days`, `4.5 days`."""
    return f"{days} day" if days == 1 else f"{days} days"


@dataclass(frozen=True, slots=True)
class AmountComparison:
    """An amount asked for against the indicative budget, in pence."""

    indicative_pence: int | None
    requested_pence: int | None

    @property
    def difference_pence(self) -> int | None:
        if self.indicative_pence is None or self.requested_pence is None:
            return None
        return self.requested_pence - self.indicative_pence

    @property
    def difference_size_pence(self) -> int | None:
        difference = self.difference_pence
        return None if difference is None else abs(difference)

    @property
    def difference_size_bp(self) -> int | None:
        """The difference as basis points of the indicative budget, rounded half up."""
        size = self.difference_size_pence
        if size is None or not self.indicative_pence:
            return None
        return rhu(size * BASIS_POINTS_IN_WHOLE, self.indicative_pence)

    @property
    def direction(self) -> str:
        """`more`, `less` or `same`; empty when there is nothing to compare."""
        difference = self.difference_pence
        if difference is None:
            return ""
        return "more" if difference > 0 else "less" if difference < 0 else "same"

    @property
    def sentence(self) -> str:
        """`£820.00 (16.47%) more than the indicative budget of £4,980.00`."""
        if self.requested_pence is None:
            return "No amount has been asked for."
        if self.indicative_pence is None:
            return "There is no indicative budget to compare it with."
        if self.direction == "same":
            return f"The same as the indicative budget of {format_pounds(self.indicative_pence)}"
        share = self.difference_size_bp
        share_words = "" if share is None else f" ({format_percentage(share)})"
        return (
            f"{format_pounds(self.difference_size_pence or 0)}{share_words} {self.direction} "
            f"than the indicative budget of {format_pounds(self.indicative_pence)}"
        )


def _comparison(decision: BudgetDecision) -> AmountComparison:
    return AmountComparison(decision.indicative_annual_pence, decision.requested_annual_pence)


# --- The team manager's queue ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueueRow:
    decision: BudgetDecision
    waited_days: int
    comparison: AmountComparison

    @property
    def waited_words(self) -> str:
        return days_words(self.waited_days)


@dataclass(frozen=True, slots=True)
class EmergencyRow:
    decision: BudgetDecision
    confirm_by: datetime.date | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class ManagerCounts:
    waiting: int
    overdue_reviews: int
    emergencies_to_confirm: int
    awaiting_panel: int


def _decisions() -> QuerySet[BudgetDecision]:
    return BudgetDecision.objects.select_related(
        "person", "assessment", "social_worker", "requested_by", "signed_off_by"
    )


def manager_queue(*, today: datetime.date) -> list[QueueRow]:
    """Decisions waiting for a team manager, the longest waiting first, with how many days each
    has waited (since it reached the manager) and the amount asked for against the RAS."""
    rows = _decisions().filter(state=State.AWAITING_MANAGER).order_by("state_changed_at", "pk")
    return [
        QueueRow(
            decision=decision,
            waited_days=(today - timezone.localdate(decision.state_changed_at)).days,
            comparison=_comparison(decision),
        )
        for decision in rows
    ]


def emergencies_to_confirm(*, today: datetime.date) -> list[EmergencyRow]:
    """Emergency allocations no manager has confirmed yet, the earliest deadline first; those
    past their confirm-by date are overdue."""
    rows = (
        _decisions()
        .filter(state=State.EMERGENCY, emergency_confirmed_at__isnull=True)
        .order_by("emergency_confirm_by", "pk")
    )
    return [
        EmergencyRow(
            decision=decision,
            confirm_by=decision.emergency_confirm_by,
            overdue=decision.emergency_confirm_by is not None
            and decision.emergency_confirm_by < today,
        )
        for decision in rows
    ]


def manager_counts(*, today: datetime.date) -> ManagerCounts:
    """Across the whole team: waiting for a manager, reviews overdue (due before today),
    emergency allocations to confirm, and cases waiting for panel."""
    decisions = BudgetDecision.objects
    return ManagerCounts(
        waiting=decisions.filter(state=State.AWAITING_MANAGER).count(),
        overdue_reviews=decisions.filter(next_review_due__lt=today).count(),
        emergencies_to_confirm=decisions.filter(
            state=State.EMERGENCY, emergency_confirmed_at__isnull=True
        ).count(),
        awaiting_panel=decisions.filter(state=State.AWAITING_PANEL).count(),
    )


# --- A case's papers -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CasePapers:
    """Everything a manager or a panel needs to decide a case, on one page."""

    decision: BudgetDecision
    explanation: BudgetExplanation | None
    comparison: AmountComparison
    request: TimelineEntry | None
    plan_lines: tuple[PlanRow, ...]
    manager_notes: TimelineEntry | None
    timeline: tuple[TimelineEntry, ...]

    @property
    def plan_total_pence(self) -> int:
        return sum(line.annual_pence for line in self.plan_lines)

    @property
    def case_name(self) -> str:
        return case_name(self.decision)


def case_name(decision: BudgetDecision) -> str:
    """`case SA-K7PM-3QXD` by its assessment's reference, or by the decision's number when
    there is no assessment yet (an emergency allocation). Pages write it with a capital first."""
    assessment = decision.assessment
    if assessment is not None:
        return f"case {assessment.reference}"
    return f"case number {decision.pk}"


def decision_for_papers(decision_id: int) -> BudgetDecision:
    """One decision with what its papers show. Raises BudgetDecision.DoesNotExist."""
    return _decisions().select_related("indicative_budget").get(pk=decision_id)


def case_papers(decision: BudgetDecision) -> CasePapers:
    """The papers of a case: the explanation of its indicative budget (when it has one), the
    latest request for a different amount with its reasons and support plan, the manager's notes
    when a manager sent it to panel, and every event, oldest first."""
    timeline = tuple(decision_timeline(decision))
    request = next((entry for entry in reversed(timeline) if entry.action in REQUEST_ACTIONS), None)
    manager_notes = None
    if request is not None:
        manager_notes = next(
            (
                entry
                for entry in reversed(timeline)
                if entry.action is Action.MANAGER_SEND_TO_PANEL
                and entry.event_id > request.event_id
            ),
            None,
        )
    return CasePapers(
        decision=decision,
        explanation=(
            None
            if decision.indicative_budget is None
            else budget_explanation(decision.indicative_budget)
        ),
        comparison=_comparison(decision),
        request=request,
        plan_lines=tuple(support_plan(decision)),
        manager_notes=manager_notes,
        timeline=timeline,
    )


@dataclass(frozen=True, slots=True)
class AuthorityCheck:
    """The team manager's delegated authority and whether the amount asked for is within it."""

    max_increase_bp: int | None
    max_increase_pence: int | None
    reduction_needs_manager: bool
    within: bool
    sentence: str

    @property
    def limits_sentence(self) -> str:
        if self.max_increase_bp is None or self.max_increase_pence is None:
            return "No delegated authority is set for team managers."
        return (
            f"A team manager may agree up to {format_percentage(self.max_increase_bp)} and up "
            f"to {format_pounds(self.max_increase_pence)} a year above the indicative budget "
            "(both must hold)."
        )


def manager_authority(decision: BudgetDecision) -> AuthorityCheck:
    """Whether the amount asked for is within a team manager's delegated authority, in a plain
    sentence. It is the same check the service makes when a manager approves."""
    authority = DelegatedAuthority.objects.filter(role=Role.TEAM_MANAGER.value).first()
    amount = decision.requested_annual_pence
    indicative = decision.indicative_annual_pence
    if authority is None:
        return AuthorityCheck(
            None,
            None,
            False,
            False,
            "No delegated authority is set for team managers: send it to panel.",
        )
    if amount is None:
        within, sentence = False, "No amount has been asked for."
    elif indicative is None:
        within = True
        sentence = (
            f"There is no indicative budget to compare {format_pounds(amount)} a year with, so "
            "no limit applies: you may approve it."
        )
    else:
        within = within_authority(authority.limits, indicative_pence=indicative, final_pence=amount)
        sentence = (
            f"{format_pounds(amount)} a year is within your authority: you may approve it."
            if within
            else f"{format_pounds(amount)} a year is beyond your authority: send it to panel."
        )
    return AuthorityCheck(
        authority.max_increase_bp,
        authority.max_increase_pence,
        authority.reduction_needs_manager,
        within,
        sentence,
    )


# --- How long a case waited for panel ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PanelWait:
    entered_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    days: int

    @property
    def still_waiting(self) -> bool:
        return self.ended_at is None

    @property
    def words(self) -> str:
        return days_words(self.days)


def _entered_panel(entry: TimelineEntry) -> bool:
    return entry.to_state is State.AWAITING_PANEL and entry.from_state is not State.AWAITING_PANEL


def panel_wait(
    timeline: Sequence[TimelineEntry], *, until: datetime.datetime, today: datetime.date
) -> PanelWait:
    """How long a case waited for panel: from the last move into "waiting for panel" at or before
    `until` (when it was put on an agenda, say) to the next move out of it, or to `today`.
    Whole days between the two dates in the council's time zone; a deferral does not stop it."""
    entered = next(
        (entry for entry in reversed(timeline) if _entered_panel(entry) and entry.at <= until),
        None,
    )
    if entered is None:
        return PanelWait(None, None, 0)
    ended = next(
        (
            entry
            for entry in timeline
            if entry.event_id > entered.event_id
            and entry.from_state is State.AWAITING_PANEL
            and entry.to_state is not State.AWAITING_PANEL
        ),
        None,
    )
    end_date = timezone.localdate(ended.at) if ended is not None else today
    return PanelWait(
        entered.at,
        ended.at if ended is not None else None,
        (end_date - timezone.localdate(entered.at)).days,
    )


def median_days(days: Iterable[int]) -> Decimal | None:
    """The middle wait, or the mean of the two middle ones (so it may end in .5)."""
    ordered = sorted(days)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    total = Decimal(ordered[middle - 1] + ordered[middle]) / 2
    return total.quantize(Decimal("1")) if total == total.to_integral_value() else total


# --- Cases waiting for panel and the meetings list -----------------------------------------


@dataclass(frozen=True, slots=True)
class WaitingCase:
    decision: BudgetDecision
    entered_at: datetime.datetime | None
    waited_days: int
    open_meeting: PanelMeeting | None

    @property
    def waited_words(self) -> str:
        return days_words(self.waited_days)

    @property
    def case_name(self) -> str:
        return case_name(self.decision)


def waiting_for_panel(*, today: datetime.date) -> list[WaitingCase]:
    """Cases waiting for panel, the longest waiting first, with the meeting whose agenda holds
    them (a deferred case is waiting again until it is put on another agenda)."""
    entered = (
        DecisionEvent.objects.filter(decision=OuterRef("pk"), to_state=State.AWAITING_PANEL)
        .exclude(from_state=State.AWAITING_PANEL)
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    decisions = (
        _decisions()
        .filter(state=State.AWAITING_PANEL)
        .annotate(entered_panel_at=Subquery(entered))
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=PanelAgendaItem.objects.filter(outcome=None).select_related("meeting"),
                to_attr="open_items",
            )
        )
        .order_by("entered_panel_at", "pk")
    )
    cases = []
    for decision in decisions:
        entered_at: datetime.datetime = decision.entered_panel_at or decision.state_changed_at
        open_items: list[PanelAgendaItem] = decision.open_items
        cases.append(
            WaitingCase(
                decision=decision,
                entered_at=entered_at,
                waited_days=(today - timezone.localdate(entered_at)).days,
                open_meeting=open_items[0].meeting if open_items else None,
            )
        )
    return cases


@dataclass(frozen=True, slots=True)
class MeetingRow:
    meeting: PanelMeeting
    members: tuple[str, ...]
    cases: int
    decided: int


PAST_MEETINGS_SHOWN = 50


def meetings_list(*, today: datetime.date) -> tuple[list[MeetingRow], list[MeetingRow]]:
    """Upcoming meetings (today or later, the soonest first) and the latest 50 past ones (the
    latest first), each with its members, the cases on its agenda and how many are decided."""
    meetings = PanelMeeting.objects.prefetch_related("members", "agenda")
    upcoming = meetings.filter(held_on__gte=today).order_by("held_on", "pk")
    past = meetings.filter(held_on__lt=today).order_by("-held_on", "-pk")[:PAST_MEETINGS_SHOWN]
    return [_meeting_row(meeting) for meeting in upcoming], [
        _meeting_row(meeting) for meeting in past
    ]


def _meeting_row(meeting: PanelMeeting) -> MeetingRow:
    agenda = list(meeting.agenda.all())
    return MeetingRow(
        meeting=meeting,
        members=tuple(sorted(str(member) for member in meeting.members.all())),
        cases=len(agenda),
        decided=sum(1 for item in agenda if item.outcome_id is not None),
    )


def panel_members() -> QuerySet[User]:
    """Active people holding the Panel member role, by name: who may sit on a meeting."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.PANEL_MEMBER.value)
        .distinct()
        .order_by("full_name", "email")
    )


# --- One meeting ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgendaCase:
    item: PanelAgendaItem
    papers: CasePapers
    wait: PanelWait
    outcome: TimelineEntry | None

    @property
    def is_open(self) -> bool:
        """Still for this meeting to decide."""
        return self.outcome is None and self.papers.decision.state == State.AWAITING_PANEL

    @property
    def outcome_words(self) -> str:
        if self.outcome is None:
            return "No decision recorded yet"
        return PANEL_OUTCOME_WORDS.get(self.outcome.action, self.outcome.words)


@dataclass(frozen=True, slots=True)
class MeetingAgenda:
    meeting: PanelMeeting
    members: tuple[User, ...]
    cases: tuple[AgendaCase, ...]

    @property
    def median_wait_days(self) -> Decimal | None:
        return median_days(case.wait.days for case in self.cases)

    @property
    def median_wait_words(self) -> str:
        median = self.median_wait_days
        return "" if median is None else days_words(median)

    @property
    def longest_wait_days(self) -> int | None:
        return max((case.wait.days for case in self.cases), default=None)

    @property
    def longest_wait_words(self) -> str:
        longest = self.longest_wait_days
        return "" if longest is None else days_words(longest)

    def is_member(self, user: User) -> bool:
        return any(member.pk == user.pk for member in self.members)


def meeting_agenda(meeting: PanelMeeting, *, today: datetime.date) -> MeetingAgenda:
    """A meeting with its members and, for each case on its agenda in the order added, the
    papers, how long it waited for panel and the decision recorded at this meeting."""
    items = (
        PanelAgendaItem.objects.filter(meeting=meeting)
        .select_related(
            "decision__person",
            "decision__assessment",
            "decision__social_worker",
            "decision__requested_by",
            "decision__signed_off_by",
            "decision__indicative_budget",
            "added_by",
        )
        .order_by("added_at", "pk")
    )
    cases = []
    for item in items:
        papers = case_papers(item.decision)
        outcome = next(
            (entry for entry in papers.timeline if entry.event_id == item.outcome_id), None
        )
        cases.append(
            AgendaCase(
                item=item,
                papers=papers,
                wait=panel_wait(papers.timeline, until=item.added_at, today=today),
                outcome=outcome,
            )
        )
    members = tuple(meeting.members.order_by("full_name", "email"))
    return MeetingAgenda(meeting=meeting, members=members, cases=tuple(cases))


def cases_to_add(meeting: PanelMeeting, *, today: datetime.date) -> list[WaitingCase]:
    """Cases waiting for panel that may go on this meeting's agenda: not on any open agenda,
    and none at all when the meeting was held before today."""
    if meeting.held_on < today:
        return []
    return [case for case in waiting_for_panel(today=today) if case.open_meeting is None]


def may_read_minutes(meeting: PanelMeeting, user: User) -> bool:
    """The minutes are for the meeting's members and for team managers."""
    return user.has_role(Role.TEAM_MANAGER) or meeting.members.filter(pk=user.pk).exists()

"""Everything held about one person, gathered from every part of the service (subject access).

`subject_access_collect(person)` reads each kind of record about the person into plain values:
text, whole numbers, dates and times, and money as `{"pence": ..., "pounds": "£..."}`. Records
are listed flat, each kind in its own section, and point at each other by their references
(`assessment_reference`, `decision_id`), so a reader or a program can join them.

Each section is one small function reading one kind of record for the person, registered in
SECTIONS with the models it reads. A new model holding personal data is one more function and one
more entry: the tests fail while a model that points at a person, or at any record about them, is
in no section and not listed in NOT_COLLECTED with a reason.
"""

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import models
from django.utils import timezone

from allocations.engine import format_percentage, format_pounds
from allocations.explanations import budget_explanation
from allocations.letters import letter_file_name
from allocations.models import IndicativeBudget, RecalculationResult
from questionnaires.carer_levels import carer_level_label
from questionnaires.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Perspective,
    answer_history_model,
)
from ras.accounts.models import User
from ras.audit.models import AccessEvent, AccessKind
from ras.people.models import Person, Representation
from ras.retention.models import DraftWarning
from reviews.models import (
    BudgetDecision,
    BudgetProposal,
    DecisionEvent,
    PanelAgendaItem,
    ProposalResolution,
    ReasonCode,
    SupportPlanLine,
)
from reviews.person_selectors import (
    PERSON_ACTION_WORDS,
    PERSON_STATE_TAGS,
    STAFF_ROLE_WORDS,
    decision_title,
    state_in_plain_words,
)
from reviews.workflow import WHO_MAY, Action, State

FORMAT_NAME = "ras-subject-access"
FORMAT_VERSION = 1
LETTERS_FOLDER = "letters"

Record = dict[str, Any]
Collected = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Section:
    """One kind of record about a person: its key in data.json, its name for people, the models
    it reads, and the function that reads them for one person."""

    key: str
    title: str
    models: tuple[str, ...]  # app_label.ModelName, as Django's `Model._meta.label`
    collect: Callable[[Person], list[Record] | Record | None]


# Helpers: one way of writing each kind of value.


def money(pence: int | None) -> Record | None:
    """`{"pence": 498000, "pounds": "£4,980.00"}`, or None when there is no amount."""
    return None if pence is None else {"pence": pence, "pounds": format_pounds(pence)}


def _name(user: User | None) -> str | None:
    return None if user is None else str(user)


def _reason_labels(codes: set[str]) -> dict[str, str]:
    return dict(ReasonCode.objects.filter(code__in=codes).values_list("code", "label"))


# The sections, in the order the document tells them.


def _person(person: Person) -> Record:
    return {
        "public_id": str(person.public_id),
        "full_name": person.full_name,
        "recorded_at": person.created_at,
        "has_account": person.user_id is not None,
    }


def _account(person: Person) -> Record | None:
    """The person's own account, if they have one, with what django-axes keeps by its email
    address: each sign-in, each failed sign-in (where that log is kept), and the failures counted
    towards locking the account, which the next successful sign-in clears."""
    user = person.user
    if user is None:
        return None
    email = user.email.lower()
    return {
        "email": user.email,
        "full_name": user.full_name,
        "roles": [role.value for role in user.roles],
        "opened_at": user.date_joined,
        "last_signed_in_at": user.last_login,
        "active": user.is_active,
        "sign_ins": [
            {
                "at": log.attempt_time,
                "signed_out_at": log.logout_time,
                "ip_address": log.ip_address,
                "browser": log.user_agent,
            }
            for log in AccessLog.objects.filter(username__iexact=email).order_by("attempt_time")
        ],
        "failed_sign_ins": [
            {
                "at": log.attempt_time,
                "ip_address": log.ip_address,
                "browser": log.user_agent,
                "locked_out": log.locked_out,
            }
            for log in AccessFailureLog.objects.filter(username__iexact=email).order_by(
                "attempt_time"
            )
        ],
        "failed_sign_ins_counted": [
            {
                "at": attempt.attempt_time,
                "ip_address": attempt.ip_address,
                "browser": attempt.user_agent,
                "failures": attempt.failures_since_start,
            }
            for attempt in AccessAttempt.objects.filter(username__iexact=email).order_by(
                "attempt_time"
            )
        ],
    }


def _representatives(person: Person) -> list[Record]:
    return [
        {
            "name": _name(representation.representative),
            "relationship": representation.relationship,
            "since": representation.created_at,
        }
        for representation in Representation.objects.filter(person=person)
        .select_related("representative")
        .order_by("created_at", "pk")
    ]


def _assessments(person: Person) -> list[Record]:
    return [
        {
            "reference": assessment.reference,
            "public_id": str(assessment.public_id),
            "questionnaire": str(assessment.questionnaire_version),
            "client_group_code": assessment.client_group_code,
            "status": assessment.status,
            "status_label": AssessmentStatus(assessment.status).label,
            "started_at": assessment.started_at,
            "started_by": _name(assessment.started_by),
            "last_saved_at": assessment.last_saved_at,
            "submitted_at": assessment.submitted_at,
            "submitted_by": _name(assessment.submitted_by),
            "total_points": assessment.total_points,
            "carer_level": assessment.carer_level,
            "carer_level_label": carer_level_label(assessment.carer_level)
            if assessment.carer_level
            else "",
            "domain_points": assessment.domain_points,
        }
        for assessment in Assessment.objects.filter(person=person)
        .select_related("questionnaire_version", "started_by", "submitted_by")
        .order_by("started_at", "pk")
    ]


def _answers(person: Person) -> list[Record]:
    return [
        {
            "assessment_reference": answer.assessment.reference,
            "perspective": answer.perspective,
            "perspective_label": Perspective(answer.perspective).label,
            "area": answer.question.domain.title,
            "question_code": answer.question.code,
            "question": answer.question.text,
            "option_code": answer.option.code,
            "answer": answer.option.label,
            "points": answer.option.points,
            "answered_by": _name(answer.answered_by),
            "answered_at": answer.answered_at,
        }
        for answer in Answer.objects.filter(assessment__person=person)
        .select_related("assessment", "question__domain", "option", "answered_by")
        .order_by("assessment__started_at", "assessment_id", "perspective", "question__position")
    ]


ANSWER_CHANGES = {"insert": "given", "update": "changed", "delete": "removed"}


def _answer_history(person: Person) -> list[Record]:
    """Every answer as it was given, changed or removed, in the order it happened."""
    # The history model is made by pghistory at start-up, so its fields are not known to typing.
    events: models.QuerySet[Any] = (
        answer_history_model()
        ._default_manager.filter(assessment__person=person)
        .select_related("assessment", "question", "option", "answered_by")
        .order_by("pgh_created_at", "pgh_id")
    )
    return [
        {
            "assessment_reference": event.assessment.reference,
            "change": ANSWER_CHANGES.get(event.pgh_label, event.pgh_label),
            "recorded_at": event.pgh_created_at,
            "perspective": event.perspective,
            "question": event.question.text,
            "answer": event.option.label,
            "answered_by": _name(event.answered_by),
            "answered_at": event.answered_at,
        }
        for event in events
    ]


def person_budgets(person: Person) -> models.QuerySet[IndicativeBudget]:
    """The person's indicative budgets, with what their explanation and letter read."""
    return (
        IndicativeBudget.objects.filter(assessment__person=person)
        .select_related(
            "assessment__person",
            "assessment__questionnaire_version",
            "client_group",
            "table_version",
        )
        .order_by("assessment__started_at", "pk")
    )


def _indicative_budgets(person: Person) -> list[Record]:
    records = []
    for budget in person_budgets(person):
        explanation = budget_explanation(budget)
        records.append(
            {
                "assessment_reference": budget.assessment.reference,
                "priced_on": budget.priced_on,
                "client_group": budget.client_group.name,
                "table": budget.table_version.label,
                "table_in_use_since": budget.table_version.effective_from,
                "total_points": budget.total_points,
                "points_by_area": [
                    {"area": line.title, "points": line.points} for line in explanation.domain_lines
                ],
                "band": budget.band_position,
                "above_table": budget.above_table,
                "full_needs_annual": money(budget.full_needs_annual_pence),
                "carer_level": budget.carer_level,
                "carer_level_label": explanation.carer_help,
                "carer_reduction_bp": budget.carer_reduction_bp,
                "carer_reduction": format_percentage(budget.carer_reduction_bp),
                "carer_adjustment_annual": money(budget.carer_adjustment_pence),
                "indicative_annual": money(budget.indicative_annual_pence),
                "indicative_weekly": money(budget.indicative_weekly_pence),
                "explanation": {
                    key: value
                    for key, value in asdict(explanation).items()
                    if key in ("band_sentence", "calculation_sentence", "steps")
                },
                "letter": f"{LETTERS_FOLDER}/{letter_file_name(budget)}",
            }
        )
    return records


def _recalculations(person: Person) -> list[Record]:
    """What the person's assessments came to when the council tried an allocation table on past
    cases. These figures change no budget."""
    return [
        {
            "assessment_reference": result.assessment.reference,
            "run_id": result.run_id,
            "run_at": result.run.created_at,
            "client_group": result.run.table_version.client_group.name,
            "table": result.run.table_version.label,
            "what_if_scoring": result.run.option_points is not None,
            "total_points": result.total_points,
            "carer_level": result.carer_level,
            "full_needs_annual": money(result.full_needs_annual_pence),
            "indicative_annual": money(result.indicative_annual_pence),
            "original_indicative_annual": money(result.original_indicative_annual_pence),
            "final_annual": money(result.final_annual_pence),
            "difference": money(result.difference_pence),
        }
        for result in RecalculationResult.objects.filter(assessment__person=person)
        .select_related("assessment", "run__table_version__client_group")
        .order_by("run__created_at", "run_id", "assessment_id")
    ]


def _decisions(person: Person) -> list[Record]:
    today = timezone.localdate()
    return [
        {
            "decision_id": decision.pk,
            "title": decision_title(decision),
            "assessment_reference": decision.assessment.reference if decision.assessment else None,
            "reopened_assessment_reference": (
                decision.reopened_assessment.reference if decision.reopened_assessment else None
            ),
            "state": decision.state,
            "state_label": PERSON_STATE_TAGS[State(decision.state)],
            "where_it_is": state_in_plain_words(decision, is_you=True, today=today).headline,
            "state_changed_at": decision.state_changed_at,
            "opened_at": decision.created_at,
            "social_worker": _name(decision.social_worker),
            "indicative_annual": money(decision.indicative_annual_pence),
            "requested_annual": money(decision.requested_annual_pence),
            "requested_by": _name(decision.requested_by),
            "final_annual": money(decision.final_annual_pence),
            "signed_off_by": _name(decision.signed_off_by),
            "signed_off_at": decision.signed_off_at,
            "contribution_annual": money(decision.contribution_annual_pence),
            "council_pays_annual": money(decision.council_pays_annual_pence),
            "emergency_confirm_by": decision.emergency_confirm_by,
            "emergency_confirmed_at": decision.emergency_confirmed_at,
            "next_review_due": decision.next_review_due,
            "review_overdue_since": decision.review_overdue_since,
        }
        for decision in BudgetDecision.objects.filter(person=person)
        .select_related(
            "person",
            "assessment",
            "reopened_assessment",
            "social_worker",
            "requested_by",
            "signed_off_by",
        )
        .order_by("created_at", "pk")
    ]


def _role_of(event: DecisionEvent) -> str:
    """The role the actor decided in: staff by their role; on the person's side, the person
    themself or someone acting for them."""
    actor_kind = WHO_MAY[Action(event.action)]
    if actor_kind in STAFF_ROLE_WORDS:
        return STAFF_ROLE_WORDS[actor_kind]
    if event.actor_id == event.decision.person.user_id:
        return "the person the budget is for"
    return "acting for the person"


def _decision_events(person: Person) -> list[Record]:
    events = list(
        DecisionEvent.objects.filter(decision__person=person)
        .select_related("actor", "decision__person")
        .order_by("at", "pk")
    )
    labels = _reason_labels({code for event in events for code in event.reason_codes})
    return [
        {
            "event_id": event.pk,
            "decision_id": event.decision_id,
            "at": event.at,
            "action": event.action,
            "what": PERSON_ACTION_WORDS[Action(event.action)],
            "from_state": event.from_state,
            "to_state": event.to_state,
            "by": _name(event.actor),
            "by_role": _role_of(event),
            "amount_before_annual": money(event.amount_before_pence),
            "amount_after_annual": money(event.amount_after_pence),
            "reason_codes": [
                {"code": code, "label": labels.get(code, code)} for code in event.reason_codes
            ],
            "reasons": event.reasons,
        }
        for event in events
    ]


def _units(hundredths: int) -> str:
    """1050 hundredths is "10.5"; 1000 is "10"."""
    whole, part = divmod(hundredths, 100)
    return f"{whole}" if part == 0 else f"{whole}.{part:02d}".rstrip("0")


def _support_plan_lines(person: Person) -> list[Record]:
    return [
        {
            "decision_id": line.decision_id,
            "description": line.description,
            "units_per_week": _units(line.units_per_week_hundredths),
            "units_per_week_hundredths": line.units_per_week_hundredths,
            "unit_cost": money(line.unit_cost_pence),
            "annual": money(line.annual_pence),
        }
        for line in SupportPlanLine.objects.filter(decision__person=person).order_by(
            "decision_id", "pk"
        )
    ]


def _panel_agenda_items(person: Person) -> list[Record]:
    items = (
        PanelAgendaItem.objects.filter(decision__person=person)
        .select_related("meeting", "added_by", "outcome__actor")
        .prefetch_related("meeting__members")
        .order_by("meeting__held_on", "added_at", "pk")
    )
    return [
        {
            "decision_id": item.decision_id,
            "meeting_held_on": item.meeting.held_on,
            "meeting_title": item.meeting.title,
            "meeting_members": sorted(str(member) for member in item.meeting.members.all()),
            "added_at": item.added_at,
            "added_by": _name(item.added_by),
            "outcome_event_id": item.outcome_id,
            "outcome": (
                None if item.outcome is None else PERSON_ACTION_WORDS[Action(item.outcome.action)]
            ),
        }
        for item in items
    ]


def _proposals(person: Person) -> list[Record]:
    return [
        {
            "proposal_id": proposal.pk,
            "decision_id": proposal.decision_id,
            "run_id": proposal.run_id,
            "table": proposal.run.table_version.label,
            "made_at": proposal.created_at,
            "made_by": _name(proposal.created_by),
            "current_annual": money(proposal.current_annual_pence),
            "proposed_annual": money(proposal.proposed_annual_pence),
            "resolved_at": proposal.resolved_at,
            "resolved_by": _name(proposal.resolved_by),
            "resolution": proposal.resolution,
            "resolution_label": (
                ProposalResolution(proposal.resolution).label if proposal.resolution else ""
            ),
            "resolution_reasons": proposal.resolution_reasons,
        }
        for proposal in BudgetProposal.objects.filter(decision__person=person)
        .select_related("run__table_version", "created_by", "resolved_by")
        .order_by("created_at", "pk")
    ]


def _record_views(person: Person) -> list[Record]:
    return [
        {
            "at": event.at,
            "by": event.user_name,
            "roles": event.user_roles,
            "what": AccessKind(event.kind).label,
            "reference": event.reference,
        }
        for event in AccessEvent.objects.filter(person=person).order_by("at", "pk")
    ]


def _deletion_warnings(person: Person) -> list[Record]:
    return [
        {
            "assessment_reference": warning.assessment.reference,
            "last_saved_at": warning.last_saved_at,
            "warned_at": warning.warned_at,
            "delete_on": warning.delete_on,
            "emails_sent": warning.emails_sent,
        }
        for warning in DraftWarning.objects.filter(assessment__person=person)
        .select_related("assessment")
        .order_by("warned_at", "pk")
    ]


def _letters(person: Person) -> list[Record]:
    """The letters the service draws for the person, drawn again for this copy."""
    return [
        {
            "file": f"{LETTERS_FOLDER}/{letter_file_name(budget)}",
            "title": "Your indicative personal budget",
            "assessment_reference": budget.assessment.reference,
        }
        for budget in person_budgets(person)
    ]


SECTIONS: tuple[Section, ...] = (
    Section("person", "Name and reference", ("people.Person",), _person),
    Section(
        "account",
        "Account and sign-ins",
        ("accounts.User", "axes.AccessLog", "axes.AccessFailureLog", "axes.AccessAttempt"),
        _account,
    ),
    Section("representatives", "Representatives", ("people.Representation",), _representatives),
    Section("assessments", "Self-assessments", ("questionnaires.Assessment",), _assessments),
    Section("answers", "Answers", ("questionnaires.Answer",), _answers),
    Section(
        "answer_history", "Changes to answers", ("questionnaires.AnswerEvent",), _answer_history
    ),
    Section(
        "indicative_budgets",
        "Indicative budgets",
        ("allocations.IndicativeBudget",),
        _indicative_budgets,
    ),
    Section(
        "recalculations",
        "Figures from trying allocation tables",
        ("allocations.RecalculationResult",),
        _recalculations,
    ),
    Section("decisions", "Budget decisions", ("reviews.BudgetDecision",), _decisions),
    Section(
        "decision_events",
        "Steps taken on decisions, with reasons",
        ("reviews.DecisionEvent",),
        _decision_events,
    ),
    Section(
        "support_plan_lines",
        "Support plan lines",
        ("reviews.SupportPlanLine",),
        _support_plan_lines,
    ),
    Section(
        "panel_agenda_items", "Panel meetings", ("reviews.PanelAgendaItem",), _panel_agenda_items
    ),
    Section("proposals", "Review tasks from a new table", ("reviews.BudgetProposal",), _proposals),
    Section("record_views", "Who looked at your records", ("audit.AccessEvent",), _record_views),
    Section(
        "deletion_warnings",
        "Emails saying an unsent self-assessment would be deleted",
        ("retention.DraftWarning",),
        _deletion_warnings,
    ),
    Section("letters", "Letters", (), _letters),
)

# Models (by label) that point at a person's records but are deliberately left out of the copy,
# each with the reason.
NOT_COLLECTED: dict[str, str] = {
    "reviews.EquitySnapshotOutlier": (
        "A working copy of a decision's figures and reasons for the equity dashboard, rebuilt "
        "from the decisions at every refresh of the figures (the older copy is deleted); the "
        "decisions and their reasons are in the copy themselves."
    ),
    "retention.LegalHold": (
        "A legal hold is placed for a claim or an investigation; whether to tell the person is "
        "the council's decision under the exemptions of the Data Protection Act 2018 (Schedule 2), "
        "made for each request, so the copy never discloses one by itself."
    ),
}


def collected_models() -> set[str]:
    """The label of every model whose rows about the person the copy carries."""
    return {label for section in SECTIONS for label in section.models}


def subject_access_collect(person: Person) -> Collected:
    """Everything held about `person`, section by section, as plain values.

    Dates and times are `datetime.date` and aware `datetime.datetime` values (data.json writes
    them in ISO 8601); money is `{"pence": int, "pounds": str}` or None.
    """
    collected: Collected = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "produced_at": timezone.now(),
        "council": settings.COUNCIL_NAME,
        "service": settings.SERVICE_NAME,
    }
    for section in SECTIONS:
        collected[section.key] = section.collect(person)
    return collected


def section_counts(collected: Collected) -> list[tuple[str, int]]:
    """How many records of each kind the copy holds, for the page that offers it."""
    counts = []
    for section in SECTIONS:
        value = collected[section.key]
        if isinstance(value, list):
            counts.append((section.title, len(value)))
    return counts


def json_value(value: object) -> object:
    """A collected value as JSON can hold it: dates and times in ISO 8601, times in the
    council's time zone with their offset."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a value the copy writes")

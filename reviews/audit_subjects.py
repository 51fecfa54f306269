"""Whose record a case, decision, review task or panel page shows, for the access audit
(`ras.audit.recording`). Each names the case by its decision number and its assessment's
reference (so the audit can be searched by either), never by the person."""

from collections.abc import Iterable, Mapping
from typing import Any

from ras.audit.services import Subject
from reviews.models import BudgetDecision, BudgetProposal, PanelAgendaItem


def decision_reference(decision_id: int, assessment_reference: str | None) -> str:
    """ "Decision 42, assessment K7PQ-M2XA" (or "Decision 42" for an emergency allocation)."""
    if assessment_reference:
        return f"Decision {decision_id}, assessment {assessment_reference}"
    return f"Decision {decision_id}"


def _subjects(rows: Iterable[tuple[int, int, str | None]]) -> list[Subject]:
    return [
        Subject(person_id, decision_reference(decision_id, reference))
        for person_id, decision_id, reference in rows
    ]


def decision_subject(view_kwargs: Mapping[str, Any]) -> list[Subject]:
    """The person of the decision in the URL (`decision_id`, or `pk` in the API)."""
    decision_id = view_kwargs.get("decision_id", view_kwargs.get("pk"))
    return _subjects(
        BudgetDecision.objects.filter(pk=decision_id).values_list(
            "person_id", "pk", "assessment__reference"
        )
    )


def proposal_subject(view_kwargs: Mapping[str, Any]) -> list[Subject]:
    """The person of the decision a review task (`proposal_id`) is about."""
    return _subjects(
        BudgetProposal.objects.filter(pk=view_kwargs["proposal_id"]).values_list(
            "decision__person_id", "decision_id", "decision__assessment__reference"
        )
    )


def meeting_subjects(view_kwargs: Mapping[str, Any]) -> list[Subject]:
    """Everyone whose case is on the agenda of the meeting (`meeting_id`): its page and its
    minutes hold each case's papers."""
    return _subjects(
        PanelAgendaItem.objects.filter(meeting_id=view_kwargs["meeting_id"])
        .order_by("pk")
        .values_list("decision__person_id", "decision_id", "decision__assessment__reference")
    )

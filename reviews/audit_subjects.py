"""Whose record a case, decision, review task or panel page shows, for the access audit
(`ras.audit.recording`). Each names the case by its decision number, never by the person."""

from collections.abc import Mapping
from typing import Any

from ras.audit.services import Subject
from reviews.models import BudgetDecision, BudgetProposal, PanelAgendaItem


def decision_reference(decision_id: int) -> str:
    return f"Decision {decision_id}"


def decision_subject(view_kwargs: Mapping[str, Any]) -> list[Subject]:
    """The person of the decision in the URL (`decision_id`, or `pk` in the API)."""
    decision_id = view_kwargs.get("decision_id", view_kwargs.get("pk"))
    person_id = BudgetDecision.objects.filter(pk=decision_id).values_list("person_id", flat=True)
    return [Subject(person, decision_reference(int(str(decision_id)))) for person in person_id]


def proposal_subject(view_kwargs: Mapping[str, Any]) -> list[Subject]:
    """The person of the decision a review task (`proposal_id`) is about."""
    rows = BudgetProposal.objects.filter(pk=view_kwargs["proposal_id"]).values_list(
        "decision__person_id", "decision_id"
    )
    return [Subject(person_id, decision_reference(decision_id)) for person_id, decision_id in rows]


def meeting_subjects(view_kwargs: Mapping[str, Any]) -> list[Subject]:
    """Everyone whose case is on the agenda of the meeting (`meeting_id`): its page and its
    minutes hold each case's papers."""
    rows = (
        PanelAgendaItem.objects.filter(meeting_id=view_kwargs["meeting_id"])
        .order_by("pk")
        .values_list("decision__person_id", "decision_id")
    )
    return [Subject(person_id, decision_reference(decision_id)) for person_id, decision_id in rows]

"""Whose record an assessment's page shows, for the access audit (`ras.audit.recording`)."""

from collections.abc import Mapping
from typing import Any

from questionnaires.models import Assessment
from ras.audit.services import Subject


def assessment_subject(view_kwargs: Mapping[str, Any]) -> list[Subject]:
    """The person whose assessment has the URL's `public_id`, by the assessment's reference."""
    row = (
        Assessment.objects.filter(public_id=view_kwargs["public_id"])
        .values_list("person_id", "reference")
        .first()
    )
    return [] if row is None else [Subject(row[0], f"Assessment {row[1]}")]

"""Whose records the subject access pages show, for the access audit (`ras.audit.recording`)."""

from collections.abc import Mapping
from typing import Any

from ras.audit.services import Subject
from ras.people.models import Person


def person_subject(view_kwargs: Mapping[str, Any]) -> list[Subject]:
    """The person named in the URL by their opaque id (`public_id`)."""
    return [
        Subject(person_id, f"Person {public_id}")
        for person_id, public_id in Person.objects.filter(
            public_id=view_kwargs["public_id"]
        ).values_list("pk", "public_id")
    ]

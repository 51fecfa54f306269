"""An emergency allocation for someone new to the council: the person and the decision at once."""

from django.db import transaction

from ras.accounts.models import User
from ras.people.services import person_create
from reviews.models import BudgetDecision
from reviews.services import decision_record_emergency


@transaction.atomic
def emergency_record_for_new_person(
    *, full_name: str, actor: User, amount_pence: int, reasons: str
) -> BudgetDecision:
    """Adds the person and records their emergency allocation in one transaction, so a refused
    allocation leaves no person behind.

    Raises what `person_create` raises (PermissionDenied, ValidationError for the name) and what
    `decision_record_emergency` raises (PermissionDenied, TransitionRefused).
    """
    person = person_create(full_name=full_name, actor=actor)
    return decision_record_emergency(
        person=person, actor=actor, amount_pence=amount_pence, reasons=reasons
    )

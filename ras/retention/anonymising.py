"""Removing what identifies a person, keeping the figures.

The figures (points, carer level, amounts, dates, client group, states, reason codes) stay, so
equity figures and open data still add up. What goes: the name, the link to their account, who acts
for them, every answer and the history of answers, the step-by-step breakdown of the indicative
budget (it quotes the answers), the written reasons of decisions and review tasks, and the
descriptions of support plan lines.

The database allows the writes to immutable and append-only records (submitted answers,
indicative budgets, decision events) only for a person who is already anonymised, and only these
writes: so `people_anonymise` always comes first.
"""

import datetime
import uuid
from collections.abc import Collection

from django.db.models import Exists, OuterRef

from allocations.models import IndicativeBudget
from questionnaires.models import Answer, Assessment, answer_history_model
from ras.accounts.models import User
from ras.accounts.roles import STAFF_ROLE_NAMES
from ras.people.models import ANONYMISED_NAME, Person, Representation
from reviews.models import BudgetProposal, DecisionEvent, SupportPlanLine

CLOSED_ACCOUNT_DOMAIN = "closed-account.invalid"


def answers_delete(*, assessment_ids: Collection[int]) -> None:
    """Deletes the answers of these assessments, and their history."""
    Answer.objects.filter(assessment_id__in=assessment_ids).delete()
    # Deleting answers records their deletion in the history: remove that as well.
    answer_history_model()._default_manager.filter(assessment_id__in=assessment_ids).delete()


def people_anonymise(*, person_ids: Collection[int], now: datetime.datetime) -> int:
    """Removes the name, the link to an account and who acts for each person; returns how many
    were anonymised (people already anonymised are not counted again)."""
    Representation.objects.filter(person_id__in=person_ids).delete()
    return Person.objects.filter(pk__in=person_ids, anonymised_at__isnull=True).update(
        full_name=ANONYMISED_NAME, user=None, anonymised_at=now
    )


def case_records_strip(*, person_ids: Collection[int]) -> None:
    """Removes answers and free text from the case records of anonymised people; keeps figures."""
    anonymised = Person.objects.filter(pk__in=person_ids, anonymised_at__isnull=False)
    assessment_ids = list(
        Assessment.objects.filter(person__in=anonymised).values_list("pk", flat=True)
    )
    answers_delete(assessment_ids=assessment_ids)
    IndicativeBudget.objects.filter(assessment_id__in=assessment_ids).exclude(steps=[]).update(
        steps=[]
    )
    DecisionEvent.objects.filter(decision__person__in=anonymised).exclude(reasons="").update(
        reasons=""
    )
    SupportPlanLine.objects.filter(decision__person__in=anonymised).exclude(description="").update(
        description=""
    )
    BudgetProposal.objects.filter(decision__person__in=anonymised).exclude(
        resolution_reasons=""
    ).update(resolution_reasons="")


def quiet_representatives(*, person_ids: Collection[int], since: datetime.datetime) -> list[int]:
    """The accounts acting for these people that have not signed in since `since`: once the
    people are anonymised, such an account is there for nobody. Ask before `people_anonymise`,
    which removes the representations."""
    return list(
        Representation.objects.filter(person_id__in=person_ids)
        .exclude(representative__last_login__gte=since)
        .values_list("representative_id", flat=True)
        .distinct()
    )


def accounts_close(*, user_ids: Collection[int]) -> int:
    """Closes accounts that were there only for anonymised people: no name, an address that
    reaches nobody, no sign-in.

    An account is left open when it is not only theirs: it holds a staff role, still acts for
    someone, or is the account of a person with a record of their own. Call it after
    `people_anonymise`, which unlinks the anonymised people's own accounts and removes their
    representations. Returns how many were closed.
    """
    closable = (
        User.objects.filter(pk__in=user_ids, is_active=True)
        .exclude(groups__name__in=STAFF_ROLE_NAMES)
        .exclude(Exists(Representation.objects.filter(representative=OuterRef("pk"))))
        .exclude(Exists(Person.objects.filter(user=OuterRef("pk"))))
        .distinct()
    )
    closed = 0
    for user in closable:
        user.full_name = ""
        user.email = f"{uuid.uuid4().hex}@{CLOSED_ACCOUNT_DOMAIN}"
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["full_name", "email", "is_active", "password"])
        closed += 1
    return closed

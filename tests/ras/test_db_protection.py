"""No session setting switches off the database's protections of permanent records.

pgtrigger's usual triggers skip themselves when a session sets `pgtrigger.ignore`, which any
connection may do. The triggers that refuse changes (published tables and questionnaires,
submitted answers, indicative budgets, decision events, the access audit) are installed without
that switch; the history-keeping triggers keep it, as they refuse nothing.
"""

from collections.abc import Iterator

import pytest
from django.db import IntegrityError, connection, transaction

from reviews.models import DecisionEvent
from reviews.services import decision_transition
from reviews.workflow import Action, State
from tests.allocations.conftest import older_people, published_version  # noqa: F401 - fixtures
from tests.questionnaires.conftest import assessment, questionnaire  # noqa: F401 - fixtures
from tests.reviews.conftest import (  # noqa: F401 - fixtures
    _run_tasks_in_process,
    decision,
    submitted_assessment,
)

pytestmark = pytest.mark.django_db

PROTECTED_TABLES = {
    "allocations_allocationtableversion",
    "allocations_band",
    "allocations_carerreduction",
    "allocations_indicativebudget",
    "audit_accessevent",
    "questionnaires_answer",
    "questionnaires_domain",
    "questionnaires_option",
    "questionnaires_question",
    "questionnaires_questionnaireversion",
    "reviews_decisionevent",
}


def installed_triggers() -> list[tuple[str, str, str]]:
    """(table, trigger, function source) of every trigger the project installed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, p.prosrc FROM pg_trigger t"
            " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE NOT t.tgisinternal ORDER BY c.relname, t.tgname"
        )
        return list(cursor.fetchall())


def test_every_trigger_that_refuses_a_change_has_no_switch() -> None:
    refusing = [(table, name, source) for table, name, source in installed_triggers()
                if "RAISE EXCEPTION" in source]  # fmt: skip
    assert {table for table, _, _ in refusing} == PROTECTED_TABLES
    switchable = [name for _, name, source in refusing if "_pgtrigger_should_ignore" in source]
    assert switchable == []


@pytest.fixture
def ignoring_every_trigger() -> Iterator[None]:
    """The session asks pgtrigger to skip every trigger there is."""
    names = "{" + ",".join(name for _, name, _ in installed_triggers()) + "}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, false)", [names])
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET pgtrigger.ignore")


def test_a_decision_event_cannot_be_rewritten_or_deleted_with_the_switch_set(
    decision, social_worker, ignoring_every_trigger
) -> None:
    event = decision_transition(
        decision_id=decision.pk,
        action=Action.AGREE,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        reasons="Agreed with Sam at the visit.",
    )
    for sql in (
        "UPDATE reviews_decisionevent SET amount_after_pence = 1 WHERE id = %s",
        "DELETE FROM reviews_decisionevent WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="permanent record"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    kept = DecisionEvent.objects.get(pk=event.pk)
    assert (kept.amount_after_pence, kept.reasons) == (
        event.amount_after_pence,
        "Agreed with Sam at the visit.",
    )


def test_a_submitted_answer_cannot_change_with_the_switch_set(
    submitted_assessment, ignoring_every_trigger
) -> None:
    with (
        pytest.raises(IntegrityError, match="submitted: its answers cannot change"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE questionnaires_answer SET answered_at = now() WHERE assessment_id = %s",
            [submitted_assessment.pk],
        )

"""The nightly task end to end, through a real Celery worker on the real Redis and database."""

import datetime

import pytest
from django.utils import timezone

from questionnaires.loading import questionnaire_load
from questionnaires.models import Assessment, QuestionnaireVersion
from questionnaires.services import (
    assessment_start,
    person_add_for_representative,
    person_for_service_user,
)
from ras.accounts.models import User
from ras.people.models import Person
from ras.retention.models import DraftWarning, LegalHold, RetentionRun
from ras.retention.tasks import retention_run
from tests.questionnaires.conftest import MINI_SAQ


def draft_saved_days_ago(
    user: User, person: Person, version: QuestionnaireVersion, days: int
) -> Assessment:
    draft = assessment_start(actor=user, person=person, questionnaire_version=version)
    Assessment.objects.filter(pk=draft.pk).update(
        last_saved_at=timezone.now() - datetime.timedelta(days=days)
    )
    draft.refresh_from_db()
    return draft


@pytest.mark.celery_worker
@pytest.mark.usefixtures("celery_worker_process", "transactional_db")
def test_a_real_worker_warns_deletes_keeps_the_held_and_reports(
    service_user, second_service_user, representative, administrator
) -> None:
    version = questionnaire_load(MINI_SAQ).version
    to_warn = draft_saved_days_ago(service_user, person_for_service_user(service_user), version, 84)
    to_delete = draft_saved_days_ago(
        second_service_user, person_for_service_user(second_service_user), version, 95
    )
    DraftWarning.objects.create(
        assessment=to_delete,
        last_saved_at=to_delete.last_saved_at,
        warned_at=timezone.now() - datetime.timedelta(days=8),
        delete_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    held_person = person_add_for_representative(
        representative=representative, full_name="Held Person", relationship="Aunt"
    )
    held = draft_saved_days_ago(representative, held_person, version, 400)
    LegalHold.objects.create(
        person=held_person, reason="A claim", placed_by=administrator, placed_at=timezone.now()
    )

    run_id = retention_run.delay().get(timeout=60)
    assert run_id is not None

    run = RetentionRun.objects.get(pk=run_id)
    drafts = run.lines.get(kind="abandoned-drafts")
    assert (drafts.warned_count, drafts.deleted_count, drafts.held_count) == (1, 1, 1)
    assert DraftWarning.objects.filter(assessment=to_warn, emails_sent=1).exists()
    assert not Assessment.objects.filter(pk=to_delete.pk).exists()
    assert Assessment.objects.filter(pk=held.pk).exists()
    assert run.lines.get(kind="closed-cases").succeeded

    # Again, through the worker: nothing more to do.
    again_id = retention_run.delay().get(timeout=60)
    assert again_id is not None
    again = RetentionRun.objects.get(pk=again_id)
    repeat = again.lines.get(kind="abandoned-drafts")
    assert (repeat.warned_count, repeat.deleted_count, repeat.held_count) == (0, 0, 1)

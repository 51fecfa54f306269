"""The nightly run: one report line per kind with counts only, one run at a time, a failing kind
recorded without stopping the others, and the beat schedule and Celery task that start it."""

import datetime

import psycopg
import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.db import connection

from ras.retention.kinds import KINDS, Tally
from ras.retention.models import RetentionReportLine, RetentionRun, RunState
from ras.retention.services import RUN_LOCK_KEY, retention_run
from ras.retention.tasks import retention_run as retention_run_task
from tests.retention.conftest import NOW, line, run_at, saved_days_ago

pytestmark = pytest.mark.django_db


def report_text(run: RetentionRun) -> str:
    values = [
        str(value) for value in RetentionRun.objects.filter(pk=run.pk).values().get().values()
    ]
    for report_line in RetentionReportLine.objects.filter(run=run).values():
        values.extend(str(value) for value in report_line.values())
    return " ".join(values)


def test_every_kind_has_a_line_with_its_rule_and_period(assessment) -> None:
    run = run_at(NOW)
    assert [report_line.kind for report_line in run.lines.order_by("position")] == [
        "abandoned-drafts",
        "closed-cases",
        "access-audit",
        "sign-ins",
        "ended-sessions",
    ]
    drafts = line(run, "abandoned-drafts")
    assert drafts.period == "90 days"
    assert "nothing has been saved in it for 90 days" in drafts.rule
    assert "emailed 7 days before" in drafts.rule
    closed = line(run, "closed-cases")
    assert closed.period == "8 years"
    assert "for 8 years" in closed.rule
    audit = line(run, "access-audit")
    assert audit.period == "2,192 days"
    assert "deleted 2,192 days after it was made" in audit.rule
    assert run.state == RunState.FINISHED
    assert run.finished_at is not None


def test_the_rule_states_the_period_in_force_on_the_night(assessment, settings) -> None:
    settings.SAQ_DRAFT_RETENTION_DAYS = 30
    settings.CLOSED_CASE_RETENTION_YEARS = 10
    run = run_at(NOW)
    assert line(run, "abandoned-drafts").period == "30 days"
    assert line(run, "closed-cases").period == "10 years"


def test_the_report_has_counts_and_no_personal_data(
    assessment, represented_assessment, service_user, representative
) -> None:
    saved_days_ago(assessment, 84)
    saved_days_ago(represented_assessment, 91)
    run_at(NOW - datetime.timedelta(days=7))
    run = run_at(NOW)
    drafts = line(run, "abandoned-drafts")
    assert (drafts.warned_count, drafts.deleted_count, drafts.anonymised_count) == (1, 1, 1)
    text = report_text(run)
    for personal in (
        "Sam Service-User",
        "Ida Represented",
        "My mother",
        service_user.email,
        representative.email,
        assessment.reference,
        represented_assessment.reference,
        str(assessment.public_id),
        str(assessment.person.public_id),
    ):
        assert personal not in text


def test_a_second_run_while_one_is_going_does_nothing() -> None:
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [RUN_LOCK_KEY])
        assert retention_run() is None
        other.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])
    assert not RetentionRun.objects.exists()
    assert retention_run() is not None


def test_a_run_lost_with_its_worker_is_marked_as_stopped_by_the_next() -> None:
    lost = RetentionRun.objects.create(started_at=NOW - datetime.timedelta(days=1))
    run_at(NOW)
    lost.refresh_from_db()
    assert lost.state == RunState.STOPPED
    assert lost.finished_at is not None


class Failing:
    code = "failing"
    title = "A kind that fails"

    def period(self) -> str:
        return "1 day"

    def rule(self) -> str:
        return "Fails after warning one."

    def apply(self, *, now: datetime.datetime, tally: Tally) -> None:
        tally.warned = 1
        raise RuntimeError("Mrs Smith's record broke")  # a message a report must never show


def test_a_failing_kind_is_reported_and_the_others_still_run(assessment, caplog) -> None:
    saved_days_ago(assessment, 84)
    run = retention_run(kinds=(Failing(), *KINDS))
    assert run is not None
    failed = line(run, "failing")
    assert not failed.succeeded
    assert "RuntimeError" in failed.failure
    assert "Smith" not in failed.failure
    assert failed.warned_count == 1
    assert line(run, "abandoned-drafts").succeeded
    assert run.state == RunState.FINISHED


def test_the_nightly_job_is_scheduled_at_half_past_two() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["retention-run"]
    assert entry["task"] == "retention.retention_run"
    assert entry["schedule"] == crontab(hour=2, minute=30)


def test_the_task_runs_the_schedule_and_returns_the_run(assessment) -> None:
    saved_days_ago(assessment, 84, now=datetime.datetime.now(tz=datetime.UTC))
    run_id = retention_run_task.apply().get()
    assert run_id is not None
    run = RetentionRun.objects.get(pk=run_id)
    assert line(run, "abandoned-drafts").warned_count == 1
    assert len(mail.outbox) == 1

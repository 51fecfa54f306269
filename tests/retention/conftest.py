"""Retention tests: drafts and cases placed in time, and the nightly run at a moment of choice.

NOW is 02:30 on 1 March 2027, council time, when the nightly run starts. With the default
settings a draft is kept for 90 days after its last save, warned on day 84 and deleted on day 91.
"""

import datetime
from zoneinfo import ZoneInfo

import time_machine

from questionnaires.models import Assessment
from ras.retention.models import RetentionReportLine, RetentionRun
from ras.retention.services import retention_run
from tests.allocations.conftest import older_people, published_version  # noqa: F401
from tests.questionnaires.conftest import (  # noqa: F401
    FULL_ANSWERS,
    answer_all,
    assessment,
    questionnaire,
    represented_assessment,
)
from tests.reviews.conftest import (  # noqa: F401
    _run_tasks_in_process,
    decision,
    submitted_assessment,
)

__all__ = ["FULL_ANSWERS", "answer_all"]  # helpers the tests import from here

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 3, 1, 2, 30, tzinfo=LONDON)


def days(count: float) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def saved_days_ago(draft: Assessment, count: float, *, now: datetime.datetime = NOW) -> None:
    Assessment.objects.filter(pk=draft.pk).update(last_saved_at=now - days(count))


def run_at(moment: datetime.datetime) -> RetentionRun:
    with time_machine.travel(moment, tick=False):
        run = retention_run()
    assert run is not None
    return run


def line(run: RetentionRun, kind: str) -> RetentionReportLine:
    return run.lines.get(kind=kind)


def exists(draft: Assessment) -> bool:
    return Assessment.objects.filter(pk=draft.pk).exists()

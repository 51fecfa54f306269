"""Recalculation runs on real Celery worker processes and the real Redis, with things going wrong.

Each test starts its own workers on a queue of its own. To stop a worker half-way through a run,
the chunks are small (50 cases) and slow: the workers are started with the test-only setting
``RECALCULATION_CHUNK_DELAY_SECONDS``, a pause inside each chunk's transaction, before it writes.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.db.models import Count, Sum
from kombu import Queue

from allocations.models import RecalculationResult, RecalculationRun, RunState
from allocations.recalculation.services import (
    RunScope,
    recalculation_cancel,
    recalculation_resume,
    recalculation_start,
)
from questionnaires.loading import questionnaire_load
from questionnaires.models import Assessment
from ras.celery import app as celery_app
from reviews.synthetic_cases import cases_generate
from tests.conftest import PROJECT_ROOT
from tests.questionnaires.conftest import MINI_SAQ

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

CASES = 2_000
CHUNK_SIZE = 50  # 40 chunks
CHUNK_DELAY_SECONDS = 0.1
WAIT_SECONDS = 60
EVERYTHING = RunScope(submitted_from=None, submitted_to=None, decided_only=False)

# Starts `celery` with the chunk delay set first, so the worker and its pool process inherit it.
WORKER_BOOT = (
    "import sys\n"
    "from django.conf import settings\n"
    "settings.RECALCULATION_CHUNK_DELAY_SECONDS = float(sys.argv.pop(1))\n"
    "from celery.__main__ import main\n"
    "sys.argv[0] = 'celery'\n"
    "main()\n"
)


class Workers:
    """Real `celery worker` processes on the test database and a queue of their own."""

    def __init__(self, database_url: str, queue: str) -> None:
        self.database_url = database_url
        self.queue = queue
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        hostname = f"{self.queue}-{len(self.processes)}"
        process = subprocess.Popen(
            [
                sys.executable, "-c", WORKER_BOOT, str(CHUNK_DELAY_SECONDS),
                "-A", "ras", "worker", "--queues", self.queue, "--concurrency", "1",
                "--loglevel", "ERROR", "--hostname", f"{hostname}@%h",
                "--without-mingle", "--without-gossip",
            ],
            cwd=PROJECT_ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "ras.settings.test",
                "DATABASE_URL": self.database_url,
                "CELERY_QUEUE": self.queue,
            },
            start_new_session=True,  # its own process group: the pool process dies with it
        )  # fmt: skip
        self.processes.append(process)
        deadline = time.monotonic() + WAIT_SECONDS
        while not celery_app.control.ping(destination=[f"{hostname}@{os.uname().nodename}"]):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("The Celery worker did not start.")
            time.sleep(0.2)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """SIGKILL: no goodbye, no acknowledgement, no rollback but the database's own."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


@pytest.fixture
def workers(transactional_db: None) -> Iterator[Workers]:
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    queue = f"ras-test-recalc-{uuid.uuid4().hex[:10]}"
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    pool = Workers(database_url, queue)
    try:
        yield pool
    finally:
        pool.stop_all()
        celery_app.conf.task_default_queue = default_queue
        with celery_app.connection_for_write() as broker:
            Queue(queue).bind(broker.default_channel).delete()  # chunks sent twice, never taken


@pytest.fixture
def cases(published_version, social_worker, settings) -> list[int]:
    """2,000 realistic older people's cases, 60% with a decided budget, in chunks of 50."""
    settings.RECALCULATION_CHUNK_SIZE = CHUNK_SIZE
    cases_generate(
        n=CASES,
        questionnaire=questionnaire_load(MINI_SAQ).version,
        tables={"older-people": published_version},
        staff=social_worker,
        seed=11,
    )
    return list(Assessment.objects.order_by("pk").values_list("pk", flat=True))


def wait_for(run: RecalculationRun, condition: Callable[[RecalculationRun], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        run.refresh_from_db()
        if condition(run):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"Run {run.pk} is {run.state} with {run.done_count} done.")
        time.sleep(0.05)


def start(version, actor, token=None) -> RecalculationRun:
    return recalculation_start(
        table_version=version, actor=actor, scope=EVERYTHING, request_token=token or uuid.uuid4()
    )


def totals(run: RecalculationRun) -> dict[str, int]:
    return RecalculationResult.objects.filter(run=run).aggregate(
        cases=Count("id"),
        assessments=Count("assessment_id", distinct=True),
        full_needs=Sum("full_needs_annual_pence"),
        indicative=Sum("indicative_annual_pence"),
        original=Sum("original_indicative_annual_pence"),
        final=Sum("final_annual_pence"),
        difference=Sum("difference_pence"),
    )


def figures(run: RecalculationRun) -> set[tuple]:
    return set(
        RecalculationResult.objects.filter(run=run).values_list(
            "assessment_id",
            "full_needs_annual_pence",
            "indicative_annual_pence",
            "original_indicative_annual_pence",
            "final_annual_pence",
            "difference_pence",
        )
    )


def test_a_run_whose_worker_was_killed_completes_when_resumed_on_another_worker(
    workers, cases, draft_version, finance_lead
) -> None:
    first = workers.start()
    run = start(draft_version, finance_lead)
    wait_for(run, lambda run: run.done_count >= 10 * CHUNK_SIZE)

    workers.kill(first)

    run.refresh_from_db()
    assert run.state == RunState.RUNNING
    assert run.done_count < CASES
    # What the killed worker was writing was rolled back: results are exactly the chunks done.
    assert RecalculationResult.objects.filter(run=run).count() == run.done_count
    assert run.done_count == CHUNK_SIZE * run.chunks.filter(done_at__isnull=False).count()

    workers.start()
    recalculation_resume(run=run, actor=finance_lead)
    wait_for(run, lambda run: run.state == RunState.COMPLETED)

    never_interrupted = start(draft_version, finance_lead)
    wait_for(never_interrupted, lambda run: run.state == RunState.COMPLETED)

    assert (run.total_count, run.done_count) == (CASES, CASES)
    assert not run.is_partial
    assert set(
        RecalculationResult.objects.filter(run=run).values_list("assessment_id", flat=True)
    ) == set(cases)
    assert totals(run) == totals(never_interrupted)
    assert totals(run)["cases"] == totals(run)["assessments"] == CASES
    assert figures(run) == figures(never_interrupted)


def test_a_run_cancelled_half_way_stops_and_its_results_are_partial(
    workers, cases, draft_version, finance_lead
) -> None:
    workers.start()
    run = start(draft_version, finance_lead)
    wait_for(run, lambda run: run.done_count >= 5 * CHUNK_SIZE)

    run = recalculation_cancel(run=run, actor=finance_lead)

    assert run.state == RunState.CANCELLED
    assert run.is_partial
    # The chunk being priced when the run was cancelled is rolled back, and the chunks still
    # queued find the run cancelled: give them time to run, then nothing has moved.
    time.sleep(3 * CHUNK_DELAY_SECONDS)
    counted = run.done_count
    time.sleep(1)
    run.refresh_from_db()
    assert run.state == RunState.CANCELLED
    assert run.done_count == counted < CASES
    assert RecalculationResult.objects.filter(run=run).count() == run.done_count
    assert run.chunks.filter(done_at__isnull=True).exists()


def test_two_clicks_on_start_at_the_same_moment_make_one_run(
    workers, cases, draft_version, finance_lead
) -> None:
    workers.start()
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    started: list[int] = []

    def click() -> None:
        try:
            barrier.wait()
            started.append(start(draft_version, finance_lead, token=token).pk)
        finally:
            connection.close()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()

    assert len(started) == 2
    assert started[0] == started[1]
    assert RecalculationRun.objects.count() == 1
    run = RecalculationRun.objects.get()
    wait_for(run, lambda run: run.state == RunState.COMPLETED)
    assert totals(run)["cases"] == totals(run)["assessments"] == run.done_count == CASES

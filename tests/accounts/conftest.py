"""Account tests run Celery tasks (the sign-in change emails) in the test process; the task's own
test runs it through a real worker."""

from collections.abc import Iterator

import pytest

from ras.celery import app as celery_app


@pytest.fixture(autouse=True)
def _run_tasks_in_process() -> Iterator[None]:
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False

"""A submitted, priced assessment and its decision, taken by the social worker.

The mini questionnaire answered with FULL_ANSWERS scores 34 points; with the published older
people's table that is £6,640.00 full needs, less 25% for a lot of help from family or friends:
an indicative budget of £4,980.00 a year (498,000 pence).
"""

import datetime

import pytest
import time_machine

from allocations.budgets import assessment_submit_and_price
from questionnaires.models import Assessment
from ras.accounts.models import User
from ras.celery import app as celery_app
from reviews.models import BudgetDecision
from reviews.services import decision_open
from tests.allocations.conftest import older_people, published_version  # noqa: F401
from tests.questionnaires.conftest import (  # noqa: F401
    FULL_ANSWERS,
    answer_all,
    assessment,
    questionnaire,
)

INDICATIVE_PENCE = 498_000


@pytest.fixture
def submitted_assessment(assessment, service_user, published_version) -> Assessment:
    answer_all(assessment, service_user, FULL_ANSWERS)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC)):
        submitted, budget = assessment_submit_and_price(assessment=assessment, actor=service_user)
    assert budget is not None
    assert budget.indicative_annual_pence == INDICATIVE_PENCE
    return submitted


@pytest.fixture
def decision(submitted_assessment, social_worker: User) -> BudgetDecision:
    return decision_open(assessment=submitted_assessment, actor=social_worker)


@pytest.fixture(autouse=True)
def _run_tasks_in_process():
    """Unit tests run Celery tasks in the test process; integration tests use real workers."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False

import pytest
from django.conf import settings

from ras.accounts.roles import Role
from ras.accounts.services import user_create
from ras.celery import app as celery_app
from ras.tasks import count_accounts


def test_celery_is_configured_for_work_that_survives_a_lost_worker() -> None:
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit > conf.task_soft_time_limit > 0
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.result_backend == "django-db"
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert conf.broker_url == settings.REDIS_URL


@pytest.mark.celery_worker
@pytest.mark.usefixtures("celery_worker_process", "transactional_db")
def test_a_real_worker_runs_a_task_against_the_same_database_and_stores_its_result() -> None:
    for number in range(3):
        user_create(email=f"p{number}@example.org", full_name="P", roles=[Role.SERVICE_USER])
    result = count_accounts.delay()
    assert result.get(timeout=30) == 3

    from django_celery_results.models import TaskResult

    stored = TaskResult.objects.get(task_id=result.id)
    assert stored.status == "SUCCESS"
    assert stored.task_name == "ras.count_accounts"

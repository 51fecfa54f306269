import uuid

import pytest
from django.test import Client, override_settings

from ras.celery import app as celery_app

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.mark.celery_worker
@pytest.mark.usefixtures("celery_worker_process", "transactional_db")
def test_healthz_is_200_when_database_redis_and_a_worker_are_up() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "up", "redis": "up", "celery_worker": "up"},
        "down": [],
    }


def test_healthz_is_503_naming_redis_when_redis_is_down() -> None:
    with override_settings(CELERY_BROKER_URL=UNREACHABLE_REDIS):
        response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert "redis" in body["down"]
    assert body["checks"]["database"] == "up"


def test_healthz_is_503_naming_the_worker_when_no_worker_takes_the_queue() -> None:
    """Redis is up, and other workers may answer on it (the tests' own, another service's), but
    none takes this service's queue."""
    queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = f"nobody-takes-{uuid.uuid4().hex[:10]}"
    try:
        with override_settings(HEALTH_WORKER_PING_TIMEOUT_SECONDS=0.3):
            response = Client().get("/healthz")
    finally:
        celery_app.conf.task_default_queue = queue
    assert response.status_code == 503
    assert response.json()["down"] == ["celery_worker"]

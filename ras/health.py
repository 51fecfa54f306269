"""`GET /healthz`: is the database, the broker (Redis) and at least one Celery worker up?"""

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ras.celery import app as celery_app

UP = "up"
DOWN = "down"


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return DOWN
    return UP


def redis_state() -> str:
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
    )
    try:
        client.ping()
    except redis.RedisError:
        return DOWN
    finally:
        client.close()
    return UP


def celery_worker_state(*, broker_up: bool) -> str:
    """Up if a worker taking the service's queue answers within the configured timeout; a worker
    of something else sharing the broker does not count."""
    if not broker_up:
        return DOWN
    queue = celery_app.conf.task_default_queue
    try:
        replies = celery_app.control.inspect(
            timeout=settings.HEALTH_WORKER_PING_TIMEOUT_SECONDS
        ).active_queues()
    except Exception:  # noqa: BLE001 - any failure to reach a worker means "down"
        return DOWN
    taken = {queue_info["name"] for queues in (replies or {}).values() for queue_info in queues}
    return UP if queue in taken else DOWN


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_state(), "redis": redis_state()}
    checks["celery_worker"] = celery_worker_state(broker_up=checks["redis"] == UP)
    down = [name for name, state in checks.items() if state == DOWN]
    body = {"status": "ok" if not down else "unavailable", "checks": checks, "down": down}
    return JsonResponse(body, status=503 if down else 200)

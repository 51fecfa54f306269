import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_deploy_check_of_production_settings_prints_no_warnings() -> None:
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; production never has it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "SECRET_KEY": "a8Jf2-kQz9!pX4vLm7#tR1wYc6&nB3sD0gH5eU8iO2aZ_qWe5TgY7uJ",
        "ALLOWED_HOSTS": "budgets.northbrook.gov.uk",
        "DATABASE_URL": "postgres://ras@db.internal:5432/ras",
        "REDIS_URL": "redis://redis.internal:6379/0",
    }
    result = subprocess.run(
        [
            sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING",
            "--settings=ras.settings.production",
        ],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"ALLOWED_HOSTS": "budgets.northbrook.gov.uk"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--settings=ras.settings.production"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr

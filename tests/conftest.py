"""The cast of users every permission test can call on, and the real Celery worker fixture."""

import importlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from ras.accounts.two_step_selectors import second_factor_required
from ras.celery import app as celery_app

PASSWORD = "correct-horse-battery-staple"
PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Reference data that migrations seed: (migration module, its seeding function).
REFERENCE_DATA_SEEDS = (
    ("ras.accounts.migrations.0002_role_groups", "create_role_groups"),
    ("allocations.migrations.0002_seed_client_groups", "seed"),
    ("reviews.migrations.0002_seed_authority_and_reasons", "seed"),
)
DATABASE_FIXTURES = ("db", "transactional_db", "live_server", "django_db_reset_sequences")


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Puts back the migrations' reference data (roles, client groups, delegated authority,
    reason codes) when a test that flushes the database (live server, real workers) ran before.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not set(DATABASE_FIXTURES) & set(request.fixturenames):
        return
    transactional = bool({"live_server", "transactional_db"} & set(request.fixturenames)) or bool(
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps
    from django.db import connection

    for module_name, function_name in REFERENCE_DATA_SEEDS:
        getattr(importlib.import_module(module_name), function_name)(apps, connection.schema_editor)


def make_user(role: Role, email: str, full_name: str) -> User:
    return user_create(email=email, full_name=full_name, roles=[role], password=PASSWORD)


@pytest.fixture
def service_user(db: None) -> User:
    return make_user(Role.SERVICE_USER, "sam@example.org", "Sam Service-User")


@pytest.fixture
def second_service_user(db: None) -> User:
    return make_user(Role.SERVICE_USER, "sol@example.org", "Sol Second-User")


@pytest.fixture
def representative(db: None) -> User:
    return make_user(Role.REPRESENTATIVE, "rita@example.org", "Rita Representative")


@pytest.fixture
def social_worker(db: None) -> User:
    return make_user(Role.SOCIAL_WORKER, "wendy@example.org", "Wendy Worker")


@pytest.fixture
def team_manager(db: None) -> User:
    return make_user(Role.TEAM_MANAGER, "mo@example.org", "Mo Manager")


@pytest.fixture
def finance_lead(db: None) -> User:
    return make_user(Role.FINANCE_LEAD, "fiona@example.org", "Fiona Finance")


@pytest.fixture
def panel_member(db: None) -> User:
    return make_user(Role.PANEL_MEMBER, "pat@example.org", "Pat Panel")


@pytest.fixture
def administrator(db: None) -> User:
    return make_user(Role.ADMINISTRATOR, "ada@example.org", "Ada Administrator")


@pytest.fixture
def client_for() -> "ClientFactory":
    return ClientFactory()


class ClientFactory:
    """`client_for(user)` is a test client signed in as that user, fully: for a person who needs
    two-step sign-in (all staff), with an authenticator app set up and its second step taken.
    """

    def __call__(self, user: User, **client_options: Any) -> Client:
        client = Client(**client_options)
        client.force_login(user)
        if second_factor_required(user):
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = authenticator_app_for(user).persistent_id
            session.save()
        return client


def authenticator_app_for(user: User) -> TOTPDevice:
    """The person's confirmed authenticator app, set up now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


def totp_code(device: TOTPDevice) -> str:
    """A 6-digit code the app would show that the server accepts now.

    Each code works once, so when this time step's code was used already (two sign-ins within 30
    seconds), it is the app's next code, which the server's one-step tolerance accepts; past that
    it waits for the clock. Under a frozen clock (time-machine), shift the clock instead.
    """
    for _ in range(2):
        device.refresh_from_db()
        now = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        step = max(now.t(), device.last_t + 1)
        if step <= now.t() + device.tolerance:
            return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"
        time.sleep(device.step - time.time() % device.step + 0.1)
    raise RuntimeError("No code is usable yet: the test clock is frozen; shift it by 30 seconds.")


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[str]:
    """A real `celery worker` process on the test Redis and the test database.

    The worker gets a queue of its own, so nothing else on the machine takes its tasks. Tests that
    use it need `transactional_db`, so that what they write is committed and the worker can see it.
    """
    from django.db import connection

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    queue = f"ras-test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ras.settings.test",
        "DATABASE_URL": database_url,
        "CELERY_QUEUE": queue,
    }
    celery_app.conf.task_default_queue = queue
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "ras", "worker",
            "--queues", queue, "--concurrency", "1", "--loglevel", "WARNING",
            "--hostname", f"{queue}@%h", "--without-mingle", "--without-gossip",
        ],
        cwd=PROJECT_ROOT,
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not celery_app.control.ping(destination=[f"{queue}@{os.uname().nodename}"]):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("The Celery worker did not start.")
            time.sleep(0.5)
        yield queue
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@pytest.fixture(autouse=True, scope="session")
def _flush_can_empty_the_access_audit() -> Iterator[None]:
    """Between transactional tests (browser tests, real workers) Django empties every table with
    TRUNCATE, which the append-only access audit refuses (see ras.audit.models). The test
    database's superuser empties it as database maintenance would: with triggers off for that
    one transaction. No test of the application runs this way.
    """
    from django.db.backends.base.operations import BaseDatabaseOperations
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
        original(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]

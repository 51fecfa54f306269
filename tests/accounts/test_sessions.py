from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from ras.accounts.models import User
from tests.accounts.two_step_helpers import signed_in_client

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def is_signed_in(client: Client) -> bool:
    return bool(client.get(reverse("accounts:home")).status_code == 200)


def test_a_session_ends_after_30_minutes_without_activity(social_worker: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(social_worker)
        clock.shift(timedelta(minutes=31))
        assert not is_signed_in(client)


def test_activity_keeps_a_session_alive_past_30_minutes(social_worker: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(social_worker)
        clock.shift(timedelta(minutes=20))
        assert is_signed_in(client)
        clock.shift(timedelta(minutes=20))
        assert is_signed_in(client)


def test_a_session_ends_after_12_hours_however_active(social_worker: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = signed_in_client(social_worker)
        for _ in range(12 * 3 - 1):  # a request every 20 minutes for 11 hours 40 minutes
            clock.shift(timedelta(minutes=20))
            assert is_signed_in(client)
        clock.shift(timedelta(minutes=21))
        assert not is_signed_in(client)

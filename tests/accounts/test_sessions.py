from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from ras.accounts.models import User
from tests.conftest import PASSWORD, authenticator_app_for, totp_code

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def signed_in_client(user: User) -> Client:
    """Signs in with the password, then the code from the person's authenticator app."""
    device = authenticator_app_for(user)
    client = Client()
    response = client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    response = client.post(reverse("accounts:two-step"), {"code": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    return client


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

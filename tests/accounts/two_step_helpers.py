"""Signing in step by step, as a browser would, for the two-step sign-in tests."""

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from ras.accounts.models import User
from tests.conftest import PASSWORD


def password_only_client(user: User, **client_options: Any) -> Client:
    """A client that has given the right password and nothing more."""
    client = Client(**client_options)
    response = client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()
    return client


def is_verified(client: Client) -> bool:
    """Has this client's session taken the second step?"""
    return DEVICE_ID_SESSION_KEY in client.session

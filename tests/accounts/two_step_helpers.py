"""Signing in step by step, as a browser would, for the two-step sign-in tests."""

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from ras.accounts.models import User
from ras.accounts.two_step_selectors import second_factor_required
from tests.conftest import PASSWORD, authenticator_app_for, totp_code


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


def signed_in_client(user: User, **client_options: Any) -> Client:
    """Signed in through the pages as a person would: the password, then the code if needed."""
    device = authenticator_app_for(user) if second_factor_required(user) else None
    client = password_only_client(user, **client_options)
    if device is not None:
        response = client.post(reverse("accounts:two-step"), {"code": totp_code(device)})
        assert response.status_code == 302, response.content.decode()
    return client

from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.urls import reverse

from ras.accounts.demo import DEMO_ACCOUNTS, demo_accounts_load
from ras.accounts.models import User
from ras.accounts.roles import Role
from tests.conftest import PASSWORD

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str) -> "_MonkeyPatchedWSGIResponse":
    return client.post(reverse("accounts:sign-in"), {"username": email, "password": password})


def test_a_person_signs_in_with_their_email_address(social_worker: User) -> None:
    client = Client()
    response = sign_in(client, "Wendy@Example.org", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert client.session["_auth_user_id"] == str(social_worker.pk)


def test_a_wrong_password_is_refused_with_a_plain_message(social_worker: User) -> None:
    client = Client()
    response = sign_in(client, "wendy@example.org", "not-the-password")
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_empty_form_lists_each_missing_field() -> None:
    response = Client().post(reverse("accounts:sign-in"), {})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter your email address" in page
    assert "Enter your password" in page


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(social_worker: User) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wendy@example.org", "wrong-password")
    response = sign_in(client, "wendy@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_account_does_not_lock_out_other_people(
    social_worker: User, finance_lead: User
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "wendy@example.org", "wrong-password")
    assert sign_in(Client(), "fiona@example.org", PASSWORD).status_code == 302


def test_signing_out_needs_a_post_and_ends_the_session(social_worker: User) -> None:
    client = Client()
    client.force_login(social_worker)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:signed-out")
    assert "_auth_user_id" not in client.session


def test_demo_accounts_sign_in_where_local_settings_allow_them() -> None:
    demo_accounts_load(password="demo-password-2026")
    response = sign_in(Client(), DEMO_ACCOUNTS[0].email, "demo-password-2026")
    assert response.status_code == 302


@override_settings(ALLOW_DEMO_SIGN_IN=False)
def test_demo_accounts_cannot_sign_in_outside_local_settings() -> None:
    demo_accounts_load(password="demo-password-2026")
    for account in DEMO_ACCOUNTS:
        client = Client()
        response = sign_in(client, account.email, "demo-password-2026")
        assert response.status_code == 200, account.email
        assert "_auth_user_id" not in client.session


def test_loading_demo_data_twice_keeps_one_account_per_role() -> None:
    demo_accounts_load(password="demo-password-2026")
    demo_accounts_load(password="demo-password-2026")
    assert User.objects.filter(is_demo=True).count() == len(Role)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.roles == [account.role]


def test_every_role_has_its_group() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}

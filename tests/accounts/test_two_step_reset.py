"""An administrator resets a colleague's two-step sign-in, with a reason that is kept."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ras.accounts.models import AccountAction, RecoveryCodeSet, User
from ras.accounts.two_step_services import recovery_codes_replace
from tests.accounts.two_step_helpers import password_only_client
from tests.conftest import ClientFactory, authenticator_app_for

pytestmark = pytest.mark.django_db


def reset_url(user: User) -> str:
    return reverse("accounts:admin-two-step-reset", kwargs={"public_id": user.public_id})


def is_signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:home")).status_code == 200


def test_a_reset_removes_the_app_and_codes_ends_sessions_and_is_recorded(
    administrator: User, social_worker: User, client_for: ClientFactory
) -> None:
    worker = client_for(social_worker)
    assert is_signed_in(worker)
    recovery_codes_replace(user=social_worker)
    admin = client_for(administrator)
    page = admin.get(reset_url(social_worker)).content.decode()
    assert "Reset their two-step sign-in" in page
    assert "10 recovery codes" in page
    response = admin.post(reset_url(social_worker), {"reason": "Lost her phone; rang to ask."})
    assert response["Location"] == reverse(
        "accounts:admin-person", kwargs={"public_id": social_worker.public_id}
    )
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert not RecoveryCodeSet.objects.filter(user=social_worker).exists()
    assert not is_signed_in(worker)
    action = AccountAction.objects.get()
    assert action.kind == AccountAction.Kind.TWO_STEP_RESET
    assert (action.actor, action.subject) == (administrator, social_worker)
    assert action.reason == "Lost her phone; rang to ask."
    assert action.sessions_ended == 1
    # At the next sign-in, she sets up an app again.
    response = password_only_client(social_worker).get(reverse("accounts:home"))
    assert response["Location"].startswith(reverse("accounts:two-step-set-up"))


def test_the_log_shows_who_reset_whom_when_and_why(
    administrator: User, social_worker: User, client_for: ClientFactory
) -> None:
    authenticator_app_for(social_worker)
    admin = client_for(administrator)
    admin.post(reset_url(social_worker), {"reason": "New phone."})
    page = admin.get(reverse("accounts:admin-account-actions")).content.decode()
    assert "Reset two-step sign-in" in page
    assert "Wendy Worker" in page
    assert "Ada Administrator" in page
    assert "New phone." in page
    person = admin.get(
        reverse("accounts:admin-person", kwargs={"public_id": social_worker.public_id})
    ).content.decode()
    assert "New phone." in person


def test_an_administrator_cannot_reset_their_own(
    administrator: User, client_for: ClientFactory
) -> None:
    admin = client_for(administrator)
    device = TOTPDevice.objects.get(user=administrator)
    assert admin.get(reset_url(administrator)).status_code == 403
    assert admin.post(reset_url(administrator), {"reason": "Me."}).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AccountAction.objects.exists()
    page = admin.get(
        reverse("accounts:admin-person", kwargs={"public_id": administrator.public_id})
    ).content.decode()
    assert "You cannot reset your own two-step sign-in here" in page


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "finance_lead", "panel_member"])
def test_other_staff_cannot_reset_a_colleague(
    role: str, request: pytest.FixtureRequest, administrator: User, client_for: ClientFactory
) -> None:
    device = authenticator_app_for(administrator)
    client = client_for(request.getfixturevalue(role))
    assert client.post(reset_url(administrator), {"reason": "Why not."}).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AccountAction.objects.exists()


def test_a_reset_without_a_reason_is_refused_and_changes_nothing(
    administrator: User, social_worker: User, client_for: ClientFactory
) -> None:
    device = authenticator_app_for(social_worker)
    page = client_for(administrator).post(reset_url(social_worker), {"reason": " "}).content
    assert "Give the reason" in page.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AccountAction.objects.exists()


def test_the_reset_service_refuses_a_non_administrator(
    social_worker: User, team_manager: User
) -> None:
    from django.core.exceptions import PermissionDenied

    from ras.accounts.two_step_services import two_step_reset

    device = authenticator_app_for(team_manager)
    with pytest.raises(PermissionDenied):
        two_step_reset(actor=social_worker, subject=team_manager, reason="Because.")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()

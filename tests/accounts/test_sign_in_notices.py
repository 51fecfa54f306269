"""Each change to how someone signs in is emailed to them once it is committed, without codes."""

import pytest
from django.core import mail

from ras.accounts.models import RecoveryCode, User
from ras.accounts.two_step_services import (
    CodeRefused,
    recovery_codes_replace,
    totp_device_confirm,
    totp_device_start,
    two_step_reset,
    two_step_turn_off,
    two_step_verify,
)
from tests.conftest import authenticator_app_for, totp_code

pytestmark = pytest.mark.django_db


def notices_to(user: User) -> list[str]:
    return [str(message.body) for message in mail.outbox if message.to == [user.email]]


def test_setting_up_an_app_is_emailed_without_the_recovery_codes(
    finance_lead: User, django_capture_on_commit_callbacks
) -> None:
    device = totp_device_start(user=finance_lead)
    with django_capture_on_commit_callbacks(execute=True):
        _, codes = totp_device_confirm(user=finance_lead, code=totp_code(device))

    (body,) = notices_to(finance_lead)
    assert "two-step sign-in was set up with an authenticator app" in body
    assert "If this was not you, contact us straight away: 01632 960000" in body
    assert not any(code in body for code in codes)
    assert mail.outbox[0].subject == "How you sign in has changed"


def test_signing_in_with_a_recovery_code_is_emailed(
    social_worker: User, django_capture_on_commit_callbacks
) -> None:
    authenticator_app_for(social_worker)
    codes = recovery_codes_replace(user=social_worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        two_step_verify(user=social_worker, code=codes[0], recovery=True)

    (body,) = notices_to(social_worker)
    assert "a recovery code was used to sign in" in body


def test_new_recovery_codes_are_emailed(
    social_worker: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        recovery_codes_replace(user=social_worker)

    (body,) = notices_to(social_worker)
    assert "a new set of recovery codes was made and the old ones stopped working" in body


def test_turning_two_step_sign_in_off_is_emailed(
    service_user: User, django_capture_on_commit_callbacks
) -> None:
    device = authenticator_app_for(service_user)
    with django_capture_on_commit_callbacks(execute=True):
        two_step_turn_off(user=service_user, code=totp_code(device))

    (body,) = notices_to(service_user)
    assert "two-step sign-in was turned off" in body


def test_a_reset_is_emailed_to_the_colleague_not_the_administrator(
    social_worker: User, administrator: User, django_capture_on_commit_callbacks
) -> None:
    authenticator_app_for(social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        two_step_reset(actor=administrator, subject=social_worker, reason="Lost phone")

    (body,) = notices_to(social_worker)
    assert "an administrator reset two-step sign-in and signed you out everywhere" in body
    assert notices_to(administrator) == []


def test_a_wrong_code_changes_nothing_and_sends_nothing(
    social_worker: User, django_capture_on_commit_callbacks
) -> None:
    authenticator_app_for(social_worker)
    recovery_codes_replace(user=social_worker)  # made outside the capture: its notice is not sent
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CodeRefused):
        two_step_verify(user=social_worker, code="ABCD-EFGH-JKMN", recovery=True)

    assert mail.outbox == []
    assert RecoveryCode.objects.filter(code_set__user=social_worker, used_at=None).count() == 10

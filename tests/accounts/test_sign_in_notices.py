"""Each change to how someone signs in is emailed to them once it is committed, without codes."""

import datetime

import pytest
from django.core import mail

from ras.accounts.models import RecoveryCode, User
from ras.accounts.sign_in_notices import sign_in_change_notice
from ras.accounts.tasks import send_sign_in_change_notice
from ras.accounts.two_step_services import (
    CodeRefused,
    recovery_codes_replace,
    totp_device_confirm,
    totp_device_start,
    two_step_reset,
    two_step_turn_off,
    two_step_verify,
)
from ras.celery import app as celery_app
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


def test_the_notice_says_when_the_change_was_made_in_council_time(finance_lead: User) -> None:
    """14:05 UTC on 24 November 2026 is 2:05pm in London (GMT in November)."""
    at = datetime.datetime(2026, 11, 24, 14, 5, tzinfo=datetime.UTC)
    _, body = sign_in_change_notice(finance_lead, "two-step sign-in was turned off", changed_at=at)
    assert "On 24 November 2026 at 2:05pm, two-step sign-in was turned off" in body


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_notice_and_skips_an_account_that_is_gone(
    finance_lead: User, celery_worker_process
) -> None:
    """The worker's email goes to its own process's outbox: what it reports is the count sent."""
    celery_app.conf.task_always_eager = False
    change, at = "two-step sign-in was turned off", "2026-11-24T14:05:00+00:00"
    assert send_sign_in_change_notice.delay(finance_lead.pk, change, at).get(timeout=30) == 1
    gone = finance_lead.pk + 1_000
    assert send_sign_in_change_notice.delay(gone, change, at).get(timeout=30) == 0

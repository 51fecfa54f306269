"""Writes for two-step sign-in. Each function is the one door for its change.

A code is checked with its device row locked (`select_for_update`), so two requests cannot both
use one code. A wrong code counts towards django-otp's throttling even though the function then
raises: the count is committed before `CodeRefused` leaves the transaction.
"""

import math
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from ras.accounts import recovery_codes
from ras.accounts.models import AccountAction, RecoveryCode, RecoveryCodeSet, User
from ras.accounts.roles import Role
from ras.accounts.session_services import sessions_end
from ras.accounts.tasks import sign_in_change_notify
from ras.accounts.two_step_selectors import second_factor_mandatory

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
WRONG_APP_CODE = "The code is not right. Enter the 6-digit code your authenticator app shows now"
WRONG_RECOVERY_CODE = "The recovery code is not right, or it has been used already"


class CodeRefused(Exception):
    """A code was not accepted; `message` says why in plain words."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NothingToConfirm(Exception):
    """There is no authenticator app being set up for this person (it was reset, or finished)."""


def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator app the person is setting up: the one they started, or a new one.

    A confirmed app stays in use until the new one is confirmed.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the app being set up with a code it shows, and makes a new set of recovery codes.

    Replaces any app set up before. Returns the app and the new codes in plain text, the only
    time they exist outside the person's hands. Raises NothingToConfirm or CodeRefused.
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise NothingToConfirm
        refusal = _check_code(device, code, wrong=WRONG_APP_CODE)
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _recovery_codes_new(user)
            sign_in_change_notify(user, "two-step sign-in was set up with an authenticator app")
    if refusal is not None:
        raise CodeRefused(refusal)
    return device, codes


def two_step_verify(*, user: User, code: str, recovery: bool = False) -> Device:
    """Checks a code from the person's app (or one of their recovery codes, which is then spent).

    Returns the device that accepted it, for `django_otp.login`. Raises CodeRefused.
    """
    model: type[TOTPDevice | RecoveryCodeSet] = RecoveryCodeSet if recovery else TOTPDevice
    wrong = WRONG_RECOVERY_CODE if recovery else WRONG_APP_CODE
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            refusal: str | None = wrong
        else:
            refusal = _check_code(device, code, wrong=wrong)
    if refusal is not None or device is None:
        raise CodeRefused(refusal or wrong)
    if recovery:
        sign_in_change_notify(user, "a recovery code was used to sign in")
    return device


@transaction.atomic
def recovery_codes_replace(*, user: User) -> list[str]:
    """Makes a new set of recovery codes; the old ones stop working. Returns the new codes."""
    codes = _recovery_codes_new(user)
    sign_in_change_notify(
        user, "a new set of recovery codes was made and the old ones stopped working"
    )
    return codes


def _recovery_codes_new(user: User) -> list[str]:
    code_set, _ = RecoveryCodeSet.objects.select_for_update().get_or_create(
        user=user, defaults={"name": RECOVERY_CODES_NAME, "confirmed": True}
    )
    code_set.codes.all().delete()
    code_set.created_at = timezone.now()
    code_set.throttle_reset(commit=False)
    code_set.save()
    codes = [recovery_codes.generate() for _ in range(recovery_codes.CODES_IN_A_SET)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(code_set=code_set, code_hash=recovery_codes.hashed(code)) for code in codes
    )
    return codes


def two_step_turn_off(*, user: User, code: str) -> None:
    """Turns two-step sign-in off for someone who chose it, after a code from their app.

    Council staff cannot: raises PermissionDenied. Raises CodeRefused for a wrong code.
    """
    if second_factor_mandatory(user):
        raise PermissionDenied("Council staff must use two-step sign-in.")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        refusal = WRONG_APP_CODE if device is None else _check_code(device, code, WRONG_APP_CODE)
        if refusal is None:
            _remove_second_factor(user)
            sign_in_change_notify(user, "two-step sign-in was turned off")
    if refusal is not None:
        raise CodeRefused(refusal)


@transaction.atomic
def two_step_reset(*, actor: User, subject: User, reason: str) -> AccountAction:
    """An administrator removes a colleague's app and recovery codes and ends their sessions.

    The colleague sets up an app again at their next sign-in. Nobody may reset their own this
    way (they would skip the check it stands for). Raises PermissionDenied or ValueError.
    """
    if not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied("Only an administrator can reset two-step sign-in.")
    if actor.pk == subject.pk:
        raise PermissionDenied("You cannot reset your own two-step sign-in.")
    if not reason.strip():
        raise ValueError("Give the reason for the reset.")
    _remove_second_factor(subject)
    ended = sessions_end(user=subject)
    sign_in_change_notify(
        subject, "an administrator reset two-step sign-in and signed you out everywhere"
    )
    return AccountAction.objects.create(
        kind=AccountAction.Kind.TWO_STEP_RESET,
        actor=actor,
        subject=subject,
        reason=reason.strip(),
        sessions_ended=ended,
    )


def _remove_second_factor(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCodeSet.objects.filter(user=user).delete()


def _check_code(device: Any, code: str, wrong: str) -> str | None:
    """None when `device` accepts `code`; else why not, in plain words."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return _too_many_tries(details)
    if device.verify_token(code.strip().replace(" ", "")):
        return None
    return wrong


def _too_many_tries(details: dict[str, Any] | None) -> str:
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return "Too many wrong codes. Wait a few minutes, then try again"
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    wait = (
        f"{seconds} second{'s' if seconds != 1 else ''}"
        if seconds < 120
        else f"{math.ceil(seconds / 60)} minutes"
    )
    return f"Too many wrong codes. For your security, wait {wait}, then try again"

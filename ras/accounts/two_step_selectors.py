"""Reads about two-step sign-in: who needs it, who has set it up, how many codes are left."""

import datetime
from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from ras.accounts.models import RecoveryCodeSet, User


@dataclass(frozen=True, slots=True)
class TwoStepStatus:
    required: bool
    app_set_up_at: datetime.datetime | None
    recovery_codes_left: int
    recovery_codes_made_at: datetime.datetime | None

    @property
    def is_set_up(self) -> bool:
        return self.app_set_up_at is not None


def authenticator_app(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_authenticator_app(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def second_factor_mandatory(user: User) -> bool:
    """Council staff and superusers must use two-step sign-in: they cannot turn it off."""
    return user.is_council_staff or user.is_superuser


def second_factor_required(user: User) -> bool:
    """Council staff always need a second step; anyone else once they have set one up."""
    return second_factor_mandatory(user) or has_authenticator_app(user)


def recovery_code_set(user: User) -> RecoveryCodeSet | None:
    code_set: RecoveryCodeSet | None = RecoveryCodeSet.objects.filter(user=user).first()
    return code_set


def two_step_status(user: User) -> TwoStepStatus:
    app = authenticator_app(user)
    code_set = recovery_code_set(user)
    return TwoStepStatus(
        required=second_factor_mandatory(user),
        app_set_up_at=(app.created_at or app.last_used_at) if app else None,
        recovery_codes_left=code_set.codes_left() if code_set else 0,
        recovery_codes_made_at=code_set.created_at if code_set else None,
    )

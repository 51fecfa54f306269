"""People who sign in. Everyone signs in with their email address; roles are groups.

Two-step sign-in: an authenticator app (django-otp's TOTP device) and a set of one-time recovery
codes kept as salted hashes (`RecoveryCodeSet`, a django-otp device of our own). Each signed-in
session has an `AccountSession` record, so people and administrators can see and end sessions.
"""

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django_otp.models import Device, ThrottlingMixin

from ras.accounts import recovery_codes
from ras.accounts.roles import Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("Every account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class Team(models.Model):
    """A team of council staff (a locality or a specialist team); figures can be split by team."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    # Pages about an account name it by this id, never by name or email address.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="Set for administrators: lets the person use Django admin."
    )
    is_demo = models.BooleanField(
        default=False, help_text="A demonstration account: it can sign in only in local settings."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> list[Role]:
        """The roles this person holds, in the order the service lists them.

        Read once per user object (a request has its own), so pages checking several roles
        ask the database once.
        """
        names = {group.name for group in self.groups.all()}
        return [role for role in Role if role.value in names]

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_council_staff(self) -> bool:
        return any(role.is_staff_role for role in self.roles)


class RecoveryCodeSet(ThrottlingMixin, Device):
    """A person's one-time recovery codes, as one django-otp device (at most one per person).

    Codes are stored as salted hashes only (django-otp's own static device keeps them in plain
    text). Verifying a code spends it. Wrong codes slow further tries, as for the app's codes.
    """

    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], name="one_recovery_code_set_per_person")
        ]

    def get_throttle_factor(self) -> int:
        return 1

    def codes_left(self) -> int:
        return int(self.codes.filter(used_at=None).count())

    def verify_token(self, token: str) -> bool:
        """Spends the matching unused code; django-otp calls this with the device row locked."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        normalised = recovery_codes.normalise(token)
        if normalised is not None:
            for code in self.codes.filter(used_at=None):
                if recovery_codes.matches(normalised, code.code_hash):
                    # Compare-and-swap: of two requests with the same code, only one spends it.
                    spent = RecoveryCode.objects.filter(pk=code.pk, used_at=None).update(
                        used_at=timezone.now()
                    )
                    if spent:
                        self.throttle_reset()
                        return True
                    break
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    """One recovery code of a set: its salted hash and, once used, when."""

    code_set = models.ForeignKey(RecoveryCodeSet, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=200)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recovery code {self.pk} of {self.code_set}" + (" (used)" if self.used_at else "")


class AccountSession(models.Model):
    """One signed-in session of an account, for "your sessions" and the administrators' pages.

    It points at Django's own session row (sessions live in the database): deleting that row
    signs the session out, and takes this record with it.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_sessions")
    signed_in_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    browser = models.CharField(max_length=200, help_text='Like "Firefox on Windows".')

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user}: {self.browser}, signed in {self.signed_in_at:%Y-%m-%d %H:%M}"


class AccountAction(models.Model):
    """What an administrator did to someone else's sign-in, with their reason. Kept for audit."""

    class Kind(models.TextChoices):
        TWO_STEP_RESET = "two_step_reset", "Reset two-step sign-in"
        SESSION_ENDED = "session_ended", "Ended a session"
        SESSIONS_ENDED = "sessions_ended", "Ended every session"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="account_actions_taken")
    subject = models.ForeignKey(User, on_delete=models.PROTECT, related_name="account_actions")
    reason = models.TextField()
    sessions_ended = models.PositiveIntegerField(default=0)
    happened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-happened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject} by {self.actor}"

"""The access audit: who saw whose records, when, and from where.

A row names the member of staff (or representative), the kind of record, the person it is about
and an opaque reference to it; never an answer, a note, a reason or a health detail. Rows are
append-only in the database: nobody can change one, nor delete one before it has been kept for
AUDIT_RETENTION_DAYS (written into the trigger, so changing the setting needs a migration).
"""

from typing import ClassVar

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone

from ras.db_protection import protect_append_only_log
from ras.people.models import Person


class AccessKind(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment"
    BUDGET = "budget", "Budget"
    CASE = "case", "Case"
    LETTER = "letter", "Letter"
    EXPORT = "export", "Download"
    SUBJECT_ACCESS = "subject-access", "Copy of everything held"
    LIST = "list", "List of people"
    AUDIT = "audit", "Access audit"


class AccessEvent(models.Model):
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user_name = models.CharField(max_length=200, help_text="The user's name when they looked.")
    user_roles = models.CharField(max_length=200, help_text="Their roles when they looked.")
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whose record it was; empty for a list of people.",
    )
    reference = models.CharField(
        max_length=100,
        blank=True,
        help_text="Which record: an assessment reference or a decision number, never a name.",
    )
    url_name = models.CharField(max_length=100, help_text="The page's name, without its query.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=100, blank=True, help_text="Browser and system.")

    class Meta:
        ordering = ["-at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["person", "-at"], name="access_by_person"),
            models.Index(fields=["user", "-at"], name="access_by_user"),
            models.Index(fields=["at"], name="access_by_time"),
        ]
        triggers: ClassVar[list[pgtrigger.Trigger]] = protect_append_only_log(
            name="access_events_are_append_only",
            noun="Access audit records",
            time_column="at",
            kept_days=settings.AUDIT_RETENTION_DAYS,
        )

    def __str__(self) -> str:
        return f"{self.user_name} saw {self.kind} {self.reference} at {self.at:%Y-%m-%d %H:%M}"

"""Legal holds, and the count-only reports of the nightly retention runs.

A retention run's report never names a person or holds an id of one: counts, rules and periods
only, so it can be read by anyone who looks after information governance.
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models

from questionnaires.models import Assessment
from ras.people.models import Person


class LegalHold(models.Model):
    """Keeps every record of a person from the retention schedule until it is released.

    An administrator places it with a reason (a claim, a complaint, an inquiry) and releases it
    with a reason. A person has at most one hold in force at a time.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(released_at__isnull=True),
                name="one_hold_in_force_per_person",
            ),
            models.CheckConstraint(
                name="a_hold_has_a_reason",
                condition=~models.Q(reason=""),
            ),
            models.CheckConstraint(
                name="a_release_has_who_when_and_why",
                condition=models.Q(
                    released_at__isnull=True, released_by__isnull=True, release_reason=""
                )
                | (
                    models.Q(released_at__isnull=False, released_by__isnull=False)
                    & ~models.Q(release_reason="")
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.public_id}"

    @property
    def is_in_force(self) -> bool:
        return self.released_at is None


class DraftWarning(models.Model):
    """The email telling people an unsent self-assessment will soon be deleted.

    One per (draft, last save): a draft saved again after its warning starts a new clock and may be
    warned again later, but never twice about the same last save.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="retention_warnings"
    )
    last_saved_at = models.DateTimeField(help_text="The draft's last save this warning is about.")
    warned_at = models.DateTimeField()
    delete_on = models.DateField(help_text="The day the email said the draft would be deleted.")
    emails_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-warned_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["assessment", "last_saved_at"], name="one_warning_per_draft_save"
            ),
        ]

    def __str__(self) -> str:
        return f"Warning about {self.assessment_id} at {self.warned_at:%Y-%m-%d}"


class RunState(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    STOPPED = "stopped", "Stopped before it finished"


class RetentionRun(models.Model):
    """One night's retention run. Its report lines say, per kind of record, what happened."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.RUNNING)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Retention run {self.pk} at {self.started_at:%Y-%m-%d %H:%M}"


class RetentionReportLine(models.Model):
    """What one kind of record came to in one run: the rule that was applied, and counts only."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    kind = models.SlugField(max_length=40)
    title = models.CharField(max_length=100)
    rule = models.TextField(help_text="The rule in plain words, with the period in force then.")
    period = models.CharField(max_length=60, help_text="The period in force, for example 90 days.")
    deleted_count = models.PositiveIntegerField(default=0)
    anonymised_count = models.PositiveIntegerField(default=0)
    held_count = models.PositiveIntegerField(
        default=0, help_text="Records past their period kept because of a legal hold."
    )
    warned_count = models.PositiveIntegerField(default=0)
    accounts_closed_count = models.PositiveIntegerField(
        default=0, help_text="Sign-in accounts closed: no name, no address that reaches anyone."
    )
    succeeded = models.BooleanField(default=True)
    failure = models.CharField(
        max_length=200, blank=True, help_text="What went wrong, never with personal data."
    )

    class Meta:
        ordering = ["run", "position"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["run", "kind"], name="one_report_line_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.title} in run {self.run_id}"

"""Client groups and their versioned allocation tables.

A published version and its bands and reductions never change: the services refuse, and so does
the database (triggers below), whoever connects. Every change to a draft is recorded by pghistory
with the user and the reason.
"""

from typing import ClassVar

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models

from ras.db_protection import (
    UnignorableTrigger,
    protect_published_version,
    protect_rows_of_published_versions,
)


class ClientGroup(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TableStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


TABLE_VERSION = "Allocation table version"


def protect_rows_of_published_tables(name: str) -> pgtrigger.Trigger:
    """Refuses adding, changing or removing a band or reduction of a non-draft version."""
    return protect_rows_of_published_versions(
        name=name, version_table="allocations_allocationtableversion", noun=TABLE_VERSION
    )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class AllocationTableVersion(models.Model):
    client_group = models.ForeignKey(ClientGroup, on_delete=models.PROTECT, related_name="tables")
    label = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=TableStatus.choices, default=TableStatus.DRAFT)
    effective_from = models.DateField(null=True, blank=True)
    cloned_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="clones"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    publish_reason = models.TextField(blank=True)
    backdating_reason = models.TextField(blank=True)
    # Bumped by every edit of a draft, so a save over someone else's newer change is refused.
    edit_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["client_group__name", "-effective_from", "-created_at"]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            protect_published_version(name="protect_published_version", noun=TABLE_VERSION)
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(effective_from__isnull=False),
                name="published_version_has_effective_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_group.name}: {self.label}"

    @property
    def is_draft(self) -> bool:
        return self.status == TableStatus.DRAFT


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Band(models.Model):
    version = models.ForeignKey(
        AllocationTableVersion, on_delete=models.CASCADE, related_name="bands"
    )
    position = models.PositiveSmallIntegerField()
    min_points = models.IntegerField()
    max_points = models.IntegerField(null=True, blank=True)
    base_pence = models.BigIntegerField()
    per_point_pence = models.BigIntegerField()

    class Meta:
        ordering = ["version", "position"]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            protect_rows_of_published_tables("protect_published_bands")
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["version", "position"], name="one_band_per_position"),
        ]

    def __str__(self) -> str:
        top = "and above" if self.max_points is None else f"to {self.max_points}"
        return f"Band {self.position}: {self.min_points} {top} points"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class CarerReduction(models.Model):
    version = models.ForeignKey(
        AllocationTableVersion, on_delete=models.CASCADE, related_name="carer_reductions"
    )
    carer_level = models.CharField(max_length=40)
    reduction_bp = models.IntegerField()

    class Meta:
        ordering = ["version", "id"]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            protect_rows_of_published_tables("protect_published_reductions")
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["version", "carer_level"], name="one_reduction_per_carer_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carer_level}: {self.reduction_bp} basis points"


class IndicativeBudget(models.Model):
    """The indicative budget of a submitted assessment, priced once and kept as it was priced.

    It names the questionnaire version (through the assessment) and the table version that priced
    it, and keeps the engine's step-by-step breakdown, so the figure can always be explained.
    A later table never changes it: re-pricing makes proposals, never silent changes.
    """

    assessment = models.OneToOneField(
        "questionnaires.Assessment", on_delete=models.PROTECT, related_name="indicative_budget"
    )
    client_group = models.ForeignKey(ClientGroup, on_delete=models.PROTECT, related_name="+")
    table_version = models.ForeignKey(
        AllocationTableVersion, on_delete=models.PROTECT, related_name="budgets"
    )
    priced_on = models.DateField()
    total_points = models.PositiveIntegerField()
    carer_level = models.CharField(max_length=40)
    band_position = models.PositiveSmallIntegerField()
    above_table = models.BooleanField(default=False)
    full_needs_annual_pence = models.BigIntegerField()
    carer_reduction_bp = models.IntegerField()
    carer_adjustment_pence = models.BigIntegerField()
    indicative_annual_pence = models.BigIntegerField()
    indicative_weekly_pence = models.BigIntegerField()
    domain_points = models.JSONField()
    steps = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            UnignorableTrigger(
                name="budget_is_never_changed",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                # The one change allowed: the retention schedule empties the step-by-step
                # breakdown (it quotes the answers) of an anonymised person's budget; every
                # figure stays.
                func="""
                    IF NEW.steps = '[]'::jsonb
                       AND (to_jsonb(NEW) - 'steps') = (to_jsonb(OLD) - 'steps')
                       AND EXISTS (
                           SELECT 1 FROM questionnaires_assessment assessment
                           JOIN people_person person ON person.id = assessment.person_id
                           WHERE assessment.id = OLD.assessment_id
                             AND person.anonymised_at IS NOT NULL
                       ) THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'Indicative budget % was priced once and cannot change.',
                        OLD.id USING ERRCODE = 'integrity_constraint_violation';
                """,
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.indicative_annual_pence} pence a year"


class RunState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class RecalculationRun(models.Model):
    """Prices a scope of historical assessments with one table version, changing no budget.

    The scope is the table's client group, optionally a submission date range, and either every
    submitted assessment or only those with a decided budget.
    """

    table_version = models.ForeignKey(
        AllocationTableVersion, on_delete=models.PROTECT, related_name="recalculation_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    request_token = models.UUIDField(
        unique=True, help_text="From the start form, so a double click starts one run."
    )
    submitted_from = models.DateField(null=True, blank=True)
    submitted_to = models.DateField(null=True, blank=True)
    decided_only = models.BooleanField(default=False)
    option_points = models.JSONField(
        null=True,
        blank=True,
        help_text=(
            "A what-if scoring scheme, never published by the run: {option id: points}. When set,"
            " each case's points are worked out again from its stored answers."
        ),
    )
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    chunk_size = models.PositiveIntegerField()
    total_count = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.table_version}"

    @property
    def is_partial(self) -> bool:
        """A cancelled or failed run's results cover only part of its scope."""
        return self.state in (RunState.CANCELLED, RunState.FAILED) or (
            self.done_count < self.total_count and self.state == RunState.COMPLETED
        )


class RecalculationChunk(models.Model):
    """A contiguous range of assessment ids, priced by one Celery task."""

    run = models.ForeignKey(RecalculationRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    first_assessment_id = models.BigIntegerField()
    last_assessment_id = models.BigIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    result_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "number"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["run", "number"], name="one_chunk_number_per_run"),
        ]

    def __str__(self) -> str:
        return f"Chunk {self.number} of run {self.run_id}"


class RecalculationResult(models.Model):
    """One assessment priced by a run. Written set-based, many thousands at a time.

    No database foreign keys: checking them costs more than the pricing (see DESIGN.md). Results
    are removed with their run by `allocations.recalculation` services, never left behind.
    """

    # The unique (run, assessment) index serves every read by run; no other index is kept, as
    # each one slows the bulk writes.
    run = models.ForeignKey(
        RecalculationRun,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="results",
    )
    assessment = models.ForeignKey(
        "questionnaires.Assessment",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    total_points = models.PositiveIntegerField()
    carer_level = models.CharField(max_length=40)
    full_needs_annual_pence = models.BigIntegerField()
    indicative_annual_pence = models.BigIntegerField()
    original_indicative_annual_pence = models.BigIntegerField(
        null=True, blank=True, help_text="Under the table that priced it when it was submitted."
    )
    final_annual_pence = models.BigIntegerField(
        null=True, blank=True, help_text="The decided final budget, if there is one."
    )
    difference_pence = models.BigIntegerField(
        null=True, blank=True, help_text="New indicative amount minus the original one."
    )

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["run", "assessment"], name="one_result_per_run_and_assessment"
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.run_id}, assessment {self.assessment_id}"


class CalibrationSample(models.Model):
    """Existing cases with what their care really costs, imported to test a table before go-live."""

    name = models.CharField(max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class CalibrationCase(models.Model):
    """One existing case: its points, carer level and its actual package cost a year, in pence."""

    sample = models.ForeignKey(CalibrationSample, on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField(max_length=60)
    client_group = models.ForeignKey(ClientGroup, on_delete=models.PROTECT, related_name="+")
    total_points = models.PositiveIntegerField()
    carer_level = models.CharField(max_length=40)
    actual_annual_pence = models.BigIntegerField()

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["sample", "reference"], name="one_calibration_case_per_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} in {self.sample_id}"

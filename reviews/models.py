"""Budget decisions: from the indicative budget to a final budget a named person signed off.

Every move is recorded as a DecisionEvent (append-only: the database refuses changes), written by
the one door, `reviews.services.decision_transition`.
"""

from typing import ClassVar

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from allocations.models import IndicativeBudget
from questionnaires.models import Assessment
from ras.db_protection import UnignorableTrigger
from ras.people.models import Person
from reviews.authority import Limits
from reviews.workflow import Action, State

STATE_CHOICES = [(state.value, state.label) for state in State]
ACTION_CHOICES = [(action.value, action.value.replace("_", " ")) for action in Action]


class ReasonCode(models.Model):
    """A reason a council records for a variation; administrators keep the list."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class DelegatedAuthority(models.Model):
    """How much above the indicative budget a role may agree alone (administrators edit this)."""

    role = models.CharField(max_length=40, unique=True)
    max_increase_bp = models.PositiveIntegerField(
        help_text="The largest increase as a percentage, in basis points (1,000 = 10%)."
    )
    max_increase_pence = models.PositiveBigIntegerField(
        help_text="The largest increase a year, in pence (200,000 = £2,000)."
    )
    reduction_needs_manager = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "delegated authorities"

    def __str__(self) -> str:
        return self.role

    @property
    def limits(self) -> Limits:
        return Limits(self.max_increase_bp, self.max_increase_pence, self.reduction_needs_manager)


class BudgetDecision(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="budget_decisions")
    assessment = models.OneToOneField(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    indicative_budget = models.ForeignKey(
        IndicativeBudget, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_assessment = models.ForeignKey(
        Assessment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The copy the person is changing after the assessment was returned to them.",
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="caseload",
    )
    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=State.INDICATIVE)
    state_changed_at = models.DateTimeField()
    indicative_annual_pence = models.BigIntegerField(null=True, blank=True)
    requested_annual_pence = models.BigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    final_annual_pence = models.BigIntegerField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    contribution_annual_pence = models.BigIntegerField(
        null=True, blank=True, help_text="What the person pays, from the financial assessment."
    )
    emergency_confirm_by = models.DateField(null=True, blank=True)
    emergency_confirmed_at = models.DateTimeField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    review_overdue_since = models.DateField(
        null=True,
        blank=True,
        help_text="Set each night by the overdue-reviews job: the day after the review was due.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-state_changed_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                name="final_budget_has_a_named_person",
                condition=models.Q(final_annual_pence__isnull=True)
                | models.Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Budget decision {self.pk} for {self.person}"

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def council_pays_annual_pence(self) -> int | None:
        if self.final_annual_pence is None:
            return None
        return self.final_annual_pence - (self.contribution_annual_pence or 0)


class SupportPlanLine(models.Model):
    """One line of a costed support plan for an allocation outside the RAS."""

    decision = models.ForeignKey(
        BudgetDecision, on_delete=models.CASCADE, related_name="support_plan_lines"
    )
    description = models.CharField(max_length=200)
    units_per_week_hundredths = models.PositiveIntegerField(
        help_text="Hours or units a week, in hundredths (1,050 = 10.5 hours)."
    )
    unit_cost_pence = models.PositiveBigIntegerField()
    annual_pence = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["decision", "id"]

    def __str__(self) -> str:
        return self.description


class DecisionEvent(models.Model):
    decision = models.ForeignKey(BudgetDecision, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=30, choices=ACTION_CHOICES)
    from_state = models.CharField(max_length=20, choices=STATE_CHOICES)
    to_state = models.CharField(max_length=20, choices=STATE_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    amount_before_pence = models.BigIntegerField(null=True, blank=True)
    amount_after_pence = models.BigIntegerField(null=True, blank=True)
    reason_codes = ArrayField(models.SlugField(max_length=40), default=list, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["decision", "at", "id"]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            UnignorableTrigger(
                name="decision_events_are_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.Before,
                # The one change allowed: the retention schedule clears the written reasons of an
                # anonymised person's decision, and nothing else (codes, amounts, dates stay).
                func="""
                    IF TG_OP = 'UPDATE' AND NEW.reasons = ''
                       AND (to_jsonb(NEW) - 'reasons') = (to_jsonb(OLD) - 'reasons')
                       AND EXISTS (
                           SELECT 1 FROM reviews_budgetdecision decision
                           JOIN people_person person ON person.id = decision.person_id
                           WHERE decision.id = OLD.decision_id
                             AND person.anonymised_at IS NOT NULL
                       ) THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'Decision events are a permanent record and cannot change.'
                        USING ERRCODE = 'integrity_constraint_violation';
                """,
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"


class PanelMeeting(models.Model):
    held_on = models.DateField()
    title = models.CharField(max_length=200)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="panel_meetings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%-d %B %Y})"


class PanelAgendaItem(models.Model):
    meeting = models.ForeignKey(PanelMeeting, on_delete=models.PROTECT, related_name="agenda")
    decision = models.ForeignKey(
        BudgetDecision, on_delete=models.PROTECT, related_name="agenda_items"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    outcome = models.ForeignKey(
        DecisionEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "added_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["meeting", "decision"], name="a_case_is_on_an_agenda_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.decision}"


class ProposalResolution(models.TextChoices):
    KEPT = "kept", "The current budget was kept"
    REVIEWED = "reviewed", "A review was started"


class BudgetProposal(models.Model):
    """A review task: a new table would change this decided budget by more than a threshold.

    The decided budget stays as it is until a person resolves the proposal.
    """

    run = models.ForeignKey(
        "allocations.RecalculationRun", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(BudgetDecision, on_delete=models.PROTECT, related_name="proposals")
    current_annual_pence = models.BigIntegerField()
    proposed_annual_pence = models.BigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(max_length=10, choices=ProposalResolution.choices, blank=True)
    resolution_reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["run", "decision"], name="one_proposal_per_run_case"),
        ]

    def __str__(self) -> str:
        return f"Proposal for {self.decision} from run {self.run_id}"


class SnapshotState(models.TextChoices):
    QUEUED = "queued", "Asked for"
    BUILDING = "building", "Being worked out"
    COMPLETE = "complete", "Complete"
    FAILED = "failed", "Did not finish"


PENDING_SNAPSHOT_STATES = (SnapshotState.QUEUED, SnapshotState.BUILDING)


class FiguresSnapshot(models.Model):
    """One run of the precomputed figures: the equity dashboard's and the open data's.

    Pages read the newest complete snapshot. A run fills its rows and turns complete in one
    transaction, so a half-written snapshot is never read and a failed run leaves the previous
    one in place. At most one run is asked for or being worked out at a time (the database
    refuses a second). See docs/adr/0025-precomputed-figures.md.
    """

    state = models.CharField(
        max_length=10, choices=SnapshotState.choices, default=SnapshotState.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who asked for it now; empty when the schedule started it.",
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    as_at = models.DateTimeField(
        null=True, blank=True, help_text="The moment the records were read: the figures' date."
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    band_width = models.PositiveSmallIntegerField(null=True, blank=True)
    iqr_multiple = models.DecimalField(max_digits=6, decimal_places=3, null=True, blank=True)
    open_data_before = models.DateField(
        null=True,
        blank=True,
        help_text="The first day of the quarter in progress: open data covers the ones before.",
    )
    figures_date = models.DateField(
        null=True, blank=True, help_text="The council's date the figures were worked out for."
    )
    decided_count = models.PositiveIntegerField(default=0)
    build_seconds = models.FloatField(null=True, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                models.ExpressionWrapper(
                    models.Q(state__in=PENDING_SNAPSHOT_STATES),
                    output_field=models.BooleanField(),
                ),
                condition=models.Q(state__in=PENDING_SNAPSHOT_STATES),
                name="one_figures_snapshot_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Figures snapshot {self.pk} ({self.get_state_display()})"


class EquitySnapshotScope(models.Model):
    """One set of filters the snapshot holds the equity figures for: a team (or all teams) and
    a period of sign-off dates (or all dates). Client groups are rows within each scope."""

    snapshot = models.ForeignKey(FiguresSnapshot, on_delete=models.CASCADE, related_name="scopes")
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    signed_off_from = models.DateField(null=True, blank=True)
    signed_off_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["snapshot", "team", "signed_off_from", "signed_off_to"],
                nulls_distinct=False,
                name="one_equity_scope_per_filters",
            ),
        ]

    def __str__(self) -> str:
        return f"Scope {self.pk} of {self.snapshot_id}"


class EquitySnapshotBand(models.Model):
    """A client group's band of points in a scope: people and the spread of final budgets.

    Quartiles are kept as PostgreSQL computed them (double precision), so the page rounds them
    exactly as it rounds the live figures.
    """

    scope = models.ForeignKey(EquitySnapshotScope, on_delete=models.CASCADE, related_name="+")
    client_group_code = models.CharField(max_length=40)
    band = models.PositiveIntegerField()
    people = models.PositiveIntegerField()
    minimum_pence = models.BigIntegerField()
    lower_quartile = models.FloatField()
    median = models.FloatField()
    upper_quartile = models.FloatField()
    maximum_pence = models.BigIntegerField()

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["scope", "client_group_code", "band"], name="equity_band_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.client_group_code} band {self.band} in scope {self.scope_id}"


class EquitySnapshotOutlier(models.Model):
    """A person far from their peers in a scope, with the reasons recorded when it was built.

    Tied to the decision, so deleting a case deletes it here too.
    """

    scope = models.ForeignKey(EquitySnapshotScope, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(BudgetDecision, on_delete=models.CASCADE, related_name="+")
    client_group_code = models.CharField(max_length=40)
    total_points = models.PositiveIntegerField()
    band = models.PositiveIntegerField()
    final_annual_pence = models.BigIntegerField()
    lower_fence = models.FloatField()
    upper_fence = models.FloatField()
    reason_labels = ArrayField(models.TextField(), default=list, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["scope", "client_group_code"], name="equity_outlier_scope"),
        ]

    def __str__(self) -> str:
        return f"Decision {self.decision_id} in scope {self.scope_id}"


class EquitySnapshotDots(models.Model):
    """A client group's dots for the chart in a scope: (points, final annual pence) pairs."""

    scope = models.ForeignKey(EquitySnapshotScope, on_delete=models.CASCADE, related_name="+")
    client_group_code = models.CharField(max_length=40)
    people = models.PositiveIntegerField()
    points = ArrayField(models.IntegerField())
    final_annual_pence = ArrayField(models.BigIntegerField())

    class Meta:
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["scope", "client_group_code"], name="equity_dots_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.client_group_code} dots in scope {self.scope_id}"


class OpenDataSnapshotRow(models.Model):
    """A client group's figures for one quarter, before suppression (as `open_data_rows` reads
    them live); the public page suppresses them on the way out."""

    snapshot = models.ForeignKey(FiguresSnapshot, on_delete=models.CASCADE, related_name="+")
    client_group_code = models.CharField(max_length=40)
    quarter_start = models.DateField()
    people = models.PositiveIntegerField()
    people_with_indicative = models.PositiveIntegerField()
    median_indicative_annual_pence = models.BigIntegerField(null=True)
    median_final_annual_pence = models.BigIntegerField(null=True)
    people_outside_ras = models.PositiveIntegerField()
    median_days_to_final_budget = models.IntegerField(null=True)

    def __str__(self) -> str:
        return f"{self.client_group_code} from {self.quarter_start} in snapshot {self.snapshot_id}"


class FigureScopeSnapshot(models.Model):
    """The figures of the variations or timeliness page for one set of filters, as a snapshot
    holds them: a client group (or all, blank), a team (or all) and a financial year (or all
    dates). The figures are JSON, laid out as `reviews.figure_scopes` writes and reads them."""

    snapshot = models.ForeignKey(FiguresSnapshot, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=20)
    client_group_code = models.CharField(max_length=40, blank=True)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    figures = models.JSONField(encoder=DjangoJSONEncoder)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["snapshot", "page", "client_group_code", "team", "date_from", "date_to"],
                nulls_distinct=False,
                name="one_figure_scope_per_filters",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.page} scope {self.pk} in snapshot {self.snapshot_id}"

"""Writes to allocation tables. Each function is the one door for its change.

Only finance leads change tables. A published version never changes: a change is a new draft
cloned from it. Every write runs in a transaction with a pghistory context naming the reason.
"""

import datetime
from collections.abc import Mapping, Sequence

import pghistory
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from allocations import engine
from allocations.models import (
    AllocationTableVersion,
    Band,
    CarerReduction,
    ClientGroup,
    TableStatus,
)
from allocations.selectors import engine_table
from questionnaires.carer_levels import CARER_LEVEL_CODES
from ras.accounts.models import User
from ras.accounts.roles import Role


class TableChangeRefused(Exception):
    """A change to a table was refused; `messages` say why, in words a finance lead understands."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


class TableNotDraft(TableChangeRefused):
    """The version is published or retired, so it cannot change (the API answers 409)."""


class TableInvalid(TableChangeRefused):
    """The bands or reductions break the pricing rule; `problems` lists every one."""

    def __init__(self, problems: Sequence[engine.TableProblem]) -> None:
        self.problems = list(problems)
        super().__init__([problem.message for problem in self.problems])


class StaleEdit(TableChangeRefused):
    """Someone saved the draft after this edit began, so saving it would undo their change."""


def require_finance_lead(actor: User) -> None:
    if not actor.has_role(Role.FINANCE_LEAD):
        raise PermissionDenied("Only a finance lead can change allocation tables.")


def table_problems(
    *, bands: Sequence[engine.Band], carer_reductions_bp: Mapping[str, int]
) -> list[engine.TableProblem]:
    """Every problem with these bands and reductions, for this council's questionnaire."""
    table = engine.TableVersion.from_mapping(bands, carer_reductions_bp)
    return engine.validate_table(table, CARER_LEVEL_CODES)


@transaction.atomic
def table_draft_create(
    *,
    client_group: ClientGroup,
    actor: User,
    label: str,
    clone_from: AllocationTableVersion | None = None,
) -> AllocationTableVersion:
    """A new draft for `client_group`: empty, or with the bands and reductions of `clone_from`."""
    require_finance_lead(actor)
    reason = f"Cloned from '{clone_from.label}'" if clone_from else "Created empty"
    with pghistory.context(user=actor.pk, reason=reason):
        draft = AllocationTableVersion.objects.create(
            client_group=client_group, label=label, created_by=actor, cloned_from=clone_from
        )
        if clone_from is not None:
            _write_rows(
                draft,
                bands=[
                    engine.Band(b.min_points, b.max_points, b.base_pence, b.per_point_pence)
                    for b in clone_from.bands.order_by("position")
                ],
                carer_reductions_bp={
                    r.carer_level: r.reduction_bp for r in clone_from.carer_reductions.all()
                },
            )
    return draft


@transaction.atomic
def table_draft_save(
    *,
    version: AllocationTableVersion,
    actor: User,
    label: str,
    bands: Sequence[engine.Band],
    carer_reductions_bp: Mapping[str, int],
    expected_edit_number: int,
    reason: str,
) -> AllocationTableVersion:
    """Replaces a draft's label, bands and reductions, all or nothing.

    Raises TableInvalid (with every problem) before writing anything; TableNotDraft if the version
    is not a draft; StaleEdit if someone saved it since `expected_edit_number` was read.
    """
    require_finance_lead(actor)
    if not AllocationTableVersion.objects.filter(pk=version.pk, status=TableStatus.DRAFT).exists():
        _explain_refused_claim(version)
    problems = table_problems(bands=bands, carer_reductions_bp=carer_reductions_bp)
    if problems:
        raise TableInvalid(problems)
    with pghistory.context(user=actor.pk, reason=reason or "Draft edited"):
        claimed = AllocationTableVersion.objects.filter(
            pk=version.pk, status=TableStatus.DRAFT, edit_number=expected_edit_number
        ).update(label=label, edit_number=F("edit_number") + 1)
        if not claimed:
            _explain_refused_claim(version)
        version.bands.all().delete()
        version.carer_reductions.all().delete()
        _write_rows(version, bands=bands, carer_reductions_bp=carer_reductions_bp)
    version.refresh_from_db()
    return version


@transaction.atomic
def table_publish(
    *,
    version: AllocationTableVersion,
    actor: User,
    effective_from: datetime.date,
    reason: str,
    backdating_reason: str = "",
    today: datetime.date | None = None,
) -> AllocationTableVersion:
    """Publishes a valid draft from `effective_from`. From then on it never changes.

    A reason is always needed; a date before today also needs a reason saying why it is backdated.
    Raises TableChangeRefused for a missing reason, TableInvalid, or TableNotDraft.
    """
    require_finance_lead(actor)
    today = today or timezone.localdate()
    missing = []
    if not reason.strip():
        missing.append("Enter why you are publishing this table")
    if effective_from < today and not backdating_reason.strip():
        missing.append(
            f"The table would take effect on {effective_from:%-d %B %Y}, before today: "
            "enter why it must apply to the past"
        )
    if missing:
        raise TableChangeRefused(missing)
    problems = engine.validate_table(engine_table(version), CARER_LEVEL_CODES)
    if problems:
        raise TableInvalid(problems)
    with pghistory.context(user=actor.pk, reason=reason):
        published = AllocationTableVersion.objects.filter(
            pk=version.pk, status=TableStatus.DRAFT
        ).update(
            status=TableStatus.PUBLISHED,
            effective_from=effective_from,
            published_by=actor,
            published_at=timezone.now(),
            publish_reason=reason.strip(),
            backdating_reason=backdating_reason.strip(),
        )
        if not published:
            _explain_refused_claim(version)
    version.refresh_from_db()
    return version


def _write_rows(
    version: AllocationTableVersion,
    *,
    bands: Sequence[engine.Band],
    carer_reductions_bp: Mapping[str, int],
) -> None:
    Band.objects.bulk_create(
        Band(
            version=version,
            position=position,
            min_points=band.min_points,
            max_points=band.max_points,
            base_pence=band.base_pence,
            per_point_pence=band.per_point_pence,
        )
        for position, band in enumerate(bands, start=1)
    )
    CarerReduction.objects.bulk_create(
        CarerReduction(version=version, carer_level=level, reduction_bp=bp)
        for level, bp in carer_reductions_bp.items()
    )


def _explain_refused_claim(version: AllocationTableVersion) -> None:
    current = AllocationTableVersion.objects.get(pk=version.pk)
    if current.status != TableStatus.DRAFT:
        raise TableNotDraft(
            [
                f"'{current.label}' is {current.get_status_display().lower()} and cannot be "
                "changed. Create a draft from it to make a change."
            ]
        )
    raise StaleEdit(
        [
            f"Someone saved '{current.label}' after you opened it. "
            "Open it again to see their change, then make yours."
        ]
    )

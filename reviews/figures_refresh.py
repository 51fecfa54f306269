"""Asking for the precomputed figures to be worked out again now, rather than at the next
scheduled run. Team managers and finance leads only; a request while a run is already asked
for or under way queues nothing more."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from ras.accounts.models import User
from ras.accounts.roles import Role
from reviews.figures_snapshot import figures_snapshots_sweep
from reviews.figures_tasks import refresh_figures
from reviews.models import PENDING_SNAPSHOT_STATES, FiguresSnapshot, SnapshotState

FIGURES_REFRESH_ROLES = (Role.TEAM_MANAGER, Role.FINANCE_LEAD)


@dataclass(frozen=True, slots=True)
class RefreshRequest:
    """The run now asked for or under way, and whether this request queued it."""

    snapshot: FiguresSnapshot
    queued: bool


def _pending() -> FiguresSnapshot | None:
    return FiguresSnapshot.objects.filter(state__in=PENDING_SNAPSHOT_STATES).first()


@transaction.atomic
def figures_refresh_request(*, actor: User, now: datetime.datetime | None = None) -> RefreshRequest:
    """Queues a run of the figures (the task is sent once this transaction commits), unless
    one is already asked for or being worked out: then that one is returned and nothing is
    queued.

    Raises:
        PermissionDenied: unless `actor` is a team manager or a finance lead.
    """
    if not any(actor.has_role(role) for role in FIGURES_REFRESH_ROLES):
        raise PermissionDenied("Only team managers and finance leads can ask for new figures.")
    now = now or timezone.now()
    figures_snapshots_sweep(now=now)
    pending = _pending()
    if pending is not None:
        return RefreshRequest(snapshot=pending, queued=False)
    try:
        with transaction.atomic():
            snapshot = FiguresSnapshot.objects.create(
                state=SnapshotState.QUEUED, requested_by=actor, requested_at=now
            )
    except IntegrityError:  # another request got there first
        pending = _pending()
        if pending is None:
            raise
        return RefreshRequest(snapshot=pending, queued=False)
    transaction.on_commit(lambda: refresh_figures.delay(snapshot.pk))
    return RefreshRequest(snapshot=snapshot, queued=True)

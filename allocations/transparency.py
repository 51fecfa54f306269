"""Reads for the public transparency page and the API: every published table with the dates it
applied, and pricing a case with a stored version.

Drafts never leave this module for anyone but a finance lead: the public history is built from
`published_table_versions`, and `readable_table_versions` hides drafts from everybody else.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from allocations import engine
from allocations.models import AllocationTableVersion, ClientGroup, TableStatus
from allocations.selectors import (
    client_groups,
    engine_table,
    published_table_versions,
    table_in_force,
    table_versions,
)
from ras.accounts.models import User
from ras.accounts.roles import Role

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class PublicVersion:
    """A published (or retired) version with the dates a reader needs.

    `applies_until` is the last day it applied, when a later published version replaced it
    (the day before that version's `effective_from`); it is None while nothing has replaced it.
    """

    version: AllocationTableVersion
    in_force_today: bool
    superseded_by: AllocationTableVersion | None
    applies_until: datetime.date | None
    today: datetime.date

    @property
    def is_retired(self) -> bool:
        return self.version.status == TableStatus.RETIRED

    @property
    def takes_effect_later(self) -> bool:
        """Published, with an effective date after today."""
        effective_from = self.version.effective_from
        return not self.is_retired and effective_from is not None and effective_from > self.today

    @property
    def never_applied(self) -> bool:
        """Replaced by a version published later with the same effective date."""
        effective_from = self.version.effective_from
        return (
            self.applies_until is not None
            and effective_from is not None
            and self.applies_until < effective_from
        )

    @property
    def has_ended(self) -> bool:
        """Replaced by a later version that is already in force."""
        return self.applies_until is not None and self.applies_until < self.today


@dataclass(frozen=True, slots=True)
class ClientGroupTables:
    """One client group and its public versions, the newest effective date first."""

    client_group: ClientGroup
    versions: tuple[PublicVersion, ...]

    @property
    def in_force_today(self) -> PublicVersion | None:
        return next((entry for entry in self.versions if entry.in_force_today), None)


def public_table_history(*, today: datetime.date) -> list[ClientGroupTables]:
    """Every client group with each of its published and retired versions, never a draft.

    The version in force today is the one `table_in_force` picks. A published version applies
    until the day before the next published version (in order of effective date, then of
    publication) takes effect; a retired version no longer applies at all.
    """
    versions = list(published_table_versions())
    history = []
    for client_group in client_groups():
        own = [version for version in versions if version.client_group_id == client_group.pk]
        in_force = table_in_force(client_group=client_group, on_date=today)
        in_force_id = in_force.pk if in_force is not None else None
        entries = []
        for version in own:
            successor = _successor(version, own)
            entries.append(
                PublicVersion(
                    version=version,
                    in_force_today=version.pk == in_force_id,
                    superseded_by=successor,
                    applies_until=(
                        successor.effective_from - ONE_DAY
                        if successor is not None and successor.effective_from is not None
                        else None
                    ),
                    today=today,
                )
            )
        entries.sort(key=lambda entry: _succession_key(entry.version), reverse=True)
        history.append(ClientGroupTables(client_group=client_group, versions=tuple(entries)))
    return history


def readable_table_versions(user: User | AnonymousUser) -> QuerySet[AllocationTableVersion]:
    """The versions `user` may read: all of them for a finance lead, else no drafts.

    Everybody else, signed in or not, sees published and retired versions only: to them a draft
    is as good as absent.
    """
    if isinstance(user, User) and user.has_role(Role.FINANCE_LEAD):
        return table_versions()
    return published_table_versions()


def version_price(
    *, version: AllocationTableVersion, total_points: int, carer_level: str
) -> engine.PricingResult:
    """Price `total_points` and `carer_level` with a stored version (money in pence).

    Raises:
        engine.PricingError: if the points are below 0, the version has no reduction for the
            carer level, or its bands have problems (a draft being edited).
    """
    return engine.price(engine_table(version), total_points, carer_level)


def pounds_text(pence: int) -> str:
    """Pence as plain pounds for machines and spreadsheets: 742_000 -> "7420.00", -5 -> "-0.05"."""
    sign = "-" if pence < 0 else ""
    pounds, remainder_pence = divmod(abs(pence), 100)
    return f"{sign}{pounds}.{remainder_pence:02d}"


def _succession_key(
    version: AllocationTableVersion,
) -> tuple[datetime.date, datetime.datetime, int]:
    # The order `table_in_force` follows: effective date, then time of publication. The id only
    # settles a tie to the microsecond, so that the page reads the same every time.
    effective_from = version.effective_from or datetime.date.min
    published_at = version.published_at or version.created_at
    return effective_from, published_at, version.pk


def _successor(
    version: AllocationTableVersion, group_versions: list[AllocationTableVersion]
) -> AllocationTableVersion | None:
    """The published version that took over from `version`, as `table_in_force` would pick it."""
    key = _succession_key(version)
    later = [
        other
        for other in group_versions
        if other.status == TableStatus.PUBLISHED and _succession_key(other) > key
    ]
    return min(later, key=_succession_key, default=None)

"""Reads of allocation tables, and their translation into the pricing engine's plain values."""

import datetime

from django.db.models import QuerySet

from allocations import engine
from allocations.models import AllocationTableVersion, ClientGroup, TableStatus


def client_groups() -> QuerySet[ClientGroup]:
    return ClientGroup.objects.all()


def table_versions(*, client_group: ClientGroup | None = None) -> QuerySet[AllocationTableVersion]:
    """Every version, newest effective date first, with what its pages need loaded."""
    versions = AllocationTableVersion.objects.select_related(
        "client_group", "created_by", "published_by", "cloned_from"
    ).prefetch_related("bands", "carer_reductions")
    if client_group is not None:
        versions = versions.filter(client_group=client_group)
    return versions


def published_table_versions() -> QuerySet[AllocationTableVersion]:
    """The versions anyone may read: published, and retired ones that were published before."""
    return table_versions().exclude(status=TableStatus.DRAFT)


def table_in_force(
    *, client_group: ClientGroup, on_date: datetime.date
) -> AllocationTableVersion | None:
    """The published version with the latest `effective_from` on or before `on_date`, if any."""
    return (
        table_versions(client_group=client_group)
        .filter(status=TableStatus.PUBLISHED, effective_from__lte=on_date)
        .order_by("-effective_from", "-published_at")
        .first()
    )


def engine_table(version: AllocationTableVersion) -> engine.TableVersion:
    """The engine's immutable view of a stored version (bands in order, reductions by level)."""
    return engine.TableVersion.from_mapping(
        bands=[
            engine.Band(
                min_points=band.min_points,
                max_points=band.max_points,
                base_pence=band.base_pence,
                per_point_pence=band.per_point_pence,
            )
            for band in sorted(version.bands.all(), key=lambda band: band.position)
        ],
        carer_reductions_bp={
            reduction.carer_level: reduction.reduction_bp
            for reduction in version.carer_reductions.all()
        },
    )

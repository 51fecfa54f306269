"""Helpers for the import tests: a draft to import into, and a snapshot to prove nothing moved."""

import pytest

from allocations.demo import CARER_REDUCTIONS_BP, demo_bands
from allocations.models import AllocationTableVersion, Band, CarerReduction
from tests.allocations.conftest import make_draft


def snapshot(version: AllocationTableVersion) -> tuple:
    """Everything an import could change, row ids included, read fresh from the database."""
    fresh = AllocationTableVersion.objects.get(pk=version.pk)
    bands = list(
        Band.objects.filter(version=version)
        .order_by("position")
        .values_list("id", "position", "min_points", "max_points", "base_pence", "per_point_pence")
    )
    reductions = list(
        CarerReduction.objects.filter(version=version)
        .order_by("id")
        .values_list("id", "carer_level", "reduction_bp")
    )
    return fresh.label, fresh.status, fresh.edit_number, bands, reductions


def table_rows(version: AllocationTableVersion) -> tuple[list[tuple], dict[str, int]]:
    """The bands in order and the reductions by level, without row ids."""
    bands = list(
        Band.objects.filter(version=version)
        .order_by("position")
        .values_list("min_points", "max_points", "base_pence", "per_point_pence")
    )
    reductions = dict(
        CarerReduction.objects.filter(version=version).values_list("carer_level", "reduction_bp")
    )
    return bands, reductions


@pytest.fixture
def other_draft(older_people, finance_lead) -> AllocationTableVersion:
    """A draft unlike the published table: 90% of its amounts and no carer reduction at all."""
    return make_draft(
        older_people,
        finance_lead,
        label="Draft to import into",
        bands=demo_bands(90),
        carer_reductions_bp=dict.fromkeys(CARER_REDUCTIONS_BP, 0),
    )

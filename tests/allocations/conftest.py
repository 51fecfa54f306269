"""Allocation tables for tests: a published older people's table and a draft cloned from it.

The published table (pounds a year):
  band 1:   0-19 points, £0 base + £150 a point
  band 2:  20-49 points, £3,000 base + £260 a point
  band 3:  50-89 points, £10,800 base + £285 a point
  band 4: 90-129 points, £22,200 base + £300 a point
  band 5: 130+ points,   £34,200 base + £310 a point
Carer reductions: none 0%, some 10%, substantial 25%, most 40%.
"""

import datetime

import pytest

from allocations import engine
from allocations.demo import CARER_REDUCTIONS_BP, demo_bands
from allocations.models import AllocationTableVersion, ClientGroup
from allocations.services import table_draft_create, table_draft_save, table_publish
from ras.accounts.models import User

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def older_people(db: None) -> ClientGroup:
    return ClientGroup.objects.get(code="older-people")


@pytest.fixture
def mental_health(db: None) -> ClientGroup:
    return ClientGroup.objects.get(code="mental-health")


def make_draft(
    client_group: ClientGroup,
    finance_lead: User,
    *,
    label: str = "Draft",
    bands: list[engine.Band] | None = None,
    carer_reductions_bp: dict[str, int] | None = None,
) -> AllocationTableVersion:
    draft = table_draft_create(client_group=client_group, actor=finance_lead, label=label)
    return table_draft_save(
        version=draft,
        actor=finance_lead,
        label=label,
        bands=demo_bands(100) if bands is None else bands,
        carer_reductions_bp=CARER_REDUCTIONS_BP
        if carer_reductions_bp is None
        else carer_reductions_bp,
        expected_edit_number=draft.edit_number,
        reason="Test table",
    )


@pytest.fixture
def published_version(older_people: ClientGroup, finance_lead: User) -> AllocationTableVersion:
    draft = make_draft(older_people, finance_lead, label="2026 to 2027")
    return table_publish(
        version=draft,
        actor=finance_lead,
        effective_from=datetime.date(2026, 4, 1),
        reason="Yearly recalibration",
        backdating_reason="In force since April",
        today=TODAY,
    )


@pytest.fixture
def draft_version(
    published_version: AllocationTableVersion, finance_lead: User
) -> AllocationTableVersion:
    return table_draft_create(
        client_group=published_version.client_group,
        actor=finance_lead,
        label="2027 to 2028 proposal",
        clone_from=published_version,
    )

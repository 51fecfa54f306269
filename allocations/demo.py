"""Demonstration allocation tables, shaped like real councils' tables.

Bands plus a price per point, about £260–£300 a year per point in the middle bands (roughly £5 a
week per point, as the case law suggests), and carer reductions for none/some/substantial/most.
Each band's base is the previous band's amount at its top point rounded up, so amounts rise
smoothly. Loading twice changes nothing.
"""

import datetime
import random

from django.db import transaction

from allocations import engine
from allocations.models import (
    AllocationTableVersion,
    CalibrationCase,
    CalibrationSample,
    ClientGroup,
)
from allocations.services import table_draft_create, table_draft_save, table_publish
from ras.accounts.models import User

PUBLISHED_LABEL = "2026 to 2027"
DRAFT_LABEL = "2027 to 2028 (proposed uplift)"
EFFECTIVE_FROM = datetime.date(2026, 4, 1)

# (min points, max points, base £ a year, £ a year per point) for older people.
OLDER_PEOPLE_BANDS = (
    (0, 19, 0, 150),
    (20, 49, 3_000, 260),
    (50, 89, 10_800, 285),
    (90, 129, 22_200, 300),
    (130, None, 34_200, 310),
)
# Each client group's amounts relative to older people's, in percent.
GROUP_SCALE_PERCENT = {
    "older-people": 100,
    "physical-disabilities": 105,
    "mental-health": 90,
    "learning-disabilities": 110,
}
CARER_REDUCTIONS_BP = {"none": 0, "some": 1_000, "substantial": 2_500, "most": 4_000}


def demo_bands(scale_percent: int) -> list[engine.Band]:
    return [
        engine.Band(
            min_points=low,
            max_points=high,
            base_pence=base_pounds * scale_percent,  # £ x percent / 100 x 100 pence
            per_point_pence=per_point_pounds * scale_percent,
        )
        for low, high, base_pounds, per_point_pounds in OLDER_PEOPLE_BANDS
    ]


def proposed_uplift(bands: list[engine.Band]) -> list[engine.Band]:
    """The draft's proposal: 3% more on every amount, and £15 more a point in band 3."""
    uplifted = [
        engine.Band(
            b.min_points,
            b.max_points,
            engine.rhu(b.base_pence * 103, 100),
            engine.rhu(b.per_point_pence * 103, 100),
        )
        for b in bands
    ]
    third = uplifted[2]
    uplifted[2] = engine.Band(
        third.min_points, third.max_points, third.base_pence, third.per_point_pence + 1_500
    )
    return uplifted


@transaction.atomic
def demo_tables_load(*, finance_lead: User, today: datetime.date) -> None:
    for client_group in ClientGroup.objects.filter(code__in=GROUP_SCALE_PERCENT):
        if AllocationTableVersion.objects.filter(
            client_group=client_group, label=PUBLISHED_LABEL
        ).exists():
            continue
        bands = demo_bands(GROUP_SCALE_PERCENT[client_group.code])
        draft = table_draft_create(
            client_group=client_group, actor=finance_lead, label=PUBLISHED_LABEL
        )
        table_draft_save(
            version=draft,
            actor=finance_lead,
            label=PUBLISHED_LABEL,
            bands=bands,
            carer_reductions_bp=CARER_REDUCTIONS_BP,
            expected_edit_number=draft.edit_number,
            reason="Demonstration table",
        )
        published = table_publish(
            version=draft,
            actor=finance_lead,
            effective_from=EFFECTIVE_FROM,
            reason="Yearly recalibration agreed by the adult social care leadership team",
            backdating_reason="In force since the start of the financial year",
            today=today,
        )
        if client_group.code == "older-people":
            proposal = table_draft_create(
                client_group=client_group,
                actor=finance_lead,
                label=DRAFT_LABEL,
                clone_from=published,
            )
            table_draft_save(
                version=proposal,
                actor=finance_lead,
                label=DRAFT_LABEL,
                bands=proposed_uplift(bands),
                carer_reductions_bp=CARER_REDUCTIONS_BP,
                expected_edit_number=proposal.edit_number,
                reason="Proposed uplift for next April",
            )


PILOT_SAMPLE_NAME = "Pilot, spring 2026"
PILOT_CASES = 300
PILOT_SEED = 20260401
PILOT_CARER_WEIGHTS = {"none": 40, "some": 30, "substantial": 20, "most": 10}


def demo_calibration_cases(client_groups: list[ClientGroup]) -> list[CalibrationCase]:
    """300 pilot cases: today's cost is the demo table's amount give or take about 12%, with
    one case in 20 far off (a package set long ago, or one with costly specialist care)."""
    generator = random.Random(PILOT_SEED)  # noqa: S311 - demonstration figures, not security
    tables = {
        group.pk: engine.TableVersion.from_mapping(
            bands=demo_bands(GROUP_SCALE_PERCENT[group.code]),
            carer_reductions_bp=CARER_REDUCTIONS_BP,
        )
        for group in client_groups
    }
    levels = list(PILOT_CARER_WEIGHTS)
    weights = list(PILOT_CARER_WEIGHTS.values())
    cases = []
    for number in range(1, PILOT_CASES + 1):
        group = client_groups[(number - 1) % len(client_groups)]
        points = min(140, max(0, round(generator.triangular(0, 140, 55))))
        level = generator.choices(levels, weights)[0]
        ras = engine.indicative_amounts(tables[group.pk], points, level)[2]
        if generator.random() < 0.05:
            factor_percent = generator.choice((45, 55, 170, 190, 220))
        else:
            factor_percent = round(generator.gauss(100, 12))
        # Whole pounds, as packages are costed; no package costs less than £1,200 a year.
        actual_pounds = max(1_200, engine.rhu(ras * max(factor_percent, 10), 10_000))
        cases.append(
            CalibrationCase(
                reference=f"PILOT-{number:04d}",
                client_group=group,
                total_points=points,
                carer_level=level,
                actual_annual_pence=actual_pounds * 100,
            )
        )
    return cases


@transaction.atomic
def demo_calibration_load(*, finance_lead: User) -> None:
    """The pilot sample of existing cases with their actual costs. Loading twice changes nothing."""
    if CalibrationSample.objects.filter(name=PILOT_SAMPLE_NAME).exists():
        return
    client_groups = list(ClientGroup.objects.filter(code__in=GROUP_SCALE_PERCENT).order_by("code"))
    if not client_groups:
        return
    sample = CalibrationSample.objects.create(
        name=PILOT_SAMPLE_NAME, uploaded_by=finance_lead, file_name="pilot-spring-2026.xlsx"
    )
    cases = demo_calibration_cases(client_groups)
    for case in cases:
        case.sample = sample
    CalibrationCase.objects.bulk_create(cases)

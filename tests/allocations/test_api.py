"""The allocation tables API: who may read and write what, and what every refusal looks like.

The published table of the fixtures (older people), in pence a year:
  band 1:   0-19 points,       0 base + 15,000 a point
  band 2:  20-49 points, 300,000 base + 26,000 a point
  band 3:  50-89 points, 1,080,000 base + 28,500 a point
  band 4: 90-129 points, 2,220,000 base + 30,000 a point
  band 5: 130+ points,   3,420,000 base + 31,000 a point
Carer reductions: none 0, some 1,000, substantial 2,500, most 4,000 basis points.
"""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from allocations import engine
from allocations.models import AllocationTableVersion, TableStatus
from allocations.services import table_draft_create, table_publish
from tests.allocations.conftest import TODAY, make_draft

pytestmark = pytest.mark.django_db

PUBLISHED_BANDS: list[dict[str, Any]] = [
    {"position": 1, "min_points": 0, "max_points": 19, "base_pence": 0, "per_point_pence": 15_000},
    {
        "position": 2,
        "min_points": 20,
        "max_points": 49,
        "base_pence": 300_000,
        "per_point_pence": 26_000,
    },
    {
        "position": 3,
        "min_points": 50,
        "max_points": 89,
        "base_pence": 1_080_000,
        "per_point_pence": 28_500,
    },
    {
        "position": 4,
        "min_points": 90,
        "max_points": 129,
        "base_pence": 2_220_000,
        "per_point_pence": 30_000,
    },
    {
        "position": 5,
        "min_points": 130,
        "max_points": None,
        "base_pence": 3_420_000,
        "per_point_pence": 31_000,
    },
]
PUBLISHED_REDUCTIONS = [
    {"carer_level": "none", "reduction_bp": 0},
    {"carer_level": "some", "reduction_bp": 1_000},
    {"carer_level": "substantial", "reduction_bp": 2_500},
    {"carer_level": "most", "reduction_bp": 4_000},
]


def list_url() -> str:
    return reverse("api:table-version-list")


def detail_url(version: AllocationTableVersion) -> str:
    return reverse("api:table-version-detail", args=[version.pk])


def publish_url(version: AllocationTableVersion) -> str:
    return reverse("api:table-version-publish", args=[version.pk])


def price_url(version: AllocationTableVersion) -> str:
    return reverse("api:table-version-price", args=[version.pk])


def rows(version: AllocationTableVersion) -> tuple[str, int, list[tuple], list[tuple]]:
    version.refresh_from_db()
    bands = list(
        version.bands.order_by("position").values_list(
            "min_points", "max_points", "base_pence", "per_point_pence"
        )
    )
    reductions = list(
        version.carer_reductions.order_by("carer_level").values_list("carer_level", "reduction_bp")
    )
    return version.label, version.edit_number, bands, reductions


def save_body(version: AllocationTableVersion, **changes) -> dict:
    body: dict[str, Any] = {
        "label": "2027 to 2028 with a new band 2",
        "bands": [
            {
                key: band[key]
                for key in ("min_points", "max_points", "base_pence", "per_point_pence")
            }
            for band in PUBLISHED_BANDS
        ],
        "carer_reductions": PUBLISHED_REDUCTIONS,
        "edit_number": version.edit_number,
        "reason": "Band 2 rate up by £10 a point",
    }
    body["bands"][1] = {**body["bands"][1], "per_point_pence": 27_000}
    return {**body, **changes}


def ids(response) -> set[int]:
    return {version["id"] for version in response.json()}


# Client groups


def test_anyone_can_list_the_client_groups(client: Client) -> None:
    response = client.get(reverse("api:client-group-list"))
    assert response.status_code == 200
    assert {group["code"] for group in response.json()} == {
        "older-people",
        "physical-disabilities",
        "mental-health",
        "learning-disabilities",
    }
    assert set(response.json()[0]) == {"code", "name", "description"}


# Reading versions


def test_anyone_can_list_published_versions_but_not_drafts(
    client: Client, published_version, draft_version
) -> None:
    response = client.get(list_url())
    assert response.status_code == 200
    assert ids(response) == {published_version.pk}
    [listed] = response.json()
    assert listed["client_group"] == "older-people"
    assert listed["status"] == "published"
    assert listed["effective_from"] == "2026-04-01"


def test_a_signed_in_user_who_is_not_a_finance_lead_does_not_see_drafts(
    client_for, social_worker, published_version, draft_version
) -> None:
    response = client_for(social_worker).get(list_url())
    assert ids(response) == {published_version.pk}
    asking_for_drafts = client_for(social_worker).get(list_url(), {"status": "draft"})
    assert asking_for_drafts.status_code == 200
    assert asking_for_drafts.json() == []


def test_a_finance_lead_sees_drafts_too(
    client_for, finance_lead, published_version, draft_version
) -> None:
    response = client_for(finance_lead).get(list_url())
    assert ids(response) == {published_version.pk, draft_version.pk}
    drafts = client_for(finance_lead).get(list_url(), {"status": "draft"})
    assert ids(drafts) == {draft_version.pk}


def test_retired_versions_are_listed_for_everyone(client: Client, published_version) -> None:
    AllocationTableVersion.objects.filter(pk=published_version.pk).update(
        status=TableStatus.RETIRED
    )
    response = client.get(list_url(), {"status": "retired"})
    assert ids(response) == {published_version.pk}


def test_the_list_filters_by_client_group(
    client: Client, published_version, mental_health, finance_lead
) -> None:
    other = make_draft(mental_health, finance_lead, label="Mental health 2026")
    other_published = _publish(other, finance_lead)
    assert ids(client.get(list_url(), {"client_group": "older-people"})) == {published_version.pk}
    assert ids(client.get(list_url(), {"client_group": "mental-health"})) == {other_published.pk}
    assert ids(client.get(list_url(), {"client_group": "learning-disabilities"})) == set()


def test_an_unknown_filter_value_is_refused_with_a_clear_message(client: Client) -> None:
    bad_status = client.get(list_url(), {"status": "finished"})
    assert bad_status.status_code == 400
    assert bad_status.json() == {
        "status": ["'finished' is not a status: use draft, published or retired."]
    }
    bad_group = client.get(list_url(), {"client_group": "pirates"})
    assert bad_group.status_code == 400
    assert bad_group.json() == {"client_group": ["No client group has the code 'pirates'."]}


def test_anyone_can_read_a_published_version_with_its_bands_and_reductions(
    client: Client, published_version
) -> None:
    response = client.get(detail_url(published_version))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == published_version.pk
    assert body["label"] == "2026 to 2027"
    assert body["client_group"] == "older-people"
    assert body["client_group_name"] == "Older people"
    assert body["status"] == "published"
    assert body["bands"] == PUBLISHED_BANDS
    assert sorted(body["carer_reductions"], key=lambda r: r["reduction_bp"]) == (
        PUBLISHED_REDUCTIONS
    )


@pytest.mark.parametrize("reader", ["anonymous", "social_worker", "service_user", "team_manager"])
def test_a_draft_is_not_found_for_anyone_but_a_finance_lead(
    reader, request, client: Client, client_for, draft_version
) -> None:
    reader_client = client if reader == "anonymous" else client_for(request.getfixturevalue(reader))
    response = reader_client.get(detail_url(draft_version))
    assert response.status_code == 404
    assert "draft" not in response.content.decode().lower()


def test_a_finance_lead_can_read_a_draft(client_for, finance_lead, draft_version) -> None:
    response = client_for(finance_lead).get(detail_url(draft_version))
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    assert response.json()["edit_number"] == draft_version.edit_number
    assert response.json()["bands"] == PUBLISHED_BANDS


def test_a_version_that_does_not_exist_is_not_found(client_for, finance_lead) -> None:
    response = client_for(finance_lead).get(reverse("api:table-version-detail", args=[987654]))
    assert response.status_code == 404


# Creating a draft


def test_a_finance_lead_creates_a_draft_cloned_from_a_published_version(
    client_for, finance_lead, published_version
) -> None:
    response = client_for(finance_lead).post(
        list_url(),
        {
            "client_group": "older-people",
            "label": "2027 to 2028",
            "clone_from": published_version.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft"
    assert body["label"] == "2027 to 2028"
    assert body["bands"] == PUBLISHED_BANDS
    draft = AllocationTableVersion.objects.get(pk=body["id"])
    assert draft.created_by == finance_lead
    assert draft.cloned_from == published_version


def test_a_finance_lead_creates_an_empty_draft(client_for, finance_lead, mental_health) -> None:
    response = client_for(finance_lead).post(
        list_url(),
        {"client_group": "mental-health", "label": "First table", "clone_from": None},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["bands"] == []
    assert response.json()["carer_reductions"] == []
    assert response.json()["client_group"] == "mental-health"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"client_group": "pirates", "label": "Mine"},
            {"client_group": ["No client group has the code 'pirates'."]},
        ),
        (
            {"client_group": "older-people", "label": ""},
            {"label": ["Enter a label for the draft."]},
        ),
        (
            {"client_group": "older-people", "label": "Mine", "clone_from": 987654},
            {"clone_from": ["No table version has the id 987654."]},
        ),
        ({}, {"client_group": ["This field is required."], "label": ["This field is required."]}),
    ],
)
def test_creating_a_draft_with_bad_input_is_refused_and_creates_nothing(
    body, errors, client_for, finance_lead, older_people
) -> None:
    response = client_for(finance_lead).post(list_url(), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == errors
    assert not AllocationTableVersion.objects.exists()


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "panel_member", "administrator"])
def test_only_a_finance_lead_can_create_a_draft(role, request, client_for, older_people) -> None:
    person = request.getfixturevalue(role)
    response = client_for(person).post(
        list_url(),
        {"client_group": "older-people", "label": "Mine"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not AllocationTableVersion.objects.exists()


def test_an_anonymous_write_is_forbidden_not_unauthorised(client: Client, older_people) -> None:
    response = client.post(
        list_url(),
        {"client_group": "older-people", "label": "Mine"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not AllocationTableVersion.objects.exists()


# Saving a draft


def test_a_finance_lead_replaces_a_drafts_bands_and_reductions(
    client_for, finance_lead, draft_version
) -> None:
    body = save_body(
        draft_version,
        carer_reductions=[
            *PUBLISHED_REDUCTIONS[:3],
            {"carer_level": "most", "reduction_bp": 3_500},
        ],
    )
    response = client_for(finance_lead).put(
        detail_url(draft_version), body, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["edit_number"] == draft_version.edit_number + 1
    assert response.json()["bands"][1]["per_point_pence"] == 27_000
    label, _, bands, reductions = rows(draft_version)
    assert label == "2027 to 2028 with a new band 2"
    assert bands[1] == (20, 49, 300_000, 27_000)
    assert ("most", 3_500) in reductions


def test_invalid_bands_are_refused_with_every_problem_listed_and_nothing_changes(
    client_for, finance_lead, draft_version
) -> None:
    before = rows(draft_version)
    bands = [
        {"min_points": 0, "max_points": 19, "base_pence": 0, "per_point_pence": 15_000},
        {"min_points": 21, "max_points": 49, "base_pence": -5, "per_point_pence": 26_000},
        {"min_points": 50, "max_points": None, "base_pence": 1_080_000, "per_point_pence": 28_500},
    ]
    reductions = [r for r in PUBLISHED_REDUCTIONS if r["carer_level"] != "most"]
    response = client_for(finance_lead).put(
        detail_url(draft_version),
        save_body(draft_version, bands=bands, carer_reductions=reductions),
        content_type="application/json",
    )
    assert response.status_code == 400
    problems = response.json()["problems"]
    assert {problem["code"] for problem in problems} >= {"gap", "missing_reduction"}
    assert len(problems) >= 3
    for problem in problems:
        assert set(problem) == {"code", "message", "band_number", "field", "carer_level"}
        assert problem["message"]
    gap = next(problem for problem in problems if problem["code"] == "gap")
    assert gap["band_number"] == 2
    missing = next(problem for problem in problems if problem["code"] == "missing_reduction")
    assert missing["carer_level"] == "most"
    assert any(
        problem["band_number"] == 2 and "base" in (problem["field"] or "") for problem in problems
    )
    assert rows(draft_version) == before


def test_saving_a_published_version_is_a_conflict_with_a_message(
    client_for, finance_lead, published_version
) -> None:
    before = rows(published_version)
    response = client_for(finance_lead).put(
        detail_url(published_version),
        save_body(published_version),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "'2026 to 2027' is published and cannot be changed. "
        "Create a draft from it to make a change."
    )
    assert rows(published_version) == before


def test_saving_over_someone_elses_newer_change_is_a_conflict_with_a_message(
    client_for, finance_lead, draft_version
) -> None:
    stale_edit_number = draft_version.edit_number
    first = client_for(finance_lead).put(
        detail_url(draft_version), save_body(draft_version), content_type="application/json"
    )
    assert first.status_code == 200
    after_first = rows(draft_version)
    second = client_for(finance_lead).put(
        detail_url(draft_version),
        save_body(draft_version, label="Someone else's idea", edit_number=stale_edit_number),
        content_type="application/json",
    )
    assert second.status_code == 409
    assert second.json()["detail"].startswith("Someone saved '2027 to 2028 with a new band 2'")
    assert rows(draft_version) == after_first


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"reason": ""}, {"reason": ["Enter why you are making this change."]}),
        ({"edit_number": "seven"}, {"edit_number": ["A valid integer is required."]}),
        (
            {
                "carer_reductions": [
                    {"carer_level": "some", "reduction_bp": 1_000},
                    {"carer_level": "some", "reduction_bp": 2_000},
                ]
            },
            {
                "carer_reductions": [
                    "Carer level 'some' is given more than once: give one reduction per level."
                ]
            },
        ),
    ],
)
def test_a_save_with_bad_input_is_refused_and_changes_nothing(
    changes, errors, client_for, finance_lead, draft_version
) -> None:
    before = rows(draft_version)
    response = client_for(finance_lead).put(
        detail_url(draft_version),
        save_body(draft_version, **changes),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == errors
    assert rows(draft_version) == before


def test_a_band_that_is_not_a_whole_number_is_refused(
    client_for, finance_lead, draft_version
) -> None:
    before = rows(draft_version)
    body = save_body(draft_version)
    body["bands"][0] = {**body["bands"][0], "base_pence": 12.5}
    response = client_for(finance_lead).put(
        detail_url(draft_version), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"bands": {"0": {"base_pence": ["A valid integer is required."]}}}
    assert rows(draft_version) == before


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "service_user"])
def test_only_a_finance_lead_can_save_a_draft(role, request, client_for, draft_version) -> None:
    before = rows(draft_version)
    response = client_for(request.getfixturevalue(role)).put(
        detail_url(draft_version), save_body(draft_version), content_type="application/json"
    )
    assert response.status_code == 403
    assert rows(draft_version) == before


def test_an_anonymous_save_is_forbidden(client: Client, draft_version) -> None:
    before = rows(draft_version)
    response = client.put(
        detail_url(draft_version), save_body(draft_version), content_type="application/json"
    )
    assert response.status_code == 403
    assert rows(draft_version) == before


def test_a_partial_update_is_not_offered(client_for, finance_lead, draft_version) -> None:
    response = client_for(finance_lead).patch(
        detail_url(draft_version), {"label": "New"}, content_type="application/json"
    )
    assert response.status_code == 405


# Publishing


def test_a_finance_lead_publishes_a_draft(client_for, finance_lead, draft_version) -> None:
    response = client_for(finance_lead).post(
        publish_url(draft_version),
        {"effective_from": "2099-04-01", "reason": "Yearly recalibration"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert response.json()["effective_from"] == "2099-04-01"
    draft_version.refresh_from_db()
    assert draft_version.status == TableStatus.PUBLISHED
    assert draft_version.published_by == finance_lead
    assert draft_version.publish_reason == "Yearly recalibration"


def test_publishing_a_published_version_is_a_conflict(
    client_for, finance_lead, published_version
) -> None:
    response = client_for(finance_lead).post(
        publish_url(published_version),
        {"effective_from": "2099-04-01", "reason": "Again"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "is published and cannot be changed" in response.json()["detail"]
    published_version.refresh_from_db()
    assert published_version.effective_from == datetime.date(2026, 4, 1)


@pytest.mark.parametrize(
    ("body", "messages"),
    [
        ({"effective_from": "2099-04-01"}, ["Enter why you are publishing this table"]),
        (
            {"effective_from": "2099-04-01", "reason": "   "},
            ["Enter why you are publishing this table"],
        ),
        (
            {"effective_from": "2020-04-01", "reason": "Correction"},
            [
                "The table would take effect on 1 April 2020, before today: "
                "enter why it must apply to the past"
            ],
        ),
    ],
)
def test_publishing_without_a_reason_is_refused_and_changes_nothing(
    body, messages, client_for, finance_lead, draft_version
) -> None:
    response = client_for(finance_lead).post(
        publish_url(draft_version), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["messages"] == messages
    draft_version.refresh_from_db()
    assert draft_version.status == TableStatus.DRAFT


def test_publishing_without_a_date_is_refused(client_for, finance_lead, draft_version) -> None:
    response = client_for(finance_lead).post(
        publish_url(draft_version),
        {"effective_from": "next April", "reason": "Yearly"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "effective_from": ["Enter the date the table applies from as YYYY-MM-DD."]
    }


def test_publishing_an_invalid_draft_lists_every_problem(
    client_for, finance_lead, older_people
) -> None:
    empty = table_draft_create(client_group=older_people, actor=finance_lead, label="Empty")
    response = client_for(finance_lead).post(
        publish_url(empty),
        {"effective_from": "2099-04-01", "reason": "Yearly"},
        content_type="application/json",
    )
    assert response.status_code == 400
    codes = [problem["code"] for problem in response.json()["problems"]]
    assert codes.count("missing_reduction") == 4
    assert len(codes) == 5  # no bands at all, and no reduction for each of the four levels
    empty.refresh_from_db()
    assert empty.status == TableStatus.DRAFT


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "panel_member"])
def test_only_a_finance_lead_can_publish(role, request, client_for, draft_version) -> None:
    response = client_for(request.getfixturevalue(role)).post(
        publish_url(draft_version),
        {"effective_from": "2099-04-01", "reason": "Mine"},
        content_type="application/json",
    )
    assert response.status_code == 403
    draft_version.refresh_from_db()
    assert draft_version.status == TableStatus.DRAFT


def test_an_anonymous_publish_is_forbidden(client: Client, draft_version) -> None:
    response = client.post(
        publish_url(draft_version),
        {"effective_from": "2099-04-01", "reason": "Mine"},
        content_type="application/json",
    )
    assert response.status_code == 403
    draft_version.refresh_from_db()
    assert draft_version.status == TableStatus.DRAFT


# Pricing


def test_anyone_can_price_a_published_version_with_the_full_breakdown(
    client: Client, published_version
) -> None:
    """37 points with some help from family or friends.

    37 is in band 2 (20-49): £3,000 + (37 - 20) x £260 = £3,000 + £4,420 = £7,420.00 full needs
    (742,000p). Some help is a 10% reduction: 742,000 x 1,000 / 10,000 = 74,200p (£742.00).
    Indicative: 742,000 - 74,200 = 667,800p (£6,678.00) a year.
    Weekly: 667,800 / 52 = 12,842.307...p, rounded half up to 12,842p (£128.42).
    """
    response = client.post(
        price_url(published_version),
        {"total_points": 37, "carer_level": "some"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "total_points": 37,
        "band_index": 2,
        "band": {
            "min_points": 20,
            "max_points": 49,
            "base_pence": 300_000,
            "per_point_pence": 26_000,
        },
        "above_table": False,
        "full_needs_annual_pence": 742_000,
        "carer_level": "some",
        "carer_reduction_bp": 1_000,
        "carer_adjustment_pence": 74_200,
        "indicative_annual_pence": 667_800,
        "indicative_weekly_pence": 12_842,
        "steps": body["steps"],
        "table_version": published_version.pk,
        "client_group": "older-people",
    }
    assert body["steps"] == [
        "Total: 37 points.",
        "Band 2 covers 20 to 49 points: £3,000.00 base + (37 - 20) points × £260.00 = £7,420.00.",
        "Full-needs annual amount: £7,420.00.",
        "Carer level 'some' has a reduction of 10.00%: £7,420.00 × 10.00% = £742.00, "
        "rounded half up to the nearest penny.",
        "Indicative annual amount: £7,420.00 - £742.00 = £6,678.00.",
        "Indicative weekly amount: £6,678.00 ÷ 52 = £128.42, rounded half up to the nearest penny.",
    ]


def test_an_anonymous_caller_can_price_without_a_csrf_token(published_version) -> None:
    """0 points, no help: band 1, £0 + 0 x £150 = £0 full needs, £0 adjustment, £0 a week."""
    strict_client = Client(enforce_csrf_checks=True)
    response = strict_client.post(
        price_url(published_version),
        {"total_points": 0, "carer_level": "none"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["indicative_weekly_pence"] == 0


def test_pricing_above_a_closed_top_band_is_flagged_not_capped(
    client: Client, older_people, finance_lead
) -> None:
    """Bands 0-9 (£0 + £100 a point) and 10-19 (£1,000 + £200 a point), closed at 19.

    25 points: above the top band, whose formula carries on: £1,000 + (25 - 10) x £200 = £4,000
    (400,000p). Most help, 40%: 400,000 x 4,000 / 10,000 = 160,000p; indicative 240,000p a year;
    240,000 / 52 = 4,615.38...p, rounded half up to 4,615p a week.
    """
    bands = [engine.Band(0, 9, 0, 10_000), engine.Band(10, 19, 100_000, 20_000)]
    version = _publish(make_draft(older_people, finance_lead, bands=bands), finance_lead)
    response = client.post(
        price_url(version),
        {"total_points": 25, "carer_level": "most"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["above_table"] is True
    assert body["band_index"] == 2
    assert body["full_needs_annual_pence"] == 400_000
    assert body["carer_adjustment_pence"] == 160_000
    assert body["indicative_annual_pence"] == 240_000
    assert body["indicative_weekly_pence"] == 4_615


def test_pricing_with_an_unknown_carer_level_is_refused_with_a_clear_message(
    client: Client, published_version
) -> None:
    response = client.post(
        price_url(published_version),
        {"total_points": 37, "carer_level": "lots"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "carer_level": [
            "'lots' is not a carer level: use one of 'none', 'some', 'substantial', 'most'."
        ]
    }


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"total_points": -1, "carer_level": "none"},
            {"total_points": ["total_points must be 0 or more."]},
        ),
        (
            {"total_points": "many", "carer_level": "none"},
            {"total_points": ["A valid integer is required."]},
        ),
        ({"carer_level": "none"}, {"total_points": ["This field is required."]}),
        (
            {"total_points": 2**31, "carer_level": "none"},
            {"total_points": ["total_points must be 2147483647 or fewer."]},
        ),
        ({"total_points": 3}, {"carer_level": ["This field is required."]}),
    ],
)
def test_pricing_with_bad_points_is_refused(
    body, errors, client: Client, published_version
) -> None:
    response = client.post(price_url(published_version), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == errors


@pytest.mark.parametrize("reader", ["anonymous", "social_worker", "service_user"])
def test_only_a_finance_lead_can_price_a_draft(
    reader, request, client: Client, client_for, draft_version
) -> None:
    reader_client = client if reader == "anonymous" else client_for(request.getfixturevalue(reader))
    response = reader_client.post(
        price_url(draft_version),
        {"total_points": 37, "carer_level": "some"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_a_finance_lead_can_price_a_draft(client_for, finance_lead, draft_version) -> None:
    """The draft is a clone of the published table: 37 points, some help -> 12,842p a week."""
    response = client_for(finance_lead).post(
        price_url(draft_version),
        {"total_points": 37, "carer_level": "some"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["table_version"] == draft_version.pk
    assert response.json()["indicative_weekly_pence"] == 12_842


def test_pricing_a_draft_that_cannot_price_yet_says_why(
    client_for, finance_lead, older_people
) -> None:
    empty = table_draft_create(client_group=older_people, actor=finance_lead, label="Empty")
    response = client_for(finance_lead).post(
        price_url(empty),
        {"total_points": 37, "carer_level": "some"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "has no carer reduction for carer level 'some'" in response.json()["detail"]


# The schema and its documentation


def test_the_schema_lists_every_endpoint(client: Client) -> None:
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/client-groups/",
        "/api/table-versions/",
        "/api/table-versions/{id}/",
        "/api/table-versions/{id}/publish/",
        "/api/table-versions/{id}/price/",
    } <= set(paths)
    assert set(paths["/api/table-versions/{id}/"]) == {"get", "put"}
    assert "409" in paths["/api/table-versions/{id}/"]["put"]["responses"]


def test_the_schema_is_generated_without_warnings_and_is_valid() -> None:
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert warnings == {}
    assert errors == {}
    validate_schema(schema)


def test_the_api_documentation_is_a_page_of_the_service_listing_these_endpoints(
    client: Client,
) -> None:
    """The service's own page (tests/ras/test_api_reference.py tests it whole), not Swagger UI:
    the base template's language, its own heading, and every endpoint of this module."""
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert '<h1 class="govuk-heading-xl">API reference</h1>' in html
    assert "swagger" not in html.lower()
    for heading in (
        "GET <code>/api/client-groups/</code>",
        "GET <code>/api/table-versions/</code>",
        "POST <code>/api/table-versions/</code>",
        "GET <code>/api/table-versions/{id}/</code>",
        "PUT <code>/api/table-versions/{id}/</code>",
        "POST <code>/api/table-versions/{id}/publish/</code>",
        "POST <code>/api/table-versions/{id}/price/</code>",
    ):
        assert f">{heading}</h3>" in html


def _publish(version: AllocationTableVersion, finance_lead) -> AllocationTableVersion:
    return table_publish(
        version=version,
        actor=finance_lead,
        effective_from=datetime.date(2026, 4, 1),
        reason="Test",
        backdating_reason="Test",
        today=TODAY,
    )

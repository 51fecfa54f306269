"""The annual uplift: the service that makes an uplifted draft and the finance lead's page.

The published older people's table of the fixtures (pounds a year):
  band 1:   0-19 points, £0 base + £150 a point
  band 2:  20-49 points, £3,000 base + £260 a point
  band 3:  50-89 points, £10,800 base + £285 a point
  band 4: 90-129 points, £22,200 base + £300 a point
  band 5: 130+ points,   £34,200 base + £310 a point
Carer reductions: none 0%, some 10%, substantial 25%, most 40%.

Raised by 3.5%, each figure rounded half up to the penny on its own:
  band 1: £0 and £155.25;   band 2: £3,105 and £269.10;   band 3: £11,178 and £294.98
  (£285 x 1.035 = £294.975);   band 4: £22,977 and £310.50;   band 5: £35,397 and £320.85.
"""

import pghistory.models
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from allocations.models import AllocationTableVersion, Band, CarerReduction, TableStatus
from allocations.services import TableChangeRefused, table_draft_create
from allocations.uplift_services import table_draft_uplift

pytestmark = [pytest.mark.django_db]

UPLIFTED_BANDS = [
    (1, 0, 19, 0, 15_525),
    (2, 20, 49, 310_500, 26_910),
    (3, 50, 89, 1_117_800, 29_498),
    (4, 90, 129, 2_297_700, 31_050),
    (5, 130, None, 3_539_700, 32_085),
]
OTHER_ROLES = [
    "service_user",
    "representative",
    "social_worker",
    "team_manager",
    "panel_member",
    "administrator",
]


def bands_of(version: AllocationTableVersion) -> list[tuple]:
    return list(
        Band.objects.filter(version=version)
        .order_by("position")
        .values_list("position", "min_points", "max_points", "base_pence", "per_point_pence")
    )


def reductions_of(version: AllocationTableVersion) -> dict[str, int]:
    return dict(
        CarerReduction.objects.filter(version=version).values_list("carer_level", "reduction_bp")
    )


def everything() -> list[tuple]:
    """Every version with its bands and reductions: what a refused uplift must leave alone."""
    return [
        (version.pk, version.label, version.status, version.edit_number, bands_of(version))
        for version in AllocationTableVersion.objects.order_by("pk")
    ]


def uplift_url(version: AllocationTableVersion) -> str:
    return reverse("uplift:uplift", kwargs={"pk": version.pk})


# The service


def test_an_uplift_makes_a_draft_with_every_amount_raised(published_version, finance_lead):
    """3.5% on each figure (see the module docstring); £285 a point becomes £294.98."""
    draft = table_draft_uplift(
        source=published_version, actor=finance_lead, percent_bp=350, label="2027 to 2028"
    )
    assert draft.status == TableStatus.DRAFT
    assert draft.label == "2027 to 2028"
    assert draft.client_group == published_version.client_group
    assert draft.cloned_from == published_version
    assert bands_of(draft) == UPLIFTED_BANDS


def test_an_uplift_keeps_the_carer_reductions(published_version, finance_lead):
    draft = table_draft_uplift(
        source=published_version, actor=finance_lead, percent_bp=350, label="2027 to 2028"
    )
    assert reductions_of(draft) == {"none": 0, "some": 1_000, "substantial": 2_500, "most": 4_000}


def test_an_uplift_leaves_the_published_table_as_it_was(published_version, finance_lead):
    before = bands_of(published_version)
    table_draft_uplift(
        source=published_version, actor=finance_lead, percent_bp=350, label="2027 to 2028"
    )
    assert bands_of(published_version) == before


def test_the_drafts_history_says_it_is_an_uplift_and_who_made_it(published_version, finance_lead):
    draft = table_draft_uplift(
        source=published_version, actor=finance_lead, percent_bp=350, label="2027 to 2028"
    )
    updates = [
        event
        for event in pghistory.models.Events.objects.references(draft).order_by("pgh_created_at")
        if event.pgh_label == "update"
        and event.pgh_model == "allocations.AllocationTableVersionEvent"
    ]
    assert updates[-1].pgh_context["reason"] == (
        "3.50% uplift of every amount in '2026 to 2027', each rounded half up to the penny"
    )
    assert updates[-1].pgh_context["user"] == finance_lead.pk


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_a_finance_lead_may_uplift_a_table(published_version, role, request):
    before = everything()
    with pytest.raises(PermissionDenied):
        table_draft_uplift(
            source=published_version,
            actor=request.getfixturevalue(role),
            percent_bp=350,
            label="2027 to 2028",
        )
    assert everything() == before


@pytest.mark.parametrize(
    ("percent_bp", "message"),
    [(-350, "would cut the table"), (10_001, "is more than 100%")],
)
def test_an_uplift_outside_0_to_100_percent_creates_nothing(
    published_version, finance_lead, percent_bp, message
):
    before = everything()
    with pytest.raises(TableChangeRefused, match=message):
        table_draft_uplift(
            source=published_version, actor=finance_lead, percent_bp=percent_bp, label="Next"
        )
    assert everything() == before


def test_a_draft_cannot_be_uplifted(draft_version, finance_lead):
    before = everything()
    with pytest.raises(TableChangeRefused, match="only a published table can be uplifted"):
        table_draft_uplift(source=draft_version, actor=finance_lead, percent_bp=350, label="Next")
    assert everything() == before


@pytest.mark.parametrize(("label", "message"), [("  ", "Enter a name"), ("x" * 121, "120")])
def test_an_uplift_needs_a_name_for_the_draft(published_version, finance_lead, label, message):
    before = everything()
    with pytest.raises(TableChangeRefused, match=message):
        table_draft_uplift(
            source=published_version, actor=finance_lead, percent_bp=350, label=label
        )
    assert everything() == before


def test_every_refusal_is_given_at_once(draft_version, finance_lead):
    with pytest.raises(TableChangeRefused) as refused:
        table_draft_uplift(source=draft_version, actor=finance_lead, percent_bp=-1, label="")
    assert len(refused.value.messages) == 3


# The page


def test_the_page_shows_the_published_table_and_the_form(
    client_for, finance_lead, published_version
):
    response = client_for(finance_lead).get(uplift_url(published_version))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Uplift 2026 to 2027" in page
    assert "£10,800.00" in page
    assert 'name="uplift"' in page


def test_a_finance_lead_makes_an_uplifted_draft_from_the_page(
    client_for, finance_lead, published_version
):
    response = client_for(finance_lead).post(
        uplift_url(published_version), {"label": "2027 to 2028", "uplift": "3.5%"}
    )
    draft = AllocationTableVersion.objects.get(label="2027 to 2028")
    assert response.status_code == 302
    assert response.url == reverse("finance:version-detail", kwargs={"pk": draft.pk})
    assert bands_of(draft) == UPLIFTED_BANDS


def test_the_draft_page_says_what_the_uplift_did(client_for, finance_lead, published_version):
    response = client_for(finance_lead).post(
        uplift_url(published_version), {"label": "2027 to 2028", "uplift": "3.5"}, follow=True
    )
    assert (
        "Draft &#x27;2027 to 2028&#x27; created: every amount in &#x27;2026 to 2027&#x27; raised "
        "by 3.50%, each rounded half up to the penny." in response.content.decode()
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": "", "uplift": "3.5"}, "Enter a name for the new draft"),
        ({"label": "x" * 121, "uplift": "3.5"}, "The name must be 120 characters or fewer"),
        ({"label": "Next", "uplift": ""}, "Enter the uplift as a percentage, like 3.5"),
        ({"label": "Next", "uplift": "three"}, "The uplift must be a percentage, like 12.5"),
        ({"label": "Next", "uplift": "3.125"}, "The uplift must have no more than 2 decimal"),
        ({"label": "Next", "uplift": "-3.5"}, "The uplift must be 0% or more"),
        ({"label": "Next", "uplift": "0"}, "The uplift must be more than 0%"),
        ({"label": "Next", "uplift": "100.01"}, "The uplift must be between 0% and 100%"),
        ({"label": "Next", "uplift": "350"}, "The uplift must be between 0% and 100%"),
    ],
)
def test_bad_input_is_explained_and_creates_nothing(
    client_for, finance_lead, published_version, data, message
):
    before = everything()
    response = client_for(finance_lead).post(uplift_url(published_version), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Uplift 2026 to 2027" in page
    assert 'class="govuk-error-summary"' in page
    assert message in page
    assert everything() == before


def test_an_uplift_of_100_percent_is_allowed(client_for, finance_lead, published_version):
    """100% doubles every figure: £285 a point becomes £570."""
    client_for(finance_lead).post(uplift_url(published_version), {"label": "x2", "uplift": "100"})
    assert bands_of(AllocationTableVersion.objects.get(label="x2"))[2] == (
        3,
        50,
        89,
        2_160_000,
        57_000,
    )


def test_a_draft_is_not_offered_an_uplift(client_for, finance_lead, draft_version):
    before = everything()
    for method in ("get", "post"):
        response = getattr(client_for(finance_lead), method)(
            uplift_url(draft_version), {"label": "Next", "uplift": "3"}
        )
        assert response.status_code == 409
        assert "Only a published table can be uplifted" in response.content.decode()
    assert everything() == before


def test_a_retired_version_is_not_offered_an_uplift(
    client_for, finance_lead, published_version, older_people
):
    AllocationTableVersion.objects.filter(pk=published_version.pk).update(
        status=TableStatus.RETIRED
    )
    response = client_for(finance_lead).get(uplift_url(published_version))
    assert response.status_code == 409
    assert "is retired" in response.content.decode()


def test_a_version_that_does_not_exist_is_not_found(client_for, finance_lead, db):
    response = client_for(finance_lead).get(reverse("uplift:uplift", kwargs={"pk": 999_999}))
    assert response.status_code == 404


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_cannot_use_the_uplift_page(client_for, published_version, role, request):
    before = everything()
    client = client_for(request.getfixturevalue(role))
    assert client.get(uplift_url(published_version)).status_code == 403
    response = client.post(uplift_url(published_version), {"label": "Next", "uplift": "3"})
    assert response.status_code == 403
    assert everything() == before


def test_someone_signed_out_is_sent_to_sign_in(client, published_version):
    before = everything()
    for response in (
        client.get(uplift_url(published_version)),
        client.post(uplift_url(published_version), {"label": "Next", "uplift": "3"}),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign-in"))
    assert everything() == before


def test_a_table_uplifted_twice_makes_two_drafts(client_for, finance_lead, published_version):
    """Each press of the button is a new draft; both start from the published figures."""
    client = client_for(finance_lead)
    client.post(uplift_url(published_version), {"label": "Low", "uplift": "2"})
    client.post(uplift_url(published_version), {"label": "High", "uplift": "3.5"})
    low = AllocationTableVersion.objects.get(label="Low")
    assert bands_of(low)[2] == (3, 50, 89, 1_101_600, 29_070)  # £10,800 x 1.02; £285 x 1.02
    assert bands_of(AllocationTableVersion.objects.get(label="High")) == UPLIFTED_BANDS


def test_an_empty_draft_of_the_group_is_not_touched(published_version, finance_lead):
    other = table_draft_create(
        client_group=published_version.client_group, actor=finance_lead, label="Empty"
    )
    table_draft_uplift(source=published_version, actor=finance_lead, percent_bp=350, label="New")
    assert bands_of(other) == []

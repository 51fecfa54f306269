"""The finance lead's table pages: lists, drafts, editing, publishing and comparing.

The published older people's table of the fixtures applies from 1 April 2026 (pounds a year):
  band 1:   0-19 points, £0 base + £150 a point
  band 2:  20-49 points, £3,000 base + £260 a point
  band 3:  50-89 points, £10,800 base + £285 a point
  band 4: 90-129 points, £22,200 base + £300 a point
  band 5: 130+ points,   £34,200 base + £310 a point
Carer reductions: none 0%, some 10%, substantial 25%, most 40%. Today is 24 November 2026.
"""

import datetime
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from allocations import engine
from allocations.models import AllocationTableVersion, Band, CarerReduction, TableStatus
from allocations.services import table_draft_create
from tests.allocations.conftest import make_draft

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
OTHER_ROLES = [
    "service_user",
    "representative",
    "social_worker",
    "team_manager",
    "panel_member",
    "administrator",
]
FIXTURE_BANDS = [
    ("0", "19", "0.00", "150.00"),
    ("20", "49", "3000.00", "260.00"),
    ("50", "89", "10800.00", "285.00"),
    ("90", "129", "22200.00", "300.00"),
    ("130", "", "34200.00", "310.00"),
]
FIXTURE_REDUCTIONS = {"none": "0", "some": "10", "substantial": "25", "most": "40"}


@pytest.fixture(autouse=True)
def today_is_the_24th_of_november_2026():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON), tick=False):
        yield


def rows(version: AllocationTableVersion) -> tuple[list[tuple], list[tuple], int, str]:
    """Everything a save could change: bands, reductions, the edit number and the label."""
    version.refresh_from_db()
    bands = list(
        Band.objects.filter(version=version)
        .order_by("position")
        .values_list("position", "min_points", "max_points", "base_pence", "per_point_pence")
    )
    reductions = list(
        CarerReduction.objects.filter(version=version)
        .order_by("carer_level")
        .values_list("carer_level", "reduction_bp")
    )
    return bands, reductions, version.edit_number, version.label


def edit_data(
    version: AllocationTableVersion,
    bands=FIXTURE_BANDS,
    reductions=None,
    *,
    label: str | None = None,
    reason: str = "Uplift agreed by the finance board",
    edit_number: int | None = None,
    removed: tuple[int, ...] = (),
) -> dict[str, str]:
    """The POST of the edit page: one row per band (a row of four blanks is a blank row)."""
    data = {
        "label": version.label if label is None else label,
        "reason": reason,
        "edit_number": str(version.edit_number if edit_number is None else edit_number),
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "500",
    }
    for index, (low, high, base, per_point) in enumerate(bands):
        data[f"bands-{index}-min_points"] = low
        data[f"bands-{index}-max_points"] = high
        data[f"bands-{index}-base_pounds"] = base
        data[f"bands-{index}-per_point_pounds"] = per_point
        if index in removed:
            data[f"bands-{index}-remove"] = "on"
    for level, text in (FIXTURE_REDUCTIONS if reductions is None else reductions).items():
        data[f"reduction_{level}"] = text
    return data


def error_summary(html: str) -> list[tuple[str, str]]:
    """(href, message) of every line of the GOV.UK error summary."""
    summary = html.split('class="govuk-error-summary"', 1)
    if len(summary) == 1:
        return []
    body = summary[1].split("</ul>", 1)[0]
    return [
        (href, unescape(message))
        for href, message in re.findall(r'<a href="([^"]*)">([^<]*)</a>', body)
    ]


def table_row(html: str, row_header: str) -> str:
    """The HTML of the first table row whose header cell is `row_header`."""
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, flags=re.S):
        header = re.search(r"<th scope=\"row\"[^>]*>(.*?)</th>", row, flags=re.S)
        if header and re.sub(r"<[^>]+>", "", header.group(1)).strip() == row_header:
            return str(row)
    raise AssertionError(f"No row headed {row_header!r}")


def cells(row_html: str) -> list[str]:
    return [
        " ".join(unescape(re.sub(r"<(?!br)[^>]+>", "", cell.replace("<br>", " "))).split())
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, flags=re.S)
    ]


# Permissions -------------------------------------------------------------------------------------


def page_urls(published_version, draft_version) -> list[str]:
    code = published_version.client_group.code
    return [
        reverse("finance:index"),
        reverse("finance:group-versions", kwargs={"code": code}),
        reverse("finance:version-detail", kwargs={"pk": published_version.pk}),
        reverse("finance:draft-create", kwargs={"code": code}),
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}),
        reverse("finance:draft-publish", kwargs={"pk": draft_version.pk}),
        f"{reverse('finance:compare')}?a={published_version.pk}&b={draft_version.pk}",
    ]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_page_is_refused_to_everyone_but_a_finance_lead(
    request, client_for, published_version, draft_version, role
) -> None:
    client = client_for(request.getfixturevalue(role))
    for url in page_urls(published_version, draft_version):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_other_role_can_create_edit_or_publish_a_draft(
    request, client_for, published_version, draft_version, role
) -> None:
    client = client_for(request.getfixturevalue(role))
    before = rows(draft_version)
    code = published_version.client_group.code
    create = client.post(
        reverse("finance:draft-create", kwargs={"code": code}),
        {"label": "Mine", "start_from": "empty"},
    )
    edit = client.post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}), edit_data(draft_version)
    )
    publish = client.post(
        reverse("finance:draft-publish", kwargs={"pk": draft_version.pk}),
        {
            "effective_from_day": "1",
            "effective_from_month": "4",
            "effective_from_year": "2027",
            "reason": "Mine",
        },
    )
    assert [create.status_code, edit.status_code, publish.status_code] == [403, 403, 403]
    assert AllocationTableVersion.objects.count() == 2
    assert rows(draft_version) == before
    draft_version.refresh_from_db()
    assert draft_version.status == TableStatus.DRAFT


def test_anyone_not_signed_in_is_sent_to_sign_in(client, published_version, draft_version) -> None:
    sign_in = reverse("accounts:sign-in")
    for url in page_urls(published_version, draft_version):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{sign_in}?next="), url


# Lists and the version page ---------------------------------------------------------------------


def test_the_index_shows_each_client_group_with_its_version_in_force(
    client_for, finance_lead, published_version, draft_version
) -> None:
    response = client_for(finance_lead).get(reverse("finance:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert cells(table_row(html, "Older people: every version")) == [
        "Older people: every version",
        "2026 to 2027",
        "1 April 2026",
        "2",
        "1",
    ]
    assert cells(table_row(html, "Mental health: every version"))[1] == "No table in force"


def test_the_versions_list_marks_the_one_in_force_today(
    client_for, finance_lead, published_version, draft_version
) -> None:
    """Next year's version is published too, but takes effect in April, so it is not in force."""
    next_year = make_draft(published_version.client_group, finance_lead, label="2027 to 2028")
    client = client_for(finance_lead)
    client.post(
        reverse("finance:draft-publish", kwargs={"pk": next_year.pk}),
        {
            "effective_from_day": "1",
            "effective_from_month": "4",
            "effective_from_year": "2027",
            "reason": "Agreed by the finance board",
        },
    )
    html = client.get(
        reverse("finance:group-versions", kwargs={"code": "older-people"})
    ).content.decode()
    assert html.count("In force today</strong>") == 1
    assert "In force today" in table_row(html, "2026 to 2027")
    assert "Published" in table_row(html, "2026 to 2027")
    assert "Not yet in force" in table_row(html, "2027 to 2028")
    assert "Draft" in table_row(html, "2027 to 2028 proposal")
    assert "In force today" not in table_row(html, "2027 to 2028")
    published = table_row(html, "2026 to 2027")
    assert "Fiona Finance, 24 November 2026" in cells(published)[3]
    assert "Why: Yearly recalibration" in cells(published)[4]
    assert "Why it applies to the past: In force since April" in cells(published)[4]


def test_the_version_page_shows_bands_history_and_actions_of_a_draft(
    client_for, finance_lead, draft_version, published_version
) -> None:
    html = (
        client_for(finance_lead)
        .get(reverse("finance:version-detail", kwargs={"pk": draft_version.pk}))
        .content.decode()
    )
    assert '<h1 class="govuk-heading-l">2027 to 2028 proposal</h1>' in html
    assert reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}) in html
    assert reverse("finance:draft-publish", kwargs={"pk": draft_version.pk}) in html
    assert f"?a={published_version.pk}&amp;b={draft_version.pk}" in html
    assert "A copy of" in html
    assert "2026 to 2027</a>" in html
    assert cells(table_row(html, "3")) == ["3", "50 to 89", "£10,800.00", "£285.00"]
    assert reverse("spreadsheets:import", kwargs={"pk": draft_version.pk}) in html
    assert reverse("spreadsheets:export-xlsx", kwargs={"pk": draft_version.pk}) in html
    assert reverse("spreadsheets:export-csv", kwargs={"pk": draft_version.pk}) in html


def test_a_published_version_offers_no_edit_but_a_new_draft(
    client_for, finance_lead, published_version
) -> None:
    html = (
        client_for(finance_lead)
        .get(reverse("finance:version-detail", kwargs={"pk": published_version.pk}))
        .content.decode()
    )
    assert reverse("finance:draft-edit", kwargs={"pk": published_version.pk}) not in html
    assert reverse("spreadsheets:import", kwargs={"pk": published_version.pk}) not in html
    create = reverse("finance:draft-create", kwargs={"code": "older-people"})
    assert f"{create}?from={published_version.pk}" in html
    assert "Why it was published" in html
    assert "Yearly recalibration" in html
    assert "Why it applies to the past" in html
    assert "In force since April" in html
    assert "In force today" in html


def test_an_unknown_version_or_client_group_is_not_found(client_for, finance_lead) -> None:
    client = client_for(finance_lead)
    assert client.get(reverse("finance:version-detail", kwargs={"pk": 999999})).status_code == 404
    assert (
        client.get(reverse("finance:group-versions", kwargs={"code": "nobody"})).status_code == 404
    )


def test_a_label_with_markup_is_shown_as_text_on_every_page(
    client_for, finance_lead, published_version
) -> None:
    draft = make_draft(
        published_version.client_group, finance_lead, label='<script>alert("x")</script>'
    )
    client = client_for(finance_lead)
    for url in (
        reverse("finance:group-versions", kwargs={"code": "older-people"}),
        reverse("finance:version-detail", kwargs={"pk": draft.pk}),
        reverse("finance:draft-edit", kwargs={"pk": draft.pk}),
        reverse("finance:draft-publish", kwargs={"pk": draft.pk}),
        f"{reverse('finance:compare')}?a={published_version.pk}&b={draft.pk}",
    ):
        html = client.get(url).content.decode()
        assert '<script>alert("x")' not in html, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html, url


# Creating a draft -------------------------------------------------------------------------------


def test_the_create_page_offers_an_empty_table_or_a_copy_of_each_version(
    client_for, finance_lead, published_version, draft_version
) -> None:
    url = reverse("finance:draft-create", kwargs={"code": "older-people"})
    html = client_for(finance_lead).get(url).content.decode()
    assert "An empty table" in html
    assert "A copy of 2026 to 2027" in html
    assert "A copy of 2027 to 2028 proposal" in html
    # The version in force is chosen unless another is asked for.
    assert re.search(rf'value="{published_version.pk}"[^>]*checked', html)
    asked = client_for(finance_lead).get(f"{url}?from={draft_version.pk}").content.decode()
    assert re.search(rf'value="{draft_version.pk}"[^>]*checked', asked)


def test_a_finance_lead_creates_an_empty_draft(client_for, finance_lead, older_people) -> None:
    response = client_for(finance_lead).post(
        reverse("finance:draft-create", kwargs={"code": "older-people"}),
        {"label": "Fresh start", "start_from": "empty"},
    )
    draft = AllocationTableVersion.objects.get(label="Fresh start")
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:draft-edit", kwargs={"pk": draft.pk})
    assert draft.status == TableStatus.DRAFT
    assert draft.client_group == older_people
    assert draft.created_by == finance_lead
    assert draft.cloned_from is None
    assert not draft.bands.exists()
    assert not draft.carer_reductions.exists()


def test_a_finance_lead_creates_a_draft_as_a_copy_of_a_version(
    client_for, finance_lead, published_version
) -> None:
    client = client_for(finance_lead)
    response = client.post(
        reverse("finance:draft-create", kwargs={"code": "older-people"}),
        {"label": "2027 to 2028", "start_from": str(published_version.pk)},
        follow=True,
    )
    draft = AllocationTableVersion.objects.get(label="2027 to 2028")
    assert draft.cloned_from == published_version
    assert rows(draft)[:2] == rows(published_version)[:2]
    assert "Draft &#x27;2027 to 2028&#x27; created as a copy of &#x27;2026 to 2027&#x27;." in (
        response.content.decode()
    )


def test_a_draft_cannot_copy_another_client_groups_version_through_the_form(
    client_for, finance_lead, published_version, mental_health
) -> None:
    """A tampered POST: the chosen version is not one of the mental health versions."""
    response = client_for(finance_lead).post(
        reverse("finance:draft-create", kwargs={"code": mental_health.code}),
        {"label": "Borrowed", "start_from": str(published_version.pk)},
    )
    assert response.status_code == 400
    assert error_summary(response.content.decode()) == [
        ("#id_start_from", "Select what the draft starts from")
    ]
    assert not AllocationTableVersion.objects.filter(label="Borrowed").exists()


def test_a_draft_needs_a_name(client_for, finance_lead, older_people) -> None:
    response = client_for(finance_lead).post(
        reverse("finance:draft-create", kwargs={"code": "older-people"}),
        {"label": "  ", "start_from": "empty"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Create a draft" in html
    assert error_summary(html) == [("#id_label", "Enter a name for the draft")]
    assert not AllocationTableVersion.objects.exists()


# Editing a draft --------------------------------------------------------------------------------


def test_the_edit_page_shows_the_bands_with_blank_rows_and_one_field_per_carer_level(
    client_for, finance_lead, draft_version
) -> None:
    html = (
        client_for(finance_lead)
        .get(reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}))
        .content.decode()
    )
    assert 'name="bands-TOTAL_FORMS" value="8"' in html  # 5 bands and 3 blank rows
    assert re.search(r'name="bands-2-base_pounds"[^>]*value="10800.00"', html)
    assert re.search(r'name="bands-4-max_points"[^>]*value=""', html)
    assert re.search(r'name="bands-7-min_points"[^>]*value=""', html)
    assert re.search(r'name="reduction_some"[^>]*value="10"', html)
    for label in (
        "No help from family or friends",
        "Some help from family or friends",
        "A lot of help from family or friends",
        "Family or friends give most of the help",
    ):
        assert label in html
    assert f'name="edit_number" value="{draft_version.edit_number}"' in html
    assert 'name="reason"' in html


def test_saving_the_edit_page_stores_pounds_as_pence_and_percentages_as_basis_points(
    client_for, finance_lead, draft_version
) -> None:
    """Typed as people type them:
    "£3,000.50" is 3000.50 pounds = 300,050 pence; "260.25" is 26,025 pence;
    "12.5%" is 12.50% = 1,250 basis points; "33.33" is 3,333 basis points.
    The blank row is ignored and the removed row is left out, so there are two bands.
    """
    bands = [
        ("0", "19", "0", "150"),
        ("", "", "", ""),
        ("20", "", "£3,000.50", "260.25"),
        ("40", "", "9000", "1"),
    ]
    data = edit_data(
        draft_version,
        bands,
        {"none": "0", "some": "12.5%", "substantial": "33.33", "most": "100"},
        label="2027 to 2028, second go",
        removed=(3,),
    )
    response = client_for(finance_lead).post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}), data
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "finance:version-detail", kwargs={"pk": draft_version.pk}
    )
    bands_after, reductions_after, edit_number, label = rows(draft_version)
    assert bands_after == [(1, 0, 19, 0, 15_000), (2, 20, None, 300_050, 26_025)]
    assert reductions_after == [
        ("most", 10_000),
        ("none", 0),
        ("some", 1_250),
        ("substantial", 3_333),
    ]
    assert label == "2027 to 2028, second go"
    assert edit_number == 1


def test_after_saving_a_success_banner_says_so(client_for, finance_lead, draft_version) -> None:
    response = client_for(finance_lead).post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}),
        edit_data(draft_version),
        follow=True,
    )
    html = response.content.decode()
    assert "govuk-notification-banner--success" in html
    assert "Your changes to &#x27;2027 to 2028 proposal&#x27; are saved." in html


def with_band(position: int, low: str, high: str, base: str, per_point: str) -> list[tuple]:
    bands = list(FIXTURE_BANDS)
    bands[position] = (low, high, base, per_point)
    return bands


BAD_EDITS = {
    "letters for pounds": (
        with_band(1, "20", "49", "three thousand", "260.00"),
        {},
        "#id_bands-1-base_pounds",
        "Band 2: the amount a year at the lowest points must be an amount of money, like 3000.50",
    ),
    "letters for points": (
        with_band(1, "twenty", "49", "3000.00", "260.00"),
        {},
        "#id_bands-1-min_points",
        "Band 2: the lowest points must be a whole number, like 20",
    ),
    "three decimal places": (
        with_band(1, "20", "49", "3000.00", "260.125"),
        {},
        "#id_bands-1-per_point_pounds",
        "Band 2: the amount a year for each point above must have no more than 2 decimal places",
    ),
    "a negative amount": (
        with_band(2, "50", "89", "-10800", "285.00"),
        {},
        "#id_bands-2-base_pounds",
        "Band 3: the amount a year at the lowest points must be £0.00 or more",
    ),
    "negative points": (
        with_band(0, "-1", "19", "0", "150.00"),
        {},
        "#id_bands-0-min_points",
        "Band 1: the lowest points must be 0 or more",
    ),
    "a missing amount": (
        with_band(1, "20", "49", "", "260.00"),
        {},
        "#id_bands-1-base_pounds",
        "Band 2: enter the amount a year at the lowest points",
    ),
    "a gap between bands": (
        with_band(1, "21", "49", "3000.00", "260.00"),
        {},
        "#id_bands-1-min_points",
        "Band 2 starts at 21 but band 1 ends at 19: point 20 belongs to no band.",
    ),
    "overlapping bands": (
        with_band(1, "15", "49", "3000.00", "260.00"),
        {},
        "#id_bands-1-min_points",
        "Band 2 starts at 15 but band 1 ends at 19: points 15 to 19 are in both bands.",
    ),
    "an open-ended band that is not last": (
        with_band(3, "90", "", "22200.00", "300.00"),
        {},
        "#id_bands-3-max_points",
        "Band 4 has no upper limit but is not the last band; only the last band may be open-ended.",
    ),
    "a missing reduction": (
        FIXTURE_BANDS,
        {"some": ""},
        "#id_reduction_some",
        "Carer level 'some' is in the questionnaire but the table has no reduction for it.",
    ),
    "a reduction over 100%": (
        FIXTURE_BANDS,
        {"most": "100.01"},
        "#id_reduction_most",
        "The reduction for carer level 'most' is 100.01%; it must be between 0% and 100%.",
    ),
    "letters for a reduction": (
        FIXTURE_BANDS,
        {"some": "ten"},
        "#id_reduction_some",
        "The reduction for 'Some help from family or friends' must be a percentage, like 12.5",
    ),
    "a negative reduction": (
        FIXTURE_BANDS,
        {"none": "-5"},
        "#id_reduction_none",
        "The reduction for 'No help from family or friends' must be 0% or more",
    ),
    "a reduction with three decimal places": (
        FIXTURE_BANDS,
        {"substantial": "25.125"},
        "#id_reduction_substantial",
        "The reduction for 'A lot of help from family or friends' must have no more than 2 "
        "decimal places",
    ),
    "an amount too large to be real": (
        with_band(1, "20", "49", "9" * 5_000, "260.00"),
        {},
        "#id_bands-1-base_pounds",
        "Band 2: the amount a year at the lowest points must be £10,000,000 or less",
    ),
    "points too many to be real": (
        with_band(4, "130", "9" * 5_000, "34200.00", "310.00"),
        {},
        "#id_bands-4-max_points",
        "Band 5: the highest points must be 10,000 or fewer",
    ),
    "a reduction too long to be real": (
        FIXTURE_BANDS,
        {"most": "1" * 5_000},
        "#id_reduction_most",
        "The reduction for 'Family or friends give most of the help' must be between 0% and 100%",
    ),
    "no bands at all": (
        [("", "", "", "")],
        {},
        "#id_bands-0-min_points",
        "The table has no bands; it needs at least one band starting at 0 points.",
    ),
}


@pytest.mark.parametrize(
    ("bands", "reductions", "href", "message"), BAD_EDITS.values(), ids=BAD_EDITS.keys()
)
def test_every_bad_input_is_shown_and_leaves_the_draft_exactly_as_it_was(
    client_for, finance_lead, draft_version, bands, reductions, href, message
) -> None:
    before = rows(draft_version)
    response = client_for(finance_lead).post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}),
        edit_data(draft_version, bands, {**FIXTURE_REDUCTIONS, **reductions}, label="Changed"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Edit 2027 to 2028 proposal" in html
    assert error_summary(html) == [(href, message)]
    # The message also sits by the field, and the field keeps what was typed.
    assert f'id="{href[1:]}-error"' in html
    assert rows(draft_version) == before


def test_a_missing_reason_is_refused(client_for, finance_lead, draft_version) -> None:
    before = rows(draft_version)
    response = client_for(finance_lead).post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}),
        edit_data(draft_version, reason=""),
    )
    assert error_summary(response.content.decode()) == [
        ("#id_reason", "Enter the reason for this change")
    ]
    assert rows(draft_version) == before


def test_every_problem_is_listed_at_once_in_the_order_of_the_page(
    client_for, finance_lead, draft_version
) -> None:
    before = rows(draft_version)
    response = client_for(finance_lead).post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}),
        edit_data(
            draft_version,
            with_band(1, "20", "49", "abc", "1.999"),
            {**FIXTURE_REDUCTIONS, "some": "-1"},
            label="",
            reason="",
        ),
    )
    assert [href for href, _ in error_summary(response.content.decode())] == [
        "#id_label",
        "#id_bands-1-base_pounds",
        "#id_bands-1-per_point_pounds",
        "#id_reduction_some",
        "#id_reason",
    ]
    assert rows(draft_version) == before


def test_a_band_problem_links_to_its_row_even_after_a_blank_row(
    client_for, finance_lead, draft_version
) -> None:
    """The blank second row is not a band, so the engine's band 2 is the third row (index 2)."""
    before = rows(draft_version)
    bands = [("0", "19", "0", "150"), ("", "", "", ""), ("25", "", "3000", "260")]
    response = client_for(finance_lead).post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}),
        edit_data(draft_version, bands),
    )
    assert error_summary(response.content.decode()) == [
        (
            "#id_bands-2-min_points",
            "Band 2 starts at 25 but band 1 ends at 19: points 20 to 24 belong to no band.",
        )
    ]
    assert rows(draft_version) == before


def test_a_stale_edit_is_refused_and_saves_nothing(client_for, finance_lead, draft_version) -> None:
    """Someone else saved the draft (edit number 0 -> 1) after this page was opened at 0."""
    opened_at = draft_version.edit_number
    make_draft_change = edit_data(draft_version, label="Their change")
    client = client_for(finance_lead)
    client.post(reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}), make_draft_change)
    before = rows(draft_version)
    response = client.post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}),
        edit_data(draft_version, label="My change", edit_number=opened_at),
    )
    assert response.status_code == 409
    assert error_summary(response.content.decode()) == [
        (
            reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}),
            "Someone saved 'Their change' after you opened it. "
            "Open it again to see their change, then make yours.",
        )
    ]
    assert rows(draft_version) == before
    assert before[3] == "Their change"


def test_a_published_version_cannot_be_edited(client_for, finance_lead, published_version) -> None:
    client = client_for(finance_lead)
    url = reverse("finance:draft-edit", kwargs={"pk": published_version.pk})
    before = rows(published_version)
    page = client.get(url)
    html = page.content.decode()
    main = html.split('id="main-content"', 1)[1]
    assert page.status_code == 409
    assert "2026 to 2027 cannot be edited" in html
    assert "is published. A published table never changes" in html
    assert "bands-TOTAL_FORMS" not in main
    assert "<form" not in main
    posted = client.post(url, edit_data(published_version, with_band(0, "0", "19", "1", "1")))
    assert posted.status_code == 409
    assert rows(published_version) == before


def test_a_form_with_a_carer_level_the_questionnaire_does_not_have_changes_nothing(
    client_for, finance_lead, draft_version
) -> None:
    before = rows(draft_version)
    data = edit_data(draft_version, label="Tampered")
    data["reduction_everything"] = "50"
    response = client_for(finance_lead).post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}), data
    )
    assert response.status_code == 400
    assert error_summary(response.content.decode()) == [
        (
            "#id_label",
            "The form had a reduction for a carer level the questionnaire does not have "
            "('everything'), so nothing was saved. Open the draft again and make your change",
        )
    ]
    assert rows(draft_version) == before


def test_a_form_claiming_more_than_500_bands_changes_nothing(
    client_for, finance_lead, draft_version
) -> None:
    before = rows(draft_version)
    data = edit_data(draft_version)
    data["bands-TOTAL_FORMS"] = "100000"
    response = client_for(finance_lead).post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}), data
    )
    assert response.status_code == 400
    assert ("#id_bands-0-min_points", "A table can have at most 500 bands") in error_summary(
        response.content.decode()
    )
    assert rows(draft_version) == before


def test_a_form_without_its_row_count_changes_nothing(
    client_for, finance_lead, draft_version
) -> None:
    before = rows(draft_version)
    data = edit_data(draft_version)
    del data["bands-TOTAL_FORMS"]
    del data["edit_number"]
    response = client_for(finance_lead).post(
        reverse("finance:draft-edit", kwargs={"pk": draft_version.pk}), data
    )
    messages = [message for _, message in error_summary(response.content.decode())]
    assert response.status_code == 400
    assert "The page was incomplete, so nothing was saved. Open the draft again" in messages
    assert rows(draft_version) == before


def test_an_empty_draft_gets_five_blank_rows(client_for, finance_lead, older_people) -> None:
    draft = table_draft_create(client_group=older_people, actor=finance_lead, label="Empty")
    html = (
        client_for(finance_lead)
        .get(reverse("finance:draft-edit", kwargs={"pk": draft.pk}))
        .content.decode()
    )
    assert 'name="bands-TOTAL_FORMS" value="5"' in html


# Publishing -------------------------------------------------------------------------------------


def publish_data(day="1", month="4", year="2027", reason="Agreed by the finance board", **more):
    return {
        "effective_from_day": day,
        "effective_from_month": month,
        "effective_from_year": year,
        "reason": reason,
        **more,
    }


def test_the_publish_page_asks_for_a_date_and_reasons(
    client_for, finance_lead, draft_version
) -> None:
    html = (
        client_for(finance_lead)
        .get(reverse("finance:draft-publish", kwargs={"pk": draft_version.pk}))
        .content.decode()
    )
    assert 'class="govuk-date-input"' in html
    for name in ("effective_from_day", "effective_from_month", "effective_from_year"):
        assert f'name="{name}"' in html
    assert 'name="reason"' in html
    assert 'name="backdating_reason"' in html
    assert "The table in force today is" in html


def test_a_finance_lead_publishes_a_draft_for_next_april(
    client_for, finance_lead, draft_version
) -> None:
    response = client_for(finance_lead).post(
        reverse("finance:draft-publish", kwargs={"pk": draft_version.pk}),
        publish_data(),
        follow=True,
    )
    html = response.content.decode()
    draft_version.refresh_from_db()
    assert draft_version.status == TableStatus.PUBLISHED
    assert draft_version.effective_from == datetime.date(2027, 4, 1)
    assert draft_version.published_by == finance_lead
    assert draft_version.publish_reason == "Agreed by the finance board"
    assert response.redirect_chain[-1][0] == reverse(
        "finance:version-detail", kwargs={"pk": draft_version.pk}
    )
    assert "govuk-notification-banner--success" in html
    assert "is published. It takes effect on 1 April 2027." in html


def test_a_date_before_today_needs_a_reason_for_backdating(
    client_for, finance_lead, draft_version
) -> None:
    response = client_for(finance_lead).post(
        reverse("finance:draft-publish", kwargs={"pk": draft_version.pk}),
        publish_data(day="1", month="11", year="2026"),
    )
    assert response.status_code == 400
    assert error_summary(response.content.decode()) == [
        (
            "#id_backdating_reason",
            "The table would take effect on 1 November 2026, before today: "
            "enter why it must apply to the past",
        )
    ]
    draft_version.refresh_from_db()
    assert draft_version.status == TableStatus.DRAFT


def test_a_date_before_today_with_a_reason_for_backdating_is_published(
    client_for, finance_lead, draft_version
) -> None:
    client_for(finance_lead).post(
        reverse("finance:draft-publish", kwargs={"pk": draft_version.pk}),
        publish_data(month="11", year="2026", backdating_reason="Agreed on 30 October"),
    )
    draft_version.refresh_from_db()
    assert draft_version.status == TableStatus.PUBLISHED
    assert draft_version.backdating_reason == "Agreed on 30 October"


BAD_PUBLISHES = {
    "no date": (
        publish_data(day="", month="", year=""),
        "#id_effective_from_day",
        "Enter the date the table takes effect",
    ),
    "no month": (
        publish_data(month=""),
        "#id_effective_from_month",
        "The date the table takes effect must include a month",
    ),
    "not a real date": (
        publish_data(day="31", month="2"),
        "#id_effective_from_day",
        "The date the table takes effect must be a real date",
    ),
    "letters": (
        publish_data(day="first"),
        "#id_effective_from_day",
        "The date the table takes effect must be a real date",
    ),
    "a two-figure year": (
        publish_data(year="27"),
        "#id_effective_from_year",
        "Year must include 4 numbers",
    ),
    "no reason": (
        publish_data(reason=" "),
        "#id_reason",
        "Enter why you are publishing this table",
    ),
}


@pytest.mark.parametrize(
    ("data", "href", "message"), BAD_PUBLISHES.values(), ids=BAD_PUBLISHES.keys()
)
def test_a_bad_publish_is_shown_and_publishes_nothing(
    client_for, finance_lead, draft_version, data, href, message
) -> None:
    response = client_for(finance_lead).post(
        reverse("finance:draft-publish", kwargs={"pk": draft_version.pk}), data
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Publish 2027 to 2028 proposal" in html
    assert error_summary(html) == [(href, message)]
    draft_version.refresh_from_db()
    assert draft_version.status == TableStatus.DRAFT


def test_a_draft_with_no_bands_cannot_be_published(client_for, finance_lead, older_people) -> None:
    draft = table_draft_create(client_group=older_people, actor=finance_lead, label="Empty")
    response = client_for(finance_lead).post(
        reverse("finance:draft-publish", kwargs={"pk": draft.pk}), publish_data()
    )
    messages = [message for _, message in error_summary(response.content.decode())]
    assert response.status_code == 409
    assert "The table has no bands; it needs at least one band starting at 0 points." in messages
    draft.refresh_from_db()
    assert draft.status == TableStatus.DRAFT


def test_a_published_version_cannot_be_published_again(
    client_for, finance_lead, published_version
) -> None:
    """A tampered POST naming a published version changes nothing about it."""
    before = (published_version.effective_from, published_version.publish_reason)
    response = client_for(finance_lead).post(
        reverse("finance:draft-publish", kwargs={"pk": published_version.pk}),
        publish_data(reason="Again"),
    )
    published_version.refresh_from_db()
    assert response.status_code == 409
    assert "2026 to 2027 cannot be published" in response.content.decode()
    assert (published_version.effective_from, published_version.publish_reason) == before


# Comparing --------------------------------------------------------------------------------------


@pytest.fixture
def proposal(published_version, finance_lead) -> AllocationTableVersion:
    """The fixture table with band 3 at £300 a point (was £285) and 'some' at 15% (was 10%)."""
    bands = [
        engine.Band(0, 19, 0, 15_000),
        engine.Band(20, 49, 300_000, 26_000),
        engine.Band(50, 89, 1_080_000, 30_000),
        engine.Band(90, 129, 2_220_000, 30_000),
        engine.Band(130, None, 3_420_000, 31_000),
    ]
    return make_draft(
        published_version.client_group,
        finance_lead,
        label="Proposal",
        bands=bands,
        carer_reductions_bp={"none": 0, "some": 1_500, "substantial": 2_500, "most": 4_000},
    )


def compare_url(a, b) -> str:
    return f"{reverse('finance:compare')}?a={a.pk}&b={b.pk}"


def test_the_compare_page_marks_changed_bands_and_reductions(
    client_for, finance_lead, published_version, proposal
) -> None:
    response = client_for(finance_lead).get(compare_url(published_version, proposal))
    html = response.content.decode()
    bands = html.split('id="band-comparison"', 1)[1].split("</table>", 1)[0]
    assert response.status_code == 200
    assert cells(table_row(bands, "50")) == [
        "50",
        "Changed",
        "50 to 89",
        "£10,800.00",
        "£285.00",
        "50 to 89",
        "£10,800.00",
        "£300.00 (changed)",
    ]
    assert cells(table_row(bands, "20"))[1] == "No change"
    assert cells(table_row(html, "Some help from family or friends")) == [
        "Some help from family or friends",
        "Changed",
        "10.00%",
        "15.00%",
    ]
    assert "1 band and 1 carer reduction differ" in html


def test_the_compare_page_shows_the_difference_every_5_points(
    client_for, finance_lead, published_version, proposal
) -> None:
    """Only band 3 (50-89) changes, from £285 to £300 a point, from a base of £10,800 at 50:
    at 50 points both are £10,800.00: no difference;
    at 55 points A is £10,800 + 5 x £285 = £12,225.00, B is £10,800 + 5 x £300 = £12,300.00,
      a difference of +£75.00, which is 75 / 12,225 = 0.6135% of A, shown as +0.61%;
    at 85 points A is £10,800 + 35 x £285 = £20,775.00, B is £10,800 + 35 x £300 = £21,300.00,
      +£525.00, which is 525 / 20,775 = 2.5271% of A, shown as +2.53%;
    at 0 points both are £0.00, and a change from £0 has no percentage.
    The top band starts at 130, so the table runs to 135 points: 28 rows.
    """
    html = client_for(finance_lead).get(compare_url(published_version, proposal)).content.decode()
    table = html.split('id="difference-table"', 1)[1].split("</table>", 1)[0]
    assert cells(table_row(table, "50")) == ["50", "£10,800.00", "£10,800.00", "£0.00", "0.00%"]
    assert cells(table_row(table, "55")) == ["55", "£12,225.00", "£12,300.00", "+£75.00", "+0.61%"]
    assert cells(table_row(table, "85")) == [
        "85",
        "£20,775.00",
        "£21,300.00",
        "+£525.00",
        "+2.53%",
    ]
    assert cells(table_row(table, "0")) == ["0", "£0.00", "£0.00", "£0.00", "Not applicable"]
    assert table.count('<th scope="row"') == 28
    assert cells(table_row(table, "135"))[1:3] == ["£35,750.00", "£35,750.00"]


def test_the_compare_page_draws_both_versions_on_an_accessible_chart(
    client_for, finance_lead, published_version, proposal
) -> None:
    html = client_for(finance_lead).get(compare_url(published_version, proposal)).content.decode()
    chart = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in chart
    assert 'aria-labelledby="comparison-chart-title comparison-chart-desc"' in chart
    assert '<title id="comparison-chart-title">' in chart
    assert '<desc id="comparison-chart-desc">' in chart
    assert "A: Older people, 2026 to 2027 (solid blue line)" in chart
    assert "B: Older people, Proposal (dashed red line)" in chart
    assert chart.count("<path") == 2
    assert 'stroke-dasharray="12 6"' in chart
    assert "£35,000" in chart or "£40,000" in chart
    assert 'style="' not in html
    assert "css/charts.css" in html


def test_a_version_removed_band_is_marked_removed(
    client_for, finance_lead, published_version
) -> None:
    """B stops the table at band 4, made open-ended: the band from 130 points is removed."""
    shorter = make_draft(
        published_version.client_group,
        finance_lead,
        label="Shorter",
        bands=[
            engine.Band(0, 19, 0, 15_000),
            engine.Band(20, 49, 300_000, 26_000),
            engine.Band(50, 89, 1_080_000, 28_500),
            engine.Band(90, None, 2_220_000, 30_000),
        ],
    )
    html = client_for(finance_lead).get(compare_url(published_version, shorter)).content.decode()
    bands = html.split('id="band-comparison"', 1)[1].split("</table>", 1)[0]
    assert cells(table_row(bands, "130"))[:3] == ["130", "Removed", "130 and above"]
    assert cells(table_row(bands, "130"))[-1] == "No band from 130 points"
    assert cells(table_row(bands, "90"))[1] == "Changed"


def test_the_compare_page_without_versions_shows_the_choice_only(
    client_for, finance_lead, published_version, draft_version
) -> None:
    response = client_for(finance_lead).get(f"{reverse('finance:compare')}?b={draft_version.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" not in html
    assert re.search(rf'<option value="{draft_version.pk}" selected>', html)
    assert 'id="difference-table"' not in html


def test_the_compare_page_asks_again_for_versions_that_do_not_exist(
    client_for, finance_lead, published_version
) -> None:
    response = client_for(finance_lead).get(f"{reverse('finance:compare')}?a=999999&b=letters")
    assert response.status_code == 400
    assert error_summary(response.content.decode()) == [
        ("#id_a", "Select version A"),
        ("#id_b", "Select version B"),
    ]


def test_an_empty_draft_can_be_compared(
    client_for, finance_lead, published_version, older_people
) -> None:
    empty = table_draft_create(client_group=older_people, actor=finance_lead, label="Empty")
    html = client_for(finance_lead).get(compare_url(published_version, empty)).content.decode()
    table = html.split('id="difference-table"', 1)[1].split("</table>", 1)[0]
    assert cells(table_row(table, "55")) == [
        "55",
        "£12,225.00",
        "No bands",
        "Not known",
        "Not applicable",
    ]
    assert "B: Older people, Empty has no bands to draw." in html

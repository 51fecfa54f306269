"""The public transparency pages: every published table, the calculator and the downloads.

The published older people's table of the fixtures applies from 1 April 2026 (pounds a year):
  band 1:   0-19 points, £0 base + £150 a point
  band 2:  20-49 points, £3,000 base + £260 a point
  band 3:  50-89 points, £10,800 base + £285 a point
  band 4: 90-129 points, £22,200 base + £300 a point
  band 5: 130+ points,   £34,200 base + £310 a point
Carer reductions: none 0%, some 10%, substantial 25%, most 40%.
"""

import csv
import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from allocations import engine
from allocations.models import AllocationTableVersion, TableStatus
from allocations.services import table_publish
from allocations.transparency import pounds_text, public_table_history
from tests.allocations.conftest import TODAY, make_draft

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NEXT_APRIL = datetime.date(2027, 4, 1)


@pytest.fixture(autouse=True)
def today_is_the_24th_of_november_2026():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON), tick=False):
        yield


def publish(version, finance_lead, effective_from: datetime.date) -> AllocationTableVersion:
    return table_publish(
        version=version,
        actor=finance_lead,
        effective_from=effective_from,
        reason="Test",
        backdating_reason="Test",
        today=TODAY,
    )


@pytest.fixture
def next_years_version(published_version, finance_lead) -> AllocationTableVersion:
    """Two bands from next April: 0-19 at £165 a point; 20 and above from £3,300 at £286 a point."""
    bands = [
        engine.Band(
            b.min_points, b.max_points, b.base_pence * 11 // 10, b.per_point_pence * 11 // 10
        )
        for b in (engine.Band(0, 19, 0, 15_000), engine.Band(20, None, 300_000, 26_000))
    ]
    draft = make_draft(
        published_version.client_group, finance_lead, label="2027 to 2028", bands=bands
    )
    return publish(draft, finance_lead, NEXT_APRIL)


def calculate(client: Client, **fields) -> str:
    response = client.get(reverse("transparency:calculator"), fields)
    assert response.status_code == 200
    return response.content.decode()


# The list of tables


def test_anyone_can_see_every_published_table_without_signing_in(
    client: Client, published_version
) -> None:
    response = client.get(reverse("transparency:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "<title>Allocation tables – Care and support budgets – Northbrook Council</title>" in page
    )
    assert "2026 to 2027" in page
    assert "In force today" in page
    assert "1 April 2026" in page  # applies from
    assert "24 November 2026" in page  # published on
    assert "Until a new version replaces it." in page
    for amount in ("£3,000.00", "£260.00", "£34,200.00", "£310.00", "10.00%", "40.00%"):
        assert amount in page
    assert "130 and above" in page


def test_signed_in_people_see_the_same_tables(client_for, service_user, published_version) -> None:
    response = client_for(service_user).get(reverse("transparency:index"))
    assert response.status_code == 200
    assert "2026 to 2027" in response.content.decode()


def test_drafts_never_appear_on_the_tables_page(
    client: Client, client_for, finance_lead, published_version, draft_version
) -> None:
    for reader in (client, client_for(finance_lead)):
        page = reader.get(reverse("transparency:index")).content.decode()
        assert "2027 to 2028 proposal" not in page
        assert f"version={draft_version.pk}" not in page


def test_a_group_with_no_published_table_says_so(client: Client, published_version) -> None:
    page = client.get(reverse("transparency:index")).content.decode()
    assert "No table has been published for Mental health yet." in page


def test_a_version_replaced_next_april_shows_until_when_it_applies(
    client: Client, published_version, next_years_version
) -> None:
    page = client.get(reverse("transparency:index")).content.decode()
    assert "31 March 2027. ‘2027 to 2028’ replaces it from 1 April 2027." in page
    assert "Not yet in force" in page
    [older_people] = [
        group
        for group in public_table_history(today=TODAY)
        if group.client_group.code == "older-people"
    ]
    assert [entry.version for entry in older_people.versions] == [
        next_years_version,
        published_version,
    ]
    assert older_people.in_force_today is not None
    assert older_people.in_force_today.version == published_version


def test_once_the_new_version_applies_the_old_one_is_marked_replaced(
    client: Client, published_version, next_years_version
) -> None:
    with time_machine.travel(datetime.datetime(2027, 5, 1, 12, 0, tzinfo=LONDON), tick=False):
        page = client.get(reverse("transparency:index")).content.decode()
        [older_people] = [
            group
            for group in public_table_history(today=datetime.date(2027, 5, 1))
            if group.client_group.code == "older-people"
        ]
    assert "31 March 2027. ‘2027 to 2028’ replaced it from 1 April 2027." in page
    assert "Replaced" in page
    assert older_people.in_force_today is not None
    assert older_people.in_force_today.version == next_years_version
    old = older_people.versions[1]
    assert old.has_ended
    assert old.applies_until == datetime.date(2027, 3, 31)


def test_a_version_replaced_from_its_first_day_never_applied(
    client: Client, published_version, finance_lead
) -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 5, tzinfo=LONDON), tick=False):
        correction = publish(
            make_draft(
                published_version.client_group, finance_lead, label="2026 to 2027 corrected"
            ),
            finance_lead,
            datetime.date(2026, 4, 1),
        )
    page = client.get(reverse("transparency:index")).content.decode()
    assert "It never applied: ‘2026 to 2027 corrected’ replaced it from the same date." in page
    [older_people] = [
        group
        for group in public_table_history(today=TODAY)
        if group.client_group.code == "older-people"
    ]
    assert older_people.in_force_today is not None
    assert older_people.in_force_today.version == correction


def test_a_retired_version_is_listed_as_retired(client: Client, published_version) -> None:
    AllocationTableVersion.objects.filter(pk=published_version.pk).update(
        status=TableStatus.RETIRED
    )
    page = client.get(reverse("transparency:index")).content.decode()
    assert "Retired" in page
    assert "It no longer applies: it has been retired." in page
    assert "In force today" not in page


# The calculator


def test_the_calculator_starts_empty_with_no_errors(client: Client, published_version) -> None:
    page = calculate(client)
    assert "<title>Work out an amount from an allocation table –" in page
    assert "There is a problem" not in page
    assert "Older people" in page
    for level in (
        "No help from family or friends",
        "Some help from family or friends",
        "A lot of help from family or friends",
        "Family or friends give most of the help",
    ):
        assert level in page


def test_the_calculator_shows_the_amount_and_how_it_was_worked_out(
    client: Client, published_version
) -> None:
    """37 points, some help, older people's table in force today.

    Band 2 (20-49): £3,000 + (37 - 20) x £260 = £7,420.00 full needs. Some help is 10%:
    £742.00 adjustment. £7,420.00 - £742.00 = £6,678.00 a year; £6,678.00 / 52 = £128.423...,
    rounded half up to £128.42 a week.
    """
    page = calculate(client, client_group="older-people", total_points="37", carer_level="some")
    assert "There is a problem" not in page
    assert "<strong>£6,678.00 a year</strong>, which is £128.42 a week" in page
    for figure in ("£7,420.00", "£742.00 taken off (10.00%)", "Band 2: 20 to 49 points"):
        assert figure in page
    assert "Some help from family or friends" in page
    assert "2026 to 2027, applies from 1 April 2026" in page
    steps = [
        "Total: 37 points.",
        "Band 2 covers 20 to 49 points: £3,000.00 base + (37 - 20) points × £260.00 = £7,420.00.",
        "Full-needs annual amount: £7,420.00.",
        "Carer level &#x27;some&#x27; has a reduction of 10.00%: £7,420.00 × 10.00% = £742.00, "
        "rounded half up to the nearest penny.",
        "Indicative annual amount: £7,420.00 - £742.00 = £6,678.00.",
        "Indicative weekly amount: £6,678.00 ÷ 52 = £128.42, rounded half up to the nearest penny.",
    ]
    ordered = page[page.index('<ol class="govuk-list govuk-list--number" id="steps">') :]
    positions = [ordered.index(f"<li>{step}</li>") for step in steps]
    assert positions == sorted(positions)


def test_the_calculator_prices_a_chosen_version_rather_than_the_one_in_force(
    client: Client, published_version, next_years_version
) -> None:
    """Next year's table: band 2 starts at 20 points, £3,300 base + £286 a point.

    37 points, no help: £3,300 + 17 x £286 = £3,300 + £4,862 = £8,162.00 a year;
    £8,162.00 / 52 = £156.9615..., rounded half up to £156.96 a week.
    """
    in_force = calculate(client, client_group="older-people", total_points="37", carer_level="none")
    assert "£7,420.00 a year" in in_force  # today's table, as above with no reduction
    chosen = calculate(
        client,
        client_group="older-people",
        version=str(next_years_version.pk),
        total_points="37",
        carer_level="none",
    )
    assert "<strong>£8,162.00 a year</strong>, which is £156.96 a week" in chosen
    assert "2027 to 2028, applies from 1 April 2027" in chosen


def test_the_calculator_flags_a_total_above_a_closed_top_band(
    client: Client, older_people, finance_lead
) -> None:
    """Bands 0-9 (£0 + £100 a point) and 10-19 (£1,000 + £200 a point), closed at 19.

    25 points, no help: £1,000 + (25 - 10) x £200 = £4,000.00 a year, no cap;
    £4,000 / 52 = £76.923..., rounded half up to £76.92 a week.
    """
    bands = [engine.Band(0, 9, 0, 10_000), engine.Band(10, 19, 100_000, 20_000)]
    publish(make_draft(older_people, finance_lead, bands=bands), finance_lead, TODAY)
    page = calculate(client, client_group="older-people", total_points="25", carer_level="none")
    assert "This total is above the top band of the table" in page
    assert "<strong>£4,000.00 a year</strong>, which is £76.92 a week" in page


def test_a_link_from_the_tables_page_prefills_the_calculator_without_errors(
    client: Client, published_version
) -> None:
    page = calculate(client, client_group="older-people", version=str(published_version.pk))
    assert "There is a problem" not in page
    assert 'value="older-people" checked' in page
    assert f'value="{published_version.pk}" selected' in page


def test_an_empty_calculation_lists_every_missing_answer(client: Client, published_version) -> None:
    page = calculate(client, total_points="")
    assert "<title>Error: Work out an amount from an allocation table –" in page
    assert "There is a problem" in page
    for message in (
        "Select a client group",
        "Enter the total points",
        "Select how much help the person gets from family or friends",
    ):
        assert message in page
    assert '<a href="#id_client_group">Select a client group</a>' in page
    assert '<a href="#id_carer_level">' in page
    assert 'id="id_carer_level"' in page
    assert "The result" not in page


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("-1", "Total points must be 0 or more"),
        ("many", "Enter the total points as a whole number, like 37"),
        ("3.5", "Enter the total points as a whole number, like 37"),
        ("1e3", "Enter the total points as a whole number, like 37"),
        ("2147483648", "Total points must be 2,147,483,647 or fewer"),
        ("9" * 5000, "Enter the total points as a whole number, like 37"),
    ],
)
def test_points_that_are_not_a_whole_number_of_zero_or_more_are_refused(
    points, message, client: Client, published_version
) -> None:
    page = calculate(client, client_group="older-people", total_points=points, carer_level="some")
    assert message in page
    assert "The result" not in page


def test_an_unknown_carer_level_is_refused(client: Client, published_version) -> None:
    page = calculate(client, client_group="older-people", total_points="3", carer_level="lots")
    assert "Select how much help the person gets from family or friends" in page
    assert "The result" not in page


def test_a_version_of_another_client_group_is_refused(
    client: Client, published_version, mental_health
) -> None:
    page = calculate(
        client,
        client_group="mental-health",
        version=str(published_version.pk),
        total_points="3",
        carer_level="some",
    )
    assert (
        "&#x27;2026 to 2027&#x27; is a table for Older people: select a Mental health version, "
        "or the version in force today"
    ) in page
    assert "The result" not in page


def test_a_client_group_with_no_table_in_force_is_refused(
    client: Client, published_version
) -> None:
    page = calculate(client, client_group="mental-health", total_points="3", carer_level="some")
    assert "No Mental health table is in force today." in page
    assert "The result" not in page


def test_a_draft_cannot_be_used_in_the_calculator(
    client: Client, client_for, finance_lead, draft_version
) -> None:
    for reader in (client, client_for(finance_lead)):
        page = calculate(
            reader,
            client_group="older-people",
            version=str(draft_version.pk),
            total_points="3",
            carer_level="some",
        )
        assert "Select a table version from the list" in page
        assert "2027 to 2028 proposal" not in page
        assert "The result" not in page


# Downloads


def test_the_json_download_holds_every_published_version_in_pence_and_pounds(
    client: Client, published_version, next_years_version, draft_version
) -> None:
    response = client.get(reverse("transparency:download-json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="allocation-tables.json"'
    document = json.loads(response.content)
    assert document["format_version"] == 1
    assert document["generated_on"] == "2026-11-24"
    assert "pence" in document["description"]
    groups = {group["code"]: group for group in document["client_groups"]}
    assert set(groups) == {
        "older-people",
        "physical-disabilities",
        "mental-health",
        "learning-disabilities",
    }
    assert groups["mental-health"]["versions"] == []
    versions = groups["older-people"]["versions"]
    assert [version["id"] for version in versions] == [next_years_version.pk, published_version.pk]
    current = versions[1]
    assert current == {
        "id": published_version.pk,
        "label": "2026 to 2027",
        "status": "published",
        "effective_from": "2026-04-01",
        "published_on": "2026-11-24",
        "applies_until": "2027-03-31",
        "in_force_today": True,
        "superseded_by": next_years_version.pk,
        "bands": current["bands"],
        "carer_reductions": current["carer_reductions"],
    }
    assert current["bands"][1] == {
        "position": 2,
        "min_points": 20,
        "max_points": 49,
        "base_pence": 300_000,
        "base_pounds": "3000.00",
        "per_point_pence": 26_000,
        "per_point_pounds": "260.00",
    }
    assert current["bands"][4]["max_points"] is None
    assert {
        "carer_level": "some",
        "description": "Some help from family or friends",
        "reduction_bp": 1_000,
        "reduction_percent": "10.00%",
    } in current["carer_reductions"]
    assert versions[0]["in_force_today"] is False
    assert versions[0]["applies_until"] is None
    assert draft_version.pk not in {version["id"] for version in versions}


def test_the_csv_download_has_a_row_per_band_and_per_reduction(
    client: Client, published_version, draft_version
) -> None:
    response = client.get(reverse("transparency:download-csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="allocation-tables.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 5 + 4  # five bands and four reductions of the one published version
    assert {row["version_id"] for row in rows} == {str(published_version.pk)}
    band_2 = next(row for row in rows if row["row_type"] == "band" and row["band"] == "2")
    assert band_2["client_group"] == "Older people"
    assert band_2["effective_from"] == "2026-04-01"
    assert band_2["in_force_today"] == "yes"
    assert band_2["base_pence"] == "300000"
    assert band_2["base_pounds"] == "3000.00"
    assert band_2["per_point_pounds"] == "260.00"
    most = next(row for row in rows if row["carer_level"] == "most")
    assert most["row_type"] == "carer_reduction"
    assert most["reduction_bp"] == "4000"
    assert most["reduction_percent"] == "40.00%"
    assert most["base_pence"] == ""


def test_a_label_that_looks_like_a_formula_is_made_safe_in_the_csv(
    client: Client, older_people, finance_lead
) -> None:
    label = '=HYPERLINK("http://evil.example","Click")'
    publish(make_draft(older_people, finance_lead, label=label), finance_lead, TODAY)
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("transparency:download-csv")).content.decode())
        )
    )
    assert {row["version_label"] for row in rows} == {"'" + label}


def test_drafts_never_appear_in_the_downloads(client: Client, older_people, finance_lead) -> None:
    make_draft(older_people, finance_lead, label="Secret proposal")
    csv_text = client.get(reverse("transparency:download-csv")).content.decode()
    json_text = client.get(reverse("transparency:download-json")).content.decode()
    assert "Secret proposal" not in csv_text
    assert "Secret proposal" not in json_text
    assert csv_text.count("\n") == 1  # the header alone


@pytest.mark.parametrize(
    ("pence", "text"), [(0, "0.00"), (5, "0.05"), (742_000, "7420.00"), (123_456_789, "1234567.89")]
)
def test_pounds_are_written_as_plain_text_with_two_decimals(pence, text) -> None:
    assert pounds_text(pence) == text

"""The finance lead's table pages in a real browser: each works, passes axe, and is kept as a
screenshot."""

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from allocations import engine
from allocations.models import AllocationTableVersion, ClientGroup, TableStatus
from allocations.services import table_draft_create, table_publish
from ras.accounts.models import User
from tests.allocations.conftest import TODAY, make_draft
from tests.e2e.conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

COUNCIL_TITLE_SUFFIX = " – Care and support budgets – Northbrook Council"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def today_is_the_24th_of_november_2026() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON)):
        yield


@pytest.fixture
def published_version(finance_lead: User) -> AllocationTableVersion:
    """The fixtures' older people's table, in force from 1 April 2026."""
    # Browser tests empty the database after each test, seeded rows included.
    older_people, _ = ClientGroup.objects.get_or_create(
        code="older-people", defaults={"name": "Older people"}
    )
    ClientGroup.objects.get_or_create(code="mental-health", defaults={"name": "Mental health"})
    return table_publish(
        version=make_draft(older_people, finance_lead, label="2026 to 2027"),
        actor=finance_lead,
        effective_from=datetime.date(2026, 4, 1),
        reason="Yearly recalibration",
        backdating_reason="In force since April",
        today=TODAY,
    )


@pytest.fixture
def proposal(published_version: AllocationTableVersion, finance_lead: User):
    """A draft with band 3 at £300 a point (the published table has £285)."""
    return make_draft(
        published_version.client_group,
        finance_lead,
        label="2027 to 2028 proposal",
        bands=[
            engine.Band(0, 19, 0, 15_000),
            engine.Band(20, 49, 300_000, 26_000),
            engine.Band(50, 89, 1_080_000, 30_000),
            engine.Band(90, 129, 2_220_000, 30_000),
            engine.Band(130, None, 3_420_000, 31_000),
        ],
    )


def row_headed(table: Locator, header: str) -> Locator:
    return table.get_by_role("row").filter(
        has=table.page.get_by_role("rowheader", name=header, exact=True)
    )


def test_the_index_and_the_versions_list_are_accessible(
    page: Page, live_server: LiveServer, finance_lead: User, proposal
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/")
    expect(page).to_have_title("Allocation tables" + COUNCIL_TITLE_SUFFIX)
    groups = page.get_by_role("table", name="Client groups")
    expect(groups.get_by_role("row", name="Older people")).to_contain_text("2026 to 2027")
    expect(groups.get_by_role("row", name="Mental health")).to_contain_text("No table in force")
    check_accessibility(page, "finance-index")

    groups.get_by_role("link", name="Older people").click()
    expect(page).to_have_title("Older people: allocation table versions" + COUNCIL_TITLE_SUFFIX)
    versions = page.get_by_role("table", name="Versions")
    expect(versions.get_by_role("row", name="2026 to 2027")).to_contain_text("In force today")
    expect(versions.get_by_role("row", name="2027 to 2028 proposal")).to_contain_text("Draft")
    check_accessibility(page, "finance-versions")


def test_the_version_page_is_accessible(
    page: Page, live_server: LiveServer, finance_lead: User, proposal
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{proposal.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("2027 to 2028 proposal")
    expect(page.get_by_role("button", name="Edit this draft")).to_be_visible()
    expect(page.get_by_role("link", name="Download as an Excel workbook (.xlsx)")).to_be_visible()
    expect(page.get_by_role("table", name="Bands")).to_contain_text("£300.00")
    check_accessibility(page, "finance-version")


def test_a_finance_lead_creates_a_draft_from_the_table_in_force(
    page: Page, live_server: LiveServer, finance_lead: User, published_version
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/groups/older-people/new-draft/")
    expect(page.get_by_label("A copy of 2026 to 2027")).to_be_checked()
    check_accessibility(page, "finance-create-draft")
    page.get_by_label("Name of the draft").fill("2027 to 2028")
    page.get_by_role("button", name="Create the draft").click()
    expect(page).to_have_title("Edit 2027 to 2028" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Draft '2027 to 2028' created as a copy of '2026 to 2027'."
    )
    draft = AllocationTableVersion.objects.get(label="2027 to 2028")
    assert draft.cloned_from == published_version


def test_the_edit_page_and_its_errors_are_accessible(
    page: Page, live_server: LiveServer, finance_lead: User, proposal
) -> None:
    """The mistakes: letters for band 3's rate, and band 2 starting at 21, after band 1 ends at 19.
    Then the corrected save: band 3 at £290.50 a point, stored as 29,050 pence."""
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{proposal.pk}/edit/")
    expect(page).to_have_title("Edit 2027 to 2028 proposal" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_label("Band 3: amount added a year for each point above")).to_have_value(
        "300.00"
    )
    check_accessibility(page, "finance-edit")

    page.get_by_label("Band 3: amount added a year for each point above").fill("lots")
    page.get_by_label("Reason for this change").fill("Higher rate for band 3")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".govuk-error-summary")
    expect(page).to_have_title("Error: Edit 2027 to 2028 proposal" + COUNCIL_TITLE_SUFFIX)
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        "Band 3: the amount a year for each point above must be an amount of money, like 3000.50"
    )
    check_accessibility(page, "finance-edit-errors")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Band 3: amount added a year for each point above")).to_be_focused()

    page.get_by_label("Band 3: amount added a year for each point above").fill("290.50")
    page.get_by_label("Band 2: lowest points").fill("21")
    page.get_by_role("button", name="Save changes").click()
    expect(summary).to_contain_text(
        "Band 2 starts at 21 but band 1 ends at 19: point 20 belongs to no band."
    )
    check_accessibility(page, "finance-edit-engine-errors")

    page.get_by_label("Band 2: lowest points").fill("20")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_title("Older people: 2027 to 2028 proposal" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("are saved")
    assert list(proposal.bands.values_list("per_point_pence", flat=True))[2] == 29_050


def test_the_publish_page_and_its_errors_are_accessible(
    page: Page, live_server: LiveServer, finance_lead: User, proposal
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{proposal.pk}/publish/")
    expect(page).to_have_title("Publish 2027 to 2028 proposal" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "finance-publish")

    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("11")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Why are you publishing this table?").fill("Agreed by the finance board")
    page.get_by_role("button", name="Publish the table").click()
    summary = page.locator(".govuk-error-summary")
    expect(page).to_have_title("Error: Publish 2027 to 2028 proposal" + COUNCIL_TITLE_SUFFIX)
    expect(summary).to_contain_text("before today: enter why it must apply to the past")
    check_accessibility(page, "finance-publish-errors")

    page.get_by_label("Month", exact=True).fill("4")
    page.get_by_label("Year", exact=True).fill("2027")
    page.get_by_role("button", name="Publish the table").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "'2027 to 2028 proposal' is published. It takes effect on 1 April 2027."
    )
    check_accessibility(page, "finance-published")
    proposal.refresh_from_db()
    assert proposal.status == TableStatus.PUBLISHED


def test_the_compare_page_shows_the_chart_and_is_accessible(
    page: Page, live_server: LiveServer, finance_lead: User, published_version, proposal
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{proposal.pk}/")
    page.get_by_role("link", name="Compare with the version in force today").click()
    expect(page).to_have_title(
        "Compare 2026 to 2027 with 2027 to 2028 proposal" + COUNCIL_TITLE_SUFFIX
    )
    chart = page.get_by_role("img", name="Full-needs amount a year against total points")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 600
    bands = page.get_by_role("table", name="Bands side by side")
    expect(row_headed(bands, "50")).to_contain_text("Changed")
    differences = page.get_by_role("table", name="The difference every 5 points")
    expect(row_headed(differences, "55")).to_contain_text("+£75.00")
    check_accessibility(page, "finance-compare")


def test_the_compare_page_asks_for_two_versions(
    page: Page, live_server: LiveServer, finance_lead: User, published_version, proposal
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/compare/")
    check_accessibility(page, "finance-compare-choose")
    page.get_by_label("Compare from (A)").select_option(str(published_version.pk))
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select version B")
    check_accessibility(page, "finance-compare-errors")
    page.get_by_label("With (B)").select_option(str(proposal.pk))
    page.get_by_role("button", name="Compare").click()
    expect(
        page.get_by_role("img", name="Full-needs amount a year against total points")
    ).to_be_visible()


def test_an_empty_draft_is_not_in_the_way_of_anything(
    page: Page, live_server: LiveServer, finance_lead: User, published_version
) -> None:
    """A new empty draft opens with blank rows and can be compared before it has bands."""
    empty = table_draft_create(
        client_group=published_version.client_group, actor=finance_lead, label="Empty"
    )
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{empty.pk}/edit/")
    expect(page.get_by_label("Band 5: lowest points")).to_have_value("")
    check_accessibility(page, "finance-edit-empty")

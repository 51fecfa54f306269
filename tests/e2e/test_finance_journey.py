"""The finance lead's whole journey in a real browser: clone the published table, change a band
in Excel, import it, see the difference on a chart, and publish it for next April."""

import datetime
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from allocations.models import AllocationTableVersion, Band, ClientGroup, TableStatus
from allocations.services import table_publish
from ras.accounts.models import User
from tests.allocations.conftest import TODAY, make_draft
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def today_is_the_24th_of_november_2026() -> Iterator[None]:
    moment = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(moment):
        yield


@pytest.fixture
def published(finance_lead: User) -> AllocationTableVersion:
    older_people, _ = ClientGroup.objects.get_or_create(
        code="older-people", defaults={"name": "Older people"}
    )
    return table_publish(
        version=make_draft(older_people, finance_lead, label="2026 to 2027"),
        actor=finance_lead,
        effective_from=datetime.date(2026, 4, 1),
        reason="Yearly recalibration",
        backdating_reason="In force since April",
        today=TODAY,
    )


def test_a_finance_lead_takes_a_table_through_excel_to_next_april(
    page: Page, live_server: LiveServer, finance_lead: User, published, tmp_path: Path
) -> None:
    """Band 3 (50 to 89 points) goes from £285.00 to £300.00 a point in Excel. At 55 points the
    full-needs amount goes from £10,800 + 5 x £285 = £12,225.00 to £10,800 + 5 x £300 =
    £12,300.00: £75.00 more."""
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{published.pk}/")
    page.get_by_role("link", name="Create a draft from this version").click()
    page.get_by_label("Name of the draft").fill("2027 to 2028")
    page.get_by_label(f"A copy of {published.label}").check()
    page.get_by_role("button", name="Create the draft").click()
    draft = AllocationTableVersion.objects.get(label="2027 to 2028")
    expect(page).to_have_url(f"{live_server.url}/finance/tables/{draft.pk}/edit/")
    page.goto(f"{live_server.url}/finance/tables/{draft.pk}/")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as an Excel workbook (.xlsx)").click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    bands = workbook["Bands"]
    band_three = next(row for row in bands.iter_rows(min_row=2) if row[0].value == 3)
    assert Decimal(str(band_three[4].value)) == Decimal("285")
    band_three[4].value = 300
    changed = tmp_path / "2027-to-2028.xlsx"
    workbook.save(changed)

    page.get_by_role("link", name="Import a spreadsheet into this draft").click()
    page.get_by_label("Upload a file").set_input_files(str(changed))
    page.get_by_label("Reason for this change").fill("£15 more a point in band 3")
    page.get_by_role("button", name="Check and import").click()
    expect(page).to_have_url(f"{live_server.url}/finance/tables/{draft.pk}/")
    assert Band.objects.get(version=draft, position=3).per_point_pence == 30_000

    page.get_by_role("link", name="Compare with the version in force today").click()
    expect(page.locator("svg[role=img]")).to_be_visible()
    row_55 = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="55", exact=True)
    )
    expect(row_55).to_contain_text("£12,225.00")
    expect(row_55).to_contain_text("£12,300.00")
    expect(row_55).to_contain_text("£75.00")

    page.goto(f"{live_server.url}/finance/tables/{draft.pk}/")
    page.get_by_role("link", name="Publish this draft").first.click()
    page.get_by_label("Day", exact=True).fill("1")
    page.get_by_label("Month", exact=True).fill("4")
    page.get_by_label("Year", exact=True).fill("2027")
    page.get_by_label("Why are you publishing this table?").fill("Uplift agreed by cabinet")
    page.get_by_role("button", name="Publish the table").click()
    draft.refresh_from_db()
    assert draft.status == TableStatus.PUBLISHED
    assert draft.effective_from == datetime.date(2027, 4, 1)
    assert draft.published_by == finance_lead
    published.refresh_from_db()
    assert Band.objects.get(version=published, position=3).per_point_pence == 28_500

"""Importing a spreadsheet into a draft in a real browser: the page, its errors and success."""

import pytest
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from allocations.demo import CARER_REDUCTIONS_BP, demo_bands
from allocations.models import AllocationTableVersion, ClientGroup
from ras.accounts.models import User
from tests.allocations.conftest import make_draft
from tests.allocations.spreadsheets import builders
from tests.allocations.spreadsheets.conftest import table_rows
from tests.e2e.conftest import check_accessibility, sign_in

pytestmark = pytest.mark.browser

COUNCIL_TITLE_SUFFIX = " – Care and support budgets – Northbrook Council"


@pytest.fixture
def draft(finance_lead: User) -> AllocationTableVersion:
    """A draft at 90% of the demo amounts, with no carer reductions yet."""
    # Browser tests empty the database after each test, seeded rows included.
    older_people, _ = ClientGroup.objects.get_or_create(
        code="older-people", defaults={"name": "Older people"}
    )
    return make_draft(
        older_people,
        finance_lead,
        label="2027 to 2028 proposal",
        bands=demo_bands(90),
        carer_reductions_bp=dict.fromkeys(CARER_REDUCTIONS_BP, 0),
    )


def upload(page: Page, name: str, data: bytes, reason: str) -> None:
    file: FilePayload = {"name": name, "mimeType": builders.XLSX_TYPE, "buffer": data}
    page.get_by_label("Upload a file").set_input_files(files=[file])
    page.get_by_label("Reason for this change").fill(reason)
    page.get_by_role("button", name="Check and import").click()


def test_a_finance_lead_imports_a_workbook_after_putting_its_problems_right(
    page: Page, live_server: LiveServer, finance_lead: User, draft: AllocationTableVersion
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{draft.pk}/import/")
    expect(page).to_have_title(
        "Import a spreadsheet into 2027 to 2028 proposal" + COUNCIL_TITLE_SUFFIX
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a spreadsheet")
    check_accessibility(page, "spreadsheet-import")

    bands = builders.bands_with(1, 3, "3,000.505")
    bands[2][4] = "about 285"
    bad = builders.workbook(bands=bands, reductions=builders.reductions_with(3, 0, "lots"))
    upload(page, "proposal.xlsx", bad, "3% uplift")
    expect(page).to_have_title(
        "Error: Import a spreadsheet into 2027 to 2028 proposal" + COUNCIL_TITLE_SUFFIX
    )
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The file has 3 problems. Nothing was saved")
    expect(summary.get_by_role("link")).to_have_count(3)
    expect(summary.get_by_role("link").first).to_have_text(
        "Bands sheet, row 3, column D (Base £ a year): '3,000.505' has more than 2 decimal "
        "places; amounts are pounds and pence"
    )
    expect(page.locator("#id_file-error")).to_contain_text("The file has 3 problems")
    check_accessibility(page, "spreadsheet-import-errors")
    summary.get_by_role("link").first.click()
    expect(page.locator("#id_file")).to_be_focused()
    assert table_rows(draft)[0][1] == (20, 49, 270_000, 23_400)

    upload(page, "proposal.xlsx", builders.workbook(), "Back to this year's amounts")
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(
        "'proposal.xlsx' was imported into '2027 to 2028 proposal': 5 bands and 4 carer reductions."
    )
    check_accessibility(page, "spreadsheet-import-success")
    bands_saved, reductions_saved = table_rows(draft)
    assert bands_saved == builders.GOOD_BANDS_PENCE
    assert reductions_saved == builders.GOOD_REDUCTIONS_BP


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_the_browser(
    page: Page, live_server: LiveServer, finance_lead: User, draft: AllocationTableVersion
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/tables/{draft.pk}/import/")
    upload(page, "table.xlsx", builders.pdf_document(), "Trying a PDF")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The file 'table.xlsx' is a PDF document, not an Excel workbook (.xlsx) or a CSV file."
    )
    check_accessibility(page, "spreadsheet-import-not-a-spreadsheet")

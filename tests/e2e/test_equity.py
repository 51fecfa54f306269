"""The equity dashboard in a real browser: figures, chart with the RAS line, and its error state."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import User
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_calibration import published  # noqa: F401
from tests.e2e.test_spreadsheets import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import questionnaire  # noqa: F401
from tests.reviews.test_equity import decided  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_finance_lead_reads_the_equity_dashboard(
    page: Page, live_server: LiveServer, finance_lead: User, published, decided
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/equity/")
    expect(page).to_have_title("Equity of budgets" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("table").first).to_contain_text("£300.00")
    expect(
        page.get_by_role("img", name="Final budget against points, Older people")
    ).to_be_visible()
    expect(page.locator("polyline")).to_have_count(1)
    expect(page.get_by_role("link", name=f"Decision {decided['5000']}")).to_be_visible()
    check_accessibility(page, "equity")

    page.get_by_label("Signed off from").fill("2026-10-02")
    page.get_by_label("Signed off to").fill("2026-10-01")
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_title("Error: Equity of budgets" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The last date must be")
    check_accessibility(page, "equity-errors")

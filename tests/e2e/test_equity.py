"""The equity dashboard in a real browser: figures as at the last snapshot, chart with the RAS
line, asking for new figures, and its error state."""

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import User
from reviews.figures_snapshot import figures_snapshot_build, figures_snapshot_claim
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_calibration import published  # noqa: F401
from tests.e2e.test_spreadsheets import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import questionnaire  # noqa: F401
from tests.reviews.test_equity import decided  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_finance_lead_reads_the_equity_dashboard(
    page: Page, live_server: LiveServer, finance_lead: User, published, decided
) -> None:
    claimed = figures_snapshot_claim(snapshot_id=None)  # as the hourly job does
    assert claimed is not None
    figures_snapshot_build(snapshot_id=claimed.pk)
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/equity/")
    expect(page).to_have_title("Equity of budgets" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator("#freshness")).to_contain_text(
        re.compile(r"Figures as at \d\d:\d\d on \d{1,2} [A-Z][a-z]+ \d{4} \(updated every hour\)\.")
    )
    expect(page.get_by_role("table").first).to_contain_text("£300.00")
    expect(
        page.get_by_role("img", name="Final budget against points, Older people")
    ).to_be_visible()
    expect(page.locator("polyline")).to_have_count(1)
    # A finance lead reads the reasons here: the case page is not theirs to open.
    outliers = page.locator("#outliers ~ table").first
    expect(outliers).to_contain_text(f"Decision {decided['5000']}")
    expect(page.get_by_role("link", name=f"Decision {decided['5000']}")).to_have_count(0)
    check_accessibility(page, "equity")

    page.get_by_role("button", name="Update the figures now").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "New figures are being worked out."
    )
    expect(page.locator("#freshness")).to_contain_text("New figures were asked for at")
    expect(page.get_by_role("button", name="Update the figures now")).to_have_count(0)
    check_accessibility(page, "equity-refresh-asked")

    page.get_by_label("Signed off from").fill("2026-10-02")
    page.get_by_label("Signed off to").fill("2026-10-01")
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_title("Error: Equity of budgets" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-error-summary")).to_contain_text("The last date must be")
    check_accessibility(page, "equity-errors")

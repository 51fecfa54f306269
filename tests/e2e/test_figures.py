"""The variations and timeliness pages in a real browser: filters, tables, downloads, axe."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import User
from reviews.figures_snapshot import figures_snapshot_build, figures_snapshot_claim
from tests.allocations.conftest import older_people, published_version  # noqa: F401
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_spreadsheets import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import questionnaire  # noqa: F401
from tests.reviews.test_timeliness import three_cases  # noqa: F401
from tests.reviews.test_variation_figures import six_cases, teams  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_finance_lead_reads_how_far_budgets_move_from_the_ras(
    page: Page,
    live_server: LiveServer,
    finance_lead: User,
    six_cases,
) -> None:
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/figures/variations/")
    expect(page).to_have_title("How far final budgets move from the RAS" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator("#freshness")).to_contain_text("The ready-made figures are not ready yet")
    routes = page.get_by_role("table", name="How cases were decided")
    expect(routes.get_by_role("row", name="Outside the RAS")).to_contain_text("33.33%")
    check_accessibility(page, "figures-variations")

    page.get_by_label("Client group", exact=True).select_option(label="Mental health")
    page.get_by_role("button", name="Show figures").click()
    expect(routes.get_by_role("row", name="Outside the RAS")).to_contain_text("50.00%")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download how cases were decided as CSV").click()
    assert download.value.suggested_filename == "variations-routes.csv"

    page.get_by_label("From", exact=True).fill("yesterday")
    page.get_by_role("button", name="Show figures").click()
    expect(page).to_have_title(
        "Error: How far final budgets move from the RAS" + COUNCIL_TITLE_SUFFIX
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the start date")
    check_accessibility(page, "figures-variations-error")


def test_a_manager_reads_how_long_people_wait(
    page: Page,
    live_server: LiveServer,
    team_manager: User,
    three_cases,
) -> None:
    claimed = figures_snapshot_claim(snapshot_id=None)  # as the hourly job does
    assert claimed is not None
    figures_snapshot_build(snapshot_id=claimed.pk)
    sign_in(page, live_server, team_manager)
    page.goto(f"{live_server.url}/figures/timeliness/")
    expect(page).to_have_title("How long people wait" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator("#freshness")).to_contain_text("(updated every hour).")
    expect(page.locator("#freshness")).to_contain_text("Figures as at")
    final = page.get_by_role("table", name="Start of the assessment to a final budget, by month")
    expect(final.get_by_role("row", name="2026-04")).to_contain_text("28.0")
    check_accessibility(page, "figures-timeliness")

"""The retention pages in a real browser: the runs with their count-only reports, and placing and
releasing a legal hold with every error. Each page passes axe; screenshots are kept."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_pages import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import assessment, questionnaire  # noqa: F401
from tests.retention.conftest import NOW, run_at, saved_days_ago

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_administrator_reads_last_nights_report(
    page: Page, live_server: LiveServer, administrator, assessment
) -> None:
    saved_days_ago(assessment, 91)
    run_at(NOW - datetime.timedelta(days=7))
    run_at(NOW)
    sign_in(page, live_server, administrator)
    page.get_by_role("link", name="See what the nightly retention run deleted, and why").click()
    expect(page).to_have_title(f"Retention runs{COUNCIL_TITLE_SUFFIX}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What the retention schedule deleted, and why"
    )
    check_accessibility(page, "retention-runs")

    page.get_by_role("link", name=re.compile(r"^1 March 2027, 2:30a\.m\..*the report$")).click()
    expect(page.get_by_role("heading", name="Unsent self-assessments")).to_be_visible()
    expect(page.get_by_text("nothing has been saved in it for 90 days")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Sam Service-User")
    check_accessibility(page, "retention-run-report")


def test_an_administrator_places_and_releases_a_legal_hold(
    page: Page, live_server: LiveServer, administrator, assessment
) -> None:
    sign_in(page, live_server, administrator)
    page.get_by_role("link", name="Place and release legal holds on people’s records").click()
    expect(page).to_have_title(f"Legal holds{COUNCIL_TITLE_SUFFIX}")
    expect(page.get_by_text("No records are under a legal hold.")).to_be_visible()
    check_accessibility(page, "legal-holds-empty")

    page.get_by_role("button", name="Place a legal hold").click()
    expect(page).to_have_title(f"Place a legal hold{COUNCIL_TITLE_SUFFIX}")
    check_accessibility(page, "legal-hold-new")

    page.get_by_role("button", name="Search").click()
    expect(page).to_have_title(f"Error: Place a legal hold{COUNCIL_TITLE_SUFFIX}")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a name or an assessment reference"
    )
    check_accessibility(page, "legal-hold-new-search-error")

    page.get_by_label("Name or assessment reference").fill("service")
    page.get_by_role("button", name="Search").click()
    check_accessibility(page, "legal-hold-new-found")
    page.get_by_role("button", name="Place the legal hold").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the person whose records should be held")
    expect(summary).to_contain_text("Enter the reason for the legal hold")
    check_accessibility(page, "legal-hold-new-place-errors")

    page.get_by_label("Sam Service-User").check()
    page.get_by_label("Why must their records be kept?").fill("Ombudsman complaint 24 001 234")
    page.get_by_role("button", name="Place the legal hold").click()
    expect(
        page.get_by_text("Sam Service-User’s records are now under a legal hold.")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Ombudsman complaint 24 001 234")).to_be_visible()
    check_accessibility(page, "legal-holds-one-in-force")

    page.get_by_role("link", name="Release the hold on Sam Service-User").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Release the legal hold on Sam Service-User"
    )
    check_accessibility(page, "legal-hold-release")
    page.get_by_role("button", name="Release the legal hold").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reason for releasing the legal hold"
    )
    check_accessibility(page, "legal-hold-release-error")
    page.get_by_label("Why can the hold be released?").fill("The complaint was closed")
    page.get_by_role("button", name="Release the legal hold").click()
    expect(page.get_by_text("The legal hold on Sam Service-User was released.")).to_be_visible()
    expect(page.get_by_text("No records are under a legal hold.")).to_be_visible()
    expect(page.get_by_role("cell", name="The complaint was closed")).to_be_visible()
    check_accessibility(page, "legal-holds-released")

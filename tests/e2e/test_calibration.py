"""The calibration pages in a real browser: upload (with its error state) and the analysis."""

import datetime

import pytest
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from allocations.demo import demo_bands, demo_calibration_load
from allocations.models import AllocationTableVersion, CalibrationSample, ClientGroup
from allocations.services import table_publish
from ras.accounts.models import User
from tests.allocations.conftest import TODAY, make_draft
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_spreadsheets import COUNCIL_TITLE_SUFFIX

pytestmark = pytest.mark.browser

HEADINGS = "Reference,Client group,Total points,Carer level,Actual cost £ a year"


@pytest.fixture
def published(finance_lead: User) -> AllocationTableVersion:
    # Browser tests empty the database after each test, seeded rows included.
    older_people, _ = ClientGroup.objects.get_or_create(
        code="older-people", defaults={"name": "Older people"}
    )
    draft = make_draft(older_people, finance_lead, label="2026 to 2027", bands=demo_bands(100))
    return table_publish(
        version=draft,
        actor=finance_lead,
        effective_from=datetime.date(2026, 4, 1),
        reason="Yearly recalibration",
        backdating_reason="In force since April",
        today=TODAY,
    )


def csv_payload(*rows: str) -> FilePayload:
    text = "\n".join((HEADINGS, *rows)) + "\n"
    return {"name": "pilot.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def test_a_finance_lead_puts_a_sample_right_then_reads_its_analysis(
    page: Page, live_server: LiveServer, finance_lead: User, published: AllocationTableVersion
) -> None:
    """A-1: 44 points with some help is £8,316.00 under the table; its actual cost is the same."""
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/calibration/")
    expect(page).to_have_title("Calibration samples" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "calibration-samples")

    page.get_by_label("Name of the sample").fill("Pilot")
    page.get_by_label("Upload a file").set_input_files(
        files=[csv_payload("A-1,older-people,44,some,8316.00", "A-2,older-people,lots,none,1")]
    )
    page.get_by_role("button", name="Check and upload").click()
    expect(page).to_have_title("Error: Calibration samples" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "CSV file, row 3, column C (Total points)"
    )
    check_accessibility(page, "calibration-samples-error")
    assert not CalibrationSample.objects.exists()

    page.get_by_label("Upload a file").set_input_files(
        files=[csv_payload("A-1,older-people,44,some,8316.00", "A-2,older-people,10,none,1650")]
    )
    page.get_by_role("button", name="Check and upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilot")
    expect(
        page.get_by_role("img", name="RAS amount against actual cost, Older people")
    ).to_be_visible()
    expect(page.locator("table").last).to_contain_text("£8,316.00")
    check_accessibility(page, "calibration-analysis")


def test_the_demo_pilot_sample_is_analysed_for_every_client_group(
    page: Page, live_server: LiveServer, finance_lead: User, published: AllocationTableVersion
) -> None:
    for code, name in (
        ("physical-disabilities", "Physical disabilities"),
        ("mental-health", "Mental health"),
        ("learning-disabilities", "Learning disabilities"),
    ):
        ClientGroup.objects.get_or_create(code=code, defaults={"name": name})
    demo_calibration_load(finance_lead=finance_lead)
    sample = CalibrationSample.objects.get()
    sign_in(page, live_server, finance_lead)
    page.goto(f"{live_server.url}/finance/calibration/{sample.pk}/")
    expect(page.get_by_role("heading", level=2, name="Older people")).to_be_visible()
    expect(page.get_by_text("No table is in force for this client group.").first).to_be_visible()
    check_accessibility(page, "calibration-pilot")

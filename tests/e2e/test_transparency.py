"""The public allocation tables and calculator in a real browser, checked with axe."""

import datetime
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from allocations.models import AllocationTableVersion, ClientGroup
from allocations.services import table_publish
from ras.accounts.models import User
from tests.allocations.conftest import TODAY, make_draft
from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.browser

COUNCIL_TITLE_SUFFIX = " – Care and support budgets – Northbrook Council"
LONDON = ZoneInfo("Europe/London")
LAST_APRIL = datetime.date(2025, 4, 1)
THIS_APRIL = datetime.date(2026, 4, 1)
NEXT_APRIL = datetime.date(2027, 4, 1)


@pytest.fixture(autouse=True)
def today_is_the_24th_of_november_2026() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=LONDON)):
        yield


def publish(
    version: AllocationTableVersion, finance_lead: User, effective_from: datetime.date
) -> AllocationTableVersion:
    return table_publish(
        version=version,
        actor=finance_lead,
        effective_from=effective_from,
        reason="Yearly recalibration",
        backdating_reason="Loaded for the test",
        today=TODAY,
    )


@pytest.fixture
def published_version(finance_lead: User) -> AllocationTableVersion:
    """The demo older people's table in force from 1 April 2026, last year's table before it,
    next year's after it, and a draft nobody may see."""
    # Browser tests empty the database after each test, seeded rows included.
    older_people, _ = ClientGroup.objects.get_or_create(
        code="older-people", defaults={"name": "Older people"}
    )
    ClientGroup.objects.get_or_create(code="mental-health", defaults={"name": "Mental health"})
    publish(make_draft(older_people, finance_lead, label="2025 to 2026"), finance_lead, LAST_APRIL)
    published = publish(
        make_draft(older_people, finance_lead, label="2026 to 2027"), finance_lead, THIS_APRIL
    )
    publish(make_draft(older_people, finance_lead, label="2027 to 2028"), finance_lead, NEXT_APRIL)
    make_draft(older_people, finance_lead, label="Proposal nobody may see yet")
    return published


def test_the_allocation_tables_page_is_accessible(
    page: Page, live_server: LiveServer, published_version
) -> None:
    page.goto(f"{live_server.url}/allocation-tables/")
    expect(page).to_have_title("Allocation tables" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation tables")
    expect(page.get_by_role("heading", level=3, name="2026 to 2027")).to_contain_text(
        "In force today"
    )
    expect(page.get_by_text("No table has been published for Mental health yet.")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="2027 to 2028")).to_contain_text(
        "Not yet in force"
    )
    expect(page.get_by_role("heading", level=3, name="2025 to 2026")).to_contain_text("Replaced")
    page.get_by_text("Bands and carer reductions of 2025 to 2026").click()
    expect(page.get_by_role("table", name="Older people, 2025 to 2026: Bands")).to_be_visible()
    expect(page.get_by_text("Proposal nobody may see yet")).to_have_count(0)
    check_accessibility(page, "transparency-tables")


def test_the_empty_calculator_is_accessible(
    page: Page, live_server: LiveServer, published_version
) -> None:
    page.goto(f"{live_server.url}/allocation-tables/")
    page.get_by_role("button", name="Work out an amount").click()
    expect(page).to_have_title("Work out an amount from an allocation table" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    check_accessibility(page, "transparency-calculator")


def test_the_calculator_shows_a_result_and_its_steps_accessibly(
    page: Page, live_server: LiveServer, published_version
) -> None:
    """37 points, some help: £3,000 + 17 x £260 = £7,420.00; less 10% (£742.00) = £6,678.00 a
    year; £6,678.00 / 52 = £128.4230..., so £128.42 a week."""
    page.goto(f"{live_server.url}/allocation-tables/calculator/")
    page.get_by_label("Older people").check()
    page.get_by_label("Total points").fill("37")
    page.get_by_label("Some help from family or friends").check()
    page.get_by_role("button", name="Work out the amount").click()
    expect(page.get_by_role("heading", level=2, name="The result")).to_be_visible()
    expect(page.locator("main")).to_contain_text("£6,678.00 a year, which is £128.42 a week")
    steps = page.locator("#steps li")
    expect(steps.first).to_have_text("Total: 37 points.")
    expect(steps.last).to_have_text(
        "Indicative weekly amount: £6,678.00 ÷ 52 = £128.42, rounded half up to the nearest penny."
    )
    check_accessibility(page, "transparency-calculator-result")


def test_the_calculator_errors_are_accessible(
    page: Page, live_server: LiveServer, published_version
) -> None:
    page.goto(f"{live_server.url}/allocation-tables/calculator/")
    page.get_by_label("Total points").fill("-3")
    page.get_by_role("button", name="Work out the amount").click()
    expect(page).to_have_title(
        "Error: Work out an amount from an allocation table" + COUNCIL_TITLE_SUFFIX
    )
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Select a client group")
    expect(summary).to_contain_text("Total points must be 0 or more")
    expect(summary).to_contain_text("Select how much help the person gets from family or friends")
    summary.get_by_role("link", name="Select a client group").click()
    expect(page.locator("#id_client_group")).to_be_focused()
    check_accessibility(page, "transparency-calculator-errors")

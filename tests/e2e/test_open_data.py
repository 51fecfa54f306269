"""Browser test: anyone opens the open data from the start page, with no sign-in."""

import datetime

import pytest
import time_machine
from playwright.sync_api import Page, expect

from reviews.figures_snapshot import figures_snapshot_build, figures_snapshot_claim
from tests.e2e.conftest import check_accessibility
from tests.reviews.test_open_data import at, make_case, questionnaire  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_anyone_reads_the_open_data_with_small_numbers_kept_back(
    page: Page, live_server, make_case
):
    """Older people, April to June 2026: 6 people with finals £1,000 .. £6,000, median £3,500.00.
    Mental health in the same quarter has 2 people: "fewer than 5"."""
    for number in range(6):
        make_case("older-people", at(datetime.date(2026, 5, 4)), 100_000 * (number + 1))
    for _ in range(2):
        make_case("mental-health", at(datetime.date(2026, 5, 4)), 500_000)

    with time_machine.travel(datetime.datetime(2026, 11, 24, 9, 30, tzinfo=datetime.UTC)):
        claimed = figures_snapshot_claim(snapshot_id=None)  # as the hourly job does
        assert claimed is not None
        figures_snapshot_build(snapshot_id=claimed.pk)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC), tick=True):
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="open data about personal budgets").click()
        expect(page.get_by_role("heading", name="Open data about personal budgets")).to_be_visible()
        older = page.get_by_role("table", name="Older people: figures by quarter")
        expect(older.get_by_role("row", name="April to June 2026")).to_contain_text("£3,500.00")
        mental = page.get_by_role("table", name="Mental health: figures by quarter")
        expect(mental.get_by_role("row", name="April to June 2026")).to_contain_text("fewer than 5")
        expect(page.locator("#freshness")).to_contain_text(
            "Figures as at 09:30 on 24 November 2026 (updated every hour)."
        )
        check_accessibility(page, "open-data")

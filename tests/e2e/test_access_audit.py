"""An information governance officer (an administrator) answers "who looked at Sam's record
last month?" in a real browser: finding Sam by name (sent by POST, so never in the address),
choosing the dates, and reading who, when, what and from where. Every page passes axe.

The looks are made by the real case page, at moments in the past: Wendy Worker on the 3rd and
Mo Manager on the 20th of last month, Pat Panel on the 5th of the month before, and Wendy again
this month.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import User
from reviews.models import BudgetDecision
from tests.allocations.conftest import older_people, published_version  # noqa: F401
from tests.conftest import ClientFactory
from tests.e2e.conftest import check_accessibility, sign_in
from tests.questionnaires.conftest import assessment, questionnaire  # noqa: F401
from tests.reviews.conftest import decision, submitted_assessment  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("tasks_run_in_the_server_process"),
]


def first_of_last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def look(user: User, decision: BudgetDecision, day: datetime.date) -> None:
    """`user` opens Sam's case page at 10:00 UTC on `day`, signed in at that moment."""
    moment = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        client = ClientFactory()(user)
        assert client.get(reverse("cases:detail", args=[decision.pk])).status_code == 200


def test_who_looked_at_a_persons_record_last_month(
    page: Page,
    live_server: LiveServer,
    decision: BudgetDecision,
    social_worker: User,
    team_manager: User,
    administrator: User,
):
    last_month = first_of_last_month()
    month_before = (last_month - datetime.timedelta(days=1)).replace(day=1)
    look(social_worker, decision, last_month.replace(day=3))
    look(team_manager, decision, last_month.replace(day=20))
    look(team_manager, decision, month_before.replace(day=5))
    look(social_worker, decision, timezone.localdate().replace(day=1))

    sign_in(page, live_server, administrator)
    page.get_by_role("link", name="See who looked at a person’s records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who looked at people’s records")
    check_accessibility(page, "audit-search")

    page.get_by_role("button", name="Find the person").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a name, an assessment reference or a decision number"
    )
    check_accessibility(page, "audit-search-error")

    page.get_by_label("Name, assessment reference or decision number").fill("sam service")
    page.get_by_role("button", name="Find the person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People matching your search")
    assert "sam" not in page.url.lower()
    check_accessibility(page, "audit-people")

    page.get_by_role("link", name="See who looked at Sam Service-User’s records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who looked at Sam Service-User’s records"
    )
    end_of_last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    page.get_by_label("From").fill(f"{last_month:%d/%m/%Y}")
    page.get_by_label("To").fill(f"{end_of_last_month:%d/%m/%Y}")
    page.get_by_role("button", name="Show views").click()

    table = page.locator("table#views")
    expect(table.locator("caption")).to_contain_text("2 views from 1 ")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Mo Manager")
    expect(rows.nth(0)).to_contain_text(f"{last_month.replace(day=20):%-d %b %Y}")
    expect(rows.nth(0)).to_contain_text(f"Case: Decision {decision.pk}")
    expect(rows.nth(0)).to_contain_text("127.0.0.1")
    expect(rows.nth(1)).to_contain_text("Wendy Worker")
    expect(rows.nth(1)).to_contain_text(f"{last_month.replace(day=3):%-d %b %Y}")
    expect(table).not_to_contain_text(f"{month_before.replace(day=5):%-d %b %Y}")
    check_accessibility(page, "audit-results")

    rows.nth(0).get_by_role("link", name="Everything they looked at").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Records Mo Manager looked at")
    check_accessibility(page, "audit-staff-results")

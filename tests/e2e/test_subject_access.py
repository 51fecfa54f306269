"""Subject access in a real browser: the person downloads their own copy from their budget
page; a social worker from the case; an administrator finds the person and downloads theirs.
The pages work, pass axe, and screenshots are kept.

Sam's case: 34 points on the older people's table, an indicative budget of £4,980.00 a year.
"""

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import User
from reviews.models import BudgetDecision
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_pages import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    assessment,
    older_people,
    published_version,
    questionnaire,
)
from tests.reviews.conftest import decision, submitted_assessment  # noqa: F401 - fixtures

# Client groups, delegated authority and reason codes are seeded by migrations; a live server's
# tests empty the tables after each test, so the seeded rows are put back before each one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("tasks_run_in_the_server_process"),
]


def download(page: Page, button_name: str, decision: BudgetDecision) -> Any:
    """Clicks the download button and returns the data.json of the zip it gives."""
    with page.expect_download() as downloading:
        page.get_by_role("button", name=button_name).click()
    zipped = downloading.value
    assert zipped.suggested_filename == f"records-{decision.person.public_id}.zip"
    with zipfile.ZipFile(io.BytesIO(Path(zipped.path()).read_bytes())) as archive:
        assert "your-records.pdf" in archive.namelist()
        return json.loads(archive.read("data.json"))


def test_the_person_downloads_everything_we_hold_from_their_budget_page(
    page: Page, live_server: LiveServer, service_user: User, decision: BudgetDecision
) -> None:
    sign_in(page, live_server, service_user)
    page.goto(f"{live_server.url}/your-budget/")
    page.get_by_role("link", name="Download a copy of everything we hold about you").click()
    expect(page).to_have_title("A copy of everything we hold" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "your-records")

    data = download(page, "Download a copy of everything we hold about you", decision)
    assert data["person"]["full_name"] == "Sam Service-User"
    assert data["indicative_budgets"][0]["indicative_annual"]["pounds"] == "£4,980.00"


def test_a_social_worker_downloads_everything_held_from_the_case(
    page: Page, live_server: LiveServer, social_worker: User, decision: BudgetDecision
) -> None:
    sign_in(page, live_server, social_worker)
    page.goto(f"{live_server.url}/cases/{decision.pk}/")
    page.get_by_role("link", name="everything we hold about Sam Service-User").click()
    expect(page).to_have_title("Everything we hold about Sam Service-User" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator("main")).to_contain_text("Self-assessments")
    check_accessibility(page, "subject-access-person")

    data = download(page, "Download everything we hold about this person", decision)
    assert data["decisions"][0]["decision_id"] == decision.pk


def test_an_administrator_finds_the_person_and_downloads_everything_held(
    page: Page, live_server: LiveServer, administrator: User, decision: BudgetDecision
) -> None:
    assert decision.assessment is not None
    reference = decision.assessment.reference
    sign_in(page, live_server, administrator)
    page.get_by_role("link", name="Send someone a copy of everything we hold about them").click()
    expect(page).to_have_title("Find the person a request is about" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "subject-access-find")

    page.get_by_role("button", name="Find").click()
    expect(page).to_have_title("Error: Find the person a request is about" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a self-assessment reference or a name"
    )
    check_accessibility(page, "subject-access-find-error")

    page.get_by_label("Self-assessment reference or name").fill(reference)
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name="People found")).to_be_visible()
    check_accessibility(page, "subject-access-find-results")

    page.get_by_role("link", name="What we hold about Sam Service-User").click()
    data = download(page, "Download everything we hold about this person", decision)
    assert data["assessments"][0]["reference"] == reference

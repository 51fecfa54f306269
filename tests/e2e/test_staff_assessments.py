"""The staff assessment pages in a real browser: they work, they pass axe, screenshots are kept.

The person's budget: 34 points, £6,640.00 - 25% = £4,980.00 a year. The worker's view of
washing ("all the time", 6 points instead of 3): 37 points, £7,420.00 - 25% = £5,565.00,
£585.00 a year more.
"""

import datetime

import pytest
import time_machine
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from allocations.budgets import assessment_submit_and_price
from questionnaires.models import Assessment
from questionnaires.services import worker_view_save
from ras.accounts.models import User
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_pages import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    FULL_ANSWERS,
    answer_all,
    assessment,
    older_people,
    published_version,
    questionnaire,
)

# The client groups are seeded by a migration; a live server's tests empty the tables after each
# test, so the seeded rows are put back before each one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def checked_assessment(assessment, service_user, social_worker, published_version):
    answer_all(assessment, service_user, FULL_ANSWERS)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)):
        assessment_submit_and_price(assessment=assessment, actor=service_user)
    worker_view_save(
        assessment=assessment,
        question_code="washing",
        option_code="all-the-time",
        actor=social_worker,
    )
    return assessment


def test_the_assessment_list_is_accessible(
    page: Page, live_server: LiveServer, social_worker: User, checked_assessment: Assessment
) -> None:
    sign_in(page, live_server, social_worker)
    page.goto(f"{live_server.url}/staff/assessments/")
    expect(page).to_have_title("Assessments" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("link", name=checked_assessment.reference)).to_be_visible()
    expect(page.locator("table")).to_contain_text("£4,980.00")
    check_accessibility(page, "staff-assessments-list")


def test_the_check_page_with_differences_is_accessible(
    page: Page, live_server: LiveServer, social_worker: User, checked_assessment: Assessment
) -> None:
    sign_in(page, live_server, social_worker)
    page.goto(f"{live_server.url}/staff/assessments/")
    page.get_by_role("link", name=checked_assessment.reference).click()
    expect(page).to_have_title(f"Assessment {checked_assessment.reference}" + COUNCIL_TITLE_SUFFIX)
    money = page.locator("#money-effect")
    expect(money).to_contain_text("£5,565.00")
    expect(money).to_contain_text("£585.00 a year more")
    expect(page.locator("#how-we-worked-this-out")).to_be_visible()
    check_accessibility(page, "staff-assessment-check")


def test_recording_a_view_and_its_error_are_accessible(
    page: Page, live_server: LiveServer, social_worker: User, checked_assessment: Assessment
) -> None:
    sign_in(page, live_server, social_worker)
    page.goto(f"{live_server.url}/staff/assessments/{checked_assessment.public_id}/")
    page.get_by_role(
        "link", name="Record your view of: How much help do you need to make a meal?"
    ).click()
    expect(page).to_have_title(
        "Your view: How much help do you need to make a meal?" + COUNCIL_TITLE_SUFFIX
    )
    check_accessibility(page, "staff-assessment-record-view")

    page.get_by_role("button", name="Save your view").click()
    expect(page).to_have_title(
        "Error: Your view: How much help do you need to make a meal?" + COUNCIL_TITLE_SUFFIX
    )
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select your view of how much help the person needs")
    expect(summary).to_be_focused()
    check_accessibility(page, "staff-assessment-record-view-error")

    page.get_by_label("I need some help").check()
    page.get_by_role("button", name="Save your view").click()
    expect(page).to_have_title(f"Assessment {checked_assessment.reference}" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been saved")
    expect(page.locator("#money-effect")).to_contain_text("£2,955.00 a year less")


def test_starting_an_assessment_with_someone_and_its_errors_are_accessible(
    page: Page, live_server: LiveServer, social_worker: User
) -> None:
    sign_in(page, live_server, social_worker)
    page.goto(f"{live_server.url}/staff/assessments/")
    page.get_by_role("button", name="Start an assessment with someone").click()
    expect(page).to_have_title("Start an assessment with someone" + COUNCIL_TITLE_SUFFIX)
    check_accessibility(page, "staff-assessment-new")
    page.get_by_role("button", name="Start the assessment").click()
    expect(page).to_have_title("Error: Start an assessment with someone" + COUNCIL_TITLE_SUFFIX)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person’s full name")
    check_accessibility(page, "staff-assessment-new-error")

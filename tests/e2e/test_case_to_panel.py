"""A case from submission through a panel to a final budget, in a real browser.

The person's submitted, priced self-assessment (tests/reviews/conftest.py) has an indicative
budget of £4,980.00 a year, and a social worker has opened its decision. The worker asks for
£7,200.00: £2,220.00 more, beyond a social worker's 10% (£498.00) and a team manager's 25%
(£1,245.00), so the case goes straight to panel. A team manager arranges a meeting with a panel
member and puts the case on its agenda; the panel member approves £6,800.00 a year instead, with
reasons; the final budget carries the panel member's name, the amount and the reasons, and the
minutes download as a PDF.
"""

import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import User
from reviews.models import BudgetDecision, PanelAgendaItem
from reviews.workflow import Action, State
from tests.allocations.conftest import older_people, published_version  # noqa: F401
from tests.e2e.conftest import check_accessibility, sign_in
from tests.e2e.test_pages import COUNCIL_TITLE_SUFFIX
from tests.questionnaires.conftest import assessment, questionnaire  # noqa: F401
from tests.reviews.conftest import decision, submitted_assessment  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("tasks_run_in_the_server_process"),
]


def test_a_case_goes_from_submission_through_a_panel_to_a_final_budget(
    page: Page,
    live_server: LiveServer,
    social_worker: User,
    team_manager: User,
    panel_member: User,
    decision: BudgetDecision,
    tmp_path,
) -> None:
    assert decision.assessment is not None
    reference = decision.assessment.reference

    # The social worker asks for more than a manager may agree: it goes to panel.
    sign_in(page, live_server, social_worker)
    page.goto(f"{live_server.url}/cases/{decision.pk}/")
    page.get_by_role("link", name="Vary the budget up or down, with reasons").click()
    page.get_by_label("New amount a year").fill("7200.00")
    page.get_by_label("Support is needed at night").check()
    page.get_by_label("Reasons").fill("Needs waking support every night; her daughter cannot.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("£7,200.00 a year was sent to the panel")
    page.get_by_role("button", name="Sign out").click()

    # A team manager arranges a meeting with a panel member and puts the case on its agenda.
    sign_in(page, live_server, team_manager)
    page.goto(f"{live_server.url}/panels/")
    expect(page.locator("#count-waiting")).to_have_text("1")
    page.get_by_role("button", name="Arrange a meeting").click()
    today = timezone.localdate()
    page.get_by_label("Title").fill("Older people’s panel")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Pat Panel").check()
    page.get_by_role("button", name="Arrange the meeting").click()
    meeting_title = f"Older people’s panel, {today:%-d %B %Y}" + COUNCIL_TITLE_SUFFIX
    expect(page).to_have_title(meeting_title)
    page.get_by_label(f"Case {reference}: Sam Service-User").check()
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"You added case {reference} to the agenda."
    )
    page.get_by_role("button", name="Sign out").click()

    # The panel member reads the papers and approves a different amount, with reasons.
    sign_in(page, live_server, panel_member)
    page.goto(f"{live_server.url}/panels/")
    page.get_by_role("link", name="Older people’s panel", exact=True).click()
    expect(page).to_have_title(meeting_title)
    papers = page.locator("main")
    expect(papers).to_contain_text("Why Wendy Worker asked for £7,200.00 a year")
    expect(papers).to_contain_text("Needs waking support every night; her daughter cannot.")
    expect(papers).to_contain_text("£2,220.00 (44.58%) more than the indicative budget")
    check_accessibility(page, "case-to-panel-papers")

    page.get_by_label("Amount a year the panel approves").fill("6800")
    page.get_by_label("Reasons for this amount").fill(
        "Waking support three nights a week, with a sitting service, meets the need."
    )
    page.get_by_role("button", name="Approve this amount").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"The panel approved £6,800.00 a year for case {reference}."
    )
    item = PanelAgendaItem.objects.get()
    outcome = page.locator(f"#case-{item.pk}-outcome")
    expect(outcome).to_contain_text("Approved a different amount")
    expect(outcome).to_contain_text("£6,800.00 a year")
    expect(outcome).to_contain_text("Pat Panel")
    expect(outcome).to_contain_text(
        "Waking support three nights a week, with a sitting service, meets the need."
    )
    check_accessibility(page, "case-to-panel-decided")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the minutes (PDF)").click()
    minutes = tmp_path / "minutes.pdf"
    download.value.save_as(minutes)
    assert minutes.read_bytes().startswith(b"%PDF-")
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(minutes), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout.split()
    )
    assert f"Case {reference}" in text
    assert "Approved a different amount: £6,800.00 a year" in text

    final = BudgetDecision.objects.get(pk=decision.pk)
    assert final.state == State.VARIED
    assert final.final_annual_pence == 680_000
    assert final.signed_off_by == panel_member
    assert final.events.latest("id").action == Action.PANEL_APPROVE_DIFFERENT

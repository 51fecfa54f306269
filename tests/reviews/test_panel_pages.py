"""Panel meetings: the list, arranging a meeting, the meeting page with each case's papers, the
agenda, the panel's decisions and the minutes; who may use them and how bad input is answered.

The case (tests/reviews/conftest.py): an indicative budget of £4,980.00 a year. A team manager may
agree up to 25% more, £6,225.00; the worker asks for £7,200.00 (£2,220.00, 44.58% more:
222,000 x 10,000 / 498,000 = 4,457.83 basis points, rounded half up to 4,458), beyond a manager,
so it goes straight to panel. The panel approves £6,800.00 a year instead.

The minutes are read with Debian's poppler-utils (pdfinfo, pdftotext) and, for the document
catalog, which pdfinfo does not print, by inflating the PDF's compressed objects with zlib.
"""

import datetime
import re
import shutil
import subprocess
import zlib
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from ras.accounts.roles import Role
from ras.accounts.services import user_create
from ras.people.services import person_create
from reviews.models import BudgetDecision, DecisionEvent, PanelAgendaItem, PanelMeeting
from reviews.panel_selectors import median_days
from reviews.panel_services import panel_agenda_add, panel_meeting_create
from reviews.services import PlanLine, decision_request_amount, decision_transition
from reviews.workflow import Action, State

pytestmark = [pytest.mark.django_db]

REFUSED_ROLES = ["service_user", "representative", "social_worker", "finance_lead", "administrator"]
ASKED_PENCE = 720_000
STEPS = ("approve", "approve-different", "decline", "defer")


def on(day: int, hour: int = 10):
    """A moment in December 2026, after the fixtures' case was opened."""
    return time_machine.travel(
        datetime.datetime(2026, 12, day, hour, tzinfo=datetime.UTC), tick=False
    )


def banner(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def refreshed(decision: BudgetDecision):
    return BudgetDecision.objects.get(pk=decision.pk)


def meeting_url(meeting: PanelMeeting) -> str:
    return reverse("panels:meeting", kwargs={"meeting_id": meeting.pk})


def step_url(step: str, item: PanelAgendaItem) -> str:
    return reverse(f"panels:{step}", kwargs={"meeting_id": item.meeting_id, "item_id": item.pk})


def decided(step: str, item: PanelAgendaItem, reasons: str = "Our reasons.", **extra) -> dict:
    prefix = f"case-{item.pk}-{step}"
    data = {f"{prefix}-seen_state": "awaiting_panel", f"{prefix}-reasons": reasons}
    data.update({f"{prefix}-{name}": value for name, value in extra.items()})
    return data


def to_panel(decision: BudgetDecision, worker, amount_pence: int = ASKED_PENCE, **kwargs):
    decision_request_amount(
        decision_id=decision.pk,
        actor=worker,
        seen_state=State.INDICATIVE,
        amount_pence=amount_pence,
        reason_codes=kwargs.get("reason_codes", ["night-support"]),
        reasons=kwargs.get("reasons", "Needs waking support at night."),
        plan_lines=kwargs.get("plan_lines", ()),
    )
    moved = refreshed(decision)
    assert moved.state == State.AWAITING_PANEL
    return moved


def another_case(name: str, worker, indicative_pence: int = 400_000):
    """A case with an indicative budget and no assessment on file, opened by `worker`."""
    return BudgetDecision.objects.create(
        person=person_create(full_name=name, actor=worker),
        social_worker=worker,
        state=State.INDICATIVE,
        state_changed_at=timezone.now(),
        indicative_annual_pence=indicative_pence,
    )


@pytest.fixture
def second_panel_member(db):
    return user_create(
        email="pip@example.org", full_name="Pip Panel", roles=[Role.PANEL_MEMBER], password="x"
    )


@pytest.fixture
def waiting(decision, social_worker):
    return to_panel(decision, social_worker)


@pytest.fixture
def meeting(team_manager, panel_member) -> PanelMeeting:
    return panel_meeting_create(
        held_on=timezone.localdate() + datetime.timedelta(days=7),
        title="December panel",
        member_ids=[panel_member.pk],
        actor=team_manager,
    )


@pytest.fixture
def item(meeting, waiting, team_manager) -> PanelAgendaItem:
    return panel_agenda_add(meeting=meeting, decision=waiting, actor=team_manager)


def every_page(meeting: PanelMeeting) -> list[str]:
    return [
        reverse("panels:meetings"),
        reverse("panels:new"),
        meeting_url(meeting),
        reverse("panels:minutes", kwargs={"meeting_id": meeting.pk}),
    ]


def every_action(item: PanelAgendaItem) -> list[tuple[str, dict]]:
    return [
        (reverse("panels:new"), {"title": "x", "members": []}),
        (reverse("panels:agenda-add", kwargs={"meeting_id": item.meeting_id}), {"decision": 1}),
        *((step_url(step, item), decided(step, item, amount="6800")) for step in STEPS),
    ]


# Who may use the pages


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_anyone_but_panel_members_and_team_managers_is_refused_every_page_and_action(
    role, request, client_for, item
) -> None:
    client = client_for(request.getfixturevalue(role))
    for page in every_page(item.meeting):
        assert client.get(page).status_code == 403, page
    for action, data in every_action(item):
        assert client.post(action, data).status_code == 403, action
    assert PanelMeeting.objects.count() == 1
    assert PanelAgendaItem.objects.get().outcome is None
    assert refreshed(item.decision).state == State.AWAITING_PANEL


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page_and_action(client, item) -> None:
    for page in every_page(item.meeting):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("accounts:sign-in")), page
    for action, data in every_action(item):
        assert client.post(action, data).status_code == 302, action
    assert PanelAgendaItem.objects.get().outcome is None


def test_a_panel_member_not_on_the_meeting_reads_the_papers_but_cannot_decide_or_see_minutes(
    client_for, second_panel_member, item
) -> None:
    client = client_for(second_panel_member)
    response = client.get(meeting_url(item.meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are not a member of this meeting." in html
    assert "Record the panel’s decision" not in html
    assert "Download the minutes" not in html
    refused = client.post(step_url("approve", item), decided("approve", item))
    assert refused.status_code == 403
    assert "Only a member of the panel meeting considering this case can." in (
        refused.content.decode()
    )
    minutes = reverse("panels:minutes", kwargs={"meeting_id": item.meeting_id})
    assert client.get(minutes).status_code == 403
    assert refreshed(item.decision).state == State.AWAITING_PANEL


def test_a_team_manager_reads_the_meeting_and_its_minutes_but_does_not_decide(
    client_for, team_manager, item
) -> None:
    client = client_for(team_manager)
    html = client.get(meeting_url(item.meeting)).content.decode()
    assert "Download the minutes (PDF)" in html
    assert "Record the panel’s decision" not in html
    refused = client.post(step_url("decline", item), decided("decline", item))
    assert refused.status_code == 403
    assert "Only a panel member can do this." in refused.content.decode()
    assert refreshed(item.decision).state == State.AWAITING_PANEL


def test_decisions_are_posted_only_and_unknown_items_are_not_found(
    client_for, panel_member, item
) -> None:
    client = client_for(panel_member)
    for step in STEPS:
        assert client.get(step_url(step, item)).status_code == 405
    other = reverse("panels:approve", kwargs={"meeting_id": item.meeting_id, "item_id": 999_999})
    assert client.post(other, decided("approve", item)).status_code == 404
    assert client.get("/panels/999999/").status_code == 404


# The meetings list


def test_the_list_counts_the_cases_waiting_and_the_longest_current_wait(
    client_for, panel_member, team_manager, decision, social_worker
) -> None:
    """Sent to panel on 1 and 4 December, seen on 10 December: 9 and 6 days; the longest is 9."""
    with on(1):
        to_panel(decision, social_worker)
    with on(4):
        later = to_panel(another_case("Len Later", social_worker), social_worker, 600_000)
    with on(5):
        upcoming = panel_meeting_create(
            held_on=datetime.date(2026, 12, 15),
            title="Mid-December panel",
            member_ids=[panel_member.pk],
            actor=team_manager,
        )
        panel_agenda_add(meeting=upcoming, decision=later, actor=team_manager)
        past = panel_meeting_create(
            held_on=datetime.date(2026, 12, 5),
            title="Early December panel",
            member_ids=[panel_member.pk],
            actor=team_manager,
        )
    with on(10):
        response = client_for(panel_member).get(reverse("panels:meetings"))
    assert response.status_code == 200
    waiting = response.context["waiting"]
    assert [(case.decision.pk, case.waited_days) for case in waiting] == [
        (decision.pk, 9),
        (later.pk, 6),
    ]
    assert waiting[1].open_meeting == upcoming
    assert [row.meeting for row in response.context["upcoming"]] == [upcoming]
    assert [row.meeting for row in response.context["past"]] == [past]
    html = response.content.decode()
    assert '<dd class="govuk-summary-list__value" id="count-waiting">2</dd>' in html
    assert f"9 days (case {decision.assessment.reference})" in html
    assert "Not on an agenda yet" in html
    assert "Mid-December panel" in html
    assert "Pat Panel" in html


def test_the_list_says_when_nothing_is_waiting(client_for, team_manager) -> None:
    html = client_for(team_manager).get(reverse("panels:meetings")).content.decode()
    assert "None: no case is waiting" in html
    assert "No meetings are arranged." in html


# Arranging a meeting


def meeting_form(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "title": "December panel",
        "held_on_day": str(today.day),
        "held_on_month": str(today.month),
        "held_on_year": str(today.year),
        "members": [],
    }
    data.update(overrides)
    return data


def test_a_team_manager_arranges_a_meeting_choosing_from_panel_members(
    client_for, team_manager, panel_member, second_panel_member, social_worker
) -> None:
    client = client_for(team_manager)
    form = client.get(reverse("panels:new")).content.decode()
    assert "Pat Panel" in form
    assert "Pip Panel" in form
    assert "Wendy Worker" not in form
    response = client.post(
        reverse("panels:new"),
        meeting_form(members=[str(panel_member.pk), str(second_panel_member.pk)]),
    )
    meeting = PanelMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting_url(meeting)
    assert meeting.held_on == timezone.localdate()
    assert meeting.created_by == team_manager
    assert set(meeting.members.all()) == {panel_member, second_panel_member}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title for the meeting"),
        ({"title": "x" * 201}, "The title must be 200 characters or fewer"),
        (
            {"held_on_day": "", "held_on_month": "", "held_on_year": ""},
            "Enter the date of the meeting",
        ),
        ({"held_on_month": ""}, "The date of the meeting must include a month"),
        (
            {"held_on_day": "31", "held_on_month": "2"},
            "The date of the meeting must be a real date",
        ),
        ({"held_on_year": "26"}, "The date of the meeting must be a real date"),
        ({"held_on_day": "first"}, "The date of the meeting must be a real date"),
        ({"members": []}, "Choose at least one panel member"),
        ({"members": ["999999"]}, "Choose members from the list of panel members"),
    ],
)
def test_a_bad_meeting_is_refused_with_a_clear_error_and_nothing_is_saved(
    overrides, message, client_for, team_manager, panel_member
) -> None:
    data = meeting_form(members=[str(panel_member.pk)])
    data.update(overrides)
    response = client_for(team_manager).post(reverse("panels:new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Arrange a panel meeting" in html
    assert message in html
    assert not PanelMeeting.objects.exists()


def test_a_meeting_in_the_past_is_refused(client_for, team_manager, panel_member) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for(team_manager).post(
        reverse("panels:new"),
        meeting_form(
            held_on_day=str(yesterday.day),
            held_on_month=str(yesterday.month),
            held_on_year=str(yesterday.year),
            members=[str(panel_member.pk)],
        ),
    )
    assert response.status_code == 400
    assert "The meeting date must be today" in response.content.decode()
    assert not PanelMeeting.objects.exists()


def test_someone_who_is_not_a_panel_member_cannot_be_chosen(
    client_for, team_manager, social_worker
) -> None:
    response = client_for(team_manager).post(
        reverse("panels:new"), meeting_form(members=[str(social_worker.pk)])
    )
    assert response.status_code == 400
    assert "Choose members from the list of panel members" in response.content.decode()
    assert not PanelMeeting.objects.exists()


# The agenda


def test_a_waiting_case_is_added_to_the_agenda_from_the_meeting_page(
    client_for, team_manager, meeting, waiting
) -> None:
    client = client_for(team_manager)
    page = client.get(meeting_url(meeting)).content.decode()
    assert "Add a case to the agenda" in page
    assert f"Case {waiting.assessment.reference}: Sam Service-User" in page
    response = client.post(
        reverse("panels:agenda-add", kwargs={"meeting_id": meeting.pk}),
        {"decision": str(waiting.pk)},
    )
    item = PanelAgendaItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{meeting_url(meeting)}#case-{item.pk}"
    assert banner(response) == [f"You added case {waiting.assessment.reference} to the agenda."]
    assert item.added_by == team_manager
    again = client.get(meeting_url(meeting)).content.decode()
    assert "No other cases are waiting for panel." in again


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a case to add to the agenda"),
        ({"decision": "abc"}, "Choose a case from the list of cases waiting for panel"),
        ({"decision": "999999"}, "Choose a case from the list of cases waiting for panel"),
    ],
)
def test_adding_nothing_or_an_unknown_case_is_an_error(
    data, message, client_for, team_manager, meeting, waiting
) -> None:
    response = client_for(team_manager).post(
        reverse("panels:agenda-add", kwargs={"meeting_id": meeting.pk}), data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: December panel" in html
    assert message in html
    assert 'href="#id_decision"' in html
    assert not PanelAgendaItem.objects.exists()


def test_a_case_not_waiting_for_panel_cannot_be_added(
    client_for, team_manager, meeting, decision, waiting
) -> None:
    fresh = another_case("Ivy Indicative", decision.social_worker)
    response = client_for(team_manager).post(
        reverse("panels:agenda-add", kwargs={"meeting_id": meeting.pk}),
        {"decision": str(fresh.pk)},
    )
    assert response.status_code == 400
    assert (
        "Only a case waiting for panel can be added. This case is: Indicative budget to agree."
        in response.content.decode()
    )
    assert not PanelAgendaItem.objects.exists()


# The meeting page and its papers


def test_the_meeting_page_shows_each_cases_papers(
    client_for, panel_member, team_manager, social_worker, decision
) -> None:
    """The worker's plan: 20 hours a week at £5.00 x 52 = £5,200.00 and 10 nights at £4.00 x 52
    = £2,080.00, £7,280.00 in all, beyond a manager: panel. £7,280.00 - £4,980.00 = £2,300.00,
    230,000 x 10,000 / 498,000 = 4,618.47 basis points, 46.18%."""
    to_panel(
        decision,
        social_worker,
        amount_pence=0,
        reason_codes=["night-support", "two-carers-needed"],
        reasons="Two carers at bedtime; someone awake at night.",
        plan_lines=[
            PlanLine("Personal care, two carers", 2_000, 500),
            PlanLine("Waking night support", 1_000, 400),
        ],
    )
    manager_case = another_case("Mia Managed", social_worker)
    decision_request_amount(
        decision_id=manager_case.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=450_000,
        reason_codes=[],
        reasons="A little more for travel.",
    )
    decision_transition(
        decision_id=manager_case.pk,
        action=Action.MANAGER_SEND_TO_PANEL,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="Travel costs are a policy question for panel.",
    )
    meeting = panel_meeting_create(
        held_on=timezone.localdate(),
        title="December panel",
        member_ids=[panel_member.pk],
        actor=team_manager,
    )
    panel_agenda_add(meeting=meeting, decision=decision, actor=team_manager)
    panel_agenda_add(meeting=meeting, decision=manager_case, actor=team_manager)

    response = client_for(panel_member).get(meeting_url(meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Case {decision.assessment.reference}: Sam Service-User" in html
    assert "How the indicative budget of £4,980.00 a year was worked out" in html
    assert "Support is needed at night" in html
    assert "Two care workers are needed at once" in html
    assert "Two carers at bedtime; someone awake at night." in html
    assert "Personal care, two carers" in html
    assert "<strong>£7,280.00</strong>" in html
    assert "£2,300.00 (46.18%) more than the indicative budget of £4,980.00" in html
    assert f"Case number {manager_case.pk}: Mia Managed" in html
    assert "The manager’s notes" in html
    assert "Travel costs are a policy question for panel." in html
    assert html.count("Record the panel’s decision") == 2
    assert "Pat Panel (you)" in html


# The panel's decisions


def test_a_member_approves_the_amount_asked_for(client_for, panel_member, item) -> None:
    response = client_for(panel_member).post(
        step_url("approve", item), decided("approve", item, "The plan meets the needs.")
    )
    assert response.status_code == 302
    assert response["Location"] == f"{meeting_url(item.meeting)}#case-{item.pk}"
    decision = refreshed(item.decision)
    assert decision.state == State.VARIED
    assert decision.final_annual_pence == ASKED_PENCE
    assert decision.signed_off_by == panel_member
    reference = decision.assessment.reference
    assert banner(response) == [
        f"The panel approved £7,200.00 a year for case {reference}. It is the final budget, signed "
        "off in your name."
    ]


def test_a_member_approves_a_different_amount_and_the_page_shows_who_how_much_and_why(
    client_for, panel_member, item
) -> None:
    client = client_for(panel_member)
    response = client.post(
        step_url("approve-different", item),
        decided("approve-different", item, "Three nights a week meet the need.", amount="£6,800"),
    )
    assert response.status_code == 302
    decision = refreshed(item.decision)
    assert decision.final_annual_pence == 680_000
    assert decision.signed_off_by == panel_member
    item.refresh_from_db()
    assert item.outcome.action == Action.PANEL_APPROVE_DIFFERENT
    html = client.get(meeting_url(item.meeting)).content.decode()
    assert "Approved a different amount" in html
    assert "<strong>£6,800.00 a year</strong>" in html
    assert "Pat Panel, " in html
    assert "Three nights a week meet the need." in html
    assert "Record the panel’s decision" not in html


@pytest.mark.parametrize(
    ("step", "state", "message"),
    [
        ("decline", State.DECLINED, "The panel declined the request for case {reference}."),
        ("defer", State.AWAITING_PANEL, "The panel deferred case {reference}."),
    ],
)
def test_a_member_declines_or_defers_with_reasons(
    step, state, message, client_for, panel_member, item
) -> None:
    response = client_for(panel_member).post(step_url(step, item), decided(step, item, "Why."))
    assert response.status_code == 302
    decision = refreshed(item.decision)
    assert decision.state == state
    assert decision.final_annual_pence is None
    item.refresh_from_db()
    assert item.outcome.reasons == "Why."
    assert banner(response)[0].startswith(message.format(reference=decision.assessment.reference))


@pytest.mark.parametrize("step", STEPS)
def test_every_decision_needs_reasons_and_changes_nothing_without_them(
    step, client_for, panel_member, item
) -> None:
    response = client_for(panel_member).post(
        step_url(step, item), decided(step, item, "  ", amount="6800")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: December panel" in html
    assert "Enter the reasons for this decision" in html
    assert f'href="#id_case-{item.pk}-{step}-reasons"' in html
    assert refreshed(item.decision).state == State.AWAITING_PANEL
    assert PanelAgendaItem.objects.get().outcome is None


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Enter the amount a year the panel approves"),
        ("six thousand", "Enter the amount a year the panel approves as a number, like 6800.00"),
        ("6800.005", "must have no more than 2 decimal places"),
        ("-5", "must be 0 or more"),
        ("0", "The amount a year the panel approves must be more than £0.00"),
        ("7200.00", "That is the amount asked for: approve the amount asked for instead"),
    ],
)
def test_a_bad_different_amount_is_refused_with_a_clear_error(
    amount, message, client_for, panel_member, item
) -> None:
    step = "approve-different"
    response = client_for(panel_member).post(
        step_url(step, item), decided(step, item, "Reasons.", amount=amount)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'href="#id_case-{item.pk}-{step}-amount"' in html
    assert refreshed(item.decision).final_annual_pence is None


def test_the_requester_cannot_approve_their_own_request_at_panel(
    client_for, decision, team_manager
) -> None:
    both = user_create(
        email="sal@example.org",
        full_name="Sal Both-Roles",
        roles=[Role.SOCIAL_WORKER, Role.PANEL_MEMBER],
        password="x",
    )
    asked = to_panel(decision, both)
    meeting = panel_meeting_create(
        held_on=timezone.localdate(), title="Panel", member_ids=[both.pk], actor=team_manager
    )
    item = panel_agenda_add(meeting=meeting, decision=asked, actor=team_manager)
    client = client_for(both)
    assert "You asked for this amount, so another member approves it." in (
        client.get(meeting_url(meeting)).content.decode()
    )
    response = client.post(step_url("approve", item), decided("approve", item))
    assert response.status_code == 403
    assert "You asked for this amount, so someone else must approve it." in (
        response.content.decode()
    )
    assert refreshed(asked).state == State.AWAITING_PANEL


def test_a_stale_page_is_told_who_decided_first(
    client_for, panel_member, second_panel_member, item
) -> None:
    item.meeting.members.add(second_panel_member)
    client = client_for(panel_member)
    # Pip decides after Pat's page was drawn; Pat's form still says "waiting for panel".
    decision_transition(
        decision_id=item.decision_id,
        action=Action.PANEL_DECLINE,
        actor=second_panel_member,
        seen_state=State.AWAITING_PANEL,
        reasons="Not needed.",
    )
    PanelAgendaItem.objects.filter(pk=item.pk).update(outcome=None)
    response = client.post(step_url("approve", item), decided("approve", item))
    assert response.status_code == 302
    assert banner(response) == [
        "Pip Panel (panel decline) decided first. The case is now: Request declined."
    ]
    assert refreshed(item.decision).state == State.DECLINED


def test_a_decision_already_recorded_at_this_meeting_is_not_recorded_again(
    client_for, panel_member, item
) -> None:
    client = client_for(panel_member)
    client.post(step_url("defer", item), decided("defer", item, "Need a report."))
    response = client.post(step_url("approve", item), decided("approve", item))
    assert response.status_code == 302
    assert banner(response)[-1] == (
        "This meeting has already recorded its decision on this case: see it below."
    )
    assert refreshed(item.decision).state == State.AWAITING_PANEL
    assert DecisionEvent.objects.filter(action=Action.PANEL_APPROVE).count() == 0


# How long cases waited


def test_median_days_takes_the_middle_or_the_mean_of_the_two_middle_waits() -> None:
    assert median_days([]) is None
    assert median_days([9, 7, 8]) == 8
    assert median_days([2, 9, 5, 6]) == Decimal("5.5")
    assert median_days([4, 6]) == 5


def test_the_meeting_page_shows_and_counts_how_long_each_case_waited(
    client_for, panel_member, team_manager, social_worker, decision
) -> None:
    """Sent to panel on 1, 3 and 4 December; the meeting on 10 December approves the first and
    defers the second; seen on 11 December. The first waited 1 to 10 December, 9 days; the
    deferred one is still waiting, 3 to 11 December, 8 days; the third, 4 to 11 December, 7 days.
    The median is 8 days and the longest 9."""
    with on(1):
        to_panel(decision, social_worker)
    with on(3):
        deferred = to_panel(another_case("Dee Deferred", social_worker), social_worker, 600_000)
    with on(4):
        third = to_panel(another_case("Tom Third", social_worker), social_worker, 600_000)
    with on(5):
        meeting = panel_meeting_create(
            held_on=datetime.date(2026, 12, 10),
            title="December panel",
            member_ids=[panel_member.pk],
            actor=team_manager,
        )
        for case in (decision, deferred, third):
            panel_agenda_add(meeting=meeting, decision=case, actor=team_manager)
    with on(10):
        for case, action in ((decision, Action.PANEL_APPROVE), (deferred, Action.PANEL_DEFER)):
            decision_transition(
                decision_id=case.pk,
                action=action,
                actor=panel_member,
                seen_state=State.AWAITING_PANEL,
                reasons="Reasons.",
            )
    with on(11):
        response = client_for(panel_member).get(meeting_url(meeting))
    agenda = response.context["agenda"]
    assert [(case.wait.days, case.wait.still_waiting) for case in agenda.cases] == [
        (9, False),
        (8, True),
        (7, True),
    ]
    assert agenda.median_wait_days == 8
    assert agenda.longest_wait_days == 9
    html = response.content.decode()
    assert '<dd class="govuk-summary-list__value" id="median-wait">8 days</dd>' in html
    assert '<dd class="govuk-summary-list__value" id="longest-wait">9 days</dd>' in html
    assert "Waited 9 days for panel, since 1 December 2026." in html
    assert "Waiting for panel for 8 days, since 3 December 2026." in html


# The minutes


def poppler(tool, *arguments):
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: install Debian's poppler-utils to check the minutes")
    completed = subprocess.run(
        [tool, *map(str, arguments)], capture_output=True, check=True, text=True
    )
    return completed.stdout


def pdf_catalog(pdf: bytes) -> bytes:
    """The document catalog's dictionary, found in the PDF's objects, compressed or not."""
    chunks = [pdf]
    for stream in re.finditer(rb"stream\r?\n", pdf):
        try:
            chunks.append(zlib.decompressobj().decompress(pdf[stream.end() :]))
        except zlib.error:
            continue
    for chunk in chunks:
        found = re.search(rb"/Type\s*/Catalog", chunk)
        if found is None:
            continue
        start = chunk.rindex(b"<<", 0, found.start())
        depth, position = 0, start
        while position < len(chunk):
            if chunk.startswith(b"<<", position):
                depth, position = depth + 1, position + 2
            elif chunk.startswith(b">>", position):
                depth, position = depth - 1, position + 2
                if depth == 0:
                    return chunk[start:position]
            else:
                position += 1
    raise AssertionError("The PDF has no document catalog")


@pytest.fixture
def minutes_pdf(client_for, panel_member, item, tmp_path):
    """The minutes after the panel approved £6,800.00 instead of the £7,200.00 asked for."""
    client = client_for(panel_member)
    client.post(
        step_url("approve-different", item),
        decided("approve-different", item, "Three nights a week meet the need.", amount="6800"),
    )
    response = client.get(reverse("panels:minutes", kwargs={"meeting_id": item.meeting_id}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    meeting = item.meeting
    assert response["Content-Disposition"] == (
        f'attachment; filename="panel-minutes-{meeting.held_on:%Y-%m-%d}-{meeting.pk}.pdf"'
    )
    pdf_file = tmp_path / "minutes.pdf"
    pdf_file.write_bytes(response.content)
    return pdf_file


def test_the_minutes_are_a_tagged_pdf_in_british_english_with_a_title(minutes_pdf, item) -> None:
    catalog = pdf_catalog(minutes_pdf.read_bytes())
    assert re.search(rb"/MarkInfo\s*<<\s*/Marked\s+true\s*>>", catalog)
    assert re.search(rb"/StructTreeRoot\s+\d+\s+0\s+R", catalog)
    assert re.search(rb"/Lang\s*\(en-GB\)", catalog)
    info = dict(
        line.split(":", 1) for line in poppler("pdfinfo", minutes_pdf).splitlines() if ":" in line
    )
    assert info["Tagged"].strip() == "yes"
    assert info["Title"].strip() == (
        f"Panel minutes: December panel, {item.meeting.held_on:%-d %B %Y} – Northbrook Council"
    )


def test_the_minutes_record_each_case_its_decision_reasons_who_and_the_wait(
    minutes_pdf, item
) -> None:
    """£6,800.00 approved against £7,200.00 asked for and £4,980.00 indicative."""
    text = " ".join(poppler("pdftotext", "-enc", "UTF-8", minutes_pdf, "-").split())
    reference = item.decision.assessment.reference
    assert "Minutes: December panel" in text
    assert "Members present • Pat Panel" in text
    assert f"Case {reference}" in text
    assert "Indicative budget £4,980.00 a year" in text
    assert "Amount asked for £7,200.00 a year, asked for by Wendy Worker" in text
    assert "Decision Approved a different amount: £6,800.00 a year" in text
    assert "Reasons Three nights a week meet the need." in text
    assert "Recorded by Pat Panel" in text
    assert "Waited for panel 0 days" in text
    # Minutes are passed around: the person's name is not in them.
    assert "Sam Service-User" not in text


def test_a_team_manager_downloads_the_minutes_too(client_for, team_manager, item) -> None:
    response = client_for(team_manager).get(
        reverse("panels:minutes", kwargs={"meeting_id": item.meeting_id})
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")

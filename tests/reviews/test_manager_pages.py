"""The team manager's queue, decision page and actions: who may use them, what they show, and how
every kind of bad input and every stale page is answered.

The case (tests/reviews/conftest.py): an indicative budget of £4,980.00 a year. A social worker
may agree up to 10% (£498.00) more alone, so up to £5,478.00; a team manager up to 25% (£1,245.00)
or £10,000.00 more, both must hold, so up to £6,225.00. The worker asks for £5,600.00: £620.00
more, 62,000 x 10,000 / 498,000 = 1,244.98 basis points, 12.45% rounded half up; within a
manager's authority.
"""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from ras.accounts.roles import Role
from ras.accounts.services import user_create
from ras.people.services import person_create
from reviews.models import BudgetDecision, DecisionEvent
from reviews.services import (
    PlanLine,
    decision_record_emergency,
    decision_request_amount,
    decision_transition,
)
from reviews.workflow import Action, State

pytestmark = pytest.mark.django_db

REFUSED_ROLES = [
    "service_user",
    "representative",
    "social_worker",
    "finance_lead",
    "panel_member",
    "administrator",
]
ASKED_PENCE = 560_000
STEPS = ("approve", "decline", "send-to-panel", "return", "confirm-emergency")


def url(name: str, decision: BudgetDecision | None = None) -> str:
    if decision is None:
        return reverse(f"managers:{name}")
    return reverse(f"managers:{name}", kwargs={"decision_id": decision.pk})


def banner(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def refreshed(decision: BudgetDecision) -> BudgetDecision:
    return BudgetDecision.objects.get(pk=decision.pk)


def posted(step: str, reasons: str = "Reasons given.", seen_state: str = "awaiting_manager"):
    return {f"{step}-seen_state": seen_state, f"{step}-reasons": reasons}


def ask(decision, worker, amount_pence: int = ASKED_PENCE) -> BudgetDecision:
    decision_request_amount(
        decision_id=decision.pk,
        actor=worker,
        seen_state=State.INDICATIVE,
        amount_pence=amount_pence,
        reason_codes=["night-support", "carer-breakdown-risk"],
        reasons="Needs a check at night; her daughter is exhausted.",
    )
    return refreshed(decision)


@pytest.fixture
def waiting(decision, social_worker) -> BudgetDecision:
    asked = ask(decision, social_worker)
    assert asked.state == State.AWAITING_MANAGER
    return asked


@pytest.fixture
def emergency(social_worker) -> BudgetDecision:
    return decision_record_emergency(
        person=person_create(full_name="Eve Emergency", actor=social_worker),
        actor=social_worker,
        amount_pence=520_000,
        reasons="Her carer is in hospital.",
    )


def every_page(decision: BudgetDecision) -> list[str]:
    return [url("queue"), url("decision", decision)]


def every_action(decision: BudgetDecision) -> list[str]:
    return [url(step, decision) for step in STEPS]


# Who may use the pages


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_anyone_but_a_team_manager_is_refused_every_page_and_action(
    role, request, client_for, waiting, emergency
) -> None:
    client = client_for(request.getfixturevalue(role))
    events = DecisionEvent.objects.count()
    for page in every_page(waiting):
        assert client.get(page).status_code == 403, page
    for action, step in zip(every_action(waiting), STEPS, strict=True):
        assert client.post(action, posted(step)).status_code == 403, action
    for action, step in zip(every_action(emergency), STEPS, strict=True):
        assert client.post(action, posted(step, seen_state="emergency")).status_code == 403
    assert DecisionEvent.objects.count() == events
    assert refreshed(waiting).state == State.AWAITING_MANAGER
    assert refreshed(emergency).emergency_confirmed_at is None


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page_and_action(client, waiting) -> None:
    for page in [*every_page(waiting), *every_action(waiting)]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("accounts:sign-in")), page
    for action, step in zip(every_action(waiting), STEPS, strict=True):
        response = client.post(action, posted(step))
        assert response.status_code == 302, action
    assert refreshed(waiting).state == State.AWAITING_MANAGER


def test_actions_are_posted_only(client_for, team_manager, waiting) -> None:
    client = client_for(team_manager)
    for action in every_action(waiting):
        assert client.get(action).status_code == 405, action


def test_a_case_that_does_not_exist_is_not_found(client_for, team_manager, waiting) -> None:
    client = client_for(team_manager)
    assert client.get(f"/manager/decisions/{waiting.pk + 1000}/").status_code == 404
    response = client.post(f"/manager/decisions/{waiting.pk + 1000}/approve/", posted("approve"))
    assert response.status_code == 404


# The queue


def test_the_queue_lists_requests_oldest_first_with_the_wait_and_the_difference(
    client_for, team_manager, social_worker, decision, submitted_assessment
) -> None:
    """Asked on 25 November, seen on 28 November: 3 days. £5,600.00 against £4,980.00 is £620.00
    (12.45%) more (see the module's docstring)."""
    with time_machine.travel(datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC)):
        ask(decision, social_worker)
    second_person = person_create(full_name="Zed Later", actor=social_worker)
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, tzinfo=datetime.UTC)):
        later = decision_record_emergency(
            person=second_person, actor=social_worker, amount_pence=300_000, reasons="Crisis."
        )
    with time_machine.travel(datetime.datetime(2026, 11, 28, 10, tzinfo=datetime.UTC)):
        response = client_for(team_manager).get(url("queue"))
    assert response.status_code == 200
    queue = response.context["queue"]
    assert [row.decision.pk for row in queue] == [decision.pk]
    row = queue[0]
    assert row.waited_days == 3
    assert row.comparison.difference_pence == 62_000
    assert row.comparison.difference_size_bp == 1_245
    html = response.content.decode()
    assert "Sam Service-User" in html
    assert "£5,600.00" in html
    assert "£4,980.00" in html
    assert "£620.00 more" in html
    assert "12.45%" in html
    assert "Wendy Worker" in html
    assert "3 days" in html
    assert [row.decision.pk for row in response.context["emergencies"]] == [later.pk]


def test_the_queue_marks_overdue_emergency_confirmations_and_counts_the_team(
    client_for, team_manager, social_worker, waiting, emergency
) -> None:
    """The emergency must be confirmed within 3 days (EMERGENCY_CONFIRM_DAYS); 4 days on, it is
    overdue. An agreed budget's first review is due 6 weeks on; 7 weeks on it is overdue."""
    second = person_create(full_name="Ann Agreed", actor=social_worker)
    agreed = decision_record_emergency(
        person=second, actor=social_worker, amount_pence=100_000, reasons="Crisis."
    )
    BudgetDecision.objects.filter(pk=agreed.pk).update(
        next_review_due=datetime.date(2026, 11, 1), emergency_confirmed_at="2026-10-01T10:00Z"
    )
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=4)):
        response = client_for(team_manager).get(url("queue"))
    counts = response.context["counts"]
    assert counts.waiting == 1
    assert counts.emergencies_to_confirm == 1
    assert counts.overdue_reviews == 1
    assert counts.awaiting_panel == 0
    [row] = response.context["emergencies"]
    assert row.decision == emergency
    assert row.overdue
    html = response.content.decode()
    assert "Eve Emergency" in html
    assert "Overdue" in html
    assert "£5,200.00" in html


def test_an_empty_queue_says_so(client_for, team_manager) -> None:
    html = client_for(team_manager).get(url("queue")).content.decode()
    assert "No requests are waiting for a manager." in html
    assert "No emergency allocations are waiting for confirmation." in html


# The decision page


def test_the_decision_page_has_everything_needed_to_decide_on_one_page(
    client_for, team_manager, waiting
) -> None:
    response = client_for(team_manager).get(url("decision", waiting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Service-User" in html
    assert waiting.assessment.reference in html
    # The explanation of the indicative budget.
    assert "How we worked this out" in html
    assert "£6,640.00 − £1,660.00 = <strong>£4,980.00 a year</strong>" in html
    # The worker's request, its reason codes by label and reasons.
    assert "£5,600.00 a year" in html
    assert "Support is needed at night" in html
    assert "The family carer is at risk of breaking down" in html
    assert "her daughter is exhausted" in html
    assert "£620.00 (12.45%) more than the indicative budget of £4,980.00" in html
    # The timeline and the manager's authority.
    assert "Wendy Worker asked a manager to agree a different amount" in html
    assert "A team manager may agree up to 25.00% and up to £10,000.00 a year above" in html
    assert "£5,600.00 a year is within your authority: you may approve it." in html
    for step in ("approve", "decline", "send-to-panel", "return"):
        assert f'action="/manager/decisions/{waiting.pk}/{step}/"' in html, step
    assert "confirm-emergency/" not in html


def test_the_decision_page_links_to_the_case_page(client_for, team_manager, waiting) -> None:
    html = client_for(team_manager).get(url("decision", waiting)).content.decode()
    assert f'href="{reverse("cases:detail", args=[waiting.pk])}"' in html


def test_a_costed_plan_shows_each_line_and_the_total(
    client_for, team_manager, social_worker, decision
) -> None:
    """10 hours a week at £10.00 x 52 weeks = £5,200.00 a year; 10 hours at £1.00 x 52 =
    £520.00; the total asked for is £5,720.00, within a manager's £6,225.00, so it goes to a
    manager."""
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=0,
        reason_codes=["other"],
        reasons="A costed plan.",
        plan_lines=[
            PlanLine("Personal care", 1_000, 1_000),  # 10 h x £10.00 x 52 = £5,200.00
            PlanLine("Sitting service", 1_000, 100),  # 10 h x £1.00 x 52 = £520.00
        ],
    )
    html = client_for(team_manager).get(url("decision", decision)).content.decode()
    assert "Personal care" in html
    assert "£5,200.00" in html
    assert "Sitting service" in html
    assert "£520.00" in html
    assert "Total a year" in html
    assert "<strong>£5,720.00</strong>" in html


def test_a_request_beyond_the_managers_authority_says_send_it_to_panel(
    client_for, team_manager, social_worker, decision
) -> None:
    """£6,225.01 is a penny over the manager's £6,225.00 (see the module's docstring)."""
    decision_transition(
        decision_id=decision.pk,
        action=Action.REFER_TO_MANAGER,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=622_501,
        reasons="Needs more.",
    )
    client = client_for(team_manager)
    html = client.get(url("decision", decision)).content.decode()
    assert "£6,225.01 a year is beyond your authority: send it to panel." in html
    assert f"/manager/decisions/{decision.pk}/approve/" not in html
    response = client.post(url("approve", decision), posted("approve"))
    assert response.status_code == 400
    assert "£6,225.01 a year is beyond your authority: send it to panel." in (
        response.content.decode()
    )
    assert refreshed(decision).state == State.AWAITING_MANAGER


def test_exactly_at_the_managers_authority_may_be_approved(
    client_for, team_manager, social_worker, decision
) -> None:
    """£6,225.00 is exactly 25% above £4,980.00: within authority."""
    asked = ask(decision, social_worker, amount_pence=622_500)
    html = client_for(team_manager).get(url("decision", asked)).content.decode()
    assert "£6,225.00 a year is within your authority: you may approve it." in html


def test_a_case_not_waiting_for_a_manager_offers_nothing_to_do(
    client_for, team_manager, decision
) -> None:
    html = client_for(team_manager).get(url("decision", decision)).content.decode()
    assert "There is nothing for a manager to decide now." in html
    assert '<form method="post" action="/manager/' not in html


# The actions


def test_a_manager_approves_and_the_final_budget_carries_their_name_and_reasons(
    client_for, team_manager, waiting
) -> None:
    response = client_for(team_manager).post(
        url("approve", waiting), posted("approve", "Night checks meet the need.")
    )
    assert response.status_code == 302
    assert response["Location"] == url("decision", waiting)
    decided = refreshed(waiting)
    assert decided.state == State.VARIED
    assert decided.final_annual_pence == ASKED_PENCE
    assert decided.signed_off_by == team_manager
    event = DecisionEvent.objects.latest("id")
    assert event.action == Action.MANAGER_APPROVE
    assert event.reasons == "Night checks meet the need."
    assert banner(response) == [
        "You approved £5,600.00 a year for Sam Service-User. It is the final budget, signed off "
        "in your name."
    ]


@pytest.mark.parametrize(
    ("step", "action", "state", "message"),
    [
        (
            "decline",
            Action.MANAGER_DECLINE,
            State.DECLINED,
            "You declined the request for Sam Service-User. The case is back with Wendy Worker.",
        ),
        (
            "send-to-panel",
            Action.MANAGER_SEND_TO_PANEL,
            State.AWAITING_PANEL,
            "You sent the request for Sam Service-User to panel. It waits there to be put on a "
            "meeting’s agenda.",
        ),
        (
            "return",
            Action.MANAGER_RETURN,
            State.INDICATIVE,
            "You returned the request for Sam Service-User to Wendy Worker.",
        ),
    ],
)
def test_each_other_action_moves_the_case_with_the_managers_reasons(
    step, action, state, message, client_for, team_manager, waiting
) -> None:
    response = client_for(team_manager).post(url(step, waiting), posted(step, "My reasons."))
    assert response.status_code == 302
    decided = refreshed(waiting)
    assert decided.state == state
    assert decided.final_annual_pence is None
    event = DecisionEvent.objects.latest("id")
    assert (event.action, event.actor, event.reasons) == (action, team_manager, "My reasons.")
    assert banner(response) == [message]


@pytest.mark.parametrize("step", ["approve", "decline", "send-to-panel", "return"])
def test_every_action_needs_reasons_and_changes_nothing_without_them(
    step, client_for, team_manager, waiting
) -> None:
    response = client_for(team_manager).post(url(step, waiting), posted(step, "   "))
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert f'href="#id_{step}-reasons"' in html
    assert "Enter the reasons for this decision" in html
    assert refreshed(waiting).state == State.AWAITING_MANAGER
    assert DecisionEvent.objects.count() == 1


def test_reasons_longer_than_5000_characters_are_refused(client_for, team_manager, waiting) -> None:
    response = client_for(team_manager).post(url("decline", waiting), posted("decline", "x" * 5001))
    assert response.status_code == 400
    assert "Reasons must be 5,000 characters or fewer" in response.content.decode()
    assert refreshed(waiting).state == State.AWAITING_MANAGER


@pytest.mark.parametrize("seen_state", ["", "nonsense"])
def test_a_missing_or_made_up_seen_state_is_an_error_and_changes_nothing(
    seen_state, client_for, team_manager, waiting
) -> None:
    response = client_for(team_manager).post(
        url("approve", waiting), posted("approve", seen_state=seen_state)
    )
    assert response.status_code == 400
    assert "This page was out of date: open the case again" in response.content.decode()
    assert refreshed(waiting).state == State.AWAITING_MANAGER


def test_a_stale_page_is_told_who_decided_first_and_the_current_state(
    client_for, team_manager, waiting
) -> None:
    other = user_create(
        email="max@example.org", full_name="Max Manager", roles=[Role.TEAM_MANAGER], password="x"
    )
    decision_transition(
        decision_id=waiting.pk,
        action=Action.MANAGER_DECLINE,
        actor=other,
        seen_state=State.AWAITING_MANAGER,
        reasons="Not needed.",
    )
    response = client_for(team_manager).post(url("approve", waiting), posted("approve"))
    assert response.status_code == 302
    assert response["Location"] == url("decision", waiting)
    assert banner(response) == [
        "Max Manager (manager decline) decided first. The case is now: Request declined."
    ]
    decided = refreshed(waiting)
    assert decided.state == State.DECLINED
    assert decided.final_annual_pence is None


def test_an_action_the_case_is_not_in_a_state_for_is_refused_with_the_state(
    client_for, team_manager, decision
) -> None:
    response = client_for(team_manager).post(
        url("approve", decision), posted("approve", seen_state="indicative")
    )
    assert response.status_code == 302
    assert banner(response) == [
        "You cannot approve this request now. The case is: Indicative budget to agree."
    ]
    assert refreshed(decision).state == State.INDICATIVE


def test_the_requester_cannot_approve_their_own_request(client_for, decision) -> None:
    both = user_create(
        email="sam.both@example.org",
        full_name="Sal Both-Roles",
        roles=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER],
        password="x",
    )
    asked = ask(decision, both)
    response = client_for(both).post(url("approve", asked), posted("approve"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You asked for this amount, so someone else must approve it." in html
    assert refreshed(asked).state == State.AWAITING_MANAGER


def test_a_manager_confirms_an_emergency_allocation_once(
    client_for, team_manager, emergency
) -> None:
    client = client_for(team_manager)
    html = client.get(url("decision", emergency)).content.decode()
    assert "Confirm the emergency allocation" in html
    assert "Her carer is in hospital." in html
    assert "Needed by" in html
    step = "confirm-emergency"
    response = client.post(url(step, emergency), posted(step, "", seen_state="emergency"))
    assert response.status_code == 302
    assert banner(response) == [
        "You confirmed the emergency allocation of £5,200.00 a year for Eve Emergency."
    ]
    assert refreshed(emergency).emergency_confirmed_at is not None
    assert (
        "Confirm the emergency allocation"
        not in client.get(url("decision", emergency)).content.decode()
    )

    again = client.post(url(step, emergency), posted(step, "", seen_state="emergency"))
    assert again.status_code == 400
    assert "This emergency allocation is already confirmed." in again.content.decode()
    assert DecisionEvent.objects.filter(action=Action.CONFIRM_EMERGENCY).count() == 1

"""The budget decisions API: every action, every refusal and its status code, who sees what.

Sam's assessment scores 34 points: £6,640.00 full needs less 25% for a lot of help from family or
friends, an indicative budget of £4,980.00 a year (498,000 pence). Delegated authority:
- a social worker may agree up to 10% (£498.00) and up to £2,000.00 more: £5,478.00 is within,
  £5,478.01 goes to a team manager; a reduction needs a manager;
- a team manager may agree up to 25% (£1,245.00) and up to £10,000.00 more: £6,225.00 is within,
  £6,225.01 goes to panel.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from allocations.budgets import assessment_submit_and_price
from questionnaires.services import answer_save, person_for_service_user
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from ras.people.models import Person
from reviews.models import BudgetDecision, DecisionEvent
from reviews.services import decision_record_emergency
from reviews.workflow import Action, State
from tests.reviews.person_cast import (  # noqa: F401 - fixtures
    agree,
    ask_for,
    other_representative,
    put_on_agenda,
    refreshed,
    sams_daughter,
)

pytestmark = [pytest.mark.django_db]


def list_url() -> str:
    return reverse("decisions-api:decision-list")


def detail_url(decision: BudgetDecision) -> str:
    return reverse("decisions-api:decision-detail", args=[decision.pk])


def transition_url(decision: BudgetDecision) -> str:
    return reverse("decisions-api:decision-transition", args=[decision.pk])


def contribution_url(decision: BudgetDecision) -> str:
    return reverse("decisions-api:decision-contribution", args=[decision.pk])


def open_url() -> str:
    return reverse("decisions-api:decision-open")


def emergency_url() -> str:
    return reverse("decisions-api:decision-emergency")


def post(client: Client, url: str, body: dict[str, Any]):
    return client.post(url, body, content_type="application/json")


def move(client: Client, decision: BudgetDecision, action: str, seen_state: str, **body: Any):
    return post(
        client, transition_url(decision), {"action": action, "seen_state": seen_state, **body}
    )


def worker_and_manager() -> Any:
    return user_create(
        email="both@example.org",
        full_name="Bo Both",
        roles=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER],
    )


def to_panel(decision, social_worker, team_manager, panel_member, amount_pence=622_501) -> None:
    ask_for(decision, social_worker, amount_pence, reasons="Two carers for every transfer.")
    put_on_agenda(decision, team_manager, panel_member, "2026-12-01")


# Who may call it


def test_anonymous_callers_are_refused_everything(client, decision) -> None:
    assert client.get(list_url()).status_code == 403
    assert client.get(detail_url(decision)).status_code == 403
    assert move(client, decision, "agree", "indicative").status_code == 403
    assert (
        post(client, open_url(), {"assessment": str(decision.assessment.public_id)}).status_code
        == 403
    )
    assert post(client, emergency_url(), {}).status_code == 403
    assert post(client, contribution_url(decision), {"contribution_pence": 0}).status_code == 403
    assert refreshed(decision).state == State.INDICATIVE


@pytest.mark.parametrize("role", ["finance_lead", "administrator"])
def test_roles_with_no_part_in_decisions_are_refused(role, request, client_for, decision):
    client = client_for(request.getfixturevalue(role))
    assert client.get(list_url()).status_code == 403
    assert client.get(detail_url(decision)).status_code == 403
    response = move(client, decision, "agree", "indicative")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Only the person, their representative")


def listed_ids(client: Client) -> list[int]:
    response = client.get(list_url())
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_each_caller_lists_what_they_may_see(
    client_for,
    decision,
    social_worker,
    team_manager,
    panel_member,
    service_user,
    second_service_user,
    sams_daughter,
    other_representative,
) -> None:
    emergency = decision_record_emergency(
        person=person_for_service_user(second_service_user),
        actor=social_worker,
        amount_pence=520_000,
        reasons="Carer in hospital.",
    )
    both = sorted([decision.pk, emergency.pk], reverse=True)
    assert sorted(listed_ids(client_for(social_worker)), reverse=True) == both
    assert sorted(listed_ids(client_for(team_manager)), reverse=True) == both
    assert listed_ids(client_for(panel_member)) == []
    assert listed_ids(client_for(service_user)) == [decision.pk]
    assert listed_ids(client_for(sams_daughter)) == [decision.pk]
    assert listed_ids(client_for(second_service_user)) == [emergency.pk]
    assert listed_ids(client_for(other_representative)) == []
    to_panel(decision, social_worker, team_manager, panel_member)
    assert listed_ids(client_for(panel_member)) == [decision.pk]


def test_the_list_filters_by_state_and_comes_a_page_at_a_time(client_for, decision, social_worker):
    client = client_for(social_worker)
    body = client.get(list_url(), {"state": "indicative"}).json()
    assert (body["count"], [row["id"] for row in body["results"]]) == (1, [decision.pk])
    assert body["results"][0]["indicative_annual_pence"] == 498_000
    assert client.get(list_url(), {"state": "agreed"}).json()["count"] == 0
    refused = client.get(list_url(), {"state": "approved"})
    assert refused.status_code == 400
    assert "'approved' is not a state" in refused.json()["state"][0]


@pytest.mark.parametrize("stranger", ["second_service_user", "other_representative"])
def test_someone_else_finds_no_such_decision(
    stranger, request, client_for, decision, social_worker
):
    agree(decision, social_worker)
    client = client_for(request.getfixturevalue(stranger))
    assert client.get(detail_url(decision)).status_code == 404
    response = move(client, decision, "challenge", "agreed", reasons="Not mine, but still.")
    assert response.status_code == 404
    assert refreshed(decision).state == State.AGREED


def test_a_panel_member_sees_only_cases_on_their_meetings_agendas(
    client_for, decision, social_worker, team_manager, panel_member
) -> None:
    outsider = user_create(
        email="p2@example.org", full_name="Other Panel", roles=[Role.PANEL_MEMBER]
    )
    to_panel(decision, social_worker, team_manager, panel_member)
    assert client_for(outsider).get(detail_url(decision)).status_code == 404
    assert (
        move(
            client_for(outsider), decision, "panel_approve", "awaiting_panel", reasons="Yes"
        ).status_code
        == 404
    )
    assert client_for(panel_member).get(detail_url(decision)).status_code == 200


def test_an_unknown_decision_is_not_found(client_for, social_worker) -> None:
    response = client_for(social_worker).get(
        reverse("decisions-api:decision-detail", args=[999_999])
    )
    assert response.status_code == 404


# Reading one decision


def test_the_detail_shows_state_amounts_events_and_the_callers_actions(
    client_for, decision, social_worker, service_user
) -> None:
    body = client_for(social_worker).get(detail_url(decision)).json()
    assert body["state"] == "indicative"
    assert body["state_label"] == "Indicative budget to agree"
    assert body["person"]["full_name"] == "Sam Service-User"
    assert body["assessment"] == str(decision.assessment.public_id)
    assert body["indicative_annual_pence"] == 498_000
    assert (body["final_annual_pence"], body["signed_off_by"]) == (None, None)
    assert body["events"] == []
    assert body["allowed_actions"] == [
        "agree",
        "vary",
        "refer_to_manager",
        "refer_to_panel",
        "return_to_person",
    ]
    assert client_for(service_user).get(detail_url(decision)).json()["allowed_actions"] == []


def test_a_final_budget_shows_who_signed_it_off_and_who_pays_what(
    client_for, decision, social_worker, service_user
) -> None:
    """£4,980.00 less £1,200.00 the person pays: the council pays £3,780.00."""
    agree(decision, social_worker)
    BudgetDecision.objects.filter(pk=decision.pk).update(contribution_annual_pence=120_000)
    body = client_for(service_user).get(detail_url(decision)).json()
    assert body["final_annual_pence"] == 498_000
    assert body["signed_off_by"] == "Wendy Worker"
    assert body["signed_off_at"] is not None
    assert body["contribution_annual_pence"] == 120_000
    assert body["council_pays_annual_pence"] == 378_000
    assert body["next_review_due"] is not None
    assert body["allowed_actions"] == ["challenge"]
    [event] = body["events"]
    assert event["action"] == "agree"
    assert (event["actor"], event["actor_role"]) == ("Wendy Worker", "social worker")
    assert (event["amount_before_pence"], event["amount_after_pence"]) == (498_000, 498_000)
    assert client_for(social_worker).get(detail_url(decision)).json()["allowed_actions"] == [
        "start_review"
    ]


# Opening a case


def test_a_social_worker_opens_a_case_once(client_for, submitted_assessment, social_worker):
    client = client_for(social_worker)
    body = {"assessment": str(submitted_assessment.public_id)}
    first = post(client, open_url(), body)
    assert first.status_code == 201
    assert first.json()["indicative_annual_pence"] == 498_000
    assert first.json()["social_worker"] == "Wendy Worker"
    again = post(client, open_url(), body)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert BudgetDecision.objects.count() == 1


def test_opening_is_for_social_workers(client_for, submitted_assessment, team_manager):
    response = post(
        client_for(team_manager), open_url(), {"assessment": str(submitted_assessment.public_id)}
    )
    assert response.status_code == 403
    assert not BudgetDecision.objects.exists()


def test_opening_an_unsent_or_unknown_assessment_is_refused(client_for, assessment, social_worker):
    client = client_for(social_worker)
    unsent = post(client, open_url(), {"assessment": str(assessment.public_id)})
    assert unsent.status_code == 400
    assert unsent.json()["detail"] == "The assessment has not been submitted yet."
    unknown = post(client, open_url(), {"assessment": "00000000-0000-0000-0000-000000000000"})
    assert unknown.status_code == 400
    assert unknown.json() == {"assessment": ["No assessment has this id."]}
    assert post(client, open_url(), {"assessment": "not-an-id"}).status_code == 400
    assert not BudgetDecision.objects.exists()


# The social worker's actions and delegated authority


def test_a_social_worker_agrees_the_indicative_budget(client_for, decision, social_worker):
    response = move(client_for(social_worker), decision, "agree", "indicative")
    assert response.status_code == 200
    body = response.json()
    assert body["event"]["action"] == "agree"
    assert body["decision"]["state"] == "agreed"
    assert body["decision"]["final_annual_pence"] == 498_000
    assert body["decision"]["signed_off_by"] == "Wendy Worker"


def test_a_variation_exactly_at_the_workers_limit_is_agreed_at_once(
    client_for, decision, social_worker
) -> None:
    """10% of £4,980.00 is £498.00: £5,478.00 is exactly at the limit, so within it."""
    response = move(
        client_for(social_worker),
        decision,
        "vary",
        "indicative",
        amount_pence=547_800,
        reason_codes=["night-support"],
        reasons="Needs a check at night twice a week.",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["event"]["action"] == "vary"
    assert body["event"]["reason_labels"] == ["Support is needed at night"]
    assert body["decision"]["state"] == "varied"
    assert body["decision"]["final_annual_pence"] == 547_800


def test_a_penny_over_the_workers_limit_goes_to_a_manager(client_for, decision, social_worker):
    response = move(
        client_for(social_worker),
        decision,
        "vary",
        "indicative",
        amount_pence=547_801,
        reasons="Needs a check at night twice a week.",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["event"]["action"] == "refer_to_manager"
    assert body["decision"]["state"] == "awaiting_manager"
    assert body["decision"]["requested_annual_pence"] == 547_801
    assert body["decision"]["final_annual_pence"] is None


def test_a_penny_over_a_managers_limit_goes_to_panel(client_for, decision, social_worker):
    """25% of £4,980.00 is £1,245.00: £6,225.01 is a penny beyond a manager too."""
    client = client_for(social_worker)
    response = move(
        client, decision, "vary", "indicative", amount_pence=622_501, reasons="Two carers."
    )
    assert response.json()["event"]["action"] == "refer_to_panel"
    assert refreshed(decision).state == State.AWAITING_PANEL


def test_a_costed_plan_outside_the_ras_asks_for_its_total(client_for, decision, social_worker):
    """10.5 hours a week at £24.00 x 52 = £13,104.00; 1 a week at £35.50 x 52 = £1,846.00;
    £14,950.00 in all: beyond a manager's 25%, so panel."""
    response = move(
        client_for(social_worker),
        decision,
        "vary",
        "indicative",
        reasons="Needs two carers for transfers.",
        reason_codes=["two-carers-needed"],
        plan_lines=[
            {
                "description": "Personal care visits",
                "units_per_week_hundredths": 1_050,
                "unit_cost_pence": 2_400,
            },
            {
                "description": "Day centre transport",
                "units_per_week_hundredths": 100,
                "unit_cost_pence": 3_550,
            },
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["event"]["action"] == "refer_to_panel"
    assert body["decision"]["requested_annual_pence"] == 1_495_000
    assert [line["annual_pence"] for line in body["decision"]["support_plan_lines"]] == [
        1_310_400,
        184_600,
    ]


def test_a_vary_without_an_amount_is_refused(client_for, decision, social_worker):
    response = move(client_for(social_worker), decision, "vary", "indicative", reasons="More.")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Enter the amount a year",
        "messages": ["Enter the amount a year"],
    }
    assert refreshed(decision).state == State.INDICATIVE


def test_a_worker_refers_to_a_manager_directly(client_for, decision, social_worker):
    client = client_for(social_worker)
    response = move(
        client, decision, "refer_to_manager", "indicative", amount_pence=500_000, reasons="Meals."
    )
    assert response.json()["decision"]["state"] == "awaiting_manager"


def test_a_worker_refers_to_panel_directly(client_for, decision, social_worker):
    response = move(
        client_for(social_worker),
        decision,
        "refer_to_panel",
        "indicative",
        amount_pence=500_000,
        reasons="Unusual needs.",
    )
    assert response.json()["decision"]["state"] == "awaiting_panel"


def test_the_worker_returns_the_assessment_and_the_person_sends_changed_answers(
    client_for, decision, social_worker, service_user
) -> None:
    """Changed meals answer: 3 + 5 + 10 = 18 points, 18 x £150 = £2,700.00 less 25% =
    £2,025.00 a year."""
    returned = move(
        client_for(social_worker),
        decision,
        "return_to_person",
        "indicative",
        reasons="Check meals.",
    )
    assert returned.json()["decision"]["state"] == "returned"
    copy = refreshed(decision).reopened_assessment
    assert copy is not None
    assert returned.json()["decision"]["reopened_assessment"] == str(copy.public_id)
    person = client_for(service_user)
    assert person.get(detail_url(decision)).json()["allowed_actions"] == []
    early = move(person, decision, "resubmit", "returned")
    assert early.status_code == 400
    assert early.json()["detail"] == "Submit the changed answers first."
    answer_save(assessment=copy, question_code="meals", option_code="some-help", actor=service_user)
    assessment_submit_and_price(assessment=copy, actor=service_user)
    assert person.get(detail_url(decision)).json()["allowed_actions"] == ["resubmit"]
    sent = move(person, decision, "resubmit", "returned")
    assert sent.status_code == 200
    assert sent.json()["decision"]["state"] == "indicative"
    assert sent.json()["decision"]["indicative_annual_pence"] == 202_500


def test_a_worker_starts_a_review_of_a_final_budget(client_for, decision, social_worker):
    agree(decision, social_worker)
    response = move(client_for(social_worker), decision, "start_review", "agreed")
    assert response.json()["decision"]["state"] == "indicative"
    assert response.json()["decision"]["final_annual_pence"] == 498_000


# The manager's actions


def test_a_manager_approves_a_request(client_for, decision, social_worker, team_manager):
    ask_for(decision, social_worker, 560_000)
    client = client_for(team_manager)
    assert client.get(detail_url(decision)).json()["allowed_actions"] == [
        "manager_approve",
        "manager_decline",
        "manager_send_to_panel",
        "manager_return",
    ]
    response = move(client, decision, "manager_approve", "awaiting_manager", reasons="Essential.")
    assert response.status_code == 200
    body = response.json()["decision"]
    assert (body["state"], body["final_annual_pence"], body["signed_off_by"]) == (
        "varied",
        560_000,
        "Mo Manager",
    )


@pytest.mark.parametrize(
    ("action", "state_after"),
    [
        ("manager_decline", "declined"),
        ("manager_send_to_panel", "awaiting_panel"),
        ("manager_return", "indicative"),
    ],
)
def test_a_manager_declines_sends_to_panel_or_returns(
    action, state_after, client_for, decision, social_worker, team_manager
) -> None:
    ask_for(decision, social_worker, 560_000)
    response = move(
        client_for(team_manager), decision, action, "awaiting_manager", reasons="Because."
    )
    assert response.status_code == 200
    assert response.json()["decision"]["state"] == state_after


def test_the_requester_approving_their_own_request_is_refused(client_for, decision):
    both = worker_and_manager()
    client = client_for(both)
    asked = move(client, decision, "vary", "indicative", amount_pence=547_801, reasons="Meals.")
    assert asked.json()["event"]["action"] == "refer_to_manager"
    assert "manager_approve" not in client.get(detail_url(decision)).json()["allowed_actions"]
    response = move(client, decision, "manager_approve", "awaiting_manager", reasons="Fine by me.")
    assert response.status_code == 403
    assert (
        response.json()["detail"] == "You asked for this amount, so someone else must approve it."
    )
    assert refreshed(decision).state == State.AWAITING_MANAGER


def test_a_manager_approving_beyond_their_authority_is_refused(
    client_for, decision, social_worker, team_manager
) -> None:
    """£7,000.00 is £2,020.00 (40.56%) above £4,980.00: beyond a manager's 25%."""
    move(
        client_for(social_worker),
        decision,
        "refer_to_manager",
        "indicative",
        amount_pence=700_000,
        reasons="A lot more.",
    )
    client = client_for(team_manager)
    assert "manager_approve" not in client.get(detail_url(decision)).json()["allowed_actions"]
    response = move(client, decision, "manager_approve", "awaiting_manager", reasons="OK")
    assert response.status_code == 400
    assert response.json()["messages"] == [
        "£7,000.00 a year is beyond a manager's delegated authority: send the case to panel."
    ]
    assert refreshed(decision).state == State.AWAITING_MANAGER


# The panel's actions


@pytest.mark.parametrize(
    ("action", "extra", "state_after", "final"),
    [
        ("panel_approve", {}, "varied", 622_501),
        ("panel_approve_different", {"amount_pence": 600_000}, "varied", 600_000),
        ("panel_decline", {}, "declined", None),
        ("panel_defer", {}, "awaiting_panel", None),
    ],
)
def test_a_panel_member_records_the_panels_decision(
    action,
    extra,
    state_after,
    final,
    client_for,
    decision,
    social_worker,
    team_manager,
    panel_member,
) -> None:
    to_panel(decision, social_worker, team_manager, panel_member)
    client = client_for(panel_member)
    assert client.get(detail_url(decision)).json()["allowed_actions"] == [
        "panel_approve",
        "panel_approve_different",
        "panel_decline",
        "panel_defer",
    ]
    response = move(client, decision, action, "awaiting_panel", reasons="Panel's reasons.", **extra)
    assert response.status_code == 200
    body = response.json()["decision"]
    assert (body["state"], body["final_annual_pence"]) == (state_after, final)


# The person's actions


def test_the_person_and_their_representative_ask_us_to_look_again(
    client_for, decision, social_worker, sams_daughter
) -> None:
    agree(decision, social_worker)
    response = move(client_for(sams_daughter), decision, "challenge", "agreed", reasons="Weekends.")
    assert response.status_code == 200
    assert response.json()["decision"]["state"] == "challenged"
    event = response.json()["event"]
    assert (event["actor"], event["actor_role"]) == ("Dana Daughter", "person")


def test_asking_to_look_again_needs_reasons(client_for, decision, social_worker, service_user):
    agree(decision, social_worker)
    response = move(client_for(service_user), decision, "challenge", "agreed", reasons="  ")
    assert response.status_code == 400
    assert response.json()["messages"] == ["Enter the reasons for this decision"]
    assert refreshed(decision).state == State.AGREED


# Emergencies


def test_an_emergency_allocation_for_someone_new(client_for, social_worker):
    response = post(
        client_for(social_worker),
        emergency_url(),
        {
            "person": {"full_name": "Nia New"},
            "amount_pence": 520_000,
            "reasons": "Carer in hospital.",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["final_annual_pence"], body["signed_off_by"]) == (
        "emergency",
        520_000,
        "Wendy Worker",
    )
    assert body["person"]["full_name"] == "Nia New"
    assert body["emergency_confirm_by"] is not None
    assert body["events"][0]["action"] == "record_emergency"


def test_an_emergency_allocation_for_someone_known_then_confirmed_then_assessed(
    client_for, social_worker, team_manager, service_user, submitted_assessment
) -> None:
    sam = person_for_service_user(service_user)
    created = post(
        client_for(social_worker),
        emergency_url(),
        {"person_id": str(sam.public_id), "amount_pence": 520_000, "reasons": "Carer in hospital."},
    )
    assert created.status_code == 201
    decision = BudgetDecision.objects.get(pk=created.json()["id"])
    refused = move(client_for(social_worker), decision, "confirm_emergency", "emergency")
    assert refused.status_code == 403
    confirmed = move(client_for(team_manager), decision, "confirm_emergency", "emergency")
    assert confirmed.status_code == 200
    assert confirmed.json()["decision"]["emergency_confirmed_at"] is not None
    again = move(client_for(team_manager), decision, "confirm_emergency", "emergency")
    assert again.status_code == 400
    assessed = move(
        client_for(service_user),
        decision,
        "resubmit",
        "emergency",
        new_assessment=str(submitted_assessment.public_id),
    )
    assert assessed.status_code == 200
    assert assessed.json()["decision"]["state"] == "indicative"
    assert assessed.json()["decision"]["indicative_annual_pence"] == 498_000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount_pence": 520_000, "reasons": "Crisis."}, "person"),
        (
            {
                "person": {"full_name": "Nia New"},
                "person_id": "00000000-0000-0000-0000-000000000000",
                "amount_pence": 520_000,
                "reasons": "Crisis.",
            },
            "person",
        ),
        (
            {
                "person_id": "00000000-0000-0000-0000-000000000000",
                "amount_pence": 1,
                "reasons": "x",
            },
            "person_id",
        ),
        ({"person": {"full_name": "Nia New"}, "amount_pence": -1, "reasons": "x"}, "amount_pence"),
        ({"person": {"full_name": "Nia New"}, "reasons": "x"}, "amount_pence"),
    ],
)
def test_a_bad_emergency_request_is_refused_field_by_field(body, field, client_for, social_worker):
    response = post(client_for(social_worker), emergency_url(), body)
    assert response.status_code == 400
    assert field in response.json()
    assert not BudgetDecision.objects.exists()
    assert not Person.objects.filter(full_name="Nia New").exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"person": {"full_name": "Nia New"}, "amount_pence": 520_000, "reasons": " "},
            "Enter the reasons for this decision",
        ),
        (
            {"person": {"full_name": "Nia New"}, "amount_pence": 0, "reasons": "Crisis."},
            "Enter the amount a year",
        ),
        ({"person": {"full_name": "  "}, "amount_pence": 520_000, "reasons": "Crisis."}, None),
    ],
)
def test_an_emergency_the_service_refuses_leaves_nothing_behind(
    body, message, client_for, social_worker
):
    response = post(client_for(social_worker), emergency_url(), body)
    assert response.status_code == 400
    if message is not None:
        assert response.json()["messages"] == [message]
    assert not BudgetDecision.objects.exists()
    assert not Person.objects.filter(full_name="Nia New").exists()


def test_emergencies_are_recorded_by_social_workers(client_for, team_manager):
    body = {"person": {"full_name": "Nia New"}, "amount_pence": 520_000, "reasons": "Crisis."}
    assert post(client_for(team_manager), emergency_url(), body).status_code == 403
    assert not BudgetDecision.objects.exists()


# What the person pays


def test_staff_enter_what_the_person_pays(client_for, decision, social_worker, team_manager):
    """£4,980.00 less £1,200.00: the council pays £3,780.00 a year."""
    client = client_for(social_worker)
    early = post(client, contribution_url(decision), {"contribution_pence": 120_000})
    assert early.status_code == 400
    assert (
        early.json()["detail"] == "There is no final budget yet, so there is nothing to pay into."
    )
    agree(decision, social_worker)
    too_much = post(client, contribution_url(decision), {"contribution_pence": 498_001})
    assert too_much.status_code == 400
    assert too_much.json()["messages"] == [
        "The contribution cannot be more than the final budget of £4,980.00"
    ]
    response = post(
        client_for(team_manager), contribution_url(decision), {"contribution_pence": 120_000}
    )
    assert response.status_code == 200
    assert response.json()["council_pays_annual_pence"] == 378_000
    assert refreshed(decision).state == State.AGREED


@pytest.mark.parametrize("role", ["panel_member", "service_user", "finance_lead"])
def test_other_roles_cannot_enter_what_the_person_pays(
    role, request, client_for, decision, social_worker
):
    agree(decision, social_worker)
    response = post(
        client_for(request.getfixturevalue(role)),
        contribution_url(decision),
        {"contribution_pence": 0},
    )
    assert response.status_code == 403
    assert refreshed(decision).contribution_annual_pence is None


def test_a_contribution_must_be_a_whole_number_of_pence(client_for, decision, social_worker):
    agree(decision, social_worker)
    response = post(
        client_for(social_worker), contribution_url(decision), {"contribution_pence": "12.50"}
    )
    assert response.status_code == 400
    assert "contribution_pence" in response.json()


# Refusals every action shares


def test_an_out_of_order_action_is_a_conflict_with_the_current_state(
    client_for, decision, team_manager
):
    response = move(
        client_for(team_manager), decision, "manager_approve", "indicative", reasons="Yes."
    )
    assert response.status_code == 409
    assert response.json()["current_state"] == "indicative"
    assert (
        response.json()["detail"]
        == "'manager approve' is not possible: Indicative budget to agree."
    )


def test_a_decision_someone_else_made_first_is_a_conflict_saying_who(
    client_for, decision, social_worker, team_manager
) -> None:
    ask_for(decision, social_worker, 560_000)
    move(client_for(team_manager), decision, "manager_decline", "awaiting_manager", reasons="No.")
    other = user_create(email="m2@example.org", full_name="Max Manager", roles=[Role.TEAM_MANAGER])
    response = move(
        client_for(other), decision, "manager_approve", "awaiting_manager", reasons="Yes."
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current_state"] == "declined"
    assert (
        body["detail"]
        == "Mo Manager (manager decline) decided first. The case is now: Request declined."
    )
    assert DecisionEvent.objects.filter(action=Action.MANAGER_APPROVE).count() == 0


@pytest.mark.parametrize(
    ("caller", "action", "seen_state"),
    [
        ("service_user", "agree", "indicative"),
        ("team_manager", "agree", "indicative"),
        ("panel_member", "manager_approve", "awaiting_manager"),
        ("social_worker", "manager_approve", "awaiting_manager"),
        ("social_worker", "challenge", "agreed"),
        ("team_manager", "panel_approve", "awaiting_panel"),
    ],
)
def test_the_wrong_role_is_refused_and_nothing_changes(
    caller,
    action,
    seen_state,
    request,
    client_for,
    decision,
    social_worker,
    team_manager,
    panel_member,
) -> None:
    if seen_state == "awaiting_manager":
        ask_for(decision, social_worker, 560_000)
    elif seen_state == "agreed":
        agree(decision, social_worker)
    elif seen_state == "awaiting_panel":
        ask_for(decision, social_worker, 622_501)
    put_on_agenda(decision, team_manager, panel_member, "2026-12-01")
    events_before = DecisionEvent.objects.count()
    client = client_for(request.getfixturevalue(caller))
    response = move(client, decision, action, seen_state, reasons="Because.")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Only")
    assert refreshed(decision).state == seen_state
    assert DecisionEvent.objects.count() == events_before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "approve", "seen_state": "indicative"}, "action"),
        ({"action": "record_emergency", "seen_state": "indicative"}, "action"),
        ({"action": "agree", "seen_state": "approved"}, "seen_state"),
        ({"seen_state": "indicative"}, "action"),
        ({"action": "agree"}, "seen_state"),
        ({"action": "vary", "seen_state": "indicative", "amount_pence": -1}, "amount_pence"),
        ({"action": "vary", "seen_state": "indicative", "amount_pence": "5478.00"}, "amount_pence"),
        (
            {"action": "vary", "seen_state": "indicative", "reason_codes": ["Not A Slug"]},
            "reason_codes",
        ),
        (
            {
                "action": "vary",
                "seen_state": "indicative",
                "plan_lines": [
                    {"description": "Visits", "units_per_week_hundredths": 0, "unit_cost_pence": 1}
                ],
            },
            "plan_lines",
        ),
        (
            {
                "action": "resubmit",
                "seen_state": "emergency",
                "new_assessment": "00000000-0000-0000-0000-000000000000",
            },
            "new_assessment",
        ),
    ],
)
def test_bad_input_is_refused_field_by_field_and_changes_nothing(
    body, field, client_for, decision, social_worker
):
    response = post(client_for(social_worker), transition_url(decision), body)
    assert response.status_code == 400
    assert field in response.json()
    assert refreshed(decision).state == State.INDICATIVE
    assert not DecisionEvent.objects.exists()


def test_an_unknown_reason_code_is_refused(client_for, decision, social_worker):
    response = move(
        client_for(social_worker),
        decision,
        "vary",
        "indicative",
        amount_pence=500_000,
        reason_codes=["made-up"],
        reasons="More.",
    )
    assert response.status_code == 400
    assert response.json()["messages"] == ["Unknown reason code: made-up"]


def test_reasons_are_needed_for_a_variation(client_for, decision, social_worker):
    response = move(client_for(social_worker), decision, "vary", "indicative", amount_pence=500_000)
    assert response.status_code == 400
    assert response.json()["detail"] == "Enter the reasons for this decision"


def test_every_action_is_reachable_through_the_api() -> None:
    """`record_emergency` has its own endpoint; every other action is a transition."""
    from reviews.api.serializers import TRANSITION_ACTIONS

    assert {*TRANSITION_ACTIONS, Action.RECORD_EMERGENCY} == set(Action)


# The schema


def test_the_schema_shows_every_endpoint_and_its_refusals(client) -> None:
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/decisions/",
        "/api/decisions/{id}/",
        "/api/decisions/open/",
        "/api/decisions/emergency/",
        "/api/decisions/{id}/transition/",
        "/api/decisions/{id}/contribution/",
    } <= set(paths)
    transition = paths["/api/decisions/{id}/transition/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409"} <= set(transition)


def test_the_schema_is_generated_without_warnings_and_is_valid() -> None:
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(urlconf="ras.urls").get_schema(request=None, public=True)
    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert warnings == {}
    assert errors == {}
    validate_schema(schema)
    assert "/api/decisions/{id}/transition/" in schema["paths"]

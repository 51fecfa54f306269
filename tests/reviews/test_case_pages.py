"""The social worker's caseload, case page and actions: who may use them, what they show, and how
every kind of bad input and every stale page is answered.

The case (tests/reviews/conftest.py): 34 points on the older people's table, £6,640.00 full
needs less 25% for a lot of help from family or friends: an indicative budget of £4,980.00 a year.
A social worker may agree up to 10% (£498.00) or £2,000.00 more, both must hold: up to £5,478.00.
A team manager may agree up to 25% (£1,245.00) or £10,000.00 more: up to £6,225.00.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from ras.accounts.roles import Role
from ras.accounts.services import user_create
from ras.people.models import Person
from reviews.models import (
    BudgetDecision,
    DecisionEvent,
    PanelAgendaItem,
    PanelMeeting,
    SupportPlanLine,
)
from reviews.services import (
    decision_open,
    decision_record_emergency,
    decision_request_amount,
    decision_transition,
)
from reviews.workflow import Action, State
from tests.reviews.conftest import INDICATIVE_PENCE

pytestmark = pytest.mark.django_db

REFUSED_ROLES = ["service_user", "representative", "finance_lead", "administrator"]


def refreshed(decision: BudgetDecision) -> BudgetDecision:
    return BudgetDecision.objects.get(pk=decision.pk)


def url(name: str, decision: BudgetDecision | None = None, **kwargs) -> str:
    if decision is not None:
        kwargs["decision_id"] = decision.pk
    return reverse(f"cases:{name}", kwargs=kwargs or None)


def banner(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def agree(decision: BudgetDecision, actor) -> None:
    decision_transition(
        decision_id=decision.pk, action=Action.AGREE, actor=actor, seen_state=State.INDICATIVE
    )


def refer_to_manager(decision: BudgetDecision, actor, amount_pence: int = 560_000):
    return decision_request_amount(
        decision_id=decision.pk,
        actor=actor,
        seen_state=State.INDICATIVE,
        amount_pence=amount_pence,
        reason_codes=["night-support"],
        reasons="Needs a check at night.",
    )


@pytest.fixture
def second_social_worker(db):
    return user_create(
        email="wes@example.org",
        full_name="Wes Second-Worker",
        roles=[Role.SOCIAL_WORKER],
        password="x",
    )


@pytest.fixture
def agreed(decision, social_worker) -> BudgetDecision:
    agree(decision, social_worker)
    return refreshed(decision)


def every_page(decision: BudgetDecision, event_id: int) -> list[str]:
    return [
        url("caseload"),
        url("emergency-new"),
        url("detail", decision),
        url("outcome", decision, event_id=event_id),
        url("agree", decision),
        url("vary", decision),
        url("outside-ras", decision),
        url("return", decision),
        url("start-review", decision),
        url("contribution", decision),
    ]


# Who may use the pages


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_people_who_are_not_case_staff_are_refused_every_page(
    role, request, client_for, decision, social_worker
) -> None:
    event = refer_to_manager(decision, social_worker)
    client = client_for(request.getfixturevalue(role))
    for page in every_page(decision, event.pk):
        assert client.get(page).status_code == 403, page
        assert client.post(page, {"seen_state": "awaiting_manager"}).status_code == 403, page
    assert client.post(url("take", public_id=uuid_of(decision))).status_code == 403
    assert DecisionEvent.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page(
    client, decision, social_worker
) -> None:
    event = refer_to_manager(decision, social_worker)
    for page in [*every_page(decision, event.pk), url("take", public_id=uuid_of(decision))]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("accounts:sign-in")), page


def uuid_of(decision: BudgetDecision):
    assert decision.assessment is not None
    return decision.assessment.public_id


def test_a_panel_member_may_not_open_a_case_off_their_meetings_agendas(
    client_for, panel_member, team_manager, decision
) -> None:
    """Not found, as any case they may not see: its existence is not revealed."""
    other_meeting = PanelMeeting.objects.create(
        held_on="2027-01-12", title="Resource panel", created_by=team_manager
    )
    PanelAgendaItem.objects.create(meeting=other_meeting, decision=decision, added_by=team_manager)
    client = client_for(panel_member)
    assert client.get(url("detail", decision)).status_code == 404
    assert client.get(url("caseload")).status_code == 403


def test_a_panel_member_may_read_a_case_on_their_agenda_but_not_the_caseload_or_act(
    client_for, panel_member, team_manager, decision
) -> None:
    meeting = PanelMeeting.objects.create(
        held_on="2027-01-12", title="Resource panel", created_by=team_manager
    )
    meeting.members.add(panel_member)
    PanelAgendaItem.objects.create(meeting=meeting, decision=decision, added_by=team_manager)
    client = client_for(panel_member)
    assert client.get(url("detail", decision)).status_code == 200
    assert client.get(url("caseload")).status_code == 403
    for name in ("agree", "vary", "outside-ras", "return", "start-review", "contribution"):
        assert client.get(url(name, decision)).status_code == 403, name
    response = client.post(url("agree", decision), {"seen_state": "indicative"})
    assert response.status_code == 403
    assert refreshed(decision).state == State.INDICATIVE


def test_a_team_manager_may_read_and_enter_a_contribution_but_not_act_for_the_worker(
    client_for, team_manager, agreed
) -> None:
    client = client_for(team_manager)
    assert client.get(url("caseload")).status_code == 200
    page = client.get(url("detail", agreed)).content.decode()
    assert "Start a review" not in page
    assert "Enter what the person pays" in page
    assert client.get(url("start-review", agreed)).status_code == 403
    assert client.post(url("take", public_id=uuid_of(agreed))).status_code == 403
    assert client.get(url("emergency-new")).status_code == 403
    assert client.get(url("contribution", agreed)).status_code == 200


def test_another_social_worker_may_cover_a_case_and_is_told_whose_it_is(
    client_for, second_social_worker, social_worker, decision
) -> None:
    client = client_for(second_social_worker)
    page = client.get(url("detail", decision)).content.decode()
    assert "This is Wendy Worker’s case" in page
    assert "Agree the indicative budget of £4,980.00 a year as final" in page
    response = client.post(url("agree", decision), {"seen_state": "indicative"})
    assert response.status_code == 302
    decided = refreshed(decision)
    assert decided.signed_off_by == second_social_worker
    assert decided.social_worker == social_worker


def test_a_case_that_does_not_exist_is_not_found(client_for, social_worker, decision) -> None:
    client = client_for(social_worker)
    assert client.get(f"/cases/{decision.pk + 1000}/").status_code == 404
    assert client.get(f"/cases/{decision.pk + 1000}/agree/").status_code == 404
    assert client.get(url("outcome", decision, event_id=999_999)).status_code == 404
    assert client.post("/cases/take/5b0e3f2a-0000-4000-8000-000000000000/").status_code == 404


def test_an_event_that_is_not_a_request_has_no_outcome_page(
    client_for, social_worker, agreed
) -> None:
    event = DecisionEvent.objects.get(decision=agreed)
    response = client_for(social_worker).get(url("outcome", agreed, event_id=event.pk))
    assert response.status_code == 404


# The caseload


def test_a_new_assessment_is_listed_and_a_worker_takes_it(
    client_for, social_worker, submitted_assessment
) -> None:
    client = client_for(social_worker)
    html = client.get(url("caseload")).content.decode()
    assert "<title>Your caseload – " in html
    assert "New assessments (1)" in html
    assert submitted_assessment.reference in html
    assert "£4,980.00" in html
    assert "Your cases (0)" in html
    response = client.post(url("take", public_id=submitted_assessment.public_id))
    decision = BudgetDecision.objects.get(assessment=submitted_assessment)
    assert response.status_code == 302
    assert response["Location"] == url("detail", decision)
    assert banner(response) == ["Sam Service-User is on your caseload."]
    assert decision.social_worker == social_worker
    html = client.get(url("caseload")).content.decode()
    assert "New assessments (0)" in html
    assert "Your cases (1)" in html
    assert "Waiting for your action (1)" in html


def test_taking_a_case_someone_took_first_says_who_has_it(
    client_for, second_social_worker, decision
) -> None:
    response = client_for(second_social_worker).post(url("take", public_id=uuid_of(decision)))
    assert response["Location"] == url("detail", decision)
    assert banner(response) == ["Wendy Worker took this case first. It is on their caseload."]
    assert str(refreshed(decision).social_worker) == "Wendy Worker"


def test_taking_is_done_with_a_post_only(client_for, social_worker, submitted_assessment):
    response = client_for(social_worker).get(url("take", public_id=submitted_assessment.public_id))
    assert response.status_code == 405
    assert not BudgetDecision.objects.exists()


def test_the_caseload_counts_waiting_and_overdue_cases(
    client_for, social_worker, decision, agreed_elsewhere
) -> None:
    """One case waits (indicative); the agreed one's review was due yesterday."""
    BudgetDecision.objects.filter(pk=agreed_elsewhere.pk).update(
        next_review_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    html = client_for(social_worker).get(url("caseload")).content.decode()
    assert "Waiting for your action (1)" in html
    assert "Overdue (1)" in html
    assert "Review was due" in html
    assert "Your cases (2)" in html


@pytest.fixture
def agreed_elsewhere(social_worker, service_user, published_version, questionnaire):
    """A second person's budget, agreed at the indicative amount by the same worker."""
    from allocations.budgets import assessment_submit_and_price
    from questionnaires.services import assessment_start, person_add_for_representative
    from tests.questionnaires.conftest import FULL_ANSWERS, answer_all

    helper = user_create(
        email="helper@example.org", full_name="Hal Helper", roles=[Role.REPRESENTATIVE]
    )
    person = person_add_for_representative(
        representative=helper, full_name="Ida Other", relationship="My mother"
    )
    other = assessment_start(
        actor=helper, person=person, client_group_code="older-people",
        questionnaire_version=questionnaire,
    )  # fmt: skip
    answer_all(other, helper, FULL_ANSWERS)
    submitted, _ = assessment_submit_and_price(assessment=other, actor=helper)
    decision = decision_open(assessment=submitted, actor=social_worker)
    agree(decision, social_worker)
    return refreshed(decision)


def test_a_team_manager_sees_every_workers_cases_with_their_names(
    client_for, team_manager, decision
) -> None:
    html = client_for(team_manager).get(url("caseload")).content.decode()
    assert "<title>The team’s cases – " in html
    assert "All cases (1)" in html
    assert "Wendy Worker" in html
    assert "Record an emergency allocation" not in html
    assert "Take<span" not in html


# The case page


def test_the_case_page_shows_the_person_the_assessment_and_how_it_was_worked_out(
    client_for, social_worker, decision
) -> None:
    html = client_for(social_worker).get(url("detail", decision)).content.decode()
    assert "<title>Case: Sam Service-User – " in html
    assert "govuk-tag--blue" in html
    assert "Indicative budget to agree" in html
    assert decision.assessment.reference in html
    assert f"/staff/assessments/{decision.assessment.public_id}/" in html
    assert "How we worked this out" in html
    assert "£3,000.00 + 14 × £260.00 = £6,640.00 a year" in html
    assert "Wendy Worker (you)" in html
    assert "Nothing has been decided yet." in html
    for offered in (
        "Agree the indicative budget",
        "Vary the budget up or down",
        "Ask for an allocation outside the RAS",
        "Return the assessment to Sam Service-User",
    ):
        assert offered in html
    assert "Start a review" not in html


def test_a_final_budget_shows_who_signed_it_off_the_difference_and_the_reasons(
    client_for, social_worker, decision
) -> None:
    """£5,478.00 agreed against £4,980.00 indicative: £498.00 more."""
    decision_request_amount(
        decision_id=decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=547_800,
        reason_codes=["night-support"],
        reasons="Needs a check at night twice a week.",
    )
    html = client_for(social_worker).get(url("detail", decision)).content.decode()
    assert "Final budget" in html
    assert "<strong>£5,478.00 a year</strong>, signed off by Wendy Worker" in html
    assert "£498.00 more than the indicative budget" in html
    assert "Support is needed at night" in html
    assert "Needs a check at night twice a week." in html
    assert "Not entered yet: it comes from the financial assessment" in html
    assert "Wendy Worker agreed a different amount, within their delegated authority" in html
    assert "From £4,980.00 to £5,478.00 a year" in html
    assert "Start a review" in html


def test_a_manager_approval_shows_the_managers_name_and_the_workers_reasons(
    client_for, social_worker, team_manager, decision
) -> None:
    refer_to_manager(decision, social_worker)
    decision_transition(
        decision_id=decision.pk,
        action=Action.MANAGER_APPROVE,
        actor=team_manager,
        seen_state=State.AWAITING_MANAGER,
        reasons="Agreed: night checks are essential.",
    )
    html = client_for(social_worker).get(url("detail", decision)).content.decode()
    assert "signed off by Mo Manager" in html
    assert "Agreed: night checks are essential." in html
    assert "Wendy Worker asked for it" in html
    assert "Needs a check at night." in html
    assert "£620.00 more than the indicative budget" in html


def test_what_the_person_pays_and_the_council_pays_are_shown_once_entered(
    client_for, social_worker, agreed
) -> None:
    """£4,980.00 final less a £1,200.50 contribution: the council pays £3,779.50."""
    client = client_for(social_worker)
    response = client.post(url("contribution", agreed), {"contribution": "1,200.50"})
    assert response.status_code == 302
    assert refreshed(agreed).contribution_annual_pence == 120_050
    html = client.get(url("detail", agreed)).content.decode()
    assert "£1,200.50 a year, from the financial assessment" in html
    assert "£3,779.50 a year" in html
    assert "Change what the person pays" in html


def test_an_emergency_case_shows_when_a_manager_must_confirm_it(
    client_for, social_worker, service_user
) -> None:
    from questionnaires.services import person_for_service_user

    emergency = decision_record_emergency(
        person=person_for_service_user(service_user),
        actor=social_worker,
        amount_pence=520_000,
        reasons="Carer in hospital.",
    )
    html = client_for(social_worker).get(url("detail", emergency)).content.decode()
    assert "govuk-tag--pink" in html
    assert "Needed by" in html
    assert "None yet: a full assessment follows the emergency allocation" in html
    assert "Wendy Worker recorded an emergency allocation" in html
    assert "None: an emergency allocation bypasses the RAS" in html


# Agree


def test_agreeing_signs_off_the_indicative_budget_in_the_workers_name(
    client_for, social_worker, decision
) -> None:
    client = client_for(social_worker)
    page = client.get(url("agree", decision)).content.decode()
    assert 'name="seen_state" value="indicative"' in page
    response = client.post(url("agree", decision), {"seen_state": "indicative", "reasons": ""})
    assert response["Location"] == url("detail", decision)
    assert banner(response) == ["You agreed £4,980.00 a year as the final budget."]
    decided = refreshed(decision)
    assert decided.state == State.AGREED
    assert decided.final_annual_pence == INDICATIVE_PENCE
    assert decided.signed_off_by == social_worker


def test_a_stale_page_is_told_who_decided_first_and_shown_the_fresh_case(
    client_for, social_worker, second_social_worker, decision
) -> None:
    agree(decision, second_social_worker)
    response = client_for(social_worker).post(url("agree", decision), {"seen_state": "indicative"})
    assert response["Location"] == url("detail", decision)
    assert banner(response) == [
        "Wes Second-Worker (agree) decided first. The case is now: Agreed at the indicative budget."
    ]
    assert DecisionEvent.objects.filter(decision=decision).count() == 1


def test_a_stale_variation_is_refused_and_changes_nothing(
    client_for, social_worker, team_manager, decision
) -> None:
    agree(decision, social_worker)
    response = client_for(social_worker).post(
        url("vary", decision),
        {"seen_state": "indicative", "amount": "5000", "reasons": "More meals"},
    )
    assert response.status_code == 302
    assert "decided first" in banner(response)[0]
    assert refreshed(decision).final_annual_pence == INDICATIVE_PENCE


def test_an_action_not_possible_in_the_cases_state_goes_back_to_the_case(
    client_for, social_worker, decision
) -> None:
    response = client_for(social_worker).get(url("start-review", decision))
    assert response["Location"] == url("detail", decision)
    assert banner(response) == [
        "You cannot start a review now. The case is: Indicative budget to agree."
    ]


def test_a_made_up_seen_state_is_an_error_and_changes_nothing(
    client_for, social_worker, decision
) -> None:
    response = client_for(social_worker).post(url("agree", decision), {"seen_state": "final"})
    assert response.status_code == 400
    assert "This page was out of date: open the case again" in response.content.decode()
    assert refreshed(decision).state == State.INDICATIVE


def test_a_seen_state_the_action_is_not_possible_from_is_refused(
    client_for, social_worker, decision
) -> None:
    response = client_for(social_worker).post(url("agree", decision), {"seen_state": "agreed"})
    assert response.status_code == 302
    assert banner(response) == ["'agree' is not possible: Agreed at the indicative budget."]
    assert refreshed(decision).state == State.INDICATIVE


# Vary


def vary(client, decision, amount: str, **extra):
    data = {"seen_state": "indicative", "amount": amount, "reasons": "Night checks."}
    data.update(extra)
    return client.post(url("vary", decision), data)


def test_a_variation_within_authority_is_final_at_once_and_says_why(
    client_for, social_worker, decision
) -> None:
    """£5,478.00 is £498.00 more: exactly 10% of £4,980.00 and under £2,000.00, so within."""
    client = client_for(social_worker)
    page = client.get(url("vary", decision)).content.decode()
    assert "A social worker may agree up to 10.00% and up to £2,000.00 a year" in page
    assert "Support is needed at night" in page
    response = vary(client, decision, "£5,478.00", reason_codes=["night-support"])
    event = DecisionEvent.objects.get(decision=decision)
    assert response["Location"] == url("outcome", decision, event_id=event.pk)
    assert event.action == Action.VARY
    assert event.reason_codes == ["night-support"]
    outcome = client.get(response["Location"]).content.decode()
    assert "You agreed £5,478.00 a year" in outcome
    assert "It is £498.00 (10.00%) more than the indicative budget of £4,980.00." in outcome
    assert "That is within your delegated authority" in outcome
    assert "This is now the final budget." in outcome
    assert refreshed(decision).final_annual_pence == 547_800


def test_a_penny_over_goes_to_a_manager_and_the_page_says_so_with_the_limits(
    client_for, social_worker, decision
) -> None:
    """£5,478.01 is £498.01 more, over 10%: a manager may agree up to £6,225.00."""
    client = client_for(social_worker)
    response = vary(client, decision, "5478.01")
    outcome = client.get(response["Location"]).content.decode()
    assert "£5,478.01 a year was sent to a team manager to agree" in outcome
    assert "That is more than a social worker may agree on their own." in outcome
    assert "A team manager will decide." in outcome
    assert "A team manager may agree up to 25.00% and up to £10,000.00 a year" in outcome
    decided = refreshed(decision)
    assert decided.state == State.AWAITING_MANAGER
    assert decided.requested_annual_pence == 547_801


def test_beyond_a_managers_authority_goes_to_the_panel(client_for, social_worker, decision):
    """£6,225.01 is a penny over the manager's 25% (£1,245.00 more)."""
    client = client_for(social_worker)
    outcome = client.get(vary(client, decision, "6225.01")["Location"]).content.decode()
    assert "was sent to the panel to agree" in outcome
    assert "It is also more than a team manager may agree on their own." in outcome
    assert refreshed(decision).state == State.AWAITING_PANEL


def test_a_reduction_goes_to_a_manager_and_says_why(client_for, social_worker, decision):
    """£4,000.00 is £980.00 (19.68%) less than £4,980.00."""
    client = client_for(social_worker)
    outcome = client.get(vary(client, decision, "4000")["Location"]).content.decode()
    assert "It is £980.00 (19.68%) less than the indicative budget of £4,980.00." in outcome
    assert "A reduction by a social worker needs a manager" in outcome


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Enter the new amount a year"),
        ("lots", "Enter the new amount a year as a number, like 5478.50"),
        ("5478.001", "The new amount a year must have no more than 2 decimal places"),
        ("-5", "The new amount a year must be 0 or more"),
        ("NaN", "Enter the new amount a year as a number, like 5478.50"),
        ("1e40", "The new amount a year is too large: check it"),
        ("20000000", "The new amount a year must be no more than £10,000,000.00"),
        ("4980", "The new amount is the same as the indicative budget"),
    ],
)
def test_a_bad_amount_is_an_error_and_changes_nothing(
    client_for, social_worker, decision, amount, message
) -> None:
    response = vary(client_for(social_worker), decision, amount)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<title>Error: Vary the budget – " in html
    assert 'href="#id_amount"' in html
    assert not DecisionEvent.objects.exists()


def test_reasons_are_needed_for_a_variation(client_for, social_worker, decision) -> None:
    response = vary(client_for(social_worker), decision, "5000", reasons="  ")
    assert response.status_code == 400
    assert "Enter the reasons for this decision" in response.content.decode()
    assert refreshed(decision).state == State.INDICATIVE


def test_a_reason_code_not_on_the_list_is_an_error(client_for, social_worker, decision) -> None:
    response = vary(client_for(social_worker), decision, "5000", reason_codes=["made-up"])
    assert response.status_code == 400
    assert "Select reasons from the list" in response.content.decode()
    assert not DecisionEvent.objects.exists()


def test_a_retired_reason_code_is_not_offered(client_for, social_worker, decision) -> None:
    from reviews.models import ReasonCode

    ReasonCode.objects.filter(code="rural-travel").update(is_active=False)
    client = client_for(social_worker)
    assert "rural-travel" not in client.get(url("vary", decision)).content.decode()
    response = vary(client, decision, "5000", reason_codes=["rural-travel"])
    assert response.status_code == 400


# Outside the RAS


def plan_data(**lines) -> dict[str, str]:
    data = {"seen_state": "indicative", "lines": "5", "reasons": "Two carers for transfers."}
    data.update(lines)
    return data


def test_a_costed_plan_asks_for_its_total_and_the_result_shows_it(
    client_for, social_worker, decision
) -> None:
    """10.5 hours a week at £24.00 x 52 = £13,104.00; 1 unit at £35.50 x 52 = £1,846.00;
    £14,950.00 a year in all, beyond a manager's £6,225.00: the panel decides."""
    client = client_for(social_worker)
    page = client.get(url("outside-ras", decision)).content.decode()
    assert page.count("Hours or units a week") == 5
    response = client.post(
        url("outside-ras", decision),
        plan_data(
            line_1_what="Personal care visits", line_1_units="10.5", line_1_cost="24",
            line_3_what="Day centre transport", line_3_units="1", line_3_cost="£35.50",
            reason_codes=["two-carers-needed"],
        ),
    )  # fmt: skip
    assert response.status_code == 302
    outcome = client.get(response["Location"]).content.decode()
    assert "£14,950.00 a year was sent to the panel to agree" in outcome
    assert "always agreed by someone other than the person who asks for it" in outcome
    assert "Personal care visits" in outcome
    assert "10.50" in outcome
    assert "£13,104.00" in outcome
    assert "£1,846.00" in outcome
    assert list(
        SupportPlanLine.objects.values_list("description", "units_per_week_hundredths")
    ) == [("Personal care visits", 1_050), ("Day centre transport", 100)]
    decided = refreshed(decision)
    assert decided.requested_annual_pence == 1_495_000
    assert decided.state == State.AWAITING_PANEL
    html = client.get(url("detail", decision)).content.decode()
    assert "Costed support plan" in html


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        ({}, ["Enter at least one line of support: what, how much and the cost"]),
        (
            {"line_2_what": "Visits"},
            ["Line 2: enter the hours or units a week", "Line 2: enter the cost of one hour"],
        ),
        (
            {"line_1_what": "Visits", "line_1_units": "1.234", "line_1_cost": "10"},
            ["Line 1’s hours or units a week must have no more than 2 decimal places"],
        ),
        (
            {"line_1_what": "Visits", "line_1_units": "0", "line_1_cost": "10"},
            ["Enter line 1’s hours or units a week: more than 0"],
        ),
        (
            {"line_1_what": "Visits", "line_1_units": "2", "line_1_cost": "ten"},
            ["Enter line 1’s cost of one hour or unit as a number, like 24.50"],
        ),
        ({"line_4_units": "2", "line_4_cost": "10"}, ["Line 4: enter what the support is"]),
    ],
)
def test_a_plan_with_missing_or_bad_lines_is_an_error_and_changes_nothing(
    client_for, social_worker, decision, lines, errors
) -> None:
    response = client_for(social_worker).post(url("outside-ras", decision), plan_data(**lines))
    assert response.status_code == 400
    html = response.content.decode()
    for error in errors:
        assert error in html
    assert not DecisionEvent.objects.exists()
    assert not SupportPlanLine.objects.exists()


def test_adding_lines_keeps_what_was_typed(client_for, social_worker, decision) -> None:
    response = client_for(social_worker).post(
        url("outside-ras", decision),
        plan_data(line_1_what="Personal care", line_1_units="3", add_lines="yes",
                  reason_codes=["night-support"]),
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Hours or units a week") == 10
    assert 'value="Personal care"' in html
    assert 'name="lines" value="10"' in html
    assert 'value="night-support" checked' in html
    assert "There is a problem" not in html
    assert not DecisionEvent.objects.exists()


# Return to the person


def test_returning_the_assessment_needs_a_message_and_then_opens_a_copy(
    client_for, social_worker, decision
) -> None:
    client = client_for(social_worker)
    refused = client.post(url("return", decision), {"seen_state": "indicative", "reasons": ""})
    assert refused.status_code == 400
    assert "Enter a message to the person saying what to change" in refused.content.decode()
    assert refreshed(decision).state == State.INDICATIVE
    response = client.post(
        url("return", decision),
        {"seen_state": "indicative", "reasons": "Please check the meals answer."},
    )
    assert response.status_code == 302
    returned = refreshed(decision)
    assert returned.state == State.RETURNED
    assert returned.reopened_assessment is not None
    event = DecisionEvent.objects.get(decision=decision)
    assert event.reasons == "Please check the meals answer."
    html = client.get(url("detail", decision)).content.decode()
    assert "is changing their answers" in html


# Start a review


def test_a_review_starts_from_a_final_budget(client_for, social_worker, agreed) -> None:
    client = client_for(social_worker)
    assert client.get(url("start-review", agreed)).status_code == 200
    response = client.post(url("start-review", agreed), {"seen_state": "agreed"})
    assert response.status_code == 302
    reviewed = refreshed(agreed)
    assert reviewed.state == State.INDICATIVE
    assert reviewed.final_annual_pence == INDICATIVE_PENCE


# Contribution


@pytest.mark.parametrize(
    ("contribution", "message"),
    [
        ("", "Enter what the person pays a year"),
        ("4980.01", "The contribution cannot be more than the final budget of £4,980.00"),
        ("-1", "What the person pays a year must be 0 or more"),
        ("12.345", "What the person pays a year must have no more than 2 decimal places"),
    ],
)
def test_a_bad_contribution_is_an_error_and_changes_nothing(
    client_for, social_worker, agreed, contribution, message
) -> None:
    response = client_for(social_worker).post(
        url("contribution", agreed), {"contribution": contribution}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert refreshed(agreed).contribution_annual_pence is None


def test_no_contribution_before_there_is_a_final_budget(client_for, social_worker, decision):
    response = client_for(social_worker).post(url("contribution", decision), {"contribution": "1"})
    assert response["Location"] == url("detail", decision)
    assert refreshed(decision).contribution_annual_pence is None


def test_the_whole_final_budget_may_be_the_contribution(client_for, social_worker, agreed):
    response = client_for(social_worker).post(url("contribution", agreed), {"contribution": "4980"})
    assert response.status_code == 302
    assert refreshed(agreed).council_pays_annual_pence == 0


# Emergency allocation


def test_an_emergency_allocation_adds_the_person_and_their_signed_off_budget(
    client_for, social_worker
) -> None:
    response = client_for(social_worker).post(
        url("emergency-new"),
        {"full_name": "Eve Crisis", "amount": "5200", "reasons": "Carer taken to hospital."},
    )
    decision = BudgetDecision.objects.get(person__full_name="Eve Crisis")
    assert response["Location"] == url("detail", decision)
    assert decision.state == State.EMERGENCY
    assert decision.final_annual_pence == 520_000
    assert decision.signed_off_by == social_worker
    assert decision.social_worker == social_worker
    assert "A team manager must confirm it by" in banner(response)[0]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "", "amount": "5200", "reasons": "Crisis"}, "Enter the person’s full name"),
        ({"full_name": "Eve", "amount": "0", "reasons": "Crisis"}, "must be more than £0.00"),
        ({"full_name": "Eve", "amount": "", "reasons": "Crisis"}, "Enter the amount a year"),
        ({"full_name": "Eve", "amount": "100", "reasons": " "}, "Enter the reasons"),
        ({"full_name": "   ", "amount": "100", "reasons": "Crisis"}, "Enter the person’s"),
    ],
)
def test_a_bad_emergency_allocation_is_an_error_and_adds_nobody(
    client_for, social_worker, data, message
) -> None:
    response = client_for(social_worker).post(url("emergency-new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "<title>Error: Record an emergency allocation – " in html
    assert not Person.objects.filter(full_name__startswith="Eve").exists()
    assert not BudgetDecision.objects.exists()

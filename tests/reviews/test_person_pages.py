"""The person's pages: who may open them, what they say in each state, asking us to look again,
and sending changed answers.

Sam's assessment scores 34 points: £6,640.00 full needs less 25% for a lot of help from family or
friends, an indicative budget of £4,980.00 a year (about £95.77 a week: 498,000 / 52 = 9,576.92
pence, rounded half up).
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from allocations.budgets import assessment_submit_and_price
from questionnaires.services import answer_save, person_for_service_user
from reviews.models import BudgetDecision, DecisionEvent
from reviews.services import decision_record_emergency, decision_transition
from reviews.workflow import Action, State
from tests.reviews.person_cast import (  # noqa: F401 - fixtures
    agree,
    ask_for,
    other_representative,
    put_on_agenda,
    refreshed,
    sams_daughter,
)

pytestmark = pytest.mark.django_db

STAFF = ["social_worker", "team_manager", "panel_member", "finance_lead", "administrator"]
STRANGERS = ["second_service_user", "other_representative"]


def list_url() -> str:
    return reverse("your-budget:budgets")


def decision_url(decision: BudgetDecision) -> str:
    return reverse("your-budget:decision", kwargs={"decision_id": decision.pk})


def challenge_url(decision: BudgetDecision) -> str:
    return reverse("your-budget:challenge", kwargs={"decision_id": decision.pk})


def send_url(decision: BudgetDecision) -> str:
    return reverse("your-budget:send-changed-answers", kwargs={"decision_id": decision.pk})


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def banner(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def return_to_sam(decision, social_worker) -> None:
    decision_transition(
        decision_id=decision.pk,
        action=Action.RETURN_TO_PERSON,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        reasons="Please check the meals answer with your daughter.",
    )


# Who may open the pages


def test_anonymous_people_are_asked_to_sign_in_for_each_page_and_action(client, decision):
    for url in (list_url(), decision_url(decision), challenge_url(decision)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    for url in (challenge_url(decision), send_url(decision)):
        assert client.post(url, {"seen_state": "agreed", "reasons": "x"}).status_code == 302
    assert refreshed(decision).state == State.INDICATIVE


@pytest.mark.parametrize("role", STAFF)
def test_staff_are_refused_the_persons_pages(role, request, client_for, decision) -> None:
    """Staff read and act on cases from their own pages; these are the person's."""
    client = client_for(request.getfixturevalue(role))
    for url in (list_url(), decision_url(decision), challenge_url(decision)):
        assert client.get(url).status_code == 403
    assert client.post(send_url(decision), {"seen_state": "returned"}).status_code == 403


@pytest.mark.parametrize("stranger", STRANGERS)
def test_someone_else_finds_no_such_decision_for_any_page_or_action(
    stranger, request, client_for, decision, social_worker
) -> None:
    agree(decision, social_worker)
    client = client_for(request.getfixturevalue(stranger))
    assert client.get(decision_url(decision)).status_code == 404
    assert client.get(challenge_url(decision)).status_code == 404
    response = client.post(challenge_url(decision), {"seen_state": "agreed", "reasons": "Mine!"})
    assert response.status_code == 404
    assert client.post(send_url(decision), {"seen_state": "agreed"}).status_code == 404
    assert refreshed(decision).state == State.AGREED
    assert "Sam Service-User" not in page_text(client.get(list_url()))


def test_a_decision_that_does_not_exist_is_not_found(client_for, service_user) -> None:
    response = client_for(service_user).get(
        reverse("your-budget:decision", kwargs={"decision_id": 999_999})
    )
    assert response.status_code == 404


# The list


def test_the_person_sees_their_budget_in_the_list(client_for, service_user, decision) -> None:
    response = client_for(service_user).get(list_url())
    assert response.status_code == 200
    text = page_text(response)
    assert "<title>Your care and support budget –" in text
    assert "Your social worker is looking at your budget" in text
    assert 'Indicative budget</dt> <dd class="govuk-summary-list__value">£4,980.00 a year' in text
    assert decision_url(decision) in text


def test_a_representative_sees_a_section_for_each_person_they_act_for(
    client_for, decision, sams_daughter
) -> None:
    text = page_text(client_for(sams_daughter).get(list_url()))
    assert "<title>Care and support budgets –" in text
    assert (
        '<h2 class="govuk-heading-l govuk-!-margin-top-8" id="person-1">Sam Service-User</h2>'
        in (text)
    )
    assert "You act for them (my father)." in text
    assert "Sam Service-User’s social worker is looking at their budget" in text


def test_someone_with_no_decisions_is_told_what_happens(client_for, second_service_user):
    text = page_text(client_for(second_service_user).get(list_url()))
    assert "There are no budget decisions yet." in text
    assert reverse("saq:start") in text


# The decision page in each state


def test_an_indicative_budget_links_to_how_it_was_worked_out(
    client_for, service_user, decision
) -> None:
    response = client_for(service_user).get(decision_url(decision))
    assert response.status_code == 200
    text = page_text(response)
    assert "<title>Your budget: being checked –" in text
    assert "Your social worker is looking at your budget" in text
    assert "£4,980.00 a year: the starting point" in text
    confirmation = reverse(
        "assessment-budget:confirmation", kwargs={"public_id": decision.assessment.public_id}
    )
    assert f'href="{confirmation}">How the indicative budget was worked out' in text
    assert "Ask us to look again at this decision" not in text
    assert "Nothing has been decided yet." in text


def test_a_request_with_a_manager_says_so_with_the_amount_and_reasons(
    client_for, service_user, decision, social_worker
) -> None:
    """£5,478.01 is a penny over the worker's 10% of £4,980.00 (£498.00): a manager decides."""
    ask_for(decision, social_worker, 547_801, reasons="Needs a check at night twice a week.")
    text = page_text(client_for(service_user).get(decision_url(decision)))
    assert "A manager is checking a request for more" in text
    assert 'Amount asked for</dt> <dd class="govuk-summary-list__value">£5,478.01 a year' in text
    assert "Wendy Worker, social worker, asked a team manager to agree a different amount" in text
    assert "From £4,980.00 a year to £5,478.01 a year" in text
    assert "<li>Support is needed at night</li>" in text
    assert "Needs a check at night twice a week." in text


def test_the_panel_date_is_shown_when_the_case_is_on_an_agenda(
    client_for, service_user, decision, social_worker, team_manager, panel_member
) -> None:
    ask_for(decision, social_worker, 622_501)
    put_on_agenda(decision, team_manager, panel_member, "2099-12-01")
    text = page_text(client_for(service_user).get(decision_url(decision)))
    assert "The panel will decide on 1 December 2099" in text


def test_a_final_budget_before_the_financial_assessment(
    client_for, service_user, decision, social_worker
) -> None:
    agree(decision, social_worker)
    text = page_text(client_for(service_user).get(decision_url(decision)))
    assert "Your budget is agreed" in text
    assert "<strong>£4,980.00 a year</strong><br>That is about £95.77 a week." in text
    assert "We will tell you what you need to pay after your financial assessment" in text
    assert 'Agreed by</dt> <dd class="govuk-summary-list__value">Wendy Worker,' in text
    assert "Wendy Worker, social worker, agreed the budget worked out from the assessment" in text
    assert challenge_url(decision) in text


def test_a_final_budget_is_split_into_what_the_council_and_the_person_pay(
    client_for, service_user, decision, social_worker
) -> None:
    """£4,980.00 less the £1,200.00 the person pays: the council pays £3,780.00 a year."""
    agree(decision, social_worker)
    BudgetDecision.objects.filter(pk=decision.pk).update(contribution_annual_pence=120_000)
    text = page_text(client_for(service_user).get(decision_url(decision)))
    assert 'What you pay</dt> <dd class="govuk-summary-list__value">£1,200.00 a year' in text
    assert 'What the council pays</dt> <dd class="govuk-summary-list__value">£3,780.00' in text


def test_a_representative_reads_the_decision_about_the_person(
    client_for, sams_daughter, decision, social_worker
) -> None:
    agree(decision, social_worker)
    text = page_text(client_for(sams_daughter).get(decision_url(decision)))
    assert "<title>Sam Service-User’s budget: agreed –" in text
    assert "Sam Service-User’s budget is agreed" in text
    assert "What Sam Service-User pays" in text
    assert "We will tell Sam Service-User what they need to pay after their financial" in text


# Asking us to look again


def test_the_person_asks_us_to_look_again_with_their_reasons(
    client_for, service_user, decision, social_worker
) -> None:
    agree(decision, social_worker)
    client = client_for(service_user)
    form = client.get(challenge_url(decision))
    assert form.status_code == 200
    assert "<title>Ask us to look again at this decision –" in page_text(form)
    response = client.post(
        challenge_url(decision),
        {"seen_state": "agreed", "reasons": "It does not cover my evening meal."},
    )
    assert response.status_code == 302
    assert response["Location"] == decision_url(decision)
    assert refreshed(decision).state == State.CHALLENGED
    event = DecisionEvent.objects.get(action=Action.CHALLENGE)
    assert (event.actor, event.reasons) == (service_user, "It does not cover my evening meal.")
    assert "We have your request to look again at the decision." in banner(response)[0]
    text = page_text(client.get(decision_url(decision)))
    assert "We are looking again at the decision" in text
    assert "You asked us to look again at the decision" in text
    assert "It does not cover my evening meal." in text


def test_a_representative_asks_us_to_look_again_for_the_person(
    client_for, sams_daughter, decision, social_worker
) -> None:
    agree(decision, social_worker)
    response = client_for(sams_daughter).post(
        challenge_url(decision), {"seen_state": "agreed", "reasons": "Dad needs weekend help."}
    )
    assert response.status_code == 302
    assert DecisionEvent.objects.get(action=Action.CHALLENGE).actor == sams_daughter


@pytest.mark.parametrize("reasons", ["", "   "])
def test_asking_without_reasons_is_refused_plainly_and_changes_nothing(
    reasons, client_for, service_user, decision, social_worker
) -> None:
    agree(decision, social_worker)
    response = client_for(service_user).post(
        challenge_url(decision), {"seen_state": "agreed", "reasons": reasons}
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "<title>Error: Ask us to look again at this decision –" in text
    assert 'href="#id_reasons">Tell us why we should look again at this decision</a>' in text
    assert refreshed(decision).state == State.AGREED
    assert not DecisionEvent.objects.filter(action=Action.CHALLENGE).exists()


def test_reasons_that_are_too_long_are_refused(
    client_for, service_user, decision, social_worker
) -> None:
    agree(decision, social_worker)
    response = client_for(service_user).post(
        challenge_url(decision), {"seen_state": "agreed", "reasons": "x" * 5_001}
    )
    assert response.status_code == 400
    assert "Your reasons must be 5,000 characters or fewer" in page_text(response)
    assert refreshed(decision).state == State.AGREED


def test_asking_is_not_offered_before_there_is_a_decision(client_for, service_user, decision):
    response = client_for(service_user).get(challenge_url(decision))
    assert response.status_code == 302
    assert response["Location"] == decision_url(decision)
    assert "You cannot ask us to look again at this decision now" in banner(response)[0]


def test_asking_on_a_page_that_is_out_of_date_changes_nothing(
    client_for, service_user, decision, social_worker
) -> None:
    """The page showed the agreed budget; a review started since, so the case is indicative."""
    agree(decision, social_worker)
    decision_transition(
        decision_id=decision.pk,
        action=Action.START_REVIEW,
        actor=social_worker,
        seen_state=State.AGREED,
    )
    response = client_for(service_user).post(
        challenge_url(decision), {"seen_state": "agreed", "reasons": "Too little."}
    )
    assert response.status_code == 302
    assert "The decision changed before your request reached us" in banner(response)[0]
    assert refreshed(decision).state == State.INDICATIVE
    assert not DecisionEvent.objects.filter(action=Action.CHALLENGE).exists()


def test_a_made_up_seen_state_is_refused(client_for, service_user, decision, social_worker):
    agree(decision, social_worker)
    response = client_for(service_user).post(
        challenge_url(decision), {"seen_state": "approved", "reasons": "Too little."}
    )
    assert response.status_code == 400
    assert "This page was out of date" in page_text(response)
    assert refreshed(decision).state == State.AGREED


# Changing the answers and sending them


def test_a_returned_assessment_is_continued_then_sent_to_the_social_worker(
    client_for, service_user, decision, social_worker
) -> None:
    """Changed meals answer: 3 + 5 + 10 = 18 points, band 1, 18 x £150 = £2,700.00 less 25%
    for help from family: £2,025.00 a year."""
    return_to_sam(decision, social_worker)
    copy = refreshed(decision).reopened_assessment
    assert copy is not None
    client = client_for(service_user)
    text = page_text(client.get(decision_url(decision)))
    assert "Your social worker asked for the answers to be checked" in text
    resume = reverse("saq:resume", kwargs={"public_id": copy.public_id})
    assert f'href="{resume}"' in text
    assert "Continue changing your answers" in text
    assert "Send my changed answers to my social worker" not in text
    assert "Please check the meals answer with your daughter." in text

    answer_save(assessment=copy, question_code="meals", option_code="some-help", actor=service_user)
    assessment_submit_and_price(assessment=copy, actor=service_user)
    text = page_text(client.get(decision_url(decision)))
    assert "Send my changed answers to my social worker" in text
    assert "Continue changing your answers" not in text

    response = client.post(send_url(decision), {"seen_state": "returned"})
    assert response.status_code == 302
    assert "The changed answers are with the social worker." in banner(response)[0]
    sent = refreshed(decision)
    assert sent.state == State.INDICATIVE
    assert sent.indicative_annual_pence == 202_500
    assert DecisionEvent.objects.get(action=Action.RESUBMIT).actor == service_user


def test_sending_answers_not_yet_submitted_is_refused_plainly(
    client_for, service_user, decision, social_worker
) -> None:
    return_to_sam(decision, social_worker)
    response = client_for(service_user).post(send_url(decision), {"seen_state": "returned"})
    assert response.status_code == 302
    assert banner(response) == ["Submit the changed answers first."]
    assert refreshed(decision).state == State.RETURNED


def test_sending_answers_when_nothing_was_returned_changes_nothing(
    client_for, service_user, decision
) -> None:
    response = client_for(service_user).post(send_url(decision), {"seen_state": "returned"})
    assert response.status_code == 302
    assert banner(response) == ["Submit the changed answers first."]
    assert refreshed(decision).state == State.INDICATIVE


def test_sending_answers_needs_a_post(client_for, service_user, decision) -> None:
    assert client_for(service_user).get(send_url(decision)).status_code == 405


def test_an_emergency_budget_is_shown_before_any_assessment(
    client_for, service_user, social_worker
) -> None:
    """£5,200.00 a year is about £100.00 a week (520,000 / 52 = 10,000 pence exactly)."""
    emergency = decision_record_emergency(
        person=person_for_service_user(service_user),
        actor=social_worker,
        amount_pence=520_000,
        reasons="Carer in hospital; daily visits from today.",
    )
    text = page_text(client_for(service_user).get(decision_url(emergency)))
    assert "<title>Your budget: emergency budget –" in text
    assert "Your emergency budget is in place" in text
    assert "<strong>£5,200.00 a year</strong><br>That is about £100.00 a week." in text
    assert "None yet: an emergency budget is set before the assessment" in text
    assert "Wendy Worker, social worker, set up an emergency budget" in text
    assert "Carer in hospital; daily visits from today." in text
    assert "Ask us to look again at this decision" not in text

"""Sending a self-assessment ("Accept and send") and the confirmation with its budget at once."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from allocations.models import IndicativeBudget
from questionnaires.models import Assessment, AssessmentStatus
from questionnaires.services import assessment_submit
from tests.questionnaires.conftest import FULL_ANSWERS, answer_all
from tests.questionnaires.journey_fixtures import (
    page_url,
    second_representative,
    sign_in_url_for,
    use_mini_questionnaire,
)

__all__ = ["second_representative", "use_mini_questionnaire"]

pytestmark = pytest.mark.django_db

SUBMITTED_ON = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def completed(assessment, service_user):
    answer_all(assessment, service_user, FULL_ANSWERS)
    return assessment


@pytest.fixture
def represented_completed(represented_assessment, representative):
    answer_all(represented_assessment, representative, FULL_ANSWERS)
    return represented_assessment


class TestSending:
    @time_machine.travel(SUBMITTED_ON, tick=False)
    def test_accept_and_send_submits_and_prices_at_once(
        self, client_for, completed, service_user, published_version
    ) -> None:
        response = client_for(service_user).post(page_url("assessment-budget:submit", completed))
        assert response["Location"] == page_url("assessment-budget:confirmation", completed)
        completed.refresh_from_db()
        assert completed.status == AssessmentStatus.SUBMITTED
        assert completed.submitted_by == service_user
        assert IndicativeBudget.objects.get().assessment == completed

    @time_machine.travel(SUBMITTED_ON, tick=False)
    def test_sending_twice_makes_one_submission_and_the_same_confirmation(
        self, client_for, completed, service_user, published_version
    ) -> None:
        client = client_for(service_user)
        first = client.post(page_url("assessment-budget:submit", completed))
        submitted_at = Assessment.objects.get().submitted_at
        second = client.post(page_url("assessment-budget:submit", completed))
        assert first["Location"] == second["Location"]
        assert Assessment.objects.get().submitted_at == submitted_at
        assert IndicativeBudget.objects.count() == 1

    def test_unanswered_questions_are_listed_with_links_and_nothing_is_sent(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, {"washing": "some-help"})
        response = client_for(service_user).post(page_url("assessment-budget:submit", assessment))
        page = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: Check your answers before sending" in page
        assert [problem.message for problem in response.context["problems"]] == [
            "Answer the question: How much help do you need to get dressed?",
            "Answer the question: How much help do you need to make a meal?",
            "Answer the question: "
            "How much of the help you need do family or friends give you today?",
        ]
        link = page_url("saq:question", assessment, code="dressing") + "?return=check"
        assert f'<a href="{link}">Answer the question: How much help' in page
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.IN_PROGRESS
        assert not IndicativeBudget.objects.exists()

    def test_without_a_client_group_it_asks_for_one_and_nothing_is_sent(
        self, client_for, completed, service_user
    ) -> None:
        Assessment.objects.filter(pk=completed.pk).update(client_group_code="")
        response = client_for(service_user).post(page_url("assessment-budget:submit", completed))
        page = response.content.decode()
        assert "Choose who the support is for before you send your self-assessment" in page
        assert page_url("saq:client-group", completed) + "?return=check" in page
        assert Assessment.objects.get().status == AssessmentStatus.IN_PROGRESS

    def test_a_representative_sends_for_the_person_they_help(
        self, client_for, represented_completed, representative
    ) -> None:
        response = client_for(representative).post(
            page_url("assessment-budget:submit", represented_completed)
        )
        assert response.status_code == 302
        assert Assessment.objects.get().status == AssessmentStatus.SUBMITTED

    def test_a_second_service_user_cannot_send_it(
        self, client_for, completed, second_service_user
    ) -> None:
        response = client_for(second_service_user).post(
            page_url("assessment-budget:submit", completed)
        )
        assert response.status_code == 404
        assert Assessment.objects.get().status == AssessmentStatus.IN_PROGRESS

    def test_another_representative_cannot_send_it(
        self, client_for, represented_completed, second_representative
    ) -> None:
        response = client_for(second_representative).post(
            page_url("assessment-budget:submit", represented_completed)
        )
        assert response.status_code == 404
        assert Assessment.objects.get().status == AssessmentStatus.IN_PROGRESS

    def test_a_social_worker_sends_one_filled_in_with_the_person(
        self, client_for, completed, social_worker
    ) -> None:
        response = client_for(social_worker).post(page_url("assessment-budget:submit", completed))
        assert response.status_code == 302
        assert Assessment.objects.get().submitted_by == social_worker

    def test_other_staff_are_refused_and_anonymous_visitors_sent_to_sign_in(
        self, client, client_for, completed, team_manager
    ) -> None:
        url = page_url("assessment-budget:submit", completed)
        assert client_for(team_manager).post(url).status_code == 403
        response = client.post(url)
        assert response["Location"] == sign_in_url_for(url)
        assert Assessment.objects.get().status == AssessmentStatus.IN_PROGRESS

    def test_it_only_takes_a_post(self, client_for, completed, service_user) -> None:
        response = client_for(service_user).get(page_url("assessment-budget:submit", completed))
        assert response.status_code == 405
        assert Assessment.objects.get().status == AssessmentStatus.IN_PROGRESS


class TestConfirmation:
    @time_machine.travel(SUBMITTED_ON, tick=False)
    def test_it_shows_the_reference_and_the_budget_a_year_and_a_week_with_the_working(
        self, client_for, completed, service_user, published_version
    ) -> None:
        """34 points is in band 2 (20-49): £3,000 + (34 - 20) x £260 = £6,640.00 full needs.
        A lot of help from family or friends: 25% of £6,640.00 = £1,660.00.
        Indicative: £6,640.00 - £1,660.00 = £4,980.00 a year; £4,980.00 / 52 = £95.77 a week."""
        client = client_for(service_user)
        client.post(page_url("assessment-budget:submit", completed))
        response = client.get(page_url("assessment-budget:confirmation", completed))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Self-assessment sent" in page
        assert completed.reference in page
        assert "<strong>£4,980.00 a year</strong>" in page
        assert "<strong>£95.77 a week</strong>" in page
        assert "How we worked this out" in page
        assert "£3,000.00 + 14 × £260.00 = £6,640.00 a year" in page
        assert "which is £1,660.00 a year" in page
        assert "the council would need £6,640.00 a year" in page
        assert "What happens next" in page
        assert "starting point, not a final decision" in page

    def test_without_a_table_in_force_it_says_so_plainly(
        self, client_for, completed, service_user
    ) -> None:
        client = client_for(service_user)
        client.post(page_url("assessment-budget:submit", completed))
        response = client.get(page_url("assessment-budget:confirmation", completed))
        page = response.content.decode()
        assert "We cannot show an indicative budget yet" in page
        assert "A social worker will work out the budget with you" in page
        assert "How we worked this out" not in page

    @time_machine.travel(SUBMITTED_ON, tick=False)
    def test_the_confirmation_links_to_the_letter(
        self, client_for, completed, service_user, published_version
    ) -> None:
        client = client_for(service_user)
        client.post(page_url("assessment-budget:submit", completed))
        response = client.get(page_url("assessment-budget:confirmation", completed))
        letter = reverse("letters:indicative-budget", kwargs={"public_id": completed.public_id})
        assert response.context["letter_url"] == letter
        assert letter in response.content.decode()

    def test_an_assessment_not_yet_sent_goes_back_to_the_journey(
        self, client_for, assessment, service_user
    ) -> None:
        response = client_for(service_user).get(
            page_url("assessment-budget:confirmation", assessment)
        )
        assert response["Location"] == page_url("saq:resume", assessment)

    def test_a_representative_reads_the_result_for_the_person_they_help(
        self, client_for, represented_completed, representative
    ) -> None:
        assessment_submit(assessment=represented_completed, actor=representative)
        response = client_for(representative).get(
            page_url("assessment-budget:confirmation", represented_completed)
        )
        assert response.status_code == 200
        assert "Ida Represented" in response.content.decode()

    def test_a_second_service_user_gets_not_found(
        self, client_for, completed, service_user, second_service_user
    ) -> None:
        assessment_submit(assessment=completed, actor=service_user)
        url = page_url("assessment-budget:confirmation", completed)
        assert client_for(second_service_user).get(url).status_code == 404

    def test_another_representative_gets_not_found(
        self, client_for, represented_completed, representative, second_representative
    ) -> None:
        assessment_submit(assessment=represented_completed, actor=representative)
        url = page_url("assessment-budget:confirmation", represented_completed)
        assert client_for(second_representative).get(url).status_code == 404

    def test_staff_are_refused_and_anonymous_visitors_sent_to_sign_in(
        self, client, client_for, completed, service_user, finance_lead
    ) -> None:
        assessment_submit(assessment=completed, actor=service_user)
        url = page_url("assessment-budget:confirmation", completed)
        assert client_for(finance_lead).get(url).status_code == 403
        assert client.get(url)["Location"] == sign_in_url_for(url)

"""The pages of an assessment in progress: resume, who it is for, the task list, one question per
page, check your answers and "come back later"; who may open them, and what bad input does."""

import pytest
from django.urls import reverse

from questionnaires.models import Answer, Assessment, AssessmentStatus
from questionnaires.services import answer_save, assessment_submit
from tests.questionnaires.conftest import FULL_ANSWERS, answer_all
from tests.questionnaires.journey_fixtures import (
    page_url,
    post_answer,
    second_representative,
    sign_in_url_for,
    use_mini_questionnaire,
)

__all__ = ["second_representative", "use_mini_questionnaire"]

pytestmark = pytest.mark.django_db

ASSESSMENT_PAGES = [
    ("saq:resume", {}),
    ("saq:client-group", {}),
    ("saq:task-list", {}),
    ("saq:question", {"code": "washing"}),
    ("saq:check", {}),
    ("saq:come-back-later", {}),
]
PAGE_IDS = [name for name, _ in ASSESSMENT_PAGES]


class TestWhoMayOpenEachPage:
    @pytest.mark.parametrize(("name", "kwargs"), ASSESSMENT_PAGES, ids=PAGE_IDS)
    def test_the_service_user_opens_their_own(
        self, client_for, assessment, service_user, name, kwargs
    ) -> None:
        response = client_for(service_user).get(page_url(name, assessment, **kwargs))
        assert response.status_code in (200, 302)

    @pytest.mark.parametrize(("name", "kwargs"), ASSESSMENT_PAGES, ids=PAGE_IDS)
    def test_a_second_service_user_gets_not_found(
        self, client_for, assessment, second_service_user, name, kwargs
    ) -> None:
        response = client_for(second_service_user).get(page_url(name, assessment, **kwargs))
        assert response.status_code == 404

    @pytest.mark.parametrize(("name", "kwargs"), ASSESSMENT_PAGES, ids=PAGE_IDS)
    def test_the_representative_opens_the_assessment_of_the_person_they_help(
        self, client_for, represented_assessment, representative, name, kwargs
    ) -> None:
        response = client_for(representative).get(page_url(name, represented_assessment, **kwargs))
        assert response.status_code in (200, 302)

    @pytest.mark.parametrize(("name", "kwargs"), ASSESSMENT_PAGES, ids=PAGE_IDS)
    def test_another_representative_gets_not_found(
        self, client_for, represented_assessment, second_representative, name, kwargs
    ) -> None:
        response = client_for(second_representative).get(
            page_url(name, represented_assessment, **kwargs)
        )
        assert response.status_code == 404

    @pytest.mark.parametrize(("name", "kwargs"), ASSESSMENT_PAGES, ids=PAGE_IDS)
    def test_the_service_user_cannot_open_the_assessment_of_someone_represented(
        self, client_for, represented_assessment, service_user, name, kwargs
    ) -> None:
        response = client_for(service_user).get(page_url(name, represented_assessment, **kwargs))
        assert response.status_code == 404

    @pytest.mark.parametrize(("name", "kwargs"), ASSESSMENT_PAGES, ids=PAGE_IDS)
    def test_an_anonymous_visitor_is_sent_to_sign_in(
        self, client, assessment, name, kwargs
    ) -> None:
        url = page_url(name, assessment, **kwargs)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == sign_in_url_for(url)

    @pytest.mark.parametrize(("name", "kwargs"), ASSESSMENT_PAGES, ids=PAGE_IDS)
    @pytest.mark.parametrize("staff", ["finance_lead", "team_manager", "panel_member"])
    def test_other_staff_are_refused_the_journey_pages(
        self, request, client_for, assessment, staff, name, kwargs
    ) -> None:
        user = request.getfixturevalue(staff)
        response = client_for(user).get(page_url(name, assessment, **kwargs))
        assert response.status_code == 403

    @pytest.mark.parametrize(("name", "kwargs"), ASSESSMENT_PAGES, ids=PAGE_IDS)
    def test_a_social_worker_opens_them_to_fill_one_in_with_the_person(
        self, client_for, assessment, social_worker, name, kwargs
    ) -> None:
        response = client_for(social_worker).get(page_url(name, assessment, **kwargs))
        assert response.status_code in (200, 302)

    def test_a_social_worker_answers_with_the_person_and_is_recorded_as_answering(
        self, client_for, assessment, social_worker
    ) -> None:
        client = client_for(social_worker)
        page = client.get(page_url("saq:question", assessment, code="washing"))
        assert "for Sam Service-User" in page.content.decode()
        response = post_answer(client, assessment, "washing", "some-help")
        assert response.status_code == 302
        assert Answer.objects.get().answered_by == social_worker

    def test_a_second_service_user_cannot_answer_and_nothing_is_saved(
        self, client_for, assessment, second_service_user
    ) -> None:
        response = post_answer(client_for(second_service_user), assessment, "washing", "on-my-own")
        assert response.status_code == 404
        assert not Answer.objects.exists()

    def test_another_representative_cannot_answer_and_nothing_is_saved(
        self, client_for, represented_assessment, second_representative
    ) -> None:
        response = post_answer(
            client_for(second_representative), represented_assessment, "washing", "on-my-own"
        )
        assert response.status_code == 404
        assert not Answer.objects.exists()

    def test_an_unknown_assessment_is_not_found(self, client_for, service_user) -> None:
        url = reverse("saq:task-list", kwargs={"public_id": "00000000-0000-0000-0000-000000000000"})
        assert client_for(service_user).get(url).status_code == 404


class TestResume:
    def test_a_new_assessment_opens_at_the_task_list(
        self, client_for, assessment, service_user
    ) -> None:
        response = client_for(service_user).get(page_url("saq:resume", assessment))
        assert response["Location"] == page_url("saq:task-list", assessment)

    def test_it_continues_at_the_next_unanswered_question_after_the_last_answer(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, {"washing": "some-help"})
        response = client_for(service_user).get(page_url("saq:resume", assessment))
        assert response["Location"] == page_url("saq:question", assessment, code="dressing")

    def test_it_skips_questions_already_answered(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, {"meals": "some-help", "washing": "some-help"})
        response = client_for(service_user).get(page_url("saq:resume", assessment))
        # The last answer was washing; dressing is next and unanswered.
        assert response["Location"] == page_url("saq:question", assessment, code="dressing")
        answer_all(assessment, service_user, {"dressing": "on-my-own"})
        response = client_for(service_user).get(page_url("saq:resume", assessment))
        assert response["Location"] == page_url("saq:question", assessment, code="carer-help")

    def test_with_nothing_left_after_the_last_answer_it_opens_the_task_list(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, FULL_ANSWERS)
        response = client_for(service_user).get(page_url("saq:resume", assessment))
        assert response["Location"] == page_url("saq:task-list", assessment)

    def test_without_a_client_group_it_asks_for_one_first(
        self, client_for, assessment, service_user
    ) -> None:
        Assessment.objects.filter(pk=assessment.pk).update(client_group_code="")
        response = client_for(service_user).get(page_url("saq:resume", assessment))
        assert response["Location"] == page_url("saq:client-group", assessment)

    def test_a_sent_assessment_opens_its_confirmation(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, FULL_ANSWERS)
        assessment_submit(assessment=assessment, actor=service_user)
        response = client_for(service_user).get(page_url("saq:resume", assessment))
        assert response["Location"] == page_url("assessment-budget:confirmation", assessment)


class TestClientGroup:
    def test_the_choice_is_saved_and_the_task_list_follows(
        self, client_for, assessment, service_user
    ) -> None:
        response = client_for(service_user).post(
            page_url("saq:client-group", assessment), {"client_group": "mental-health"}
        )
        assert response["Location"] == page_url("saq:task-list", assessment)
        assessment.refresh_from_db()
        assert assessment.client_group_code == "mental-health"

    def test_from_the_check_page_it_returns_to_the_check_page(
        self, client_for, assessment, service_user
    ) -> None:
        response = client_for(service_user).post(
            page_url("saq:client-group", assessment),
            {"client_group": "mental-health", "return": "check"},
        )
        assert response["Location"] == page_url("saq:check", assessment)

    @pytest.mark.parametrize("choice", ["", "children", "older-people' OR 1=1"])
    def test_a_choice_that_is_not_offered_is_refused_and_nothing_changes(
        self, client_for, assessment, service_user, choice
    ) -> None:
        response = client_for(service_user).post(
            page_url("saq:client-group", assessment), {"client_group": choice}
        )
        assert response.status_code == 200
        assert "Select the description that fits you best" in response.content.decode()
        assert response.content.decode().count("Error:") >= 2  # the title and the field
        assessment.refresh_from_db()
        assert assessment.client_group_code == "older-people"

    def test_a_representative_sees_the_choices_about_the_person_they_help(
        self, client_for, represented_assessment, representative
    ) -> None:
        response = client_for(representative).get(
            page_url("saq:client-group", represented_assessment)
        )
        page = response.content.decode()
        assert "Which of these describes Ida Represented best?" in page
        assert "They are 65 or older" in page


class TestTaskList:
    def test_each_area_shows_its_status(self, client_for, assessment, service_user) -> None:
        answer_all(assessment, service_user, {"washing": "some-help", "meals": "on-my-own"})
        response = client_for(service_user).get(page_url("saq:task-list", assessment))
        tasks = {task.domain.code: task.status.value for task in response.context["tasks"]}
        assert tasks == {
            "personal-care": "In progress",
            "eating": "Completed",
            "family-and-friends": "Not yet started",
        }
        assert response.context["can_check"] is False
        assert "Cannot start yet" in response.content.decode()

    def test_an_area_links_to_its_first_unanswered_question(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, {"washing": "some-help"})
        response = client_for(service_user).get(page_url("saq:task-list", assessment))
        assert page_url("saq:question", assessment, code="dressing") in response.content.decode()

    def test_check_your_answers_opens_when_every_question_is_answered(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, FULL_ANSWERS)
        response = client_for(service_user).get(page_url("saq:task-list", assessment))
        assert response.context["can_check"] is True
        assert page_url("saq:check", assessment) in response.content.decode()


class TestAQuestionPage:
    def test_it_shows_the_question_as_its_heading_with_its_answers_and_a_back_link(
        self, client_for, assessment, service_user
    ) -> None:
        response = client_for(service_user).get(
            page_url("saq:question", assessment, code="dressing")
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert (
            '<h1 class="govuk-fieldset__heading">How much help do you need to get dressed?' in page
        )
        assert "I need help with this all the time" in page
        assert "Save and continue" in page
        assert page_url("saq:come-back-later", assessment) in page
        # Back goes to the previous question of the area.
        assert response.context["back_url"] == page_url("saq:question", assessment, code="washing")
        assert 'name="answers_revision" value="0"' in page

    def test_the_first_question_of_an_area_goes_back_to_the_task_list(
        self, client_for, assessment, service_user
    ) -> None:
        response = client_for(service_user).get(page_url("saq:question", assessment, code="meals"))
        assert response.context["back_url"] == page_url("saq:task-list", assessment)

    def test_the_saved_answer_is_selected(self, client_for, assessment, service_user) -> None:
        answer_all(assessment, service_user, {"washing": "some-help"})
        response = client_for(service_user).get(
            page_url("saq:question", assessment, code="washing")
        )
        assert response.context["selected_code"] == "some-help"
        assert 'value="some-help" checked' in response.content.decode()

    def test_saving_goes_to_the_next_question_of_the_area(
        self, client_for, assessment, service_user
    ) -> None:
        response = post_answer(client_for(service_user), assessment, "washing", "some-help")
        assert response["Location"] == page_url("saq:question", assessment, code="dressing")
        answer = Answer.objects.get(assessment=assessment)
        assert (answer.question.code, answer.option.code) == ("washing", "some-help")
        assert answer.answered_by == service_user

    def test_at_the_end_of_an_area_saving_goes_back_to_the_task_list(
        self, client_for, assessment, service_user
    ) -> None:
        response = post_answer(client_for(service_user), assessment, "dressing", "on-my-own")
        assert response["Location"] == page_url("saq:task-list", assessment)

    def test_from_the_check_page_saving_returns_to_the_check_page(
        self, client_for, assessment, service_user
    ) -> None:
        client = client_for(service_user)
        page = client.get(page_url("saq:question", assessment, code="washing") + "?return=check")
        assert page.context["back_url"] == page_url("saq:check", assessment)
        response = post_answer(client, assessment, "washing", "some-help", return_to_check=True)
        assert response["Location"] == page_url("saq:check", assessment)

    def test_a_representative_answers_for_the_person_they_help(
        self, client_for, represented_assessment, representative
    ) -> None:
        client = client_for(representative)
        page = client.get(page_url("saq:question", represented_assessment, code="washing"))
        assert "for Ida Represented" in page.content.decode()
        response = post_answer(client, represented_assessment, "washing", "some-help")
        assert response.status_code == 302
        assert Answer.objects.get().answered_by == representative

    def test_an_unknown_question_code_is_not_found(
        self, client_for, assessment, service_user
    ) -> None:
        client = client_for(service_user)
        assert client.get(page_url("saq:question", assessment, code="no-such")).status_code == 404
        assert post_answer(client, assessment, "no-such", "on-my-own").status_code == 404
        assert not Answer.objects.exists()


class TestBadAnswers:
    def test_no_answer_chosen_shows_an_error_and_saves_nothing(
        self, client_for, assessment, service_user
    ) -> None:
        response = post_answer(client_for(service_user), assessment, "washing", None)
        page = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: How much help do you need to wash?" in page
        assert 'class="govuk-error-summary"' in page
        assert '<a href="#option">Select how much help you need</a>' in page
        assert 'id="option-error"' in page
        assert not Answer.objects.exists()
        assessment.refresh_from_db()
        assert assessment.answers_revision == 0

    def test_the_carer_question_asks_about_family_and_friends(
        self, client_for, assessment, service_user
    ) -> None:
        response = post_answer(client_for(service_user), assessment, "carer-help", None)
        assert "Select how much of the help you need family or friends give" in (
            response.content.decode()
        )

    @pytest.mark.parametrize(
        "option_code",
        ["no-such-option", "substantial", "x" * 500, "on-my-own' OR '1'='1"],
        ids=["unknown", "another-questions-option", "too-long", "injection"],
    )
    def test_a_tampered_option_is_refused_with_400_and_nothing_saved(
        self, client_for, assessment, service_user, option_code
    ) -> None:
        response = post_answer(client_for(service_user), assessment, "washing", option_code)
        page = response.content.decode()
        assert response.status_code == 400
        assert "Select one of the answers shown" in page
        assert "<title>Error: " in page
        assert not Answer.objects.exists()
        assessment.refresh_from_db()
        assert assessment.answers_revision == 0

    def test_a_tampered_option_does_not_change_an_earlier_answer(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, {"washing": "some-help"})
        response = post_answer(client_for(service_user), assessment, "washing", "substantial")
        assert response.status_code == 400
        assert Answer.objects.get().option.code == "some-help"

    def test_an_option_from_another_questionnaire_version_is_refused(
        self, client_for, assessment, service_user, tmp_path
    ) -> None:
        from questionnaires.loading import questionnaire_load
        from tests.questionnaires.conftest import MINI_SAQ

        other = tmp_path / "other.yaml"
        text = MINI_SAQ.read_text().replace("version: 1", "version: 2")
        other.write_text(text.replace("code: some-help", "code: a-little-help", 1))
        questionnaire_load(other)
        response = post_answer(client_for(service_user), assessment, "washing", "a-little-help")
        assert response.status_code == 400
        assert not Answer.objects.exists()


class TestAnOlderPage:
    """A second tab, or a page left open, must never overwrite a newer answer silently."""

    def test_it_is_told_and_shown_the_latest_answer_and_nothing_is_overwritten(
        self, client_for, assessment, service_user
    ) -> None:
        client = client_for(service_user)
        old_tab = client.get(page_url("saq:question", assessment, code="washing"))
        assert 'name="answers_revision" value="0"' in old_tab.content.decode()
        # Another window saves an answer in the meantime.
        answer_save(
            assessment=assessment,
            question_code="washing",
            option_code="all-the-time",
            actor=service_user,
            expected_revision=0,
        )
        response = post_answer(client, assessment, "washing", "on-my-own", revision=0)
        page = response.content.decode()
        assert response.status_code == 409
        assert (
            "Your answers were changed in another window. This page now shows the latest answer."
            in page
        )
        assert 'value="all-the-time" checked' in page
        assert 'name="answers_revision" value="1"' in page
        assert Answer.objects.get().option.code == "all-the-time"

    def test_after_the_message_the_person_can_save_again(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, {"dressing": "on-my-own"})
        client = client_for(service_user)
        stale = post_answer(client, assessment, "washing", "on-my-own", revision=0)
        assert stale.status_code == 409
        response = post_answer(client, assessment, "washing", "on-my-own", revision=1)
        assert response.status_code == 302
        assert Answer.objects.get(question__code="washing").option.code == "on-my-own"

    @pytest.mark.parametrize("revision", ["", "-1", "abc"])
    def test_a_missing_or_tampered_revision_saves_nothing(
        self, client_for, assessment, service_user, revision
    ) -> None:
        response = client_for(service_user).post(
            page_url("saq:question", assessment, code="washing"),
            {"option": "on-my-own", "answers_revision": revision},
        )
        assert response.status_code == 409
        assert not Answer.objects.exists()

    def test_an_answer_to_a_sent_assessment_changes_nothing(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, FULL_ANSWERS)
        client = client_for(service_user)
        revision = Assessment.objects.get(pk=assessment.pk).answers_revision
        assessment_submit(assessment=assessment, actor=service_user)
        response = post_answer(client, assessment, "washing", "on-my-own", revision=revision)
        assert response["Location"] == page_url("assessment-budget:confirmation", assessment)
        assert Answer.objects.get(question__code="washing").option.code == "some-help"


class TestCheckYourAnswers:
    def test_it_lists_every_answer_by_area_with_change_links_back_to_it(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, FULL_ANSWERS)
        response = client_for(service_user).get(page_url("saq:check", assessment))
        page = response.content.decode()
        assert response.status_code == 200
        assert [section.title for section in response.context["sections"]] == [
            "Looking after yourself",
            "Eating and drinking",
            "Support from family and friends",
        ]
        assert "I need some help" in page
        assert "I am 65 or older" in page
        change = page_url("saq:question", assessment, code="meals") + "?return=check"
        assert f'href="{change}"' in page
        assert page_url("saq:client-group", assessment) + "?return=check" in page
        assert "Accept and send" in page
        assert f'action="{page_url("assessment-budget:submit", assessment)}"' in page

    def test_unanswered_questions_are_marked(self, client_for, assessment, service_user) -> None:
        answer_all(assessment, service_user, {"washing": "some-help"})
        response = client_for(service_user).get(page_url("saq:check", assessment))
        assert response.content.decode().count("Not answered yet") == 3


class TestComeBackLater:
    def test_it_explains_how_to_come_back_and_how_long_answers_are_kept(
        self, client_for, assessment, service_user, settings
    ) -> None:
        settings.SAQ_DRAFT_RETENTION_DAYS = 30
        Assessment.objects.filter(pk=assessment.pk).update(
            last_saved_at="2026-11-24T10:00:00+00:00"
        )
        response = client_for(service_user).get(page_url("saq:come-back-later", assessment))
        page = response.content.decode()
        assert "Every answer you have given is already saved" in page
        assert "for 30 days after the last answer you saved" in page
        assert "24 December 2026" in page
        assert assessment.reference in page
        assert "Your self-assessments" in page

    def test_the_status_of_the_assessment_is_unchanged(
        self, client_for, assessment, service_user
    ) -> None:
        client_for(service_user).get(page_url("saq:come-back-later", assessment))
        assessment.refresh_from_db()
        assert assessment.status == AssessmentStatus.IN_PROGRESS

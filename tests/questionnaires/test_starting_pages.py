"""Starting: the start page, signing in or creating an account, who the assessment is for, and
the list of a person's own assessments."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from questionnaires.models import Assessment, AssessmentStatus
from questionnaires.services import assessment_submit
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from ras.people.models import Person, Representation
from tests.conftest import PASSWORD
from tests.questionnaires.conftest import FULL_ANSWERS, answer_all
from tests.questionnaires.journey_fixtures import (
    page_url,
    second_representative,
    sign_in_url_for,
    use_mini_questionnaire,
)

__all__ = ["second_representative", "use_mini_questionnaire"]

pytestmark = pytest.mark.django_db

NEW_ACCOUNT = {
    "full_name": "  Nia   New-Person ",
    "email": "Nia@Example.org",
    "password1": "a long and memorable passphrase",
    "password2": "a long and memorable passphrase",
    "filling_in_for": "myself",
}


class TestStartPage:
    def test_anyone_can_read_it(self, client) -> None:
        response = client.get(reverse("saq:start"))
        page = response.content.decode()
        assert response.status_code == 200
        assert "about 30 minutes" in page
        assert "What you need" in page
        assert "What happens to your answers" in page
        assert f'href="{reverse("saq:new")}"' in page

    def test_the_service_start_page_leads_to_it(self, client) -> None:
        assert f'href="{reverse("saq:start")}"' in client.get(reverse("start")).content.decode()


class TestStartingNew:
    def test_an_anonymous_visitor_chooses_to_sign_in_or_create_an_account(self, client) -> None:
        response = client.get(reverse("saq:new"))
        assert response["Location"] == reverse("saq:sign-in-or-create-account")
        page = client.get(response["Location"]).content.decode()
        assert sign_in_url_for(reverse("saq:new")) in page
        assert f"{reverse('saq:create-account')}?next={reverse('saq:new')}" in page

    def test_a_service_user_goes_to_their_own_assessment(self, client_for, service_user) -> None:
        response = client_for(service_user).get(reverse("saq:new"))
        assert response["Location"] == reverse("saq:new-myself")

    def test_a_representative_names_the_person_they_help(self, client_for, representative):
        response = client_for(representative).get(reverse("saq:new"))
        assert response["Location"] == reverse("saq:new-someone-else")

    def test_someone_with_both_roles_is_asked_who_it_is_for(self, client_for) -> None:
        both = user_create(
            email="bo@example.org",
            full_name="Bo Both",
            roles=[Role.SERVICE_USER, Role.REPRESENTATIVE],
            password=PASSWORD,
        )
        client = client_for(both)
        assert "Who are you filling in" in client.get(reverse("saq:new")).content.decode()
        response = client.post(reverse("saq:new"), {"filling_in_for": "someone-else"})
        assert response["Location"] == reverse("saq:new-someone-else")
        refused = client.post(reverse("saq:new"), {"filling_in_for": "the-council"})
        assert refused.status_code == 200
        assert "Select who you are filling in the self-assessment for" in refused.content.decode()

    @pytest.mark.parametrize("staff", ["social_worker", "finance_lead", "administrator"])
    def test_staff_cannot_start_one_here(self, request, client_for, staff) -> None:
        client = client_for(request.getfixturevalue(staff))
        for name in ("saq:new", "saq:new-myself", "saq:new-someone-else"):
            assert client.get(reverse(name)).status_code == 403

    def test_a_representative_cannot_start_one_as_a_service_user(
        self, client_for, representative
    ) -> None:
        assert client_for(representative).get(reverse("saq:new-myself")).status_code == 403

    def test_a_service_user_cannot_act_for_someone_else(self, client_for, service_user) -> None:
        response = client_for(service_user).post(
            reverse("saq:new-someone-else"), {"full_name": "X", "relationship": "Y"}
        )
        assert response.status_code == 403
        assert not Person.objects.exists()

    def test_anonymous_visitors_are_sent_to_sign_in(self, client) -> None:
        for name in ("saq:new-myself", "saq:new-someone-else"):
            response = client.get(reverse(name))
            assert response["Location"] == sign_in_url_for(reverse(name))


class TestNewForMyself:
    def test_choosing_a_client_group_starts_the_assessment(
        self, client_for, questionnaire, service_user
    ) -> None:
        response = client_for(service_user).post(
            reverse("saq:new-myself"), {"client_group": "physical-disabilities"}
        )
        assessment = Assessment.objects.get()
        assert response["Location"] == page_url("saq:task-list", assessment)
        assert assessment.person.user == service_user
        assert assessment.client_group_code == "physical-disabilities"
        assert assessment.questionnaire_version == questionnaire
        assert assessment.started_by == service_user

    def test_it_asks_simply_and_says_a_social_worker_confirms_it(
        self, client_for, questionnaire, service_user
    ) -> None:
        page = client_for(service_user).get(reverse("saq:new-myself")).content.decode()
        for label in (
            "I am 65 or older",
            "I have a physical or sensory disability",
            "I have mental health needs",
            "I have a learning disability or autism",
        ):
            assert label in page
        assert "A social worker will check this with you later" in page

    @pytest.mark.parametrize("choice", ["", "children"])
    def test_without_a_valid_choice_nothing_starts(
        self, client_for, questionnaire, service_user, choice
    ) -> None:
        response = client_for(service_user).post(
            reverse("saq:new-myself"), {"client_group": choice}
        )
        assert response.status_code == 200
        assert "Select the description that fits you best" in response.content.decode()
        assert not Assessment.objects.exists()

    def test_an_assessment_in_progress_is_continued_rather_than_started_again(
        self, client_for, assessment, service_user
    ) -> None:
        response = client_for(service_user).get(reverse("saq:new-myself"))
        assert response["Location"] == page_url("saq:resume", assessment)
        assert Assessment.objects.count() == 1

    def test_after_sending_one_a_new_one_can_start(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, FULL_ANSWERS)
        assessment_submit(assessment=assessment, actor=service_user)
        client = client_for(service_user)
        assert client.get(reverse("saq:new-myself")).status_code == 200
        client.post(reverse("saq:new-myself"), {"client_group": "older-people"})
        assert Assessment.objects.filter(status=AssessmentStatus.IN_PROGRESS).count() == 1

    def test_without_a_published_questionnaire_it_says_so(self, client_for, service_user) -> None:
        response = client_for(service_user).get(reverse("saq:new-myself"))
        assert response.status_code == 503
        assert "cannot start a self-assessment at the moment" in response.content.decode()


class TestNewForSomeoneElse:
    def test_the_representative_names_the_person_and_their_relationship(
        self, client_for, questionnaire, representative
    ) -> None:
        response = client_for(representative).post(
            reverse("saq:new-someone-else"),
            {"full_name": " Ida  Represented ", "relationship": "My mother"},
        )
        assessment = Assessment.objects.get()
        assert response["Location"] == page_url("saq:client-group", assessment)
        assert assessment.person.full_name == "Ida Represented"
        assert assessment.person.user is None
        representation = Representation.objects.get()
        assert (representation.representative, representation.relationship) == (
            representative,
            "My mother",
        )

    def test_missing_details_are_asked_for_and_nothing_is_made(
        self, client_for, questionnaire, representative
    ) -> None:
        response = client_for(representative).post(
            reverse("saq:new-someone-else"), {"full_name": "", "relationship": ""}
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Enter the full name of the person you are filling this in for" in page
        assert "Enter how you know the person" in page
        assert not Person.objects.exists()
        assert not Assessment.objects.exists()


class TestCreateAccount:
    def test_it_creates_a_service_user_signs_them_in_and_continues(self, client) -> None:
        url = f"{reverse('saq:create-account')}?next={reverse('saq:new')}"
        response = client.post(url, {**NEW_ACCOUNT, "next": reverse("saq:new")})
        assert response["Location"] == reverse("saq:new")
        user = User.objects.get(email="nia@example.org")
        assert user.full_name == "Nia New-Person"
        assert user.roles == [Role.SERVICE_USER]
        assert user.check_password(NEW_ACCOUNT["password1"])
        assert client.session[SESSION_KEY] == str(user.pk)

    def test_filling_in_for_someone_else_makes_a_representative(self, client) -> None:
        client.post(
            reverse("saq:create-account"), {**NEW_ACCOUNT, "filling_in_for": "someone-else"}
        )
        assert User.objects.get(email="nia@example.org").roles == [Role.REPRESENTATIVE]

    def test_a_next_address_on_another_site_is_ignored(self, client) -> None:
        response = client.post(
            reverse("saq:create-account"), {**NEW_ACCOUNT, "next": "https://evil.example/"}
        )
        assert response["Location"] == reverse("saq:new")

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"full_name": ""}, "Enter your full name"),
            ({"email": ""}, "Enter your email address"),
            ({"email": "not-an-email"}, "Enter an email address in the correct format"),
            ({"email": "sam@example.org"}, "There is already an account with this email address"),
            ({"email": "SAM@example.org"}, "There is already an account with this email address"),
            ({"password1": "", "password2": ""}, "Create a password"),
            ({"password2": "a different passphrase"}, "The passwords do not match"),
            ({"password1": "short", "password2": "short"}, "too short"),
            ({"password1": "password1234", "password2": "password1234"}, "too common"),
            ({"password1": "849302716452", "password2": "849302716452"}, "entirely numeric"),
            ({"filling_in_for": ""}, "Select who you are filling in the self-assessment for"),
            ({"filling_in_for": "staff"}, "Select who you are filling in the self-assessment for"),
            ({"filling_in_for": "Social worker"}, "Select who you are"),
        ],
    )
    def test_bad_details_are_explained_and_no_account_is_made(
        self, client, service_user, change, message
    ) -> None:
        response = client.post(reverse("saq:create-account"), {**NEW_ACCOUNT, **change})
        page = response.content.decode()
        assert response.status_code == 200
        assert "<title>Error: Create an account" in page
        assert 'class="govuk-error-summary"' in page
        assert message in page
        assert User.objects.count() == 1  # only the existing service user
        assert SESSION_KEY not in client.session

    def test_a_password_like_the_name_is_refused(self, client) -> None:
        response = client.post(
            reverse("saq:create-account"),
            {
                **NEW_ACCOUNT,
                "email": "niamhwilliamson@example.org",
                "password1": "niamhwilliamson",
                "password2": "niamhwilliamson",
            },
        )
        assert "too similar" in response.content.decode()
        assert not User.objects.exists()

    def test_someone_signed_in_goes_straight_on(self, client_for, service_user) -> None:
        response = client_for(service_user).get(reverse("saq:create-account"))
        assert response["Location"] == reverse("saq:new")


class TestYourAssessments:
    def test_it_lists_the_service_users_own_with_what_they_can_do(
        self, client_for, assessment, service_user
    ) -> None:
        response = client_for(service_user).get(reverse("saq:mine"))
        page = response.content.decode()
        assert [row["assessment"] for row in response.context["rows"]] == [assessment]
        assert assessment.reference in page
        assert "In progress" in page
        assert page_url("saq:resume", assessment) in page

    def test_a_sent_assessment_links_to_its_result(
        self, client_for, assessment, service_user
    ) -> None:
        answer_all(assessment, service_user, FULL_ANSWERS)
        assessment_submit(assessment=assessment, actor=service_user)
        page = client_for(service_user).get(reverse("saq:mine")).content.decode()
        assert "Sent" in page
        assert page_url("assessment-budget:confirmation", assessment) in page

    def test_a_second_service_user_sees_none_of_them(
        self, client_for, assessment, second_service_user
    ) -> None:
        response = client_for(second_service_user).get(reverse("saq:mine"))
        assert response.context["rows"] == []
        assert assessment.reference not in response.content.decode()

    def test_a_representative_sees_those_of_people_they_help_only(
        self,
        client_for,
        assessment,
        represented_assessment,
        representative,
        second_representative,
    ) -> None:
        page = client_for(representative).get(reverse("saq:mine")).content.decode()
        assert represented_assessment.reference in page
        assert "Ida Represented" in page
        assert assessment.reference not in page
        other = client_for(second_representative).get(reverse("saq:mine"))
        assert other.context["rows"] == []

    def test_staff_are_refused_and_anonymous_visitors_sent_to_sign_in(
        self, client, client_for, finance_lead, team_manager
    ) -> None:
        assert client_for(finance_lead).get(reverse("saq:mine")).status_code == 403
        assert client_for(team_manager).get(reverse("saq:mine")).status_code == 403
        response = client.get(reverse("saq:mine"))
        assert response["Location"] == sign_in_url_for(reverse("saq:mine"))

    def test_a_social_worker_never_sees_a_list_of_everyones_assessments_here(
        self, client_for, assessment, social_worker
    ) -> None:
        response = client_for(social_worker).get(reverse("saq:mine"))
        assert response["Location"] == reverse("staff-assessments:list")
        assert assessment.reference not in response.content.decode()

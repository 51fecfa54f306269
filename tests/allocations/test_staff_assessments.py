"""Staff pages for assessments: who may open them, the check page, a worker's own view, and
starting an assessment with someone.

The person's budget (FULL_ANSWERS with the published older people's table): 34 points, band 2,
£3,000 + 14 x £260 = £6,640.00 full needs; a lot of help from family or friends, 25% =
£1,660.00; £4,980.00 a year, £95.77 a week.
"""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from allocations.budgets import assessment_submit_and_price
from allocations.models import IndicativeBudget
from questionnaires.loading import questionnaire_load
from questionnaires.models import (
    Answer,
    Assessment,
    Perspective,
    QuestionnaireStatus,
    QuestionnaireVersion,
)
from questionnaires.services import answer_save, assessment_start, worker_view_save
from ras.people.models import Person
from ras.people.services import person_create
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    FULL_ANSWERS,
    MINI_SAQ,
    answer_all,
    assessment,
    questionnaire,
    represented_assessment,
)

pytestmark = pytest.mark.django_db

SUBMITTED_AT = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)
REFUSED_ROLES = ["service_user", "representative", "finance_lead", "panel_member", "administrator"]


@pytest.fixture
def priced(assessment, service_user, published_version) -> IndicativeBudget:
    answer_all(assessment, service_user, FULL_ANSWERS)
    with time_machine.travel(SUBMITTED_AT, tick=False):
        _, budget = assessment_submit_and_price(assessment=assessment, actor=service_user)
    assert budget is not None
    return budget


@pytest.fixture
def current_saq(db, tmp_path) -> QuestionnaireVersion:
    """The mini questionnaire published as the council's SAQ, so new assessments take it."""
    saq_file = tmp_path / "saq.yaml"
    saq_file.write_text(MINI_SAQ.read_text().replace("code: mini\n", "code: saq\n", 1))
    return questionnaire_load(saq_file).version


def list_url() -> str:
    return reverse("staff-assessments:list")


def new_url() -> str:
    return reverse("staff-assessments:new")


def detail_url(assessment: Assessment) -> str:
    return reverse("staff-assessments:detail", kwargs={"public_id": assessment.public_id})


def journey_url(assessment: Assessment) -> str:
    return reverse("saq:resume", kwargs={"public_id": assessment.public_id})


def question_url(assessment: Assessment, code: str) -> str:
    return reverse(
        "staff-assessments:question", kwargs={"public_id": assessment.public_id, "code": code}
    )


def worker_views(assessment: Assessment) -> dict[str, str]:
    return dict(
        Answer.objects.filter(assessment=assessment, perspective=Perspective.WORKER).values_list(
            "question__code", "option__code"
        )
    )


def page_urls(assessment: Assessment) -> list[str]:
    return [
        list_url(),
        new_url(),
        detail_url(assessment),
        question_url(assessment, "washing"),
    ]


# Who may open the pages


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_everyone_but_social_workers_and_team_managers_is_refused_every_page(
    role, request, client_for, assessment
) -> None:
    client = client_for(request.getfixturevalue(role))
    for url in page_urls(assessment):
        assert client.get(url).status_code == 403, url
    response = client.post(question_url(assessment, "washing"), {"option": "on-my-own"})
    assert response.status_code == 403
    assert (
        client.post(new_url(), {"full_name": "Ann", "client_group": "older-people"}).status_code
        == 403
    )
    assert worker_views(assessment) == {}
    assert not Person.objects.filter(full_name="Ann").exists()


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page(client, assessment) -> None:
    for url in page_urls(assessment):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:sign-in")), url
    client.post(question_url(assessment, "washing"), {"option": "on-my-own"})
    assert worker_views(assessment) == {}


def test_a_team_manager_may_look_but_not_record_a_view_or_start_an_assessment(
    client_for, team_manager, priced, assessment
) -> None:
    client = client_for(team_manager)
    listing = client.get(list_url())
    assert listing.status_code == 200
    assert "Start an assessment with someone" not in listing.content.decode()
    check = client.get(detail_url(assessment))
    assert check.status_code == 200
    assert "Record your view" not in check.content.decode()
    assert client.get(question_url(assessment, "washing")).status_code == 403
    response = client.post(question_url(assessment, "washing"), {"option": "on-my-own"})
    assert response.status_code == 403
    assert worker_views(assessment) == {}
    assert client.get(new_url()).status_code == 403


def test_an_assessment_that_does_not_exist_is_not_found(client_for, social_worker) -> None:
    client = client_for(social_worker)
    missing = uuid.uuid4()
    assert client.get(f"{list_url()}{missing}/").status_code == 404
    assert client.get(f"{list_url()}{missing}/questions/washing/").status_code == 404


# The list


def test_the_list_shows_each_assessment_with_its_budget_when_priced(
    client_for, social_worker, priced, assessment, represented_assessment
) -> None:
    # Newest first: the in-progress one was started the day before the other was submitted.
    Assessment.objects.filter(pk=represented_assessment.pk).update(
        started_at=SUBMITTED_AT - datetime.timedelta(days=1)
    )
    response = client_for(social_worker).get(list_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Assessments – " in html
    assert "Start an assessment with someone" in html
    assert "2 assessments" in html
    assert assessment.reference in html
    assert represented_assessment.reference in html
    assert "Sam Service-User" in html
    assert "Ida Represented" in html
    assert "Older people" in html
    assert "24 Nov 2026" in html
    assert "£4,980.00" in html
    assert "Not priced" in html  # the represented one is in progress
    assert html.index(assessment.reference) < html.index(represented_assessment.reference)
    assert 'style="' not in html


def test_the_list_is_split_into_pages_of_fifty(client_for, social_worker, questionnaire) -> None:
    person = person_create(full_name="Many Times", actor=social_worker)
    for _ in range(51):
        assessment_start(actor=social_worker, person=person, questionnaire_version=questionnaire)
    client = client_for(social_worker)
    first = client.get(list_url()).content.decode()
    assert "51 assessments, page 1 of 2" in first
    assert first.count("Many Times") == 50
    assert 'rel="next"' in first
    second = client.get(list_url(), {"page": 2}).content.decode()
    assert second.count("Many Times") == 1
    assert 'rel="prev"' in second
    assert client.get(list_url(), {"page": "lots"}).status_code == 200


# The check page


def test_the_check_page_shows_the_budget_and_how_it_was_worked_out(
    client_for, social_worker, priced, assessment
) -> None:
    response = client_for(social_worker).get(detail_url(assessment))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>Assessment {assessment.reference} – " in html
    assert "Sam Service-User" in html
    assert "£4,980.00 a year" in html
    assert "£95.77 a week" in html
    assert "How we worked this out" in html
    assert "£3,000.00 + 14 × £260.00 = £6,640.00 a year." in html
    assert "No view recorded differs from the person’s answers." in html
    assert 'style="' not in html


def test_the_check_page_shows_every_answer_and_who_gave_it(
    client_for, social_worker, service_user, assessment
) -> None:
    with time_machine.travel(datetime.datetime(2026, 11, 20, 14, 30, tzinfo=datetime.UTC)):
        answer_save(
            assessment=assessment,
            question_code="washing",
            option_code="some-help",
            actor=service_user,
        )
        answer_save(
            assessment=assessment,
            question_code="dressing",
            option_code="on-my-own",
            actor=social_worker,
        )
    html = client_for(social_worker).get(detail_url(assessment)).content.decode()
    assert "How much help do you need to wash?" in html
    assert "I need some help (3 points)" in html
    assert "Answered by Sam Service-User (the person) on 20 November 2026 at 2:30pm" in html
    assert "Answered by Wendy Worker (social worker) on 20 November 2026 at 2:30pm" in html
    assert html.count("Not by the person") == 1
    assert "Not answered yet" in html
    assert "2 of 4" in html
    assert "The money effect of each difference is shown once" in html


def test_the_check_page_shows_the_money_effect_of_each_difference(
    client_for, social_worker, priced, assessment
) -> None:
    """Washing "all the time": 37 points, £7,420.00 - 25% = £5,565.00, £585.00 more.
    Meals "some help": 18 points, band 1, £2,700.00 - 25% = £2,025.00, £2,955.00 less.
    Both: 6 + 5 + 10 = 21 points, £3,260.00 - 25% £815.00 = £2,445.00, £2,535.00 less."""
    for question_code, option_code in {"washing": "all-the-time", "meals": "some-help"}.items():
        worker_view_save(
            assessment=assessment,
            question_code=question_code,
            option_code=option_code,
            actor=social_worker,
        )
    html = client_for(social_worker).get(detail_url(assessment)).content.decode()
    assert "The money effect of each difference" in html
    assert "£5,565.00" in html
    assert "£585.00 a year more" in html
    assert "£2,025.00" in html
    assert "£2,955.00 a year less" in html
    assert "With every view taken (21 points, band 2)" in html
    assert "£2,445.00" in html
    assert "£2,535.00 a year less" in html
    assert "Social worker’s view:</strong> I need help with this all the time (6 points)" in html
    assert html.count("Differs</strong>") == 2
    assert "Change your view" in html


def test_a_social_worker_is_offered_the_journey_for_an_assessment_in_progress(
    client_for, social_worker, team_manager, assessment
) -> None:
    html = client_for(social_worker).get(detail_url(assessment)).content.decode()
    assert f'href="{journey_url(assessment)}"' in html
    assert "Fill in the questions with Sam Service-User" in html
    manager_html = client_for(team_manager).get(detail_url(assessment)).content.decode()
    assert "Fill in the questions" not in manager_html


# Recording a worker's own view


def test_the_question_page_shows_the_persons_answer_and_the_options(
    client_for, social_worker, priced, assessment
) -> None:
    response = client_for(social_worker).get(question_url(assessment, "washing"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Your view: How much help do you need to wash? – " in html
    assert "Sam Service-User’s answer: <strong>I need some help (3 points)" in html
    assert 'value="all-the-time"' in html
    assert "6 points" in html
    assert " checked" not in html


def test_a_social_worker_records_a_view_and_the_persons_answer_stays(
    client_for, social_worker, priced, assessment
) -> None:
    client = client_for(social_worker)
    response = client.post(question_url(assessment, "washing"), {"option": "all-the-time"})
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(assessment)}#question-washing"
    assert worker_views(assessment) == {"washing": "all-the-time"}
    view = Answer.objects.get(assessment=assessment, perspective=Perspective.WORKER)
    assert view.answered_by == social_worker
    person_answer = Answer.objects.get(
        assessment=assessment, perspective=Perspective.PERSON, question__code="washing"
    )
    assert person_answer.option.code == "some-help"
    assert IndicativeBudget.objects.get().indicative_annual_pence == 498_000
    followed = client.get(response["Location"]).content.decode()
    assert "Your view of “How much help do you need to wash?” has been saved." in followed
    again = client.get(question_url(assessment, "washing")).content.decode()
    assert 'value="all-the-time" checked' in again


def test_a_view_can_be_changed(client_for, social_worker, assessment) -> None:
    client = client_for(social_worker)
    client.post(question_url(assessment, "meals"), {"option": "some-help"})
    client.post(question_url(assessment, "meals"), {"option": "on-my-own"})
    assert worker_views(assessment) == {"meals": "on-my-own"}


def test_a_view_of_the_carer_question_shows_no_points(
    client_for, social_worker, assessment
) -> None:
    html = client_for(social_worker).get(question_url(assessment, "carer-help")).content.decode()
    assert 'value="substantial"' in html
    assert "point" not in html.split("<form", 1)[1]


def test_saving_without_choosing_is_refused_with_an_error(
    client_for, social_worker, assessment
) -> None:
    response = client_for(social_worker).post(question_url(assessment, "washing"), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Your view: How much help do you need to wash? – " in html
    assert 'href="#id_option">Select your view of how much help the person needs' in html
    assert 'id="id_option-error"' in html
    assert worker_views(assessment) == {}


@pytest.mark.parametrize("option_code", ["substantial", "no-such-answer", ""])
def test_an_option_of_another_question_is_refused_and_nothing_is_saved(
    client_for, social_worker, assessment, option_code
) -> None:
    response = client_for(social_worker).post(
        question_url(assessment, "washing"), {"option": option_code}
    )
    assert response.status_code == 400
    assert worker_views(assessment) == {}


def test_a_tampered_option_is_told_to_pick_one_shown(client_for, social_worker, assessment) -> None:
    response = client_for(social_worker).post(
        question_url(assessment, "washing"), {"option": "substantial"}
    )
    assert "Select one of the answers shown" in response.content.decode()


def test_a_question_of_another_questionnaire_is_not_found(
    client_for, social_worker, assessment
) -> None:
    response = client_for(social_worker).get(question_url(assessment, "no-such-question"))
    assert response.status_code == 404


# Starting an assessment with someone


def test_the_start_page_asks_for_a_name_and_a_client_group(client_for, social_worker) -> None:
    response = client_for(social_worker).get(new_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Start an assessment with someone – " in html
    assert 'name="full_name"' in html
    assert 'value="older-people"' in html


def test_a_social_worker_starts_an_assessment_with_a_new_person(
    client_for, social_worker, current_saq
) -> None:
    response = client_for(social_worker).post(
        new_url(), {"full_name": "  Ann Assisted  ", "client_group": "older-people"}
    )
    person = Person.objects.get(full_name="Ann Assisted")
    assert person.user is None
    started = Assessment.objects.get(person=person)
    assert started.started_by == social_worker
    assert started.client_group_code == "older-people"
    assert started.questionnaire_version == current_saq
    assert response.status_code == 302
    assert response["Location"] == journey_url(started)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, ["Enter the person’s full name", "Select who the support is for"]),
        ({"full_name": "   ", "client_group": "older-people"}, ["Enter the person’s full name"]),
        (
            {"full_name": "A" * 201, "client_group": "older-people"},
            ["Full name must be 200 characters or fewer"],
        ),
        (
            {"full_name": "Ann", "client_group": "no-such-group"},
            ["Select who the support is for from the list"],
        ),
    ],
)
def test_a_bad_start_is_refused_with_errors_and_nothing_is_made(
    client_for, social_worker, current_saq, data, errors
) -> None:
    response = client_for(social_worker).post(new_url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: Start an assessment with someone – " in html
    for error in errors:
        assert error in html
    assert not Person.objects.exists()
    assert not Assessment.objects.exists()


def test_without_a_published_questionnaire_no_person_is_left_behind(
    client_for, social_worker, db
) -> None:
    assert not QuestionnaireVersion.objects.filter(status=QuestionnaireStatus.PUBLISHED).exists()
    response = client_for(social_worker).post(
        new_url(), {"full_name": "Ann Assisted", "client_group": "older-people"}
    )
    assert response.status_code == 400
    assert "No self-assessment questionnaire is published yet" in response.content.decode()
    assert not Person.objects.exists()


# The service behind it


def test_only_a_social_worker_may_add_a_person(service_user, team_manager, representative) -> None:
    for actor in (service_user, team_manager, representative):
        with pytest.raises(PermissionDenied):
            person_create(full_name="Ann Assisted", actor=actor)
    assert not Person.objects.exists()


def test_a_person_needs_a_name_of_200_characters_or_fewer(social_worker) -> None:
    with pytest.raises(ValidationError, match="Enter the person’s full name"):
        person_create(full_name="  ", actor=social_worker)
    with pytest.raises(ValidationError, match="200 characters or fewer"):
        person_create(full_name="A" * 201, actor=social_worker)
    assert person_create(full_name=" Ann ", actor=social_worker).full_name == "Ann"


def test_the_check_page_reads_a_fixed_number_of_queries(
    client_for, social_worker, priced, assessment, django_assert_max_num_queries
) -> None:
    for question_code in ("washing", "dressing", "meals", "carer-help"):
        worker_view_save(
            assessment=assessment,
            question_code=question_code,
            option_code="on-my-own" if question_code != "carer-help" else "none",
            actor=social_worker,
        )
    client = client_for(social_worker)
    # Sign-in, roles, the questions, both sets of answers, the budget and its table: a fixed
    # number, however many questions and answers there are.
    with django_assert_max_num_queries(30):
        assert client.get(detail_url(assessment)).status_code == 200

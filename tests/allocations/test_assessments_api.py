"""The self-assessment API: every endpoint, who may use it, and every refusal.

The mini questionnaire scores washing 0/3/6, dressing 0/2/5 and meals 0/10/26; the carer
question scores nothing. The published older people's table: band 1 0-19 points £0 + £150 a
point; band 2 20-49 points £3,000 + £260 a point; band 3 50-89 points £10,800 + £285 a point.
Carer reductions: none 0%, some 10%, substantial 25%, most 40%.
"""

import datetime
import uuid

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from allocations.models import IndicativeBudget
from questionnaires.loading import questionnaire_load
from questionnaires.models import Answer, Assessment, AssessmentStatus, QuestionnaireVersion
from questionnaires.services import assessment_start, person_for_service_user
from ras.people.models import Person, Representation
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    FULL_ANSWERS,
    MINI_SAQ,
    answer_all,
    assessment,
    questionnaire,
    represented_assessment,
)

pytestmark = [pytest.mark.django_db]

SUBMITTED_AT = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)
STAFF_ROLES = ["social_worker", "team_manager", "finance_lead", "panel_member", "administrator"]


@pytest.fixture
def current_saq(db, tmp_path) -> QuestionnaireVersion:
    """The mini questionnaire published as the council's SAQ, so new assessments take it."""
    saq_file = tmp_path / "saq.yaml"
    saq_file.write_text(MINI_SAQ.read_text().replace("code: mini\n", "code: saq\n", 1))
    return questionnaire_load(saq_file).version


@pytest.fixture
def second_representative(db):
    from ras.accounts.roles import Role
    from tests.conftest import make_user

    return make_user(Role.REPRESENTATIVE, "ray@example.org", "Ray Second-Representative")


def questionnaire_url() -> str:
    return reverse("assessments-api:questionnaire-current")


def list_url() -> str:
    return reverse("assessments-api:assessment-list")


def detail_url(assessment: Assessment) -> str:
    return reverse("assessments-api:assessment-detail", args=[assessment.public_id])


def answer_url(assessment: Assessment, question_code: str) -> str:
    return reverse("assessments-api:assessment-answer", args=[assessment.public_id, question_code])


def answers_url(assessment: Assessment) -> str:
    return reverse("assessments-api:assessment-answers", args=[assessment.public_id])


def submit_url(assessment: Assessment) -> str:
    return reverse("assessments-api:assessment-submit", args=[assessment.public_id])


def put(client: Client, url: str, data: dict):
    return client.put(url, data, content_type="application/json")


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


def saved_answers(assessment: Assessment) -> dict[str, str]:
    return dict(
        Answer.objects.filter(assessment=assessment, perspective="person").values_list(
            "question__code", "option__code"
        )
    )


def revision(assessment: Assessment) -> int:
    return Assessment.objects.get(pk=assessment.pk).answers_revision


# The questionnaire


def test_anyone_may_read_the_published_questionnaire(client, current_saq) -> None:
    response = client.get(questionnaire_url())
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["number"]) == ("saq", 1)
    assert [domain["code"] for domain in body["domains"]] == [
        "personal-care",
        "eating",
        "family-and-friends",
    ]
    washing = body["domains"][0]["questions"][0]
    assert washing["code"] == "washing"
    assert washing["text"] == "How much help do you need to wash?"
    assert washing["is_carer_question"] is False
    assert [(option["code"], option["points"]) for option in washing["options"]] == [
        ("on-my-own", 0),
        ("some-help", 3),
        ("all-the-time", 6),
    ]
    assert washing["options"][1]["label"] == "I need some help"
    carer = body["domains"][2]["questions"][0]
    assert carer["is_carer_question"] is True
    assert [option["carer_level"] for option in carer["options"]] == [
        "none",
        "some",
        "substantial",
        "most",
    ]


def test_without_a_published_questionnaire_there_is_none_to_read(client, db) -> None:
    assert client.get(questionnaire_url()).status_code == 404


# Starting an assessment


def test_a_service_user_starts_an_assessment_for_themselves(
    client_for, service_user, current_saq
) -> None:
    response = post(client_for(service_user), list_url(), {"client_group": "older-people"})
    assert response.status_code == 201
    body = response.json()
    started = Assessment.objects.get(public_id=body["public_id"])
    assert started.person.user == service_user
    assert started.questionnaire_version == current_saq
    assert started.client_group_code == "older-people"
    assert body["status"] == "in_progress"
    assert body["answers_revision"] == 0
    assert body["answers"] == []
    assert body["budget"] is None
    assert body["reference"] == started.reference


def test_a_representative_starts_an_assessment_for_someone_new(
    client_for, representative, current_saq
) -> None:
    response = post(
        client_for(representative),
        list_url(),
        {
            "client_group": "older-people",
            "person": {"full_name": "Ida Represented", "relationship": "My mother"},
        },
    )
    assert response.status_code == 201
    person = Person.objects.get(full_name="Ida Represented")
    assert person.user is None
    assert Representation.objects.get(person=person).representative == representative
    assert Representation.objects.get(person=person).relationship == "My mother"
    assert response.json()["person"] == {
        "public_id": str(person.public_id),
        "full_name": "Ida Represented",
    }


def test_a_representative_starts_another_for_someone_they_act_for(
    client_for, representative, represented_assessment, current_saq
) -> None:
    person = represented_assessment.person
    response = post(
        client_for(representative),
        list_url(),
        {"client_group": "older-people", "person_id": str(person.public_id)},
    )
    assert response.status_code == 201
    assert Assessment.objects.filter(person=person).count() == 2
    assert Person.objects.count() == 1


def test_a_representative_cannot_name_someone_they_do_not_act_for(
    client_for, second_representative, represented_assessment, current_saq
) -> None:
    response = post(
        client_for(second_representative),
        list_url(),
        {
            "client_group": "older-people",
            "person_id": str(represented_assessment.person.public_id),
        },
    )
    assert response.status_code == 400
    assert response.json() == {"person_id": ["No person you act for has this id."]}
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "data", "field"),
    [
        ("service_user", {}, "client_group"),
        ("service_user", {"client_group": "no-such-group"}, "client_group"),
        (
            "service_user",
            {"client_group": "older-people", "person": {"full_name": "A", "relationship": "B"}},
            "person",
        ),
        ("representative", {"client_group": "older-people"}, "person"),
        ("representative", {"client_group": "older-people", "person": {}}, "person"),
        (
            "representative",
            {"client_group": "older-people", "person_id": "not-a-uuid"},
            "person_id",
        ),
        (
            "representative",
            {"client_group": "older-people", "person_id": str(uuid.uuid4())},
            "person_id",
        ),
    ],
)
def test_a_bad_start_is_refused_and_makes_nothing(
    request, client_for, current_saq, role, data, field
) -> None:
    response = post(client_for(request.getfixturevalue(role)), list_url(), data)
    assert response.status_code == 400
    assert field in response.json()
    assert not Assessment.objects.exists()
    assert not Person.objects.exclude(user__isnull=False).exists()


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_do_not_start_assessments_here(request, client_for, current_saq, role) -> None:
    response = post(
        client_for(request.getfixturevalue(role)), list_url(), {"client_group": "older-people"}
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_anonymous_callers_are_refused_everything(client, assessment) -> None:
    assert post(client, list_url(), {"client_group": "older-people"}).status_code == 403
    assert client.get(list_url()).status_code == 403
    assert client.get(detail_url(assessment)).status_code == 403
    assert (
        put(client, answer_url(assessment, "washing"), {"option": "on-my-own"}).status_code == 403
    )
    assert post(client, submit_url(assessment)).status_code == 403
    assert saved_answers(assessment) == {}


def test_without_a_published_questionnaire_nothing_can_start(client_for, representative) -> None:
    response = post(
        client_for(representative),
        list_url(),
        {"client_group": "older-people", "person": {"full_name": "Ida", "relationship": "Aunt"}},
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "No self-assessment questionnaire is published yet."
    assert not Person.objects.exists()


# Listing and reading


def test_each_person_lists_only_their_own_assessments(
    client_for,
    service_user,
    second_service_user,
    representative,
    second_representative,
    assessment,
    represented_assessment,
) -> None:
    def listed(user) -> list[str]:
        response = client_for(user).get(list_url())
        assert response.status_code == 200
        return [row["reference"] for row in response.json()]

    assert listed(service_user) == [assessment.reference]
    assert listed(representative) == [represented_assessment.reference]
    assert listed(second_service_user) == []
    assert listed(second_representative) == []


def test_case_staff_list_every_assessment_and_finance_leads_none(
    client_for, social_worker, finance_lead, administrator, assessment, represented_assessment
) -> None:
    response = client_for(social_worker).get(list_url())
    assert {row["reference"] for row in response.json()} == {
        assessment.reference,
        represented_assessment.reference,
    }
    assert client_for(finance_lead).get(list_url()).status_code == 403
    assert client_for(administrator).get(list_url()).status_code == 403


def test_the_detail_shows_the_answers_and_the_revision(
    client_for, service_user, assessment
) -> None:
    answer_all(assessment, service_user, {"washing": "some-help", "meals": "on-my-own"})
    response = client_for(service_user).get(detail_url(assessment))
    assert response.status_code == 200
    body = response.json()
    assert body["answers_revision"] == 2
    assert body["resume_question_code"] == "meals"
    assert [(a["question"], a["option"], a["points"]) for a in body["answers"]] == [
        ("washing", "some-help", 3),
        ("meals", "on-my-own", 0),
    ]
    assert body["answers"][0]["answered_by"] == "Sam Service-User"
    assert body["answers"][0]["option_label"] == "I need some help"


@pytest.mark.parametrize("role", ["second_service_user", "second_representative"])
def test_someone_elses_assessment_does_not_exist_for_them(
    request, client_for, assessment, represented_assessment, role
) -> None:
    client = client_for(request.getfixturevalue(role))
    for target in (assessment, represented_assessment):
        assert client.get(detail_url(target)).status_code == 404
        response = put(client, answer_url(target, "washing"), {"option": "on-my-own"})
        assert response.status_code == 404
        assert post(client, answers_url(target), {"answers": []}).status_code == 404
        assert post(client, submit_url(target)).status_code == 404
        assert saved_answers(target) == {}


def test_a_representative_reads_the_assessment_of_the_person_they_act_for(
    client_for, representative, represented_assessment
) -> None:
    response = client_for(representative).get(detail_url(represented_assessment))
    assert response.status_code == 200
    assert response.json()["person"]["full_name"] == "Ida Represented"


def test_an_unknown_assessment_is_not_found(client_for, service_user) -> None:
    response = client_for(service_user).get(f"{list_url()}{uuid.uuid4()}/")
    assert response.status_code == 404


def test_a_finance_lead_may_not_read_an_assessment(client_for, finance_lead, assessment) -> None:
    assert client_for(finance_lead).get(detail_url(assessment)).status_code == 403


# Answering one question


def test_an_answer_is_saved_at_once_and_the_revision_goes_up(
    client_for, service_user, assessment
) -> None:
    response = put(
        client_for(service_user), answer_url(assessment, "washing"), {"option": "some-help"}
    )
    assert response.status_code == 200
    assert response.json()["answers_revision"] == 1
    assert saved_answers(assessment) == {"washing": "some-help"}


def test_an_answer_with_the_revision_read_is_saved(client_for, service_user, assessment) -> None:
    client = client_for(service_user)
    put(client, answer_url(assessment, "washing"), {"option": "some-help"})
    response = put(
        client, answer_url(assessment, "washing"), {"option": "on-my-own", "answers_revision": 1}
    )
    assert response.status_code == 200
    assert response.json()["answers_revision"] == 2
    assert saved_answers(assessment) == {"washing": "on-my-own"}


def test_an_answer_from_an_older_page_is_refused_with_the_latest_revision(
    client_for, service_user, assessment
) -> None:
    client = client_for(service_user)
    put(client, answer_url(assessment, "washing"), {"option": "some-help"})
    put(client, answer_url(assessment, "dressing"), {"option": "some-help"})
    response = put(
        client, answer_url(assessment, "washing"), {"option": "on-my-own", "answers_revision": 1}
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Your answers were changed in another window after you opened this page.",
        "answers_revision": 2,
    }
    assert saved_answers(assessment) == {"washing": "some-help", "dressing": "some-help"}
    assert revision(assessment) == 2


@pytest.mark.parametrize(
    "data",
    [
        {"option": "substantial"},  # an option of the carer question
        {"option": "no-such-answer"},
        {"option": ""},
        {},
        {"option": "on-my-own", "answers_revision": -1},
        {"option": "on-my-own", "answers_revision": "latest"},
    ],
)
def test_a_tampered_or_malformed_answer_is_refused_and_nothing_is_saved(
    client_for, service_user, assessment, data
) -> None:
    response = put(client_for(service_user), answer_url(assessment, "washing"), data)
    assert response.status_code == 400
    assert saved_answers(assessment) == {}
    assert revision(assessment) == 0


def test_a_tampered_option_names_the_question(client_for, service_user, assessment) -> None:
    response = put(
        client_for(service_user), answer_url(assessment, "washing"), {"option": "substantial"}
    )
    assert response.json() == {
        "option": ["'substantial' is not one of the answers to this question."]
    }


def test_a_question_of_another_questionnaire_is_not_found(
    client_for, service_user, assessment
) -> None:
    response = put(
        client_for(service_user), answer_url(assessment, "no-such-question"), {"option": "x"}
    )
    assert response.status_code == 404


def test_a_submitted_assessment_cannot_be_answered_again(
    client_for, service_user, assessment, published_version
) -> None:
    answer_all(assessment, service_user, FULL_ANSWERS)
    client = client_for(service_user)
    post(client, submit_url(assessment))
    response = put(client, answer_url(assessment, "washing"), {"option": "on-my-own"})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This assessment has been submitted, so its answers cannot change."
    )
    assert saved_answers(assessment)["washing"] == "some-help"


def test_a_social_worker_may_answer_with_the_person_but_a_team_manager_may_not(
    client_for, social_worker, team_manager, assessment
) -> None:
    response = put(
        client_for(social_worker), answer_url(assessment, "washing"), {"option": "all-the-time"}
    )
    assert response.status_code == 200
    assert response.json()["answers"][0]["answered_by"] == "Wendy Worker"
    response = put(
        client_for(team_manager), answer_url(assessment, "washing"), {"option": "on-my-own"}
    )
    assert response.status_code == 403
    assert saved_answers(assessment) == {"washing": "all-the-time"}


# Answering many questions at once


def test_many_answers_are_saved_together(client_for, service_user, assessment) -> None:
    response = post(
        client_for(service_user),
        answers_url(assessment),
        {
            "answers": [
                {"question": "washing", "option": "some-help"},
                {"question": "carer-help", "option": "substantial"},
            ],
            "answers_revision": 0,
        },
    )
    assert response.status_code == 200
    assert response.json()["answers_revision"] == 2
    assert saved_answers(assessment) == {"washing": "some-help", "carer-help": "substantial"}


def test_one_bad_answer_among_many_is_named_and_none_is_saved(
    client_for, service_user, assessment
) -> None:
    response = post(
        client_for(service_user),
        answers_url(assessment),
        {
            "answers": [
                {"question": "washing", "option": "some-help"},
                {"question": "dressing", "option": "substantial"},
                {"question": "no-such-question", "option": "on-my-own"},
            ]
        },
    )
    assert response.status_code == 400
    # Refusals are keyed by the position of the answer in the list sent, counting from 0.
    assert response.json() == {
        "answers": {
            "1": {"option": ["'substantial' is not one of the answers to question 'dressing'."]},
            "2": {"question": ["'no-such-question' is not a question of this questionnaire."]},
        }
    }
    assert saved_answers(assessment) == {}
    assert revision(assessment) == 0


@pytest.mark.parametrize(
    "data",
    [
        {"answers": []},
        {},
        {"answers": [{"question": "washing"}]},
        {
            "answers": [
                {"question": "washing", "option": "some-help"},
                {"question": "washing", "option": "on-my-own"},
            ]
        },
    ],
)
def test_malformed_many_answers_are_refused(client_for, service_user, assessment, data) -> None:
    response = post(client_for(service_user), answers_url(assessment), data)
    assert response.status_code == 400
    assert "answers" in response.json()
    assert saved_answers(assessment) == {}


def test_many_answers_from_an_older_page_are_refused_and_none_is_saved(
    client_for, service_user, assessment
) -> None:
    client = client_for(service_user)
    put(client, answer_url(assessment, "washing"), {"option": "some-help"})
    response = post(
        client,
        answers_url(assessment),
        {
            "answers": [
                {"question": "washing", "option": "on-my-own"},
                {"question": "meals", "option": "on-my-own"},
            ],
            "answers_revision": 0,
        },
    )
    assert response.status_code == 409
    assert response.json()["answers_revision"] == 1
    assert saved_answers(assessment) == {"washing": "some-help"}


def test_many_answers_to_a_submitted_assessment_are_refused(
    client_for, service_user, assessment, published_version
) -> None:
    answer_all(assessment, service_user, FULL_ANSWERS)
    client = client_for(service_user)
    post(client, submit_url(assessment))
    response = post(
        client, answers_url(assessment), {"answers": [{"question": "meals", "option": "on-my-own"}]}
    )
    assert response.status_code == 409
    assert saved_answers(assessment)["meals"] == "all-the-time"


# Submitting


def test_submitting_with_unanswered_questions_lists_them(
    client_for, service_user, assessment
) -> None:
    client = client_for(service_user)
    put(client, answer_url(assessment, "dressing"), {"option": "some-help"})
    response = post(client, submit_url(assessment))
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Answer every question before you submit.",
        "unanswered": [
            {"code": "washing", "text": "How much help do you need to wash?"},
            {"code": "meals", "text": "How much help do you need to make a meal?"},
            {
                "code": "carer-help",
                "text": "How much of the help you need do family or friends give you today?",
            },
        ],
    }
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.IN_PROGRESS


def test_submitting_without_a_client_group_is_refused(
    client_for, service_user, questionnaire
) -> None:
    without_group = assessment_start(
        actor=service_user,
        person=person_for_service_user(service_user),
        questionnaire_version=questionnaire,
    )
    answer_all(without_group, service_user, FULL_ANSWERS)
    response = post(client_for(service_user), submit_url(without_group))
    assert response.status_code == 400
    assert response.json()["detail"] == "Choose who the support is for before you submit"


@time_machine.travel(SUBMITTED_AT, tick=False)
def test_submitting_prices_the_assessment_at_once(
    client_for, service_user, assessment, published_version
) -> None:
    """34 points is in band 2 (20-49): £3,000 + (34 - 20) x £260 = £6,640.00 full needs.
    A lot of help from family or friends: 25% of £6,640.00 = £1,660.00.
    Indicative: £6,640.00 - £1,660.00 = £4,980.00 a year; £4,980.00 / 52 = £95.769... = £95.77."""
    answer_all(assessment, service_user, FULL_ANSWERS)
    response = post(client_for(service_user), submit_url(assessment))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    budget = body["budget"]
    assert budget["total_points"] == 34
    assert budget["domain_points"] == [
        {"domain": "personal-care", "title": "Looking after yourself", "points": 8},
        {"domain": "eating", "title": "Eating and drinking", "points": 26},
    ]
    assert budget["band"] == {
        "position": 2,
        "min_points": 20,
        "max_points": 49,
        "base_pence": 300_000,
        "per_point_pence": 26_000,
    }
    assert budget["above_table"] is False
    assert budget["full_needs_annual_pence"] == 664_000
    assert budget["carer_level"] == "substantial"
    assert budget["carer_reduction_bp"] == 2_500
    assert budget["carer_adjustment_pence"] == 166_000
    assert budget["indicative_annual_pence"] == 498_000
    assert budget["indicative_weekly_pence"] == 9_577
    assert budget["table_version"] == {
        "id": published_version.pk,
        "label": "2026 to 2027",
        "client_group": "older-people",
        "effective_from": "2026-04-01",
    }
    assert budget["priced_on"] == "2026-11-24"
    assert budget["steps"] == IndicativeBudget.objects.get().steps
    assert any("Band 2" in step for step in budget["steps"])
    assert budget["explanation"]["calculation_sentence"].endswith(
        "so: £3,000.00 + 14 × £260.00 = £6,640.00 a year."
    )
    assert budget["explanation"]["indicative_weekly"] == "£95.77"


def test_submitting_twice_returns_the_same_result_and_makes_one_submission(
    client_for, service_user, assessment, published_version
) -> None:
    answer_all(assessment, service_user, FULL_ANSWERS)
    client = client_for(service_user)
    first = post(client, submit_url(assessment))
    second = post(client, submit_url(assessment))
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert IndicativeBudget.objects.count() == 1
    assert Assessment.objects.get(pk=assessment.pk).submitted_by == service_user


def test_without_a_table_in_force_the_submission_stands_with_no_budget(
    client_for, service_user, questionnaire
) -> None:
    no_table = assessment_start(
        actor=service_user,
        person=person_for_service_user(service_user),
        client_group_code="mental-health",
        questionnaire_version=questionnaire,
    )
    answer_all(no_table, service_user, FULL_ANSWERS)
    response = post(client_for(service_user), submit_url(no_table))
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"
    assert response.json()["budget"] is None


def test_a_representative_submits_for_the_person_they_act_for(
    client_for, representative, represented_assessment, published_version
) -> None:
    answer_all(represented_assessment, representative, FULL_ANSWERS)
    response = post(client_for(representative), submit_url(represented_assessment))
    assert response.status_code == 200
    assert response.json()["budget"]["indicative_annual_pence"] == 498_000


def test_a_finance_lead_may_not_submit(client_for, finance_lead, assessment) -> None:
    assert post(client_for(finance_lead), submit_url(assessment)).status_code == 403


# The schema


def test_the_schema_lists_the_assessment_endpoints(client: Client) -> None:
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/questionnaires/current/",
        "/api/assessments/",
        "/api/assessments/{public_id}/",
        "/api/assessments/{public_id}/answers/",
        "/api/assessments/{public_id}/answers/{question_code}/",
        "/api/assessments/{public_id}/submit/",
    } <= set(paths)
    assert set(paths["/api/assessments/"]) == {"get", "post"}
    assert set(paths["/api/assessments/{public_id}/answers/{question_code}/"]) == {"put"}
    assert (
        "409" in paths["/api/assessments/{public_id}/answers/{question_code}/"]["put"]["responses"]
    )


def test_the_whole_schema_is_generated_without_warnings_and_is_valid() -> None:
    """With the assessment endpoints mounted beside every other: no name clashes either."""
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(urlconf="ras.urls").get_schema(request=None, public=True)
    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    assert warnings == {}
    assert errors == {}
    validate_schema(schema)

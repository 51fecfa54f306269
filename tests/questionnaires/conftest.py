"""A small published questionnaire (3 scored questions and the carer question) and assessments.

Points: washing 0/3/6, dressing 0/2/5, meals 0/10/26; the most anyone can score is 37.
"""

from pathlib import Path

import pytest

from questionnaires.loading import questionnaire_load
from questionnaires.models import Assessment, QuestionnaireVersion
from questionnaires.services import (
    answer_save,
    assessment_start,
    person_add_for_representative,
    person_for_service_user,
)
from ras.accounts.models import User
from tests.allocations.conftest import older_people, published_version

__all__ = ["older_people", "published_version"]  # fixtures shared with the allocation tests

MINI_SAQ = Path(__file__).parent / "data" / "mini-saq.yaml"


@pytest.fixture
def questionnaire(db: None) -> QuestionnaireVersion:
    return questionnaire_load(MINI_SAQ).version


@pytest.fixture
def assessment(questionnaire: QuestionnaireVersion, service_user: User) -> Assessment:
    return assessment_start(
        actor=service_user,
        person=person_for_service_user(service_user),
        client_group_code="older-people",
        questionnaire_version=questionnaire,
    )


@pytest.fixture
def represented_assessment(questionnaire: QuestionnaireVersion, representative: User) -> Assessment:
    person = person_add_for_representative(
        representative=representative, full_name="Ida Represented", relationship="My mother"
    )
    return assessment_start(
        actor=representative,
        person=person,
        client_group_code="older-people",
        questionnaire_version=questionnaire,
    )


def answer_all(assessment: Assessment, actor: User, choices: dict[str, str]) -> None:
    for question_code, option_code in choices.items():
        answer_save(
            assessment=assessment,
            question_code=question_code,
            option_code=option_code,
            actor=actor,
        )


# 3 + 5 + 26 = 34 points; a lot of help from family or friends.
FULL_ANSWERS = {
    "washing": "some-help",
    "dressing": "all-the-time",
    "meals": "all-the-time",
    "carer-help": "substantial",
}

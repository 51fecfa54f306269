from pathlib import Path

import pytest
import yaml
from django.db import IntegrityError, connection, transaction

from questionnaires.loading import QuestionnaireFileInvalid, questionnaire_load
from questionnaires.models import Option, Question, QuestionnaireStatus
from tests.questionnaires.conftest import MINI_SAQ

pytestmark = pytest.mark.django_db

SAQ = Path(__file__).resolve().parents[2] / "questionnaires" / "data" / "saq-v1.yaml"


def test_loading_publishes_every_domain_question_and_option(questionnaire) -> None:
    assert questionnaire.status == QuestionnaireStatus.PUBLISHED
    assert [d.code for d in questionnaire.domains.all()] == [
        "personal-care",
        "eating",
        "family-and-friends",
    ]
    assert Question.objects.filter(version=questionnaire).count() == 4
    carer = Question.objects.get(version=questionnaire, is_carer_question=True)
    assert [o.carer_level for o in carer.options.all()] == ["none", "some", "substantial", "most"]


def test_loading_the_same_file_again_changes_nothing(questionnaire) -> None:
    outcome = questionnaire_load(MINI_SAQ)
    assert outcome.created is False
    assert outcome.version == questionnaire


def test_a_changed_file_under_a_published_number_is_refused(questionnaire, tmp_path) -> None:
    changed = tmp_path / "mini.yaml"
    changed.write_text(MINI_SAQ.read_text().replace("points: 26", "points: 27"))
    with pytest.raises(QuestionnaireFileInvalid, match="new version number"):
        questionnaire_load(changed)
    assert Option.objects.filter(points=26).exists()


def test_the_database_refuses_to_change_a_published_question(questionnaire) -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE questionnaires_option SET points = 99")


def test_a_file_with_problems_lists_them_all_and_loads_nothing(tmp_path) -> None:
    data = yaml.safe_load(MINI_SAQ.read_text())
    data["domains"][0]["questions"][1]["code"] = "washing"  # the same code twice
    data["domains"][0]["questions"][0]["options"][1]["points"] = -1
    data["domains"][2]["questions"][0]["options"].pop()  # carer level 'most' missing
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data))
    with pytest.raises(QuestionnaireFileInvalid) as refused:
        questionnaire_load(broken)
    assert len(refused.value.problems) == 3
    assert not Question.objects.exists()


def test_the_councils_saq_follows_the_rules() -> None:
    """About ten domains, 25-35 questions with 3-5 options from 'I manage this on my own' to
    'I need help with this all the time', and one carer question."""
    outcome = questionnaire_load(SAQ)
    questions = Question.objects.filter(version=outcome.version).prefetch_related("options")
    scored = [q for q in questions if not q.is_carer_question]
    assert 10 <= outcome.version.domains.count() <= 12
    assert 25 <= len(scored) <= 35
    for question in scored:
        labels = [option.label for option in question.options.all()]
        assert 3 <= len(labels) <= 5, question.code
        assert labels[0] == "I manage this on my own"
        assert labels[-1] == "I need help with this all the time"
    assert sum(1 for q in questions if q.is_carer_question) == 1

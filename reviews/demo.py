"""Demonstration assessments: the demo service user's submitted and priced self-assessment,
waiting for the demo social worker, and a representative's half-finished one. Safe to rerun."""

import itertools

from django.db import transaction

from allocations.budgets import assessment_submit_and_price
from questionnaires.loading import questionnaire_load
from questionnaires.management.commands.load_questionnaire import DEFAULT_FILE
from questionnaires.models import Assessment, Question
from questionnaires.selectors import questions_in_order
from questionnaires.services import (
    answer_save,
    assessment_start,
    person_add_for_representative,
    person_for_service_user,
)
from ras.accounts.models import User
from reviews.services import decision_open

# How far down each question's options the demo answers go, in turn (0 = on my own).
ANSWER_PATTERN = (1, 2, 0, 3, 1, 2, 1, 0)


def _answer(assessment: Assessment, actor: User, questions: list[Question]) -> None:
    pattern = itertools.cycle(ANSWER_PATTERN)
    for question in questions:
        options = list(question.options.all())
        if question.is_carer_question:
            option = next(o for o in options if o.carer_level == "some")
        else:
            option = options[min(next(pattern), len(options) - 1)]
        answer_save(
            assessment=assessment,
            question_code=question.code,
            option_code=option.code,
            actor=actor,
        )


@transaction.atomic
def demo_assessments_load(*, service_user: User, representative: User, social_worker: User) -> None:
    version = questionnaire_load(DEFAULT_FILE).version
    questions = list(questions_in_order(version))
    person = person_for_service_user(service_user)
    if not Assessment.objects.filter(person=person).exists():
        assessment = assessment_start(
            actor=service_user,
            person=person,
            client_group_code="older-people",
            questionnaire_version=version,
        )
        _answer(assessment, service_user, questions)
        submitted, _ = assessment_submit_and_price(assessment=assessment, actor=service_user)
        decision_open(assessment=submitted, actor=social_worker)
    if not Assessment.objects.filter(person__representations__representative=representative):
        mother = person_add_for_representative(
            representative=representative, full_name="Ida Taylor", relationship="My mother"
        )
        assessment = assessment_start(
            actor=representative,
            person=mother,
            client_group_code="physical-disabilities",
            questionnaire_version=version,
        )
        _answer(assessment, representative, questions[: len(questions) // 2])

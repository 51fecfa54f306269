"""Reads of questionnaires and assessments, and who may see which assessment."""

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from questionnaires.models import (
    Answer,
    Assessment,
    Perspective,
    Question,
    QuestionnaireStatus,
    QuestionnaireVersion,
)
from questionnaires.scoring import ChosenOption, Score, score
from ras.accounts.models import User
from ras.accounts.roles import Role

# Staff whose work needs a person's assessment. Finance leads see figures, not people.
CASE_STAFF_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PANEL_MEMBER)


def current_questionnaire(code: str = "saq") -> QuestionnaireVersion:
    """The newest published version of a questionnaire.

    Raises QuestionnaireVersion.DoesNotExist when none is published.
    """
    return QuestionnaireVersion.objects.filter(
        code=code, status=QuestionnaireStatus.PUBLISHED
    ).latest("number")


def questions_in_order(version: QuestionnaireVersion) -> QuerySet[Question]:
    return (
        Question.objects.filter(version=version)
        .select_related("domain")
        .prefetch_related("options")
        .order_by("position")
    )


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    """Deny by default: a person sees their own, a representative those of people they act for,
    case staff all; anyone else none."""
    assessments = Assessment.objects.select_related("person", "questionnaire_version")
    if not user.is_authenticated:
        return assessments.none()
    if any(user.has_role(role) for role in CASE_STAFF_ROLES):
        return assessments
    own = Q(person__user=user) if user.has_role(Role.SERVICE_USER) else Q(pk__in=[])
    represented = (
        Q(person__representations__representative=user)
        if user.has_role(Role.REPRESENTATIVE)
        else Q(pk__in=[])
    )
    return assessments.filter(own | represented).distinct()


def assessment_for(user: User, public_id: uuid.UUID | str) -> Assessment:
    """The assessment with this public id if `user` may see it, else 404 (no hint it exists)."""
    try:
        return assessments_visible_to(user).get(public_id=public_id)
    except (Assessment.DoesNotExist, ValueError) as missing:
        raise Http404("No such assessment") from missing


def answers_by_question(
    assessment: Assessment, perspective: str = Perspective.PERSON
) -> dict[str, Answer]:
    answers = Answer.objects.filter(assessment=assessment, perspective=perspective).select_related(
        "question", "option", "answered_by"
    )
    return {answer.question.code: answer for answer in answers}


def assessment_score(assessment: Assessment, perspective: str = Perspective.PERSON) -> Score:
    """The score of the answers given so far from one perspective, in questionnaire order."""
    answers = (
        Answer.objects.filter(assessment=assessment, perspective=perspective)
        .select_related("question__domain", "option")
        .order_by("question__position")
    )
    return score(
        ChosenOption(
            domain_code=answer.question.domain.code,
            domain_title=answer.question.domain.title,
            question_code=answer.question.code,
            question_text=answer.question.text,
            option_code=answer.option.code,
            option_label=answer.option.label,
            points=answer.option.points,
            carer_level=answer.option.carer_level,
            is_carer_question=answer.question.is_carer_question,
        )
        for answer in answers
    )


def unanswered_questions(assessment: Assessment) -> list[Question]:
    answered = Answer.objects.filter(
        assessment=assessment, perspective=Perspective.PERSON
    ).values_list("question_id", flat=True)
    return list(questions_in_order(assessment.questionnaire_version).exclude(pk__in=list(answered)))

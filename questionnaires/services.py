"""Writes to assessments. Each function is the one door for its change.

Answers are saved one at a time, the moment they are given. A page that was opened before a newer
answer was saved (a second browser tab, say) is refused rather than overwriting it silently.
A submitted assessment's answers never change.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from questionnaires.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Option,
    Perspective,
    Question,
    QuestionnaireVersion,
)
from questionnaires.selectors import (
    CASE_STAFF_ROLES,
    assessment_score,
    current_questionnaire,
    unanswered_questions,
)
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.people.models import Person, Representation


class AssessmentRefused(Exception):
    """A change to an assessment was refused; `messages` say why in plain words."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


class AnswerNotAllowed(AssessmentRefused):
    """The option is not one of the question's, or the question not one of the version's."""


class AssessmentAlreadySubmitted(AssessmentRefused):
    """Submitted answers cannot change: a change starts a review instead."""


class StaleAnswers(AssessmentRefused):
    """Newer answers were saved after this page was opened."""


class MissingAnswers(AssessmentRefused):
    """Some questions have no answer yet; `questions` lists them in questionnaire order."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self.questions = list(questions)
        super().__init__([f"Answer the question: {question.text}" for question in self.questions])


def person_for_service_user(user: User) -> Person:
    """The person record of a service user's own account, made the first time it is needed."""
    person, _ = Person.objects.get_or_create(user=user, defaults={"full_name": user.full_name})
    return person


@transaction.atomic
def person_add_for_representative(
    *, representative: User, full_name: str, relationship: str
) -> Person:
    """A person someone acts for, and the representation saying how they know them."""
    if not representative.has_role(Role.REPRESENTATIVE):
        raise PermissionDenied("Only a representative can act for someone else.")
    person = Person.objects.create(full_name=full_name.strip())
    Representation.objects.create(
        person=person, representative=representative, relationship=relationship.strip()
    )
    return person


def can_fill_in(user: User, assessment: Assessment) -> bool:
    """The person, their representative, or a social worker filling it in with them."""
    if assessment.person.user_id == user.pk:
        return True
    if user.has_role(Role.SOCIAL_WORKER):
        return True
    return Representation.objects.filter(
        person=assessment.person, representative=user
    ).exists() and user.has_role(Role.REPRESENTATIVE)


def assessment_start(
    *,
    actor: User,
    person: Person,
    client_group_code: str = "",
    questionnaire_version: QuestionnaireVersion | None = None,
) -> Assessment:
    """A new assessment of `person` with the current questionnaire."""
    assessment = Assessment(
        person=person,
        questionnaire_version=questionnaire_version or current_questionnaire(),
        client_group_code=client_group_code,
        started_by=actor,
    )
    if not can_fill_in(actor, assessment):
        raise PermissionDenied("You cannot start an assessment for this person.")
    assessment.save()
    return assessment


def _claim_revision(
    assessment: Assessment, expected_revision: int | None, **changes: object
) -> None:
    """Compare-and-swap: bumps the answers revision if it is still the one the page was given."""
    claim = Assessment.objects.filter(pk=assessment.pk, status=AssessmentStatus.IN_PROGRESS)
    if expected_revision is not None:
        claim = claim.filter(answers_revision=expected_revision)
    updated = claim.update(
        answers_revision=F("answers_revision") + 1, last_saved_at=timezone.now(), **changes
    )
    if updated:
        return
    current = Assessment.objects.get(pk=assessment.pk)
    if current.status == AssessmentStatus.SUBMITTED:
        raise AssessmentAlreadySubmitted(
            ["This assessment has been submitted, so its answers cannot change."]
        )
    raise StaleAnswers(["Your answers were changed in another window after you opened this page."])


@transaction.atomic
def answer_save(
    *,
    assessment: Assessment,
    question_code: str,
    option_code: str,
    actor: User,
    expected_revision: int | None = None,
) -> Answer:
    """Saves the person's answer to one question, at once.

    Raises AnswerNotAllowed for a question or option that is not the questionnaire's,
    StaleAnswers if newer answers were saved since `expected_revision`, and
    AssessmentAlreadySubmitted once submitted. Nothing is saved when it raises.
    """
    if not can_fill_in(actor, assessment):
        raise PermissionDenied("You cannot answer for this person.")
    option = _option_of(assessment, question_code, option_code)
    _claim_revision(assessment, expected_revision, resume_question_code=question_code)
    answer, _ = Answer.objects.update_or_create(
        assessment=assessment,
        question=option.question,
        perspective=Perspective.PERSON,
        defaults={"option": option, "answered_by": actor, "answered_at": timezone.now()},
    )
    return answer


@transaction.atomic
def worker_view_save(
    *, assessment: Assessment, question_code: str, option_code: str, actor: User
) -> Answer:
    """Records a social worker's own view of one question beside the person's answer."""
    if not actor.has_role(Role.SOCIAL_WORKER):
        raise PermissionDenied("Only a social worker can record their view.")
    option = _option_of(assessment, question_code, option_code)
    answer, _ = Answer.objects.update_or_create(
        assessment=assessment,
        question=option.question,
        perspective=Perspective.WORKER,
        defaults={"option": option, "answered_by": actor, "answered_at": timezone.now()},
    )
    return answer


def assessment_choose_client_group(
    *, assessment: Assessment, actor: User, client_group_code: str
) -> None:
    if not can_fill_in(actor, assessment):
        raise PermissionDenied("You cannot change this assessment.")
    _claim_revision(assessment, None, client_group_code=client_group_code)


@transaction.atomic
def assessment_submit(*, assessment: Assessment, actor: User) -> Assessment:
    """Submits a complete assessment and stores its score. Submitting twice changes nothing.

    Raises MissingAnswers naming every unanswered question.
    """
    if not (can_fill_in(actor, assessment) or _is_case_staff(actor)):
        raise PermissionDenied("You cannot submit this assessment.")
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status == AssessmentStatus.SUBMITTED:
        return locked
    missing = unanswered_questions(locked)
    if missing:
        raise MissingAnswers(missing)
    if not locked.client_group_code:
        raise AssessmentRefused(["Choose who the support is for before you submit"])
    result = assessment_score(locked)
    Assessment.objects.filter(pk=locked.pk, status=AssessmentStatus.IN_PROGRESS).update(
        status=AssessmentStatus.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=actor,
        total_points=result.total_points,
        carer_level=result.carer_level,
        domain_points=dict(result.domain_points),
    )
    locked.refresh_from_db()
    return locked


def _is_case_staff(user: User) -> bool:
    return any(user.has_role(role) for role in CASE_STAFF_ROLES)


def _option_of(assessment: Assessment, question_code: str, option_code: str) -> Option:
    option = (
        Option.objects.select_related("question")
        .filter(
            version_id=assessment.questionnaire_version_id,
            question__code=question_code,
            code=option_code,
        )
        .first()
    )
    if option is None:
        raise AnswerNotAllowed(["Select one of the answers shown"])
    return option


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, actor: User) -> Assessment:
    """A new in-progress copy of a submitted assessment, for the person to change their answers.

    The submitted assessment stays exactly as it was; the copy starts with the same answers
    (keeping who gave each one and when) and the same questionnaire version.
    """
    if not actor.has_role(Role.SOCIAL_WORKER):
        raise PermissionDenied("Only a social worker can return an assessment to the person.")
    copy = Assessment.objects.create(
        person=assessment.person,
        questionnaire_version=assessment.questionnaire_version,
        client_group_code=assessment.client_group_code,
        started_by=actor,
    )
    Answer.objects.bulk_create(
        Answer(
            assessment=copy,
            question_id=answer.question_id,
            option_id=answer.option_id,
            perspective=Perspective.PERSON,
            answered_by_id=answer.answered_by_id,
            answered_at=answer.answered_at,
        )
        for answer in assessment.answers.filter(perspective=Perspective.PERSON)
    )
    return copy

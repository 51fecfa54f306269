"""Questionnaire versions, and the assessments people fill in with them.

A published questionnaire version never changes (the database refuses it): new wording or new
points make a new version, and each assessment keeps the version it was answered with. This app
knows points, not money.
"""

import secrets
import uuid
from typing import ClassVar

import pghistory
import pgtrigger
from django.apps import apps
from django.conf import settings
from django.db import models

from ras.db_protection import (
    UnignorableTrigger,
    protect_published_version,
    protect_rows_of_published_versions,
)
from ras.people.models import Person


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


QUESTIONNAIRE_VERSION = "Questionnaire version"


def protect_content_of_published_questionnaires(name: str) -> pgtrigger.Trigger:
    """Refuses adding, changing or removing a domain, question or option of a non-draft version."""
    return protect_rows_of_published_versions(
        name=name, version_table="questionnaires_questionnaireversion", noun=QUESTIONNAIRE_VERSION
    )


class QuestionnaireVersion(models.Model):
    code = models.SlugField(max_length=40)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT
    )
    source_sha256 = models.CharField(max_length=64, help_text="Checksum of the loaded data file.")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["code", "-number"]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            protect_published_version(
                name="protect_published_questionnaire", noun=QUESTIONNAIRE_VERSION
            )
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["code", "number"], name="one_questionnaire_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"


class Domain(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="domains"
    )
    code = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "position"]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            protect_content_of_published_questionnaires("protect_published_domains")
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["version", "code"], name="one_domain_code_per_version"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions"
    )
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(max_length=80)
    text = models.CharField(max_length=300)
    hint = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(help_text="Order in the whole questionnaire.")
    is_carer_question = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "position"]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            protect_content_of_published_questionnaires("protect_published_questions")
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["version", "code"], name="one_question_code_per_version"
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(is_carer_question=True),
                name="one_carer_question_per_version",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="options"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    hint = models.CharField(max_length=300, blank=True)
    points = models.PositiveSmallIntegerField(default=0)
    carer_level = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["question", "position"]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [
            protect_content_of_published_questionnaires("protect_published_options")
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["question", "code"], name="one_option_code_per_question"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"


def new_reference() -> str:
    """A reference people can read out on the phone: no 0/O or 1/I to confuse."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    chunk = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"SA-{chunk[:4]}-{chunk[4:]}"


class Assessment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=20, unique=True, default=new_reference)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    client_group_code = models.SlugField(
        max_length=40, blank=True, help_text="The person's own choice; a social worker confirms it."
    )
    status = models.CharField(
        max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    last_saved_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every saved answer, so a page opened before a newer answer can tell.
    answers_revision = models.PositiveIntegerField(default=0)
    resume_question_code = models.SlugField(max_length=80, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Worked out once at submission, for pricing and for bulk work over many assessments.
    total_points = models.PositiveIntegerField(null=True, blank=True)
    carer_level = models.CharField(max_length=40, blank=True)
    domain_points = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["status", "submitted_at"], name="assessment_status_submitted"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_submitted(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED


class Perspective(models.TextChoices):
    PERSON = "person", "The person's answer"
    WORKER = "worker", "The social worker's view"


# A submitted assessment's own answers never change; a worker's view may still be recorded.
# The one exception is the retention schedule: once the person's record is anonymised (which the
# database allows only with the name and account link gone), their answers may be deleted, and
# only deleted.
PROTECT_SUBMITTED_ANSWERS = UnignorableTrigger(
    name="protect_submitted_answers",
    operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
    when=pgtrigger.Before,
    func="""
        DECLARE
            rec RECORD;
        BEGIN
            IF TG_OP = 'DELETE' AND EXISTS (
                SELECT 1 FROM questionnaires_assessment assessment
                JOIN people_person person ON person.id = assessment.person_id
                WHERE assessment.id = OLD.assessment_id AND person.anonymised_at IS NOT NULL
            ) THEN
                RETURN OLD;
            END IF;
            IF TG_OP = 'DELETE' THEN rec := OLD; ELSE rec := NEW; END IF;
            IF rec.perspective = 'person' AND EXISTS (
                SELECT 1 FROM questionnaires_assessment
                WHERE id = rec.assessment_id AND status = 'submitted'
            ) THEN
                RAISE EXCEPTION 'Assessment % is submitted: its answers cannot change.',
                    rec.assessment_id USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN rec;
        END;
    """,
)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")
    perspective = models.CharField(
        max_length=10, choices=Perspective.choices, default=Perspective.PERSON
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["assessment", "question__position"]
        triggers: ClassVar[list[pgtrigger.Trigger]] = [PROTECT_SUBMITTED_ANSWERS]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["assessment", "question", "perspective"],
                name="one_answer_per_question_and_perspective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.question.code} = {self.option.code}"


def answer_history_model() -> type[models.Model]:
    """The history of answers (django-pghistory's AnswerEvent, kept by database triggers): every
    answer as it was given, changed or removed. It holds answers too."""
    return apps.get_model("questionnaires", "AnswerEvent")

"""Loads a questionnaire version from its data file (YAML) in the repository.

The whole file is checked before anything is written. Loading the same file again changes nothing;
loading a changed file under a number already published is refused: new wording or new points
need a new version number.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from questionnaires.carer_levels import CARER_LEVEL_CODES
from questionnaires.models import (
    Domain,
    Option,
    Question,
    QuestionnaireStatus,
    QuestionnaireVersion,
)


class QuestionnaireFileInvalid(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class LoadOutcome:
    version: QuestionnaireVersion
    created: bool


def questionnaire_load(path: Path) -> LoadOutcome:
    """Publishes the questionnaire version in `path`, or finds it already loaded unchanged.

    Raises QuestionnaireFileInvalid listing every problem with the file, or when a different file
    was already published under the same code and version number.
    """
    raw = path.read_bytes()
    checksum = hashlib.sha256(raw).hexdigest()
    data = yaml.safe_load(raw)
    problems = questionnaire_file_problems(data)
    if problems:
        raise QuestionnaireFileInvalid(problems)
    existing = QuestionnaireVersion.objects.filter(
        code=data["code"], number=data["version"]
    ).first()
    if existing is not None:
        if existing.source_sha256 != checksum:
            raise QuestionnaireFileInvalid(
                [
                    f"Version {existing.number} of '{existing.code}' is already published and "
                    "cannot change. Give the changed questionnaire a new version number."
                ]
            )
        return LoadOutcome(existing, created=False)
    return LoadOutcome(_create(data, checksum), created=True)


@transaction.atomic
def _create(data: dict[str, Any], checksum: str) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.create(
        code=data["code"],
        number=data["version"],
        title=data["title"],
        intro=data.get("intro", ""),
        source_sha256=checksum,
    )
    position = 0
    for domain_position, domain_data in enumerate(data["domains"], start=1):
        domain = Domain.objects.create(
            version=version,
            code=domain_data["code"],
            title=domain_data["title"],
            intro=domain_data.get("intro", ""),
            position=domain_position,
        )
        for question_data in domain_data["questions"]:
            position += 1
            question = Question.objects.create(
                version=version,
                domain=domain,
                code=question_data["code"],
                text=question_data["text"],
                hint=question_data.get("hint", ""),
                position=position,
                is_carer_question=bool(question_data.get("carer_question", False)),
            )
            Option.objects.bulk_create(
                Option(
                    version=version,
                    question=question,
                    code=option["code"],
                    label=option["label"],
                    hint=option.get("hint", ""),
                    points=option.get("points", 0),
                    carer_level=option.get("carer_level", ""),
                    position=option_position,
                )
                for option_position, option in enumerate(question_data["options"], start=1)
            )
    QuestionnaireVersion.objects.filter(pk=version.pk).update(
        status=QuestionnaireStatus.PUBLISHED, published_at=timezone.now()
    )
    version.refresh_from_db()
    return version


def questionnaire_file_problems(data: Any) -> list[str]:
    """Every problem with a questionnaire file's content, in words its author understands."""
    if not isinstance(data, dict):
        return ["The file must describe one questionnaire."]
    problems = [
        f"The questionnaire needs '{key}'."
        for key in ("code", "version", "title", "domains")
        if not data.get(key)
    ]
    if problems:
        return problems
    if not isinstance(data["version"], int) or data["version"] < 1:
        problems.append("'version' must be a whole number from 1.")
    question_codes: set[str] = set()
    domain_codes: set[str] = set()
    carer_questions = 0
    for domain in data["domains"]:
        where = f"Domain '{domain.get('code', '?')}'"
        if domain.get("code") in domain_codes:
            problems.append(f"{where} appears twice.")
        domain_codes.add(domain.get("code"))
        if not domain.get("title") or not domain.get("questions"):
            problems.append(f"{where} needs a title and at least one question.")
            continue
        for question in domain["questions"]:
            code = question.get("code")
            if not code or not question.get("text"):
                problems.append(f"{where} has a question with no code or no text.")
                continue
            if code in question_codes:
                problems.append(f"Question '{code}' appears twice.")
            question_codes.add(code)
            if question.get("carer_question"):
                carer_questions += 1
                problems += _carer_option_problems(code, question.get("options") or [])
            else:
                problems += _scored_option_problems(code, question.get("options") or [])
    if carer_questions != 1:
        problems.append(f"There must be exactly one carer question; there are {carer_questions}.")
    return problems


def _scored_option_problems(code: str, options: list[dict[str, Any]]) -> list[str]:
    problems = []
    if not 2 <= len(options) <= 5:
        problems.append(f"Question '{code}' must have 2 to 5 options; it has {len(options)}.")
    option_codes = [option.get("code") for option in options]
    if len(set(option_codes)) != len(option_codes):
        problems.append(f"Question '{code}' has two options with the same code.")
    for option in options:
        points = option.get("points")
        if not isinstance(points, int) or isinstance(points, bool) or points < 0:
            problems.append(
                f"Option '{option.get('code')}' of question '{code}' needs whole points, 0 or more."
            )
        if not option.get("label"):
            problems.append(f"Option '{option.get('code')}' of question '{code}' needs a label.")
    return problems


def _carer_option_problems(code: str, options: list[dict[str, Any]]) -> list[str]:
    levels = [option.get("carer_level") for option in options]
    problems = []
    if sorted(levels, key=str) != sorted(CARER_LEVEL_CODES):
        expected = ", ".join(CARER_LEVEL_CODES)
        problems.append(
            f"The carer question '{code}' must have one option for each of: {expected}."
        )
    if any(option.get("points") for option in options):
        problems.append(f"The carer question '{code}' scores no points.")
    return problems

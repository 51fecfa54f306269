"""Where a person goes next in the journey, worked out from the questions and their answers.

Plain functions over the questions in order and the codes already answered: no database access.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from questionnaires.models import Domain, Question


class TaskStatus(StrEnum):
    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"


@dataclass(frozen=True, slots=True)
class DomainTask:
    domain: Domain
    questions: tuple[Question, ...]
    answered_count: int
    # Where the task's link goes: the first unanswered question, or the first to look again.
    first_question_code: str

    @property
    def status(self) -> TaskStatus:
        if self.answered_count == 0:
            return TaskStatus.NOT_STARTED
        if self.answered_count == len(self.questions):
            return TaskStatus.COMPLETED
        return TaskStatus.IN_PROGRESS


def domain_tasks(questions: Sequence[Question], answered: Collection[str]) -> list[DomainTask]:
    """One task per domain, in questionnaire order."""
    by_domain: dict[int, list[Question]] = {}
    for question in questions:
        by_domain.setdefault(question.domain_id, []).append(question)
    tasks = []
    for domain_questions in by_domain.values():
        unanswered = [q for q in domain_questions if q.code not in answered]
        tasks.append(
            DomainTask(
                domain=domain_questions[0].domain,
                questions=tuple(domain_questions),
                answered_count=len(domain_questions) - len(unanswered),
                first_question_code=(unanswered or domain_questions)[0].code,
            )
        )
    return tasks


def next_in_domain(questions: Sequence[Question], current: Question) -> Question | None:
    """The question after `current` in the same domain, or None at the end of the domain."""
    position = list(questions).index(current)
    following = questions[position + 1] if position + 1 < len(questions) else None
    if following is not None and following.domain_id == current.domain_id:
        return following
    return None


def previous_in_domain(questions: Sequence[Question], current: Question) -> Question | None:
    """The question before `current` in the same domain, or None at the start of the domain."""
    position = list(questions).index(current)
    preceding = questions[position - 1] if position > 0 else None
    if preceding is not None and preceding.domain_id == current.domain_id:
        return preceding
    return None


def resume_question(
    questions: Sequence[Question], answered: Collection[str], resume_code: str
) -> Question | None:
    """The first unanswered question after the one last answered, or None (go to the task list).

    A person who answered nothing yet, or everything after the last answer, sees the task list.
    """
    codes = [question.code for question in questions]
    if resume_code not in codes:
        return None
    return next(
        (q for q in questions[codes.index(resume_code) + 1 :] if q.code not in answered), None
    )

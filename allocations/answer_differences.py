"""What a social worker checks: the person's answers beside the worker's own views, and the money.

For each question where the worker's view differs from the person's answer, the assessment is
priced again with only that answer changed, with the very table version that priced the
indicative budget, so the difference in pounds a year is the effect of that one answer and
nothing else. The total if every view were taken is priced the same way. Nothing is stored: these
are reads, and the budget itself never changes (a change of answers goes through a review).

Money is integer pence throughout.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from allocations import engine
from allocations.budgets import scored_assessment
from allocations.models import ClientGroup, IndicativeBudget
from allocations.selectors import engine_table
from questionnaires.models import Answer, Assessment, Perspective, Question
from questionnaires.scoring import ChosenOption, Score, score
from questionnaires.selectors import assessments_visible_to, questions_in_order
from ras.accounts.models import User
from ras.accounts.roles import Role


@dataclass(frozen=True, slots=True)
class GivenAnswer:
    """One answer as given: the option, who gave it and when.

    ``answered_by`` reads as a sentence part: "Sam Smith (the person)", "Rita Jones
    (representative: My mother)", "Wendy Worker (social worker)". ``by_someone_else`` is true when
    the person did not answer it themselves from their own account.
    """

    option_code: str
    option_label: str
    points: int
    carer_level: str
    answered_by: str
    by_someone_else: bool
    answered_at: datetime.datetime


@dataclass(frozen=True, slots=True)
class MoneyEffect:
    """What one different answer (or every different answer) would do to the indicative budget.

    ``indicative_annual_pence`` is the indicative budget a year with the worker's view taken,
    priced with the table version that priced the budget; ``difference_annual_pence`` is that
    minus the budget (negative when it would be less).
    """

    total_points: int
    band_index: int
    above_table: bool
    carer_level: str
    full_needs_annual_pence: int
    indicative_annual_pence: int
    difference_annual_pence: int

    @property
    def difference_words(self) -> str:
        """ "£585.00 a year more", "£2,955.00 a year less" or "No change"."""
        if self.difference_annual_pence == 0:
            return "No change"
        more_or_less = "more" if self.difference_annual_pence > 0 else "less"
        return f"{engine.format_pounds(abs(self.difference_annual_pence))} a year {more_or_less}"


@dataclass(frozen=True, slots=True)
class AnswerDifference:
    """A question where the worker's view differs from the person's answer, and its money."""

    question_code: str
    question_text: str
    person: ChosenOption
    worker: ChosenOption
    effect: MoneyEffect


@dataclass(frozen=True, slots=True)
class AnswerDifferences:
    """Every difference of a priced assessment, in questionnaire order, and all of them at once.

    ``all_views`` is None when the worker's views do not differ from any answer.
    """

    budget_annual_pence: int
    table_version_label: str
    differences: tuple[AnswerDifference, ...]
    all_views: MoneyEffect | None


@dataclass(frozen=True, slots=True)
class QuestionCheck:
    """One question of the check page, with both answers and, when they differ and the
    assessment is priced, the money effect of the worker's view."""

    code: str
    text: str
    hint: str
    domain_code: str
    domain_title: str
    is_carer_question: bool
    person: GivenAnswer | None
    worker: GivenAnswer | None
    effect: MoneyEffect | None

    @property
    def differs(self) -> bool:
        return (
            self.person is not None
            and self.worker is not None
            and self.person.option_code != self.worker.option_code
        )


@dataclass(frozen=True, slots=True)
class AssessmentCheck:
    """What the check page shows: every question in order, and the differences when priced."""

    questions: tuple[QuestionCheck, ...]
    answered_count: int
    budget: IndicativeBudget | None
    differences: AnswerDifferences | None

    @property
    def question_count(self) -> int:
        return len(self.questions)


def assessments_for_checking(user: User) -> QuerySet[Assessment]:
    """The assessments `user` may open, newest first (by submission, else by start).

    Each carries `client_group_name` and `indicative_annual_pence` (None until priced).
    """
    return (
        assessments_visible_to(user)
        .annotate(
            newest_at=Coalesce("submitted_at", "started_at"),
            client_group_name=Subquery(
                ClientGroup.objects.filter(code=OuterRef("client_group_code")).values("name")[:1]
            ),
            indicative_annual_pence=F("indicative_budget__indicative_annual_pence"),
        )
        .order_by("-newest_at", "-pk")
    )


def assessment_check(assessment: Assessment) -> AssessmentCheck:
    """Every question of the assessment's questionnaire with the person's answer, the worker's
    view and, for a priced assessment, the money effect of each difference."""
    questions = list(questions_in_order(assessment.questionnaire_version))
    person_answers = _answers(assessment, Perspective.PERSON)
    worker_answers = _answers(assessment, Perspective.WORKER)
    describe = _AnswererDescriptions(assessment)
    budget = IndicativeBudget.objects.filter(assessment=assessment).first()
    differences = (
        None
        if budget is None
        else answer_differences(
            table=engine_table(budget.table_version),
            budget=budget,
            person=_score(person_answers.values()),
            worker_views={code: _chosen(answer) for code, answer in worker_answers.items()},
        )
    )
    effects = {} if differences is None else _effects_by_question(differences)
    return AssessmentCheck(
        questions=tuple(
            QuestionCheck(
                code=question.code,
                text=question.text,
                hint=question.hint,
                domain_code=question.domain.code,
                domain_title=question.domain.title,
                is_carer_question=question.is_carer_question,
                person=_given(person_answers.get(question.code), describe),
                worker=_given(worker_answers.get(question.code), describe),
                effect=effects.get(question.code),
            )
            for question in questions
        ),
        answered_count=len(person_answers),
        budget=budget,
        differences=differences,
    )


def answer_differences(
    *,
    table: engine.TableVersion,
    budget: IndicativeBudget,
    person: Score,
    worker_views: Mapping[str, ChosenOption],
) -> AnswerDifferences:
    """Prices the person's answers with each differing worker view in turn, then with all.

    `table` must be the engine view of `budget.table_version`. Questions the person has not
    answered, and views equal to the person's answer, make no difference. Raises
    engine.PricingError only if the table cannot price a carer level the questionnaire offers.
    """
    differing = [
        (answer, worker_views[answer.question_code])
        for answer in person.answers
        if answer.question_code in worker_views
        and worker_views[answer.question_code].option_code != answer.option_code
    ]
    baseline = budget.indicative_annual_pence

    def effect(replacements: Mapping[str, ChosenOption]) -> MoneyEffect:
        changed = score(replacements.get(answer.question_code, answer) for answer in person.answers)
        result = engine.price_assessment(table, scored_assessment(changed))
        return MoneyEffect(
            total_points=result.total_points,
            band_index=result.band_index,
            above_table=result.above_table,
            carer_level=result.carer_level,
            full_needs_annual_pence=result.full_needs_annual_pence,
            indicative_annual_pence=result.indicative_annual_pence,
            difference_annual_pence=result.indicative_annual_pence - baseline,
        )

    return AnswerDifferences(
        budget_annual_pence=baseline,
        table_version_label=budget.table_version.label,
        differences=tuple(
            AnswerDifference(
                question_code=theirs.question_code,
                question_text=theirs.question_text,
                person=theirs,
                worker=view,
                effect=effect({view.question_code: view}),
            )
            for theirs, view in differing
        ),
        all_views=(
            effect({view.question_code: view for _, view in differing}) if differing else None
        ),
    )


def _answers(assessment: Assessment, perspective: str) -> dict[str, Answer]:
    answers = (
        Answer.objects.filter(assessment=assessment, perspective=perspective)
        .select_related("question__domain", "option", "answered_by")
        .order_by("question__position")
    )
    return {answer.question.code: answer for answer in answers}


def _chosen(answer: Answer) -> ChosenOption:
    question: Question = answer.question
    return ChosenOption(
        domain_code=question.domain.code,
        domain_title=question.domain.title,
        question_code=question.code,
        question_text=question.text,
        option_code=answer.option.code,
        option_label=answer.option.label,
        points=answer.option.points,
        carer_level=answer.option.carer_level,
        is_carer_question=question.is_carer_question,
    )


def _score(answers: Iterable[Answer]) -> Score:
    return score(_chosen(answer) for answer in answers)


class _AnswererDescriptions:
    """Says who an answerer is to the person: themselves, a representative, a social worker."""

    def __init__(self, assessment: Assessment) -> None:
        self.person_user_id = assessment.person.user_id
        self.relationships = dict(
            assessment.person.representations.values_list("representative_id", "relationship")
        )
        # One answerer usually gives many answers: their roles are looked up once.
        self.known: dict[int, tuple[str, bool]] = {}

    def __call__(self, user: User) -> tuple[str, bool]:
        if user.pk not in self.known:
            self.known[user.pk] = self._describe(user)
        return self.known[user.pk]

    def _describe(self, user: User) -> tuple[str, bool]:
        name = user.full_name or user.email
        if user.pk == self.person_user_id:
            return f"{name} (the person)", False
        if user.pk in self.relationships:
            return f"{name} (representative: {self.relationships[user.pk]})", True
        if user.has_role(Role.SOCIAL_WORKER):
            return f"{name} (social worker)", True
        return name, True


def _given(answer: Answer | None, describe: _AnswererDescriptions) -> GivenAnswer | None:
    if answer is None:
        return None
    answered_by, by_someone_else = describe(answer.answered_by)
    return GivenAnswer(
        option_code=answer.option.code,
        option_label=answer.option.label,
        points=answer.option.points,
        carer_level=answer.option.carer_level,
        answered_by=answered_by,
        by_someone_else=by_someone_else,
        answered_at=answer.answered_at,
    )


def _effects_by_question(differences: AnswerDifferences) -> dict[str, MoneyEffect]:
    return {difference.question_code: difference.effect for difference in differences.differences}

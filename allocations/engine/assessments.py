"""Scored assessments: the points side of pricing, as plain values.

The questionnaire side of the project scores a completed assessment; the engine only needs the
chosen options with their points and the person's carer level.
"""

from dataclasses import dataclass, field

from allocations.engine.errors import PricingError


@dataclass(frozen=True, slots=True)
class ScoredAnswer:
    """One answered question: the chosen option and the points it scores.

    ``option_label`` is the answer as the person saw it. ``domain_label`` and ``question_text``
    are optional wording for the step-by-step breakdown; the codes are used when they are empty.

    Raises:
        PricingError: if ``points`` is below 0 (options score 0 points or more).
    """

    domain_code: str
    question_code: str
    option_code: str
    option_label: str
    points: int
    domain_label: str = ""
    question_text: str = ""

    def __post_init__(self) -> None:
        if self.points < 0:
            raise PricingError(
                f"The answer '{self.option_label}' to question {self.question_code} scores "
                f"{self.points} points; an answer must score 0 points or more."
            )


@dataclass(frozen=True, slots=True)
class ScoredAssessment:
    """A completed assessment's answers and the person's carer level code.

    ``domain_points`` (``(domain code, points)`` pairs, domains in the order their first answer
    appears) and ``total_points`` are worked out from the answers when the assessment is built.
    """

    answers: tuple[ScoredAnswer, ...]
    carer_level: str
    domain_points: tuple[tuple[str, int], ...] = field(init=False, compare=False)
    total_points: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        answers = tuple(self.answers)
        subtotals: dict[str, int] = {}
        for answer in answers:
            subtotals[answer.domain_code] = subtotals.get(answer.domain_code, 0) + answer.points
        # Frozen dataclasses are set up through object.__setattr__; this is their documented idiom.
        object.__setattr__(self, "answers", answers)
        object.__setattr__(self, "domain_points", tuple(subtotals.items()))
        object.__setattr__(self, "total_points", sum(subtotals.values()))

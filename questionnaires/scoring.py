"""Scoring: chosen options -> points in each domain, the total, and the carer level.

Pure functions over plain values; the pricing engine turns the score into money elsewhere.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChosenOption:
    domain_code: str
    domain_title: str
    question_code: str
    question_text: str
    option_code: str
    option_label: str
    points: int
    carer_level: str = ""
    is_carer_question: bool = False


@dataclass(frozen=True, slots=True)
class Score:
    answers: tuple[ChosenOption, ...]
    domain_points: tuple[tuple[str, int], ...]
    total_points: int
    carer_level: str


def score(chosen: Iterable[ChosenOption]) -> Score:
    """Adds up points by domain in the order domains are met; the carer answer scores nothing.

    The carer level is the carer question's option level, or "" if it is not answered.
    """
    answers = tuple(chosen)
    domain_points: dict[str, int] = {}
    carer_level = ""
    for answer in answers:
        if answer.is_carer_question:
            carer_level = answer.carer_level
            continue
        domain_points[answer.domain_code] = domain_points.get(answer.domain_code, 0) + answer.points
    return Score(
        answers=answers,
        domain_points=tuple(domain_points.items()),
        total_points=sum(domain_points.values()),
        carer_level=carer_level,
    )

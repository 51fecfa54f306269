"""The result of pricing one case, and its step-by-step breakdown in plain English."""

from collections.abc import Callable
from dataclasses import dataclass

from allocations.engine.assessments import ScoredAnswer
from allocations.engine.money import format_percentage, format_pounds
from allocations.engine.tables import Band

_TIMES = "\N{MULTIPLICATION SIGN}"
_DIVIDED_BY = "\N{DIVISION SIGN}"


@dataclass(frozen=True, slots=True)
class PricingResult:
    """Every figure of one priced case. Money is in pence, reductions in basis points.

    ``band_index`` counts from 1, as people do ("band 2"). ``above_table`` is true when the total
    is above a closed top band: the top band's formula continues (there is no cap) and the case
    is flagged for individual costing. ``domain_points`` and ``answers`` are empty when only a
    total was priced. The breakdown in :attr:`steps` is written only when it is asked for, so
    pricing stays cheap.
    """

    total_points: int
    band_index: int
    band: Band
    above_table: bool
    full_needs_annual_pence: int
    carer_level: str
    carer_reduction_bp: int
    carer_adjustment_pence: int
    indicative_annual_pence: int
    indicative_weekly_pence: int
    domain_points: tuple[tuple[str, int], ...] = ()
    answers: tuple[ScoredAnswer, ...] = ()

    @property
    def steps(self) -> tuple[str, ...]:
        """The pricing worked step by step, one plain-English sentence per step."""
        return (
            *_answer_steps(self.answers),
            *_domain_steps(self.answers, self.domain_points),
            _total_step(self.total_points, self.domain_points),
            *_band_steps(self),
            *_carer_and_amount_steps(self),
        )


def _slot_setter(field_name: str) -> Callable[[PricingResult, object], None]:
    setter: Callable[[PricingResult, object], None] = getattr(PricingResult, field_name).__set__
    return setter


_new_instance = object.__new__
_set_total_points = _slot_setter("total_points")
_set_band_index = _slot_setter("band_index")
_set_band = _slot_setter("band")
_set_above_table = _slot_setter("above_table")
_set_full_needs_annual_pence = _slot_setter("full_needs_annual_pence")
_set_carer_level = _slot_setter("carer_level")
_set_carer_reduction_bp = _slot_setter("carer_reduction_bp")
_set_carer_adjustment_pence = _slot_setter("carer_adjustment_pence")
_set_indicative_annual_pence = _slot_setter("indicative_annual_pence")
_set_indicative_weekly_pence = _slot_setter("indicative_weekly_pence")
_set_domain_points = _slot_setter("domain_points")
_set_answers = _slot_setter("answers")


def new_pricing_result(
    total_points: int,
    band_index: int,
    band: Band,
    above_table: bool,
    full_needs_annual_pence: int,
    carer_level: str,
    carer_reduction_bp: int,
    carer_adjustment_pence: int,
    indicative_annual_pence: int,
    indicative_weekly_pence: int,
    domain_points: tuple[tuple[str, int], ...],
    answers: tuple[ScoredAnswer, ...],
) -> PricingResult:
    """Build a :class:`PricingResult`: exactly what its constructor gives, about twice as fast.

    A frozen dataclass sets each field through ``object.__setattr__``; this fills the slots
    directly. Pricing in bulk spends most of its time building results, so the hot path uses it.
    """
    result = _new_instance(PricingResult)
    _set_total_points(result, total_points)
    _set_band_index(result, band_index)
    _set_band(result, band)
    _set_above_table(result, above_table)
    _set_full_needs_annual_pence(result, full_needs_annual_pence)
    _set_carer_level(result, carer_level)
    _set_carer_reduction_bp(result, carer_reduction_bp)
    _set_carer_adjustment_pence(result, carer_adjustment_pence)
    _set_indicative_annual_pence(result, indicative_annual_pence)
    _set_indicative_weekly_pence(result, indicative_weekly_pence)
    _set_domain_points(result, domain_points)
    _set_answers(result, answers)
    return result


def _answer_steps(answers: tuple[ScoredAnswer, ...]) -> list[str]:
    return [
        f"{answer.domain_label or answer.domain_code}, "
        f"question '{answer.question_text or answer.question_code}': "
        f"answered '{answer.option_label}', which scores {_points(answer.points)}."
        for answer in answers
    ]


def _domain_steps(
    answers: tuple[ScoredAnswer, ...], domain_points: tuple[tuple[str, int], ...]
) -> list[str]:
    steps = []
    for domain_code, subtotal in domain_points:
        in_domain = [answer for answer in answers if answer.domain_code == domain_code]
        label = next((a.domain_label for a in in_domain if a.domain_label), domain_code)
        if len(in_domain) > 1:
            sums = " + ".join(str(answer.points) for answer in in_domain)
            steps.append(f"{label} subtotal: {sums} = {_points(subtotal)}.")
        else:
            steps.append(f"{label} subtotal: {_points(subtotal)}.")
    return steps


def _total_step(total_points: int, domain_points: tuple[tuple[str, int], ...]) -> str:
    if len(domain_points) > 1:
        sums = " + ".join(str(subtotal) for _, subtotal in domain_points)
        return f"Total: {sums} = {_points(total_points)}."
    return f"Total: {_points(total_points)}."


def _band_steps(result: PricingResult) -> list[str]:
    band = result.band
    formula = (
        f"{format_pounds(band.base_pence)} base + ({result.total_points} - {band.min_points}) "
        f"points {_TIMES} {format_pounds(band.per_point_pence)} = "
        f"{format_pounds(result.full_needs_annual_pence)}"
    )
    if not result.above_table:
        return [
            f"Band {result.band_index} covers {band.describe_points()}: {formula}.",
            f"Full-needs annual amount: {format_pounds(result.full_needs_annual_pence)}.",
        ]
    return [
        f"{_points(result.total_points)} is above the top band, band {result.band_index}, which "
        f"covers {band.describe_points()}; its formula continues with no cap: {formula}.",
        "This case is above the table and is flagged for individual costing.",
        f"Full-needs annual amount: {format_pounds(result.full_needs_annual_pence)}.",
    ]


def _carer_and_amount_steps(result: PricingResult) -> list[str]:
    full = format_pounds(result.full_needs_annual_pence)
    adjustment = format_pounds(result.carer_adjustment_pence)
    indicative = format_pounds(result.indicative_annual_pence)
    return [
        f"Carer level '{result.carer_level}' has a reduction of "
        f"{format_percentage(result.carer_reduction_bp)}: {full} {_TIMES} "
        f"{format_percentage(result.carer_reduction_bp)} = {adjustment}, "
        "rounded half up to the nearest penny.",
        f"Indicative annual amount: {full} - {adjustment} = {indicative}.",
        f"Indicative weekly amount: {indicative} {_DIVIDED_BY} 52 = "
        f"{format_pounds(result.indicative_weekly_pence)}, rounded half up to the nearest penny.",
    ]


def _points(points: int) -> str:
    return "1 point" if points == 1 else f"{points} points"

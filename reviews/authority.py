"""Delegated authority: may this person agree this amount alone? Pure arithmetic in pence.

An increase above the indicative budget is within authority when it is no more than the
percentage limit AND no more than the amount limit (both must hold). Exactly at a limit is within
it; a penny over is not. A reduction is within authority unless the role's reductions need a
manager.
"""

from dataclasses import dataclass

BASIS_POINTS_IN_WHOLE = 10_000


@dataclass(frozen=True, slots=True)
class Limits:
    max_increase_bp: int
    max_increase_pence: int
    reduction_needs_manager: bool


def within_authority(limits: Limits, *, indicative_pence: int, final_pence: int) -> bool:
    increase_pence = final_pence - indicative_pence
    if increase_pence < 0:
        return not limits.reduction_needs_manager
    within_percentage = increase_pence * BASIS_POINTS_IN_WHOLE <= (
        indicative_pence * limits.max_increase_bp
    )
    return within_percentage and increase_pence <= limits.max_increase_pence

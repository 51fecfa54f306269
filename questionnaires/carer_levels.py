"""The carer levels of the self-assessment's carer question, in order of how much help is given.

The carer question ("how much of this help do family or friends give today?") scores no points;
its answer picks the carer reduction an allocation table applies at the very end.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CarerLevel:
    code: str
    label: str


CARER_LEVELS: tuple[CarerLevel, ...] = (
    CarerLevel("none", "No help from family or friends"),
    CarerLevel("some", "Some help from family or friends"),
    CarerLevel("substantial", "A lot of help from family or friends"),
    CarerLevel("most", "Family or friends give most of the help"),
)

CARER_LEVEL_CODES: tuple[str, ...] = tuple(level.code for level in CARER_LEVELS)


def carer_level_label(code: str) -> str:
    """The words for a carer level code, or the code itself if it is not one of ours."""
    return next((level.label for level in CARER_LEVELS if level.code == code), code)

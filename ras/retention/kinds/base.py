"""What a kind of record on the retention schedule is: its rule in plain words, and how to apply it.

A kind commits its own work, each step in a transaction of its own, and counts what it did in the
tally it is given, so a step that fails still leaves the counts of the steps before it.
"""

import datetime
from dataclasses import dataclass
from typing import Protocol


@dataclass(slots=True)
class Tally:
    """Counts for a run's report; never a name or an id."""

    deleted: int = 0
    anonymised: int = 0
    held: int = 0
    warned: int = 0
    accounts_closed: int = 0


class RetentionKind(Protocol):
    code: str  # a slug, stable across runs: "abandoned-drafts"
    title: str  # what the report calls it: "Unsent self-assessments"

    def period(self) -> str:
        """The period in force, in words: "90 days"."""
        ...

    def rule(self) -> str:
        """What happens to this kind of record, and when, in plain words with the period."""
        ...

    def apply(self, *, now: datetime.datetime, tally: Tally) -> None:
        """Warns, deletes or anonymises what has passed its period as of `now`, never touching a
        record of a person under a legal hold (those are counted in `tally.held`). Safe to run
        again: what was done is not done twice."""
        ...


def plural(count: int, singular: str, plural_form: str = "") -> str:
    return f"{count:,} {singular if count == 1 else plural_form or singular + 's'}"

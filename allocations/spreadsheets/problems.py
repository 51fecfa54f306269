"""What is wrong with an uploaded file, each problem placed by sheet, row and column."""

from collections.abc import Sequence
from dataclasses import dataclass

from allocations.spreadsheets.layout import CSV_FILE


@dataclass(frozen=True, slots=True)
class SpreadsheetProblem:
    """One problem with an uploaded file.

    `sheet` is the sheet's name ("Bands"), "CSV file" for a CSV file, or None when the problem is
    with the file as a whole. `row` counts from 1 as spreadsheet programs do; `column` is the
    column's letter and `heading` its heading. `message` says what is wrong in plain words.
    """

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    heading: str | None = None

    @property
    def location(self) -> str:
        """`Bands sheet, row 7, column D (Base £ a year)`, or `The file`."""
        if self.sheet is None:
            return "The file"
        parts = [self.sheet if self.sheet == CSV_FILE else f"{self.sheet} sheet"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}" + (f" ({self.heading})" if self.heading else ""))
        return ", ".join(parts)

    def __str__(self) -> str:
        """The problem in one sentence; a problem with the whole file is its message alone."""
        if self.sheet is None:
            return self.message
        return f"{self.location}: {self.message}"


class SpreadsheetRefused(Exception):
    """The file was refused and nothing was saved; `problems` lists every reason."""

    def __init__(self, problems: Sequence[SpreadsheetProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))

    @property
    def messages(self) -> list[str]:
        return [str(problem) for problem in self.problems]

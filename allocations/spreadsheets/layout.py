"""The layout of an exported table, which is also the layout an import must follow.

A workbook has three sheets: "About this table" (facts about the version; not read on import),
"Bands" and "Carer reductions". A CSV file holds both sections in one table with a `section`
column (see docs/adr/0005-spreadsheet-import-and-export.md).
"""

from dataclasses import dataclass

from ras.uploads import MAX_UPLOAD_BYTES as MAX_UPLOAD_BYTES

ABOUT_SHEET = "About this table"
BANDS_SHEET = "Bands"
REDUCTIONS_SHEET = "Carer reductions"
CSV_FILE = "CSV file"

MAX_BANDS = 500
MAX_REDUCTION_ROWS = 100

POUNDS_FORMAT = "£#,##0.00"
PERCENT_FORMAT = "0.00"
DATE_FORMAT = "d mmmm yyyy"

CSV_SECTION_BAND = "band"
CSV_SECTION_REDUCTION = "carer_reduction"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: its letter, its heading and the value it holds (`field`)."""

    letter: str
    heading: str
    field: str
    # Other headings read as this column, such as a shortened one.
    also_accepted: tuple[str, ...] = ()

    def accepts(self, heading: str) -> bool:
        wanted = {normalise_heading(self.heading), *map(normalise_heading, self.also_accepted)}
        return normalise_heading(heading) in wanted

    @property
    def described(self) -> str:
        """`column D (Base £ a year)`, as problems name a column."""
        return f"column {self.letter} ({self.heading})"


def normalise_heading(heading: str) -> str:
    return " ".join(heading.split()).casefold()


BAND_COLUMNS: tuple[Column, ...] = (
    Column("A", "Band", "band"),
    Column("B", "Min points", "min_points"),
    Column("C", "Max points (blank = no upper limit)", "max_points", ("Max points",)),
    Column("D", "Base £ a year", "base_pence"),
    Column("E", "£ a year per point", "per_point_pence"),
)

REDUCTION_COLUMNS: tuple[Column, ...] = (
    Column("A", "Carer level code", "carer_level"),
    Column("B", "Description", "description"),
    Column("C", "Reduction %", "reduction_bp"),
)

# ASCII headings, so a file Excel saves as plain "CSV" (Windows-1252) still reads as UTF-8.
CSV_COLUMNS: tuple[Column, ...] = (
    Column("A", "section", "section"),
    Column("B", "band", "band"),
    Column("C", "min_points", "min_points"),
    Column("D", "max_points", "max_points"),
    Column("E", "base_pounds_a_year", "base_pence"),
    Column("F", "pounds_a_year_per_point", "per_point_pence"),
    Column("G", "carer_level", "carer_level"),
    Column("H", "description", "description"),
    Column("I", "reduction_percent", "reduction_bp"),
)
CSV_BAND_FIELDS = ("band", "min_points", "max_points", "base_pence", "per_point_pence")
CSV_REDUCTION_FIELDS = ("carer_level", "description", "reduction_bp")


def column_for(columns: tuple[Column, ...], field: str) -> Column:
    return next(column for column in columns if column.field == field)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column counted from 1: 1 is A, 27 is AA."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters

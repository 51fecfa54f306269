"""Importing a spreadsheet into a draft: read it all, check it all, then save it all or nothing."""

from allocations import engine
from allocations.models import AllocationTableVersion
from allocations.services import (
    TableInvalid,
    TableNotDraft,
    require_finance_lead,
    table_draft_save,
    table_problems,
)
from allocations.spreadsheets.layout import Column, column_for
from allocations.spreadsheets.problems import SpreadsheetProblem, SpreadsheetRefused
from allocations.spreadsheets.reading import TableFromFile, read_table_file
from allocations.spreadsheets.safety import Upload, read_upload
from ras.accounts.models import User

# Which column an engine problem's `field` points at.
BAND_FIELD_COLUMNS = {"min_points", "max_points", "base_pence", "per_point_pence"}


def table_draft_import(
    *,
    version: AllocationTableVersion,
    actor: User,
    uploaded_file: Upload,
    reason: str,
    expected_edit_number: int | None = None,
) -> AllocationTableVersion:
    """Replaces a draft's bands and reductions with those in an .xlsx or CSV file.

    The whole file is read and checked before anything is written: the file itself (see
    `safety`), every cell, then the table as a whole (gaps, overlaps, missing carer levels...).
    The draft keeps its label. `expected_edit_number` is the edit the person started from (the
    draft's current one when not given), so an import over someone else's newer save is refused.

    Raises PermissionDenied for anyone but a finance lead; TableNotDraft for a published or
    retired version; SpreadsheetRefused listing every problem; StaleEdit. Nothing is saved when
    anything is raised.
    """
    require_finance_lead(actor)
    if not version.is_draft:
        raise TableNotDraft(
            [
                f"'{version.label}' is {version.get_status_display().lower()} and cannot be "
                "changed. Create a draft from it, then import the file into the draft."
            ]
        )
    name, data = read_upload(uploaded_file)
    table = read_table_file(name=name, data=data)
    problems = [*table.problems, *_table_problems(table)]
    if problems:
        raise SpreadsheetRefused(problems)
    note = f"imported from {name}"
    try:
        return table_draft_save(
            version=version,
            actor=actor,
            label=version.label,
            bands=table.bands,
            carer_reductions_bp=table.carer_reductions_bp,
            expected_edit_number=(
                version.edit_number if expected_edit_number is None else expected_edit_number
            ),
            reason=f"{reason.strip()} ({note})" if reason.strip() else note.capitalize(),
        )
    except TableInvalid as invalid:  # checked above; kept so a refusal always names its rows
        raise SpreadsheetRefused(_placed(table, invalid.problems)) from invalid


def _table_problems(table: TableFromFile) -> list[SpreadsheetProblem]:
    """The pricing rule's problems with the table, for the parts of the file that could be read.

    Checks of a section that could not be read in full are left out: a band missing because one
    of its cells is wrong would otherwise show as a gap as well.
    """
    found = table_problems(bands=table.bands, carer_reductions_bp=table.carer_reductions_bp)
    kept = []
    for problem in found:
        if _is_band_problem(problem):
            if table.bands_complete:
                kept.append(problem)
        elif problem.code == "missing_reduction":
            if table.reductions_complete and problem.carer_level not in table.levels_named:
                kept.append(problem)
        elif table.reductions_complete:
            kept.append(problem)
    return _placed(table, kept)


def _is_band_problem(problem: engine.TableProblem) -> bool:
    return problem.band_number is not None or problem.field == "bands"


def _placed(table: TableFromFile, problems: list[engine.TableProblem]) -> list[SpreadsheetProblem]:
    """Each engine problem at the sheet, row and column it comes from."""
    placed = []
    for problem in problems:
        if problem.band_number is not None and problem.band_number <= len(table.band_rows):
            row = table.band_rows[problem.band_number - 1]
            column = _column(table.band_columns, problem.field)
            placed.append(_at(problem.message, table.bands_sheet, row, column))
        elif _is_band_problem(problem):
            placed.append(SpreadsheetProblem(problem.message, table.bands_sheet))
        elif problem.carer_level is not None and problem.carer_level in table.reduction_rows:
            row = table.reduction_rows[problem.carer_level]
            column = column_for(table.reduction_columns, "reduction_bp")
            placed.append(_at(problem.message, table.reductions_sheet, row, column))
        else:
            placed.append(SpreadsheetProblem(problem.message, table.reductions_sheet))
    return placed


def _column(columns: tuple[Column, ...], field: str | None) -> Column | None:
    return column_for(columns, field) if field in BAND_FIELD_COLUMNS else None


def _at(message: str, sheet: str, row: int, column: Column | None) -> SpreadsheetProblem:
    if column is None:
        return SpreadsheetProblem(message, sheet, row)
    return SpreadsheetProblem(message, sheet, row, column.letter, column.heading)

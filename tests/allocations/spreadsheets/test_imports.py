"""Importing a file into a draft: all or nothing, and every bad file leaves the draft as it was."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from allocations.engine import format_pounds
from allocations.services import StaleEdit, TableNotDraft
from allocations.spreadsheets.export import table_csv, table_workbook
from allocations.spreadsheets.imports import table_draft_import
from allocations.spreadsheets.layout import MAX_BANDS, MAX_UPLOAD_BYTES
from allocations.spreadsheets.problems import SpreadsheetRefused
from tests.allocations.spreadsheets import builders
from tests.allocations.spreadsheets.conftest import snapshot, table_rows
from tests.allocations.spreadsheets.test_reading import contiguous_bands

pytestmark = pytest.mark.django_db


def import_file(version, actor, name: str, data: bytes, **kwargs):
    return table_draft_import(
        version=version,
        actor=actor,
        uploaded_file=builders.upload(name, data),
        reason=kwargs.pop("reason", "Recalibration"),
        **kwargs,
    )


def gap_and_overlap_bands() -> list[list]:
    bands = builders.bands_with(1, 1, 21)  # band 2 starts at 21: point 20 is in no band
    bands[3][1] = 85  # band 4 starts at 85 inside band 3 (50 to 89)
    return bands


def more_than_500_bands() -> bytes:
    return builders.workbook(bands=contiguous_bands(MAX_BANDS + 1))


BAD_FILES = [
    pytest.param(
        "table.xlsx", lambda: b"PK\x03\x04" + bytes(MAX_UPLOAD_BYTES), ["larger than 2 MB"],
        id="oversize",
    ),
    pytest.param(
        "table.xlsx", builders.pdf_document, ["'table.xlsx' is a PDF document"],
        id="pdf-named-xlsx",
    ),
    pytest.param(
        "table.xlsx", builders.png_image, ["'table.xlsx' is a PNG image"], id="png-named-xlsx"
    ),
    pytest.param(
        "table.xlsx", builders.csv_file, ["named 'table.xlsx' but it is CSV text"],
        id="csv-named-xlsx",
    ),
    pytest.param(
        "table.csv", builders.workbook, ["named 'table.csv' but it is an Excel workbook"],
        id="xlsx-named-csv",
    ),
    pytest.param(
        "table.xlsx", builders.macro_enabled_workbook, ["is a macro-enabled workbook"],
        id="xlsm-named-xlsx",
    ),
    pytest.param(
        "table.xlsm", builders.macro_enabled_workbook, ["is a macro-enabled workbook"],
        id="xlsm",
    ),
    pytest.param(
        "table.xlsx",
        lambda: builders.workbook(bands=builders.bands_with(1, 3, "=B3*150")),
        ["Bands sheet, row 3, column D (Base £ a year): holds a formula ('=B3*150') with no "
         "saved result"],
        id="formula-without-saved-result",
    ),
    pytest.param(
        "table.xlsx", more_than_500_bands,
        ["Bands sheet: the sheet has more than 500 bands; a table can have at most 500"],
        id="more-than-500-bands",
    ),
    pytest.param(
        "table.xlsx", lambda: builders.zip_bomb(unpacked_bytes=30 * 1024 * 1024),
        ["would unpack to more than 20 MB"], id="zip-bomb",
    ),
    pytest.param(
        "table.xlsx", lambda: builders.zip_bomb(unpacked_bytes=5 * 1024 * 1024),
        ["packed more than 100 times smaller"], id="zip-bomb-by-ratio",
    ),
    pytest.param(
        "table.xlsx",
        lambda: builders.workbook(bands=builders.bands_with(1, 3, "3,000.505")),
        ["Bands sheet, row 3, column D (Base £ a year): '3,000.505' has more than 2 decimal "
         "places"],
        id="three-decimal-places",
    ),
    pytest.param(
        "table.xlsx",
        lambda: builders.workbook(bands=builders.bands_with(2, 4, "about 285")),
        ["Bands sheet, row 4, column E (£ a year per point): 'about 285' is not an amount in "
         "pounds and pence"],
        id="text-in-a-number-cell",
    ),
    pytest.param(
        "table.xlsx",
        lambda: builders.workbook(bands=builders.bands_with(4, 3, -5)),
        ["Bands sheet, row 6, column D (Base £ a year): '-5' is below £0.00"],
        id="negative-money",
    ),
    pytest.param(
        "table.xlsx",
        lambda: builders.workbook(bands=gap_and_overlap_bands()),
        ["Bands sheet, row 3, column B (Min points): Band 2 starts at 21 but band 1 ends at "
         "19: point 20 belongs to no band.",
         "Bands sheet, row 5, column B (Min points): Band 4 starts at 85 but band 3 ends at "
         "89: points 85 to 89 are in both bands."],
        id="gap-and-overlap",
    ),
    pytest.param(
        "table.xlsx",
        lambda: builders.workbook(sheets=("Bands",)),
        ["The workbook has no sheet called 'Carer reductions'"],
        id="missing-sheet",
    ),
    pytest.param(
        "table.xlsx",
        lambda: builders.workbook(reductions=builders.reductions_with(3, 0, "lots")),
        ["Carer reductions sheet, row 5, column A (Carer level code): 'lots' is not a carer "
         "level of the questionnaire"],
        id="unknown-carer-level",
    ),
    pytest.param(
        "table.xlsx",
        lambda: builders.workbook(reductions=builders.GOOD_REDUCTIONS[:3]),
        ["Carer reductions sheet: Carer level 'most' is in the questionnaire but the table "
         "has no reduction for it."],
        id="missing-carer-level",
    ),
    pytest.param(
        "table.csv",
        lambda: builders.csv_file(bands=builders.bands_with(1, 3, "3,000.505")),
        ["CSV file, row 3, column E (base_pounds_a_year): '3,000.505' has more than 2 "
         "decimal places"],
        id="csv-three-decimal-places",
    ),
    pytest.param(
        "table.csv",
        lambda: builders.csv_file(bands=gap_and_overlap_bands()),
        ["CSV file, row 3, column C (min_points): Band 2 starts at 21 but band 1 ends at 19",
         "CSV file, row 5, column C (min_points): Band 4 starts at 85 but band 3 ends at 89"],
        id="csv-gap-and-overlap",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make_data", "expected"), BAD_FILES)
def test_a_bad_file_is_refused_with_its_problems_and_leaves_the_draft_exactly_as_it_was(
    draft_version, finance_lead, name, make_data, expected
) -> None:
    before = snapshot(draft_version)
    with pytest.raises(SpreadsheetRefused) as refused:
        import_file(draft_version, finance_lead, name, make_data())
    for message in expected:
        assert any(message in problem for problem in refused.value.messages), (
            f"{message!r} not in {refused.value.messages}"
        )
    assert snapshot(draft_version) == before


def test_every_problem_in_a_file_is_listed_at_once(draft_version, finance_lead) -> None:
    bands = gap_and_overlap_bands()
    bands[0][4] = "150.001"
    data = builders.workbook(bands=bands, reductions=builders.reductions_with(1, 2, "120"))
    before = snapshot(draft_version)
    with pytest.raises(SpreadsheetRefused) as refused:
        import_file(draft_version, finance_lead, "table.xlsx", data)
    # A bad cell in the Bands sheet holds back the checks of the bands as a whole, which could
    # only repeat it (a band that cannot be read would also look like a gap).
    assert refused.value.messages == [
        "Bands sheet, row 2, column E (£ a year per point): '150.001' has more than 2 decimal "
        "places; amounts are pounds and pence",
        "Carer reductions sheet, row 3, column C (Reduction %): '120' is not between 0 and "
        "100; a reduction is from 0% to 100%",
    ]
    assert snapshot(draft_version) == before


def test_a_float_looking_amount_is_saved_to_the_penny(other_draft, finance_lead) -> None:
    """Excel keeps a typed 3000.10 as the float 3000.1; it is saved as £3,000.10 (300,010p).

    260.29 is the float 260.29, and 260.29 * 100 is 26028.999999999996: a float multiply would
    save 26,028p. It is saved as 26,029p.
    """
    bands = builders.bands_with(1, 3, 3000.10)
    bands[1][4] = 260.29
    import_file(other_draft, finance_lead, "table.xlsx", builders.workbook(bands=bands))
    saved_bands, _ = table_rows(other_draft)
    assert saved_bands[1] == (20, 49, 300_010, 26_029)
    assert format_pounds(saved_bands[1][2]) == "£3,000.10"


def test_a_formula_with_a_saved_result_is_imported_as_its_result(other_draft, finance_lead) -> None:
    """D3 holds =B3*150 with Excel's saved result 3000: band 2's base is £3,000.00."""
    data = builders.workbook(bands=builders.bands_with(1, 3, "=B3*150"))
    data = builders.with_saved_result(
        data, part="xl/worksheets/sheet1.xml", cell="D3", saved="3000"
    )
    import_file(other_draft, finance_lead, "table.xlsx", data)
    saved_bands, _ = table_rows(other_draft)
    assert saved_bands[1] == (20, 49, 300_000, 26_000)


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_a_published_version_exported_and_imported_into_a_draft_comes_back_exactly(
    published_version, other_draft, finance_lead, extension
) -> None:
    assert table_rows(other_draft) != table_rows(published_version)
    if extension == "xlsx":
        data = table_workbook(published_version)
    else:
        data = table_csv(published_version).encode()
    import_file(other_draft, finance_lead, f"older-people.{extension}", data)
    assert table_rows(other_draft) == table_rows(published_version)


def test_an_import_keeps_the_drafts_label_and_records_the_reason_and_file(
    published_version, other_draft, finance_lead
) -> None:
    before = snapshot(other_draft)
    imported = import_file(
        other_draft,
        finance_lead,
        "uplift.xlsx",
        table_workbook(published_version),
        reason="Back to the published amounts",
    )
    assert imported.label == "Draft to import into"
    assert imported.edit_number == before[2] + 1
    latest = (
        apps.get_model("allocations", "AllocationTableVersionEvent")
        .objects.filter(pgh_obj=other_draft, pgh_label="update")
        .order_by("-pgh_id")
        .first()
    )
    assert latest is not None
    assert latest.pgh_context.metadata["reason"] == (
        "Back to the published amounts (imported from uplift.xlsx)"
    )
    assert latest.pgh_context.metadata["user"] == finance_lead.pk


def test_importing_into_a_published_version_is_refused(published_version, finance_lead) -> None:
    before = snapshot(published_version)
    with pytest.raises(TableNotDraft) as refused:
        import_file(published_version, finance_lead, "table.xlsx", builders.workbook())
    assert "is published and cannot be changed" in refused.value.messages[0]
    assert snapshot(published_version) == before


def test_only_a_finance_lead_can_import(draft_version, social_worker, team_manager) -> None:
    before = snapshot(draft_version)
    for person in (social_worker, team_manager):
        with pytest.raises(PermissionDenied):
            import_file(draft_version, person, "table.xlsx", builders.workbook())
    assert snapshot(draft_version) == before


def test_an_import_started_before_someone_elses_save_is_refused(
    draft_version, finance_lead
) -> None:
    started_at = draft_version.edit_number
    import_file(draft_version, finance_lead, "first.xlsx", builders.workbook())
    draft_version.refresh_from_db()
    before = snapshot(draft_version)
    with pytest.raises(StaleEdit):
        import_file(
            draft_version,
            finance_lead,
            "second.xlsx",
            builders.workbook(bands=builders.bands_with(1, 3, 3100)),
            expected_edit_number=started_at,
        )
    assert snapshot(draft_version) == before

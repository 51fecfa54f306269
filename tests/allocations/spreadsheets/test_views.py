"""The downloads and the import page: finance leads only, every error listed, nothing half-done."""

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from allocations.spreadsheets.export import table_workbook
from allocations.spreadsheets.layout import MAX_UPLOAD_BYTES
from tests.allocations.spreadsheets import builders
from tests.allocations.spreadsheets.conftest import snapshot, table_rows

pytestmark = pytest.mark.django_db

NOT_FINANCE_LEADS = [
    "service_user",
    "representative",
    "social_worker",
    "team_manager",
    "panel_member",
    "administrator",
]


def urls(version) -> list[str]:
    return [
        reverse(f"spreadsheets:{name}", kwargs={"pk": version.pk})
        for name in ("export-xlsx", "export-csv", "import")
    ]


def post_file(client, version, name: str, data: bytes, *, reason: str = "Recalibration"):
    return client.post(
        reverse("spreadsheets:import", kwargs={"pk": version.pk}),
        {
            "file": builders.upload(name, data),
            "reason": reason,
            "edit_number": version.edit_number,
        },
    )


def test_the_urls_are_where_the_finance_pages_expect_them(draft_version) -> None:
    pk = draft_version.pk
    assert urls(draft_version) == [
        f"/finance/tables/{pk}/export.xlsx",
        f"/finance/tables/{pk}/export.csv",
        f"/finance/tables/{pk}/import/",
    ]


@pytest.mark.parametrize("role", NOT_FINANCE_LEADS)
def test_only_a_finance_lead_may_export_or_import(
    request, client_for, draft_version, published_version, role
) -> None:
    client = client_for(request.getfixturevalue(role))
    for version in (draft_version, published_version):
        for url in urls(version):
            assert client.get(url).status_code == 403
    before = snapshot(draft_version)
    assert post_file(client, draft_version, "t.xlsx", builders.workbook()).status_code == 403
    assert snapshot(draft_version) == before


def test_anyone_not_signed_in_is_sent_to_sign_in(client, draft_version) -> None:
    for url in urls(draft_version):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    before = snapshot(draft_version)
    response = post_file(client, draft_version, "t.xlsx", builders.workbook())
    assert response.status_code == 302
    assert snapshot(draft_version) == before


def test_a_finance_lead_downloads_a_workbook_as_an_attachment(
    client_for, finance_lead, published_version
) -> None:
    response = client_for(finance_lead).get(urls(published_version)[0])
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="older-people-2026-to-2027.xlsx"'
    )
    assert "no-store" in response["Cache-Control"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["About this table", "Bands", "Carer reductions"]


def test_a_finance_lead_downloads_a_draft_as_csv(client_for, finance_lead, draft_version) -> None:
    response = client_for(finance_lead).get(urls(draft_version)[1])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="older-people-2027-to-2028-proposal.csv"'
    )
    assert response.content.decode().startswith("section,band,min_points")


def test_an_unknown_version_is_not_found(client_for, finance_lead) -> None:
    client = client_for(finance_lead)
    for name in ("export-xlsx", "export-csv", "import"):
        assert (
            client.get(reverse(f"spreadsheets:{name}", kwargs={"pk": 999_999})).status_code == 404
        )


def test_the_import_page_shows_a_file_upload_and_a_reason(
    client_for, finance_lead, draft_version
) -> None:
    response = client_for(finance_lead).get(urls(draft_version)[2])
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Import a spreadsheet into 2027 to 2028 proposal –" in page
    assert 'class="govuk-file-upload"' in page
    assert 'name="reason"' in page
    assert f'name="edit_number" value="{draft_version.edit_number}"' in page


def test_a_file_with_several_problems_lists_them_all_and_changes_nothing(
    client_for, finance_lead, draft_version
) -> None:
    bands = builders.bands_with(1, 3, "3,000.505")
    bands[2][4] = "about 285"
    data = builders.workbook(bands=bands, reductions=builders.reductions_with(3, 0, "lots"))
    before = snapshot(draft_version)
    response = post_file(client_for(finance_lead), draft_version, "table.xlsx", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Import a spreadsheet" in page
    assert "The file has 3 problems. Nothing was saved" in page
    assert page.count('<li><a href="#id_file">') == 3
    assert (
        "Bands sheet, row 3, column D (Base £ a year): &#x27;3,000.505&#x27; has more than 2 "
        "decimal places"
    ) in page
    assert "Bands sheet, row 4, column E (£ a year per point)" in page
    assert "Carer reductions sheet, row 5, column A (Carer level code)" in page
    assert snapshot(draft_version) == before


def test_a_file_over_2_mb_is_refused_by_the_upload_limit(
    client_for, finance_lead, draft_version
) -> None:
    before = snapshot(draft_version)
    data = b"PK\x03\x04" + bytes(MAX_UPLOAD_BYTES)
    response = post_file(client_for(finance_lead), draft_version, "big.xlsx", data)
    assert response.status_code == 200
    assert "The selected file is larger than 2 MB" in response.content.decode()
    assert snapshot(draft_version) == before


def test_the_reason_is_required(client_for, finance_lead, draft_version) -> None:
    before = snapshot(draft_version)
    response = post_file(
        client_for(finance_lead), draft_version, "t.xlsx", builders.workbook(), reason=""
    )
    page = response.content.decode()
    assert '<li><a href="#id_reason">Enter the reason for this change</a></li>' in page
    assert snapshot(draft_version) == before


def test_no_file_chosen_is_an_error(client_for, finance_lead, draft_version) -> None:
    response = client_for(finance_lead).post(
        urls(draft_version)[2], {"reason": "x", "edit_number": draft_version.edit_number}
    )
    assert "Select an Excel workbook (.xlsx) or a CSV file" in response.content.decode()


def test_a_good_file_is_imported_and_the_finance_lead_is_told(
    client_for, finance_lead, published_version, other_draft
) -> None:
    client = client_for(finance_lead)
    response = post_file(client, other_draft, "back.xlsx", table_workbook(published_version))
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:version-detail", kwargs={"pk": other_draft.pk})
    assert table_rows(other_draft) == table_rows(published_version)
    page = client.get(reverse("spreadsheets:import", kwargs={"pk": other_draft.pk}))
    assert (
        "&#x27;back.xlsx&#x27; was imported into &#x27;Draft to import into&#x27;: 5 bands and "
        "4 carer reductions."
    ) in page.content.decode()


def test_the_success_message_counts_what_the_file_held(
    client_for, finance_lead, draft_version
) -> None:
    """The draft had 5 bands; the file holds 3, so the draft now has 3."""
    bands: list[list[Any]] = [
        [1, 0, 19, 0, 150],
        [2, 20, 49, 3000, 260],
        [3, 50, None, 10800, 285],
    ]
    client = client_for(finance_lead)
    post_file(client, draft_version, "three.xlsx", builders.workbook(bands=bands))
    page = client.get(urls(draft_version)[2]).content.decode()
    assert "3 bands and 4 carer reductions." in page
    assert table_rows(draft_version)[0] == [
        (0, 19, 0, 15_000),
        (20, 49, 300_000, 26_000),
        (50, None, 1_080_000, 28_500),
    ]


def test_an_import_over_someone_elses_newer_save_is_refused(
    client_for, finance_lead, published_version, other_draft
) -> None:
    client = client_for(finance_lead)
    stale_edit_number = other_draft.edit_number
    post_file(client, other_draft, "first.xlsx", table_workbook(published_version))
    before = snapshot(other_draft)
    response = client.post(
        urls(other_draft)[2],
        {
            "file": builders.upload("second.xlsx", builders.workbook()),
            "reason": "Mine",
            "edit_number": stale_edit_number,
        },
    )
    assert "Someone saved &#x27;Draft to import into&#x27; after you opened it" in (
        response.content.decode()
    )
    assert snapshot(other_draft) == before


def test_the_import_page_of_a_published_version_explains_it_cannot_change(
    client_for, finance_lead, published_version
) -> None:
    client = client_for(finance_lead)
    page = client.get(urls(published_version)[2]).content.decode()
    assert "This table cannot be changed" in page
    assert 'type="file"' not in page
    before = snapshot(published_version)
    response = post_file(client, published_version, "t.xlsx", builders.workbook())
    assert "is published and cannot be changed" in response.content.decode()
    assert snapshot(published_version) == before


def test_the_import_checks_the_csrf_token(client_for, finance_lead, draft_version) -> None:
    client = client_for(finance_lead, enforce_csrf_checks=True)
    before = snapshot(draft_version)
    response = post_file(client, draft_version, "t.xlsx", builders.workbook())
    assert response.status_code == 403
    assert snapshot(draft_version) == before

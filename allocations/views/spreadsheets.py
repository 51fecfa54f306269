"""Excel and CSV: export any version, import a file into a draft. Finance leads only.

Published versions are public, but an export of a draft is not, so every export needs a finance
lead too; the public transparency page has its own downloads of published versions.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from allocations.models import AllocationTableVersion
from allocations.selectors import table_versions
from allocations.services import TableChangeRefused
from allocations.spreadsheets.export import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    export_filename,
    table_csv,
    table_workbook,
)
from allocations.spreadsheets.imports import table_draft_import
from allocations.spreadsheets.layout import (
    BAND_COLUMNS,
    BANDS_SHEET,
    CSV_COLUMNS,
    MAX_BANDS,
    REDUCTION_COLUMNS,
    REDUCTIONS_SHEET,
)
from allocations.spreadsheets.problems import SpreadsheetProblem, SpreadsheetRefused
from allocations.spreadsheets.safety import file_too_large_message
from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.uploads import UploadSizeLimit


class TableImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": "Select an Excel workbook (.xlsx) or a CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select an Excel workbook (.xlsx) or a CSV file",
        },
    )
    reason = forms.CharField(
        label="Reason for this change",
        max_length=1000,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter the reason for this change",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )
    edit_number = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, file_too_large: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_too_large = file_too_large
        if file_too_large:
            # The upload handler skipped the file, so "no file" would be the wrong thing to say.
            self.fields["file"].required = False

    def clean_file(self) -> Any:
        if self.file_too_large:
            raise ValidationError(file_too_large_message())
        return self.cleaned_data["file"]


@require_GET
@never_cache
@role_required(Role.FINANCE_LEAD)
def table_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(table_versions(), pk=pk)
    return _attachment(table_workbook(version), XLSX_CONTENT_TYPE, export_filename(version, "xlsx"))


@require_GET
@never_cache
@role_required(Role.FINANCE_LEAD)
def table_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(table_versions(), pk=pk)
    return _attachment(table_csv(version), CSV_CONTENT_TYPE, export_filename(version, "csv"))


# The size limit must be in place before anything reads the request body, and the CSRF check
# reads it; so CSRF is checked inside, once the limit is set (Django's documented pattern).
@csrf_exempt
@require_http_methods(["GET", "POST"])
@role_required(Role.FINANCE_LEAD)
def table_import(request: HttpRequest, pk: int) -> HttpResponse:
    size_limit = UploadSizeLimit(request)
    request.upload_handlers.insert(0, size_limit)
    return _table_import(request, pk, size_limit)


@csrf_protect
def _table_import(request: HttpRequest, pk: int, size_limit: UploadSizeLimit) -> HttpResponse:
    version = get_object_or_404(table_versions(), pk=pk)
    edit_number = version.edit_number
    problems: list[SpreadsheetProblem] = []
    refusals: list[str] = []
    if request.method == "POST":
        form = TableImportForm(
            request.POST, request.FILES, file_too_large=bool(size_limit.too_large)
        )
        if form.is_valid():
            uploaded_file = form.cleaned_data["file"]
            assert isinstance(request.user, User)  # noqa: S101 - role_required signed them in
            try:
                imported = table_draft_import(
                    version=version,
                    actor=request.user,
                    uploaded_file=uploaded_file,
                    reason=form.cleaned_data["reason"],
                    expected_edit_number=form.cleaned_data["edit_number"],
                )
            except SpreadsheetRefused as refused:
                problems = refused.problems
                edit_number = form.cleaned_data["edit_number"]
            except TableChangeRefused as refused:
                refusals = refused.messages
            else:
                messages.success(request, _imported_message(uploaded_file.name, imported))
                return redirect(_version_detail_url(imported))
        else:
            edit_number = form.cleaned_data.get("edit_number", edit_number)
    else:
        form = TableImportForm(initial={"edit_number": version.edit_number})
    return render(
        request,
        "allocations/spreadsheets/import.html",
        {
            "version": version,
            "form": form,
            "problems": problems,
            "refusals": refusals,
            "has_errors": bool(form.errors or problems or refusals),
            "edit_number": edit_number,
            "version_detail_url": _version_detail_url(version),
            "bands_sheet": BANDS_SHEET,
            "reductions_sheet": REDUCTIONS_SHEET,
            "band_columns": BAND_COLUMNS,
            "reduction_columns": REDUCTION_COLUMNS,
            "csv_columns": CSV_COLUMNS,
            "max_bands": MAX_BANDS,
        },
    )


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def _imported_message(file_name: str | None, version: AllocationTableVersion) -> str:
    bands = version.bands.count()
    reductions = version.carer_reductions.count()
    return (
        f"'{file_name}' was imported into '{version.label}': {bands} "
        f"band{'' if bands == 1 else 's'} and {reductions} carer "
        f"reduction{'' if reductions == 1 else 's'}."
    )


def _version_detail_url(version: AllocationTableVersion) -> str:
    return reverse("finance:version-detail", kwargs={"pk": version.pk})

"""Calibration samples: upload existing cases, then compare a table's amounts with their cost.

Finance leads only. The upload page lists the samples; a sample's page prices its cases under
the table in force today for each client group, or a version the finance lead picks.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from allocations.calibration import (
    CALIBRATION_COLUMNS,
    FURTHEST_OFF_SHOWN,
    MAX_CASES,
    calibration_analysis,
    calibration_sample_import,
    calibration_samples,
    calibration_versions,
)
from allocations.calibration_forms import CalibrationUploadForm
from allocations.services import TableChangeRefused
from allocations.spreadsheets.problems import SpreadsheetProblem, SpreadsheetRefused
from questionnaires.carer_levels import CARER_LEVEL_CODES
from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.uploads import UploadSizeLimit


# The size limit must be in place before anything reads the request body, and the CSRF check
# reads it; so CSRF is checked inside, once the limit is set.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@role_required(Role.FINANCE_LEAD)
def calibration_samples_page(request: HttpRequest) -> HttpResponse:
    size_limit = UploadSizeLimit(request)
    request.upload_handlers.insert(0, size_limit)
    return _calibration_samples_page(request, size_limit)


@csrf_protect
def _calibration_samples_page(request: HttpRequest, size_limit: UploadSizeLimit) -> HttpResponse:
    problems: list[SpreadsheetProblem] = []
    refusals: list[str] = []
    if request.method == "POST":
        form = CalibrationUploadForm(
            request.POST, request.FILES, file_too_large=bool(size_limit.too_large)
        )
        if form.is_valid():
            assert isinstance(request.user, User)  # noqa: S101 - role_required signed them in
            try:
                sample = calibration_sample_import(
                    name=form.cleaned_data["name"],
                    uploaded_file=form.cleaned_data["file"],
                    actor=request.user,
                )
            except SpreadsheetRefused as refused:
                problems = refused.problems
            except TableChangeRefused as refused:
                refusals = refused.messages
            else:
                messages.success(request, f"'{sample.name}' was imported.")
                return redirect("calibration:detail", pk=sample.pk)
    else:
        form = CalibrationUploadForm()
    return render(
        request,
        "allocations/calibration/list.html",
        {
            "form": form,
            "problems": problems,
            "refusals": refusals,
            "has_errors": bool(form.errors or problems or refusals),
            "samples": calibration_samples(),
            "columns": CALIBRATION_COLUMNS,
            "carer_levels": CARER_LEVEL_CODES,
            "max_cases": MAX_CASES,
        },
    )


@require_GET
@role_required(Role.FINANCE_LEAD)
def calibration_sample_page(request: HttpRequest, pk: int) -> HttpResponse:
    sample = get_object_or_404(calibration_samples(), pk=pk)
    versions = calibration_versions(sample)
    chosen = None
    version_id = request.GET.get("version", "")
    if version_id.isdigit():
        chosen = versions.filter(pk=int(version_id)).first()
    return render(
        request,
        "allocations/calibration/detail.html",
        {
            "sample": sample,
            "versions": versions,
            "chosen": chosen,
            "analyses": calibration_analysis(
                sample=sample, chosen_version=chosen, today=timezone.localdate()
            ),
            "furthest_off_shown": FURTHEST_OFF_SHOWN,
        },
    )

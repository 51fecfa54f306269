"""Finance lead pages for recalculation runs: start one, watch it, read what it found, download
every result, and compare two runs. Finance leads only; everyone else gets 403, and anyone signed
out is sent to sign in.

Each page validates what was typed, calls one service (`allocations.recalculation.services`) or
reads through the selectors in `allocations.recalculation.summaries`, and renders. A run's
progress updates by itself: the progress panel asks for a fresh copy of itself every second
(htmx polling) until the run finishes or stops making progress.
"""

import csv
import datetime
import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from allocations.models import AllocationTableVersion, RecalculationRun
from allocations.recalculation.histogram import HistogramChart, histogram_chart
from allocations.recalculation.scope import (
    WhatIfChange,
    unscorable_count,
    what_if_changes,
    what_if_options,
)
from allocations.recalculation.services import (
    RecalculationRefused,
    RunScope,
    recalculation_cancel,
    recalculation_resume,
    recalculation_start,
)
from allocations.recalculation.summaries import (
    CHANGE_BANDS,
    EXPORT_FIELDS,
    EXPORT_HEADINGS,
    LARGEST_CHANGES,
    WORKING_STATES,
    CaseChange,
    ExportRow,
    RunProgress,
    RunSummary,
    largest_changes,
    recalculation_runs,
    run_pair_summary,
    run_progress,
    run_result_count,
    run_result_rows,
    run_summary,
)
from allocations.recalculation_forms import RunCompareForm, RunStartForm, points_field_name
from allocations.selectors import table_versions
from questionnaires.carer_levels import carer_level_label
from questionnaires.models import Option
from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.audit.models import AccessKind
from ras.audit.recording import records_access
from ras.exports import formula_safe

PAGE_SIZE = 50
# An Excel worksheet holds 1,048,576 rows: the heading and this many results.
XLSX_MAX_RESULTS = 1_048_575
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CSV_LINES_PER_PIECE = 2_000
POUNDS_FORMAT = "£#,##0.00"
DATE_FORMAT = "d mmmm yyyy"
# The export's money columns, by their place in `summaries.EXPORT_FIELDS`.
MONEY_COLUMNS = frozenset(
    EXPORT_FIELDS.index(field)
    for field in (
        "full_needs_annual_pence",
        "original_indicative_annual_pence",
        "indicative_annual_pence",
        "difference_pence",
        "final_annual_pence",
    )
)


@dataclass(frozen=True, slots=True)
class ErrorLink:
    """One line of the GOV.UK error summary: the message and the field it takes people to."""

    href: str
    message: str


def _actor(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # role_required lets signed-in users alone through
        raise PermissionDenied
    return user


def _fragment_for_finance_leads(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponseBase]:
    """Like `role_required(Role.FINANCE_LEAD)`, for the panel the page polls for: when the
    session has ended, an htmx request gets `HX-Refresh` rather than the sign-in page (which
    would be swapped into the panel), so the whole page reloads and goes to sign in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            if request.headers.get("HX-Request") == "true":
                return HttpResponse(status=204, headers={"HX-Refresh": "true"})
            return redirect_to_login(request.get_full_path())
        if not request.user.has_role(Role.FINANCE_LEAD):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _run_url(run: RecalculationRun) -> str:
    return reverse("recalculations:detail", kwargs={"pk": run.pk})


def _get_run(pk: int) -> RecalculationRun:
    return get_object_or_404(recalculation_runs(), pk=pk)


# The list of runs


@require_GET
@role_required(Role.FINANCE_LEAD)
def run_list(request: HttpRequest) -> HttpResponse:
    """Every run, newest first."""
    page = Paginator(recalculation_runs(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "allocations/recalculations/list.html", {"page": page})


# Starting a run


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(Role.FINANCE_LEAD)
def run_start(request: HttpRequest) -> HttpResponse:
    """Start a run of a table version over a scope of historical assessments."""
    versions = list(table_versions())
    options = what_if_options()
    refusals: list[ErrorLink] = []
    if request.method == "POST":
        form = RunStartForm(
            request.POST, versions=versions, today=timezone.localdate(), options=options
        )
        if form.is_valid():
            try:
                run = recalculation_start(
                    table_version=form.cleaned_data["version"],
                    actor=_actor(request),
                    scope=RunScope(
                        submitted_from=form.cleaned_data["submitted_from"],
                        submitted_to=form.cleaned_data["submitted_to"],
                        decided_only=form.cleaned_data["decided_only"],
                    ),
                    request_token=form.cleaned_data["request_token"],
                    option_points=form.cleaned_data["option_points"],
                )
            except RecalculationRefused as refused:
                refusals = [ErrorLink("#id_version", message) for message in refused.messages]
                form.fresh_token()
            else:
                return redirect(_run_url(run))
    else:
        form = RunStartForm(
            initial={"version": _preselected_version(request, versions)},
            versions=versions,
            today=timezone.localdate(),
            options=options,
        )
    error_links = refusals + _form_error_links(form)
    return render(
        request,
        "allocations/recalculations/start.html",
        {
            "form": form,
            "request_token": form.token_for_page(),
            "version_groups": [
                (name, list(group))
                for name, group in itertools.groupby(
                    versions, key=lambda version: version.client_group.name
                )
            ],
            "selected_version": str(form["version"].value() or ""),
            "error_links": error_links,
            "date_fields": _date_fields(form),
            "what_if_questions": _what_if_questions(form, options),
        },
        status=409 if refusals else 400 if error_links else 200,
    )


@dataclass(frozen=True, slots=True)
class PointsBox:
    """One option's what-if points box: its name, label, points now, what is in it, errors."""

    name: str
    label: str
    points_now: int
    value: str
    errors: list[str]


@dataclass(frozen=True, slots=True)
class WhatIfQuestion:
    """A scored question of the what-if section, with a points box for each of its options."""

    number: int
    text: str
    boxes: list[PointsBox]


def _what_if_questions(form: RunStartForm, options: Sequence[Option]) -> list[WhatIfQuestion]:
    questions: list[WhatIfQuestion] = []
    for number, (_, group) in enumerate(
        itertools.groupby(options, key=lambda option: option.question_id), start=1
    ):
        question_options = list(group)
        boxes = []
        for option in question_options:
            name = points_field_name(option)
            value = form[name].value()
            boxes.append(
                PointsBox(
                    name=name,
                    label=option.label,
                    points_now=option.points,
                    value=str(option.points if value is None else value),
                    errors=[str(error) for error in form.errors.get(name, [])],
                )
            )
        questions.append(
            WhatIfQuestion(number=number, text=question_options[0].question.text, boxes=boxes)
        )
    return questions


def _what_if_context(run: RecalculationRun) -> dict[str, Any]:
    """What a run scores differently, and how many cases it left out for having no answers."""
    changes: list[WhatIfChange] = what_if_changes(run)
    return {
        "what_if_changes": changes,
        "what_if": run.option_points is not None,
        "unscorable_count": unscorable_count(
            run, client_group_code=run.table_version.client_group.code
        ),
    }


def _preselected_version(request: HttpRequest, versions: Sequence[AllocationTableVersion]) -> str:
    asked_for = request.GET.get("version", "")
    return asked_for if any(str(version.pk) == asked_for for version in versions) else ""


@dataclass(frozen=True, slots=True)
class DateField:
    """One GOV.UK date input of the start form: its name, legend, hint, errors and boxes."""

    name: str
    legend: str
    hint: str
    errors: list[str]
    day: str
    month: str
    year: str


def _date_fields(form: RunStartForm) -> list[DateField]:
    def value(name: str) -> str:
        return str(form[name].value() or "")

    return [
        DateField(
            name=name,
            legend=legend,
            hint=hint,
            errors=form.date_errors(name),
            day=value(f"{name}_day"),
            month=value(f"{name}_month"),
            year=value(f"{name}_year"),
        )
        for name, legend, hint in (
            (
                "submitted_from",
                "Submitted on or after",
                "For example, 1 4 2025. Leave blank to start from the first case.",
            ),
            (
                "submitted_to",
                "Submitted on or before",
                "For example, 31 3 2026. Leave blank to include every case up to today.",
            ),
        )
    ]


def _form_error_links(form: BaseForm) -> list[ErrorLink]:
    """The form's errors in the order of its fields; whole-form errors link to the version."""
    if not form.is_bound:
        return []
    links = [ErrorLink("#id_version", str(error)) for error in form.non_field_errors()]
    for field in form:
        href = f"#{field.auto_id}"
        if field.name == "cases":
            href = "#id_cases_0"
        elif field.name == "request_token":
            href = "#id_version"
        links += [ErrorLink(href, str(error)) for error in field.errors]
    return links


# A run's page, and the panel it polls for


@never_cache
@require_GET
@role_required(Role.FINANCE_LEAD)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run: what it prices, and its progress, which updates by itself while it works."""
    run = _get_run(pk)
    progress = run_progress(run)
    return render(
        request,
        "allocations/recalculations/detail.html",
        {"run": run, **_progress_context(run, progress), **_what_if_context(run)},
    )


@never_cache
@require_GET
@_fragment_for_finance_leads
def run_progress_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone, for the page's polling.

    `announced` is the percentage the page last announced to screen readers (a multiple of
    10%); the panel carries a new announcement only when the run has passed the next 10%, or has
    finished or stopped, so the announcements are polite and few.
    """
    run = _get_run(pk)
    progress = run_progress(run)
    try:
        announced = int(request.GET.get("announced", "0"))
    except ValueError:
        announced = 0
    polling = progress.is_working and not progress.is_stalled
    announcement = ""
    if not polling:
        announcement = _stopped_announcement(run, progress)
    elif progress.announced_percent > announced:
        announcement = (
            f"{progress.announced_percent}% done: {progress.done_count:,} of "
            f"{progress.total_count:,} cases."
        )
    return render(
        request,
        "allocations/recalculations/progress_panel.html",
        {"run": run, **_progress_context(run, progress), "announcement": announcement},
    )


def _progress_context(run: RecalculationRun, progress: RunProgress) -> dict[str, Any]:
    return {
        "progress": progress,
        "polling": progress.is_working and not progress.is_stalled,
        "panel_url": reverse("recalculations:progress", kwargs={"pk": run.pk}),
        "version_url": reverse("finance:version-detail", kwargs={"pk": run.table_version_id}),
    }


def _stopped_announcement(run: RecalculationRun, progress: RunProgress) -> str:
    counts = f"{progress.done_count:,} of {progress.total_count:,} cases"
    if progress.is_stalled:
        return f"The run has stopped making progress at {counts}. You can resume it."
    return {
        "completed": f"The run is complete: {counts}. The results are ready.",
        "cancelled": f"The run was cancelled at {counts}. Its results are partial.",
        "failed": f"The run failed at {counts}. Its results are partial.",
    }.get(run.state, f"The run has stopped at {counts}.")


@require_POST
@role_required(Role.FINANCE_LEAD)
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a queued or running run; the results so far are kept, marked partial."""
    run = _get_run(pk)
    try:
        recalculation_cancel(run=run, actor=_actor(request))
    except RecalculationRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The run is cancelled. The results it has so far are partial.")
    return redirect(_run_url(run))


@require_POST
@role_required(Role.FINANCE_LEAD)
def run_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Send again the chunks not yet done of a run that stopped making progress or failed."""
    run = _get_run(pk)
    try:
        recalculation_resume(run=run, actor=_actor(request))
    except RecalculationRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, "The run is resumed: the cases not yet priced are sent again.")
    return redirect(_run_url(run))


# What a run found


@records_access(AccessKind.LIST)
@require_GET
@role_required(Role.FINANCE_LEAD)
def run_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Cost now and under the run's table, who gains and loses by how much, the histogram, the
    largest changes each way, and the downloads. A run still working goes to its progress."""
    run = _get_run(pk)
    if run.state in WORKING_STATES:
        return redirect(_run_url(run))
    summary = run_summary(run)
    changes = largest_changes(run)
    return render(
        request,
        "allocations/recalculations/results.html",
        {
            "run": run,
            "summary": summary,
            "chart": _chart(summary, f"Changes under {run.table_version.label}"),
            "decreases": [_with_case_url(change) for change in changes.decreases],
            "increases": [_with_case_url(change) for change in changes.increases],
            "decreases_caption": f"The {LARGEST_CHANGES} largest decreases",
            "increases_caption": f"The {LARGEST_CHANGES} largest increases",
            "bands": CHANGE_BANDS,
            "xlsx_too_large": summary.result_count > XLSX_MAX_RESULTS,
            "version_url": reverse("finance:version-detail", kwargs={"pk": run.table_version_id}),
            "compare_url": f"{reverse('recalculations:compare')}?{urlencode({'b': run.pk})}",
            **_what_if_context(run),
        },
    )


def _chart(summary: RunSummary, title: str) -> HistogramChart:
    return histogram_chart(summary.changes.histogram, title=title)


@dataclass(frozen=True, slots=True)
class LinkedChange:
    """A case in a list of largest changes, and its page."""

    change: CaseChange
    case_url: str


def _with_case_url(change: CaseChange) -> LinkedChange:
    return LinkedChange(
        change,
        reverse("staff-assessments:detail", kwargs={"public_id": change.assessment_public_id}),
    )


# Downloads


# role_required is typed for views answering HttpResponse; a download answers a stream.
@records_access(AccessKind.EXPORT)
@require_GET
@role_required(Role.FINANCE_LEAD)
def run_results_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every result as CSV, streamed a few thousand rows at a time."""
    run = _get_run(pk)
    if run.state in WORKING_STATES:
        return redirect(_run_url(run))
    response = StreamingHttpResponse(_csv_pieces(run), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{_file_stem(run)}.csv"
    )
    return response


# role_required is typed for views answering HttpResponse; a download answers a stream.
@records_access(AccessKind.EXPORT)
@require_GET
@role_required(Role.FINANCE_LEAD)
def run_results_xlsx(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every result as an Excel workbook, written row by row (openpyxl's write-only mode)."""
    run = _get_run(pk)
    if run.state in WORKING_STATES:
        return redirect(_run_url(run))
    if run_result_count(run) > XLSX_MAX_RESULTS:
        return render(
            request,
            "allocations/recalculations/too_large.html",
            {"run": run, "limit": XLSX_MAX_RESULTS},
            status=409,
        )
    workbook_file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    _write_workbook(run, workbook_file)
    workbook_file.seek(0)
    return FileResponse(
        workbook_file,
        as_attachment=True,
        filename=f"{_file_stem(run)}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def _file_stem(run: RecalculationRun) -> str:
    return f"recalculation-run-{run.pk}-results" + ("-partial" if run.is_partial else "")


def _pounds(pence: int | None) -> Decimal | None:
    """Pence as an exact number of pounds: 300_010 is Decimal('3000.10')."""
    return None if pence is None else Decimal(pence) / 100


class _Echo:
    """A file that hands back what is written to it, so csv.writer makes lines to stream."""

    def write(self, value: str) -> str:
        return value


def _csv_pieces(run: RecalculationRun) -> Iterator[str]:
    # Text cells go through formula_safe; amounts, points and dates are written by us as plain
    # numbers ("-150.00"), which a spreadsheet reads as numbers, never as formulas.
    writer = csv.writer(_Echo())
    yield writer.writerow([formula_safe(heading) for heading in EXPORT_HEADINGS])
    rows = run_result_rows(run)
    while piece := list(itertools.islice(rows, CSV_LINES_PER_PIECE)):
        yield "".join(writer.writerow(_csv_cells(row)) for row in piece)


def _csv_cells(row: ExportRow) -> list[str | int | None]:
    cells: list[str | int | None] = []
    for index, value in enumerate(row):
        if index in MONEY_COLUMNS:
            cells.append(None if value is None else f"{_pounds(value):.2f}")  # type: ignore[arg-type]
        elif isinstance(value, datetime.datetime):
            cells.append(timezone.localdate(value).isoformat())
        elif isinstance(value, str):
            cells.append(formula_safe(_text(index, value)))
        else:
            cells.append(value)
    return cells


def _text(index: int, value: str) -> str:
    return carer_level_label(value) if EXPORT_FIELDS[index] == "carer_level" else value


def _write_workbook(run: RecalculationRun, target: Any) -> None:
    workbook = Workbook(write_only=True)
    about = workbook.create_sheet("About")
    for label, text in _about_rows(run):
        about.append([formula_safe(label), formula_safe(text)])
    sheet = workbook.create_sheet("Results")
    sheet.append([formula_safe(heading) for heading in EXPORT_HEADINGS])
    for row in run_result_rows(run):
        sheet.append(_xlsx_cells(sheet, row))
    workbook.save(target)


def _xlsx_cells(sheet: WriteOnlyWorksheet, row: ExportRow) -> list[Any]:
    cells: list[Any] = []
    for index, value in enumerate(row):
        if index in MONEY_COLUMNS:
            cell = WriteOnlyCell(sheet, value=_pounds(value))  # type: ignore[arg-type]
            cell.number_format = POUNDS_FORMAT
            cells.append(cell)
        elif isinstance(value, datetime.datetime):
            midnight = datetime.datetime.combine(timezone.localdate(value), datetime.time())
            cell = WriteOnlyCell(sheet, value=midnight)
            cell.number_format = DATE_FORMAT
            cells.append(cell)
        elif isinstance(value, str):
            cells.append(formula_safe(_text(index, value)))
        else:
            cells.append(value)
    return cells


def _about_rows(run: RecalculationRun) -> Iterable[tuple[str, str]]:
    version = run.table_version
    yield "Client group", version.client_group.name
    yield "Table version", f"{version.label} ({version.get_status_display().lower()})"
    yield "Cases", _cases_text(run)
    yield "Submitted on or after", _date_text(run.submitted_from, "Any date")
    yield "Submitted on or before", _date_text(run.submitted_to, "Any date")
    yield "Started by", run.started_by.full_name or run.started_by.email
    yield "State", run.get_state_display()
    if run.is_partial:
        yield (
            "Partial",
            f"Partial results: {run.done_count:,} of {run.total_count:,} cases were priced "
            "before the run stopped.",
        )
    yield (
        "Amounts",
        "Pounds a year, to the penny. 'Change' is the amount under this table minus the amount "
        "the case was originally priced at; blank where there was no original amount.",
    )


def _cases_text(run: RecalculationRun) -> str:
    return "Only cases with a decided budget" if run.decided_only else "Every submitted case"


def _date_text(date: datetime.date | None, otherwise: str) -> str:
    return otherwise if date is None else f"{date:%-d %B %Y}"


# Comparing two runs


@require_GET
@role_required(Role.FINANCE_LEAD)
def run_compare(request: HttpRequest) -> HttpResponse:
    """Two finished runs side by side, and the case-by-case change from run A to run B."""
    runs = list(recalculation_runs().exclude(state__in=WORKING_STATES))
    context: dict[str, Any] = {}
    if "a" in request.GET and "b" in request.GET:
        form = RunCompareForm(request.GET, runs=runs)
        if form.is_valid():
            run_a, run_b = form.cleaned_data["a"], form.cleaned_data["b"]
            summary_a, summary_b = run_summary(run_a), run_summary(run_b)
            pair = run_pair_summary(run_a, run_b)
            context = {
                "run_a": run_a,
                "run_b": run_b,
                "summary_a": summary_a,
                "summary_b": summary_b,
                "pair": pair,
                "chart_a": _chart(summary_a, f"A: changes under {run_a.table_version.label}"),
                "chart_b": _chart(summary_b, f"B: changes under {run_b.table_version.label}"),
                "chart_pair": histogram_chart(
                    pair.changes.histogram,
                    title=f"B against A: {run_b.table_version.label} against "
                    f"{run_a.table_version.label}",
                ),
                "same_scope": _same_scope(run_a, run_b),
                "band_rows": list(
                    zip(summary_a.changes.bands, summary_b.changes.bands, strict=True)
                ),
            }
    else:
        form = RunCompareForm(
            initial={name: request.GET.get(name) for name in ("a", "b")}, runs=runs
        )
    error_links = [
        ErrorLink(f"#{field.auto_id}", str(error)) for field in form for error in field.errors
    ]
    return render(
        request,
        "allocations/recalculations/compare.html",
        {
            "form": form,
            "runs": runs,
            "selected_a": str(form["a"].value() or ""),
            "selected_b": str(form["b"].value() or ""),
            "error_links": error_links,
            "bands": CHANGE_BANDS,
            **context,
        },
        status=400 if error_links else 200,
    )


def _same_scope(run_a: RecalculationRun, run_b: RecalculationRun) -> bool:
    return (
        run_a.table_version.client_group_id == run_b.table_version.client_group_id
        and run_a.submitted_from == run_b.submitted_from
        and run_a.submitted_to == run_b.submitted_to
        and run_a.decided_only == run_b.decided_only
    )

"""Finance lead pages for allocation tables: every version of each client group, drafts, editing,
publishing and comparing. Finance leads only; everyone else gets 403, and anyone signed out is
sent to sign in.

Each page validates what was typed, calls one service (`allocations.services`) and renders. The
services refuse a change to anything but a draft; these pages say so before offering a form.
"""

import datetime
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from allocations import engine
from allocations.charts import LINE_STYLES, ChartSeries, LineChart, line_chart
from allocations.comparison import TableComparison, compare_tables
from allocations.forms import (
    EMPTY_TABLE,
    FORM_FIELD_FOR_ENGINE_FIELD,
    BaseBandFormSet,
    CompareForm,
    DraftCreateForm,
    DraftEditForm,
    PublishForm,
    band_formset,
    draft_edit_initial,
    reduction_field_name,
)
from allocations.models import AllocationTableVersion, ClientGroup, TableStatus
from allocations.selectors import client_groups, engine_table, table_in_force, table_versions
from allocations.services import (
    TableChangeRefused,
    TableInvalid,
    TableNotDraft,
    table_draft_create,
    table_draft_save,
    table_publish,
)
from questionnaires.carer_levels import CARER_LEVELS
from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role

EXTRA_BAND_ROWS = 3
EMPTY_DRAFT_BAND_ROWS = 5


@dataclass(frozen=True, slots=True)
class ErrorLink:
    """One line of the GOV.UK error summary: the message and the field it takes people to."""

    href: str
    message: str


@dataclass(frozen=True, slots=True)
class VersionEntry:
    """A version as the lists show it: whether it is in force today, or takes effect later."""

    version: AllocationTableVersion
    in_force_today: bool
    today: datetime.date

    @property
    def takes_effect_later(self) -> bool:
        effective_from = self.version.effective_from
        return (
            self.version.status == TableStatus.PUBLISHED
            and effective_from is not None
            and effective_from > self.today
        )

    @property
    def status_tag_class(self) -> str:
        """Published versions get the default (blue) tag; drafts and retired ones grey."""
        return "" if self.version.status == TableStatus.PUBLISHED else "govuk-tag--grey"


@dataclass(frozen=True, slots=True)
class ClientGroupEntry:
    client_group: ClientGroup
    in_force: AllocationTableVersion | None
    version_count: int
    draft_count: int


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - role_required has signed them in
    return user


def _compare_url(**versions: int) -> str:
    return f"{reverse('finance:compare')}?{urlencode(versions)}"


def _create_draft_url(version: AllocationTableVersion) -> str:
    """The page creating a draft of the version's client group, with `version` chosen to copy."""
    create = reverse("finance:draft-create", kwargs={"code": version.client_group.code})
    return f"{create}?{urlencode({'from': version.pk})}"


@require_GET
@role_required(Role.FINANCE_LEAD)
def index(request: HttpRequest) -> HttpResponse:
    """Every client group with the version of its table in force today."""
    today = timezone.localdate()
    versions = list(table_versions())
    groups = [
        ClientGroupEntry(
            client_group=group,
            in_force=table_in_force(client_group=group, on_date=today),
            version_count=sum(v.client_group_id == group.pk for v in versions),
            draft_count=sum(v.client_group_id == group.pk and v.is_draft for v in versions),
        )
        for group in client_groups()
    ]
    return render(request, "allocations/finance/index.html", {"groups": groups, "today": today})


@require_GET
@role_required(Role.FINANCE_LEAD)
def group_versions(request: HttpRequest, code: str) -> HttpResponse:
    """Every version of one client group's table, the one in force today marked."""
    group = get_object_or_404(ClientGroup, code=code)
    today = timezone.localdate()
    return render(
        request,
        "allocations/finance/group_versions.html",
        {
            "group": group,
            "today": today,
            "entries": _entries(table_versions(client_group=group), group, today),
        },
    )


@require_GET
@role_required(Role.FINANCE_LEAD)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version: its bands and reductions, its history, and what can be done with it."""
    version = get_object_or_404(table_versions(), pk=pk)
    today = timezone.localdate()
    in_force = table_in_force(client_group=version.client_group, on_date=today)
    compare_with_in_force_url = None
    if in_force is not None and in_force.pk != version.pk:
        compare_with_in_force_url = _compare_url(a=in_force.pk, b=version.pk)
    return render(
        request,
        "allocations/finance/version_detail.html",
        {
            "version": version,
            "entry": VersionEntry(
                version, in_force is not None and in_force.pk == version.pk, today
            ),
            "in_force": in_force,
            "compare_with_in_force_url": compare_with_in_force_url,
            "compare_url": _compare_url(
                **({"b": version.pk} if version.is_draft else {"a": version.pk})
            ),
            "create_draft_url": _create_draft_url(version),
            "export_xlsx_url": reverse("spreadsheets:export-xlsx", kwargs={"pk": version.pk}),
            "export_csv_url": reverse("spreadsheets:export-csv", kwargs={"pk": version.pk}),
            "import_url": reverse("spreadsheets:import", kwargs={"pk": version.pk})
            if version.is_draft
            else None,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.FINANCE_LEAD)
def draft_create(request: HttpRequest, code: str) -> HttpResponse:
    """A new draft for a client group: empty, or a copy of one of the group's versions."""
    group = get_object_or_404(ClientGroup, code=code)
    versions = list(table_versions(client_group=group))
    if request.method == "POST":
        form = DraftCreateForm(request.POST, versions=versions)
        if form.is_valid():
            clone_from = form.clone_from()
            draft = table_draft_create(
                client_group=group,
                actor=_actor(request),
                label=form.cleaned_data["label"],
                clone_from=clone_from,
            )
            messages.success(
                request,
                f"Draft '{draft.label}' created"
                + (
                    f" as a copy of '{clone_from.label}'."
                    if clone_from
                    else ", with an empty table."
                ),
            )
            return redirect("finance:draft-edit", pk=draft.pk)
    else:
        form = DraftCreateForm(
            initial={"start_from": _starting_point(request, versions, group)}, versions=versions
        )
    return render(
        request,
        "allocations/finance/draft_create.html",
        {
            "group": group,
            "form": form,
            "entries": _entries(versions, group, timezone.localdate()),
            "error_links": _form_error_links(form, first_field="label"),
            "empty_table": EMPTY_TABLE,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(Role.FINANCE_LEAD)
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's label, bands and carer reductions on one page, saved all together or not at all."""
    version = get_object_or_404(table_versions(), pk=pk)
    if not version.is_draft:
        return _not_a_draft(request, version, "edited")
    refusals: list[ErrorLink] = []
    if request.method == "POST":
        form = DraftEditForm(request.POST)
        formset = band_formset(data=request.POST)
        form_is_valid = form.is_valid()
        if formset.is_valid() and form_is_valid:
            try:
                saved = table_draft_save(
                    version=version,
                    actor=_actor(request),
                    label=form.cleaned_data["label"],
                    bands=formset.bands(),
                    carer_reductions_bp=form.carer_reductions_bp(),
                    expected_edit_number=form.cleaned_data["edit_number"],
                    reason=form.cleaned_data["reason"],
                )
            except TableInvalid as invalid:
                _place_problems(invalid.problems, form, formset)
            except TableNotDraft as refused:
                refusals = _links(refused.messages, reverse("finance:version-detail", args=[pk]))
            except TableChangeRefused as refused:
                refusals = _links(refused.messages, reverse("finance:draft-edit", args=[pk]))
            else:
                messages.success(request, f"Your changes to '{saved.label}' are saved.")
                return redirect("finance:version-detail", pk=saved.pk)
    else:
        form = DraftEditForm(initial=draft_edit_initial(version))
        bands = list(version.bands.all())
        formset = band_formset(
            version=version, extra_rows=EXTRA_BAND_ROWS if bands else EMPTY_DRAFT_BAND_ROWS
        )
    error_links = refusals + _edit_error_links(form, formset)
    return render(
        request,
        "allocations/finance/draft_edit.html",
        {
            "version": version,
            "form": form,
            "formset": formset,
            "error_links": error_links,
            "extra_band_rows": EXTRA_BAND_ROWS,
        },
        status=409 if refusals else 400 if error_links else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@role_required(Role.FINANCE_LEAD)
def draft_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a draft from a date, with a reason; a date in the past needs a reason of its own."""
    version = get_object_or_404(table_versions(), pk=pk)
    if not version.is_draft:
        return _not_a_draft(request, version, "published")
    today = timezone.localdate()
    refusals: list[ErrorLink] = []
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            effective_from: datetime.date = form.cleaned_data["effective_from"]
            try:
                published = table_publish(
                    version=version,
                    actor=_actor(request),
                    effective_from=effective_from,
                    reason=form.cleaned_data["reason"],
                    backdating_reason=form.cleaned_data["backdating_reason"],
                )
            except TableNotDraft as refused:
                refusals = _links(refused.messages, reverse("finance:version-detail", args=[pk]))
            except TableInvalid as invalid:
                refusals = _links(invalid.messages, reverse("finance:draft-edit", args=[pk]))
            except TableChangeRefused as refused:
                field = "backdating_reason" if effective_from < today else "effective_from_day"
                for message in refused.messages:
                    form.add_error(field, message)
            else:
                messages.success(
                    request,
                    f"'{published.label}' is published. It takes effect on "
                    f"{effective_from:%-d %B %Y}.",
                )
                return redirect("finance:version-detail", pk=published.pk)
    else:
        form = PublishForm()
    error_links = refusals + _form_error_links(form, first_field="effective_from_day")
    return render(
        request,
        "allocations/finance/draft_publish.html",
        {
            "version": version,
            "form": form,
            "today": today,
            "in_force": table_in_force(client_group=version.client_group, on_date=today),
            "error_links": error_links,
        },
        status=409 if refusals else 400 if error_links else 200,
    )


@require_GET
@role_required(Role.FINANCE_LEAD)
def compare(request: HttpRequest) -> HttpResponse:
    """Any two versions side by side, with a chart and the money difference every 5 points."""
    versions = list(table_versions())
    comparison: TableComparison | None = None
    chart: LineChart | None = None
    version_a = version_b = None
    if "a" in request.GET and "b" in request.GET:
        form = CompareForm(request.GET, versions=versions)
        if form.is_valid():
            version_a, version_b = form.cleaned_data["a"], form.cleaned_data["b"]
            comparison = compare_tables(
                engine_table(version_a),
                engine_table(version_b),
                carer_level_labels={level.code: level.label for level in CARER_LEVELS},
            )
            chart = _comparison_chart(comparison, version_a, version_b)
    else:
        form = CompareForm(
            initial={name: request.GET.get(name) for name in ("a", "b")}, versions=versions
        )
    return render(
        request,
        "allocations/finance/compare.html",
        {
            "form": form,
            "version_groups": [
                (name, list(group_versions))
                for name, group_versions in itertools.groupby(
                    versions, key=lambda version: version.client_group.name
                )
            ],
            "selected_a": str(form["a"].value() or ""),
            "selected_b": str(form["b"].value() or ""),
            "version_a": version_a,
            "version_b": version_b,
            "comparison": comparison,
            "chart": chart,
            "error_links": _form_error_links(form, first_field="a"),
        },
        status=400 if form.errors else 200,
    )


def _entries(
    versions: Iterable[AllocationTableVersion], group: ClientGroup, today: datetime.date
) -> list[VersionEntry]:
    in_force = table_in_force(client_group=group, on_date=today)
    in_force_pk = in_force.pk if in_force is not None else None
    return [VersionEntry(version, version.pk == in_force_pk, today) for version in versions]


def _starting_point(
    request: HttpRequest, versions: Sequence[AllocationTableVersion], group: ClientGroup
) -> str:
    """The version a new draft copies unless changed: the one asked for, else the one in force."""
    asked_for = request.GET.get("from", "")
    if any(str(version.pk) == asked_for for version in versions):
        return asked_for
    in_force = table_in_force(client_group=group, on_date=timezone.localdate())
    return str(in_force.pk) if in_force is not None else EMPTY_TABLE


def _not_a_draft(request: HttpRequest, version: AllocationTableVersion, verb: str) -> HttpResponse:
    """The page for a change to a published or retired version: refused, with the way forward."""
    return render(
        request,
        "allocations/finance/not_draft.html",
        {
            "version": version,
            "verb": verb,
            "create_draft_url": _create_draft_url(version),
        },
        status=409,
    )


def _place_problems(
    problems: Sequence[engine.TableProblem], form: DraftEditForm, formset: BaseBandFormSet
) -> None:
    """Put each of the engine's problems on the field it is about.

    A band problem goes on that band's row (band n is the n-th row holding a band), a reduction
    problem on its carer level's field; anything else on the form as a whole.
    """
    band_rows = formset.rows_with_bands()
    known_levels = {level.code for level in CARER_LEVELS}
    for problem in problems:
        if problem.band_number is not None and 1 <= problem.band_number <= len(band_rows):
            row = formset.forms[band_rows[problem.band_number - 1]]
            row.add_error(
                FORM_FIELD_FOR_ENGINE_FIELD.get(problem.field or "", "min_points"), problem.message
            )
        elif problem.carer_level in known_levels:
            form.add_error(reduction_field_name(problem.carer_level or ""), problem.message)
        elif problem.field == "bands" and formset.forms:
            formset.forms[0].add_error("min_points", problem.message)
        else:
            form.add_error(None, problem.message)


def _links(messages_: Iterable[str], href: str) -> list[ErrorLink]:
    return [ErrorLink(href, message) for message in messages_]


def _form_error_links(form: BaseForm, *, first_field: str) -> list[ErrorLink]:
    """The form's errors in the order of its fields; errors of the whole form link to the first."""
    links = [ErrorLink(f"#{form[first_field].auto_id}", str(e)) for e in form.non_field_errors()]
    for field in form:
        links += [ErrorLink(f"#{field.auto_id}", str(error)) for error in field.errors]
    return links


def _edit_error_links(form: DraftEditForm, formset: BaseBandFormSet) -> list[ErrorLink]:
    """Errors in the order of the edit page: name, bands row by row, reductions, reason."""
    if not form.is_bound:
        return []
    first_band_href = (
        f"#{formset.forms[0]['min_points'].auto_id}"
        if formset.forms
        else f"#{form['label'].auto_id}"
    )
    links = [ErrorLink(f"#{form['label'].auto_id}", str(e)) for e in form.non_field_errors()]
    links += [ErrorLink(f"#{form['label'].auto_id}", str(e)) for e in form["label"].errors]
    links += [ErrorLink(f"#{form['label'].auto_id}", str(e)) for e in form["edit_number"].errors]
    links += [ErrorLink(first_band_href, str(e)) for e in formset.non_form_errors()]
    for row in formset.forms:
        for name in ("min_points", "max_points", "base_pounds", "per_point_pounds"):
            links += [ErrorLink(f"#{row[name].auto_id}", str(e)) for e in row[name].errors]
        links += [
            ErrorLink(f"#{row['min_points'].auto_id}", str(e)) for e in row.non_field_errors()
        ]
    for _, field in form.reduction_fields:
        links += [ErrorLink(f"#{field.auto_id}", str(e)) for e in field.errors]
    links += [ErrorLink(f"#{form['reason'].auto_id}", str(e)) for e in form["reason"].errors]
    return links


def _version_name(letter: str, version: AllocationTableVersion) -> str:
    return f"{letter}: {version.client_group.name}, {version.label}"


def _comparison_chart(
    comparison: TableComparison,
    version_a: AllocationTableVersion,
    version_b: AllocationTableVersion,
) -> LineChart | None:
    series = [
        ChartSeries(_version_name(letter, version), points)
        for letter, version, points in (
            ("A", version_a, comparison.chart_points_a),
            ("B", version_b, comparison.chart_points_b),
        )
        if points
    ]
    if not series:
        return None
    described = "; ".join(
        f"{line.label} is the {style.pattern}"
        for line, style in zip(series, LINE_STYLES, strict=False)
    )
    left_out = [
        name
        for name, points in (
            (_version_name("A", version_a), comparison.chart_points_a),
            (_version_name("B", version_b), comparison.chart_points_b),
        )
        if not points
    ]
    description = (
        "Line chart of the full-needs amount a year, before any carer reduction, for totals "
        f"from 0 to {comparison.last_points} points. {described}."
        + (f" {' and '.join(left_out)} has no bands to draw." if left_out else "")
        + " The table after the chart gives both amounts every 5 points."
    )
    return line_chart(
        series,
        title="Full-needs amount a year against total points",
        description=description,
        x_axis_label="Total points",
        y_axis_label="Full-needs amount a year (£)",
    )

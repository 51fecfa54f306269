"""How far final budgets move from the RAS, and how long people wait: pages and exports.

Team managers and finance leads only; everyone else gets 403 and anonymous visitors are sent to
sign in. Filters (client group, team, date range) come in the query string, so a page and its
CSV or xlsx download of each table show the same figures. Bad filters are shown as errors and no
figures are worked out.
"""

from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from allocations.models import ClientGroup
from ras.accounts.models import Team
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.exports import csv_text, xlsx_bytes
from reviews.figure_scopes import (
    TIMELINESS,
    VARIATIONS,
    timeliness_figures_read,
    variation_figures_read,
)
from reviews.figure_tables import FigureTable, timeliness_tables, variation_tables
from reviews.figures_snapshot import figures_freshness
from reviews.models import FiguresSnapshot
from reviews.variation_figures import FigureFilters

FIGURE_ROLES = (Role.TEAM_MANAGER, Role.FINANCE_LEAD)


class FigureFilterForm(forms.Form):
    client_group = forms.ChoiceField(label="Client group", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    date_from = forms.DateField(
        label="From",
        required=False,
        help_text="For example, 2026-04-01",
        error_messages={"invalid": "Enter the start date as year-month-day, like 2026-04-01"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        help_text="For example, 2027-03-31",
        error_messages={"invalid": "Enter the end date as year-month-day, like 2027-03-31"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = [(group.code, group.name) for group in ClientGroup.objects.order_by("name")]
        cast(forms.ChoiceField, self.fields["client_group"]).choices = [
            ("", "All client groups"),
            *groups,
        ]
        cast(forms.ChoiceField, self.fields["team"]).choices = [("", "All teams")] + [
            (str(team.pk), team.name) for team in Team.objects.order_by("name")
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned

    def filters(self) -> FigureFilters:
        data = self.cleaned_data
        return FigureFilters(
            client_group_code=data.get("client_group") or "",
            team_id=int(data["team"]) if data.get("team") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


def _tables_read(
    page: str, filters: FigureFilters
) -> tuple[list[FigureTable], FiguresSnapshot | None]:
    """The page's tables: the snapshot's when it holds these filters, else worked out now; with
    the snapshot they came from (None when worked out now)."""
    today = timezone.localdate()
    if page == VARIATIONS:
        variations, snapshot = variation_figures_read(filters, today=today)
        return variation_tables(variations), snapshot
    timeliness, snapshot = timeliness_figures_read(filters, today=today)
    return timeliness_tables(timeliness), snapshot


def _page(request: HttpRequest, *, page: str) -> HttpResponse:
    template = f"reviews/figures/{page}.html"
    form = FigureFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, template, {"form": form, "tables": []}, status=400)
    filters = form.filters() if form.is_bound else FigureFilters()
    tables, snapshot = _tables_read(page, filters)
    context = {
        "form": form,
        "tables": tables,
        "query": request.GET.urlencode(),
        "freshness": figures_freshness(as_at=snapshot.as_at if snapshot else None),
        "filtered": filters != FigureFilters(),
        "back": f"figures:{page}",
    }
    return render(request, template, context)


def _download(
    request: HttpRequest, *, page: str, table_slug: str, file_format: str
) -> HttpResponse:
    form = FigureFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters() if form.is_bound else FigureFilters()
    tables = {table.slug: table for table in _tables_read(page, filters)[0]}
    table = tables.get(table_slug)
    if table is None:
        raise Http404("No such table")
    filename = f"{page}-{table.slug}"
    if file_format == "csv":
        response = HttpResponse(
            csv_text(table.export_header(), table.export_rows()),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = HttpResponse(
            xlsx_bytes([(table.title, table.export_header(), table.export_rows())]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


@role_required(*FIGURE_ROLES)
def variations_page(request: HttpRequest) -> HttpResponse:
    return _page(request, page=VARIATIONS)


@role_required(*FIGURE_ROLES)
def variations_download(request: HttpRequest, table: str, file_format: str) -> HttpResponse:
    return _download(request, page=VARIATIONS, table_slug=table, file_format=file_format)


@role_required(*FIGURE_ROLES)
def timeliness_page(request: HttpRequest) -> HttpResponse:
    return _page(request, page=TIMELINESS)


@role_required(*FIGURE_ROLES)
def timeliness_download(request: HttpRequest, table: str, file_format: str) -> HttpResponse:
    return _download(request, page=TIMELINESS, table_slug=table, file_format=file_format)

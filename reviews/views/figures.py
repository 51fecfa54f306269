"""How far final budgets move from the RAS, and how long people wait: pages and exports.

Team managers and finance leads only; everyone else gets 403 and anonymous visitors are sent to
sign in. Filters (client group, team, date range) come in the query string, so a page and its
CSV or xlsx download of each table show the same figures. Bad filters are shown as errors and no
figures are worked out.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from allocations.models import ClientGroup
from ras.accounts.models import Team
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role
from ras.exports import Cell, csv_text, xlsx_bytes
from reviews.timeliness import MEASURES, overdue_reviews, timeliness
from reviews.variation_figures import (
    FigureFilters,
    domain_differences,
    route_shares,
    variation_breakdown,
    variation_size,
)

FIGURE_ROLES = (Role.TEAM_MANAGER, Role.FINANCE_LEAD)

# Kinds of column: how a cell is shown on the page (exports keep the raw integer).
TEXT, COUNT, PENCE, BP, NUMBER = "text", "count", "pence", "bp", "number"
EXPORT_SUFFIX = {PENCE: " (pence)", BP: " (basis points)"}


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


@dataclass(frozen=True, slots=True)
class Column:
    heading: str
    kind: str

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


@dataclass(frozen=True, slots=True)
class FigureTable:
    slug: str
    title: str
    caption: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]

    @property
    def cells(self) -> list[list[tuple[Column, Any]]]:
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]

    def export_header(self) -> list[str]:
        return [column.heading + EXPORT_SUFFIX.get(column.kind, "") for column in self.columns]

    def export_rows(self) -> list[list[Cell]]:
        return [[None if cell is None else _cell(cell) for cell in row] for row in self.rows]


def _cell(value: Any) -> Cell:
    return value if isinstance(value, int | str) else str(value)


def variation_tables(filters: FigureFilters) -> list[FigureTable]:
    shares = route_shares(filters)
    size = variation_size(filters)
    routes = FigureTable(
        "routes",
        "How cases were decided",
        "Decided cases by the way their final budget was set.",
        [Column("Route", TEXT), Column("Cases", COUNT), Column("Share", BP)],
        [
            ["Agreed at the indicative budget", shares.at_indicative, shares.at_indicative_bp],
            ["Varied within authority", shares.within_authority, shares.within_authority_bp],
            ["Outside the RAS", shares.outside, shares.outside_bp],
            ["All decided cases", shares.decided, 10_000 if shares.decided else None],
        ],
    )
    sizes = FigureTable(
        "sizes",
        "Size of variations",
        f"Final budget less indicative budget, over the {size.varied} cases where they differ.",
        [Column("Measure", TEXT), Column("Amount a year", PENCE), Column("Of the indicative", BP)],
        [
            ["Lower quartile", size.lower_quartile_pence, size.lower_quartile_bp],
            ["Median", size.median_pence, size.median_bp],
            ["Upper quartile", size.upper_quartile_pence, size.upper_quartile_bp],
        ],
    )
    breakdown_columns = [
        Column("Decided", COUNT),
        Column("At the indicative", COUNT),
        Column("Varied within authority", COUNT),
        Column("Outside the RAS", COUNT),
        Column("Share outside", BP),
        Column("Median variation", PENCE),
        Column("Median variation of the indicative", BP),
    ]
    breakdowns = [
        FigureTable(
            f"by-{slug.replace('_', '-')}",
            title,
            caption,
            [Column(heading, TEXT), *breakdown_columns],
            [
                [
                    row.label,
                    row.decided,
                    row.at_indicative,
                    row.within_authority,
                    row.outside,
                    row.outside_bp,
                    row.median_variation_pence,
                    row.median_variation_bp,
                ]
                for row in variation_breakdown(filters, by=slug)
            ],
        )
        for slug, title, heading, caption in (
            (
                "reason",
                "By reason",
                "Reason",
                "A case with several reasons counts under each. Medians over varied cases.",
            ),
            ("team", "By team", "Team", "The social worker's team. Medians over varied cases."),
            ("client_group", "By client group", "Client group", "Medians over varied cases."),
        )
    ]
    domains = FigureTable(
        "domains",
        "Where the worker's view differs from the person's answers",
        "Over decided cases whose assessment has a worker's view; most differences first.",
        [
            Column("Domain", TEXT),
            Column("Answers that differ", COUNT),
            Column("Assessments that differ", COUNT),
            Column("Assessments with a worker's view", COUNT),
            Column("Share that differ", BP),
        ],
        [
            [
                row.domain_title,
                row.differing_answers,
                row.assessments_differing,
                row.assessments_with_worker_view,
                row.share_bp,
            ]
            for row in domain_differences(filters)
        ],
    )
    return [routes, sizes, *breakdowns, domains]


def timeliness_tables(filters: FigureFilters) -> list[FigureTable]:
    tables = []
    for measure in MEASURES:
        for by, heading in (("month", "Month"), ("team", "Team")):
            tables.append(
                FigureTable(
                    f"{measure.slug}-by-{by}",
                    f"{measure.title}, by {heading.lower()}",
                    f"In {measure.unit}; the month is when the wait ended.",
                    [
                        Column(heading, TEXT),
                        Column("Cases", COUNT),
                        Column(f"Median ({measure.unit})", NUMBER),
                        Column(f"90th percentile ({measure.unit})", NUMBER),
                    ],
                    [
                        [row.label, row.cases, row.median, row.percentile_90]
                        for row in timeliness(measure, filters, by=by)
                    ],
                )
            )
    tables.append(
        FigureTable(
            "overdue-reviews",
            "Reviews overdue, by team",
            "Decided cases whose review was due before today.",
            [
                Column("Team", TEXT),
                Column("Overdue", COUNT),
                Column("Median (days overdue)", NUMBER),
                Column("90th percentile (days overdue)", NUMBER),
            ],
            [
                [row.label, row.overdue, row.median_days_overdue, row.percentile_90_days_overdue]
                for row in overdue_reviews(filters, today=timezone.localdate())
            ],
        )
    )
    return tables


def _page(
    request: HttpRequest,
    *,
    template: str,
    build: Callable[[FigureFilters], list[FigureTable]],
) -> HttpResponse:
    form = FigureFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, template, {"form": form, "tables": []}, status=400)
    filters = form.filters() if form.is_bound else FigureFilters()
    query = request.GET.urlencode()
    return render(request, template, {"form": form, "tables": build(filters), "query": query})


def _download(
    request: HttpRequest,
    *,
    name: str,
    build: Callable[[FigureFilters], list[FigureTable]],
    table_slug: str,
    file_format: str,
) -> HttpResponse:
    form = FigureFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    filters = form.filters() if form.is_bound else FigureFilters()
    tables = {table.slug: table for table in build(filters)}
    table = tables.get(table_slug)
    if table is None:
        raise Http404("No such table")
    filename = f"{name}-{table.slug}"
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
    return _page(request, template="reviews/figures/variations.html", build=variation_tables)


@role_required(*FIGURE_ROLES)
def variations_download(request: HttpRequest, table: str, file_format: str) -> HttpResponse:
    return _download(
        request,
        name="variations",
        build=variation_tables,
        table_slug=table,
        file_format=file_format,
    )


@role_required(*FIGURE_ROLES)
def timeliness_page(request: HttpRequest) -> HttpResponse:
    return _page(request, template="reviews/figures/timeliness.html", build=timeliness_tables)


@role_required(*FIGURE_ROLES)
def timeliness_download(request: HttpRequest, table: str, file_format: str) -> HttpResponse:
    return _download(
        request,
        name="timeliness",
        build=timeliness_tables,
        table_slug=table,
        file_format=file_format,
    )

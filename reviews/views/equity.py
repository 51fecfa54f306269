"""The equity dashboard, mounted at /equity/: do similar needs get similar budgets?

Team managers and finance leads only; everyone else gets 403 and anonymous visitors are sent to
sign in. The filters are a GET form; a bad filter shows the error and no figures. Each table can
be downloaded as CSV or an Excel workbook with the same filters, made formula-safe.
"""

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from allocations.models import ClientGroup
from ras.accounts.models import Team
from ras.accounts.permissions import has_any_role, role_required
from ras.audit.models import AccessKind
from ras.audit.recording import records_access
from ras.exports import Cell, csv_text, xlsx_bytes
from reviews.equity import (
    EquityFilters,
    equity_charts,
    outlier_iqr_multiple,
    points_band_width,
)
from reviews.equity_snapshot import EquitySource, equity_snapshot_periods, equity_source
from reviews.figures_refresh import FIGURES_REFRESH_ROLES, figures_refresh_request
from reviews.figures_snapshot import figures_freshness, moment_words
from reviews.views.shared import CASE_VIEW_ROLES, signed_in_user

EQUITY_ROLES = FIGURES_REFRESH_ROLES
# The pages with an "Update the figures now" button, and the filters each keeps in its address.
_FIGURE_FILTERS = ("client_group", "team", "date_from", "date_to")
REFRESH_PAGES = {
    "equity:dashboard": ("client_group", "team", "signed_off_from", "signed_off_to"),
    "figures:variations": _FIGURE_FILTERS,
    "figures:timeliness": _FIGURE_FILTERS,
}
# The page lists this many people far from their peers at a time; the downloads hold them all.
OUTLIERS_PER_PAGE = 100
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EquityFilterForm(forms.Form):
    signed_off_from = forms.DateField(
        label="Signed off from",
        required=False,
        help_text="For example, 2026-04-01",
        error_messages={"invalid": "Enter the first date as a real date, like 2026-04-01"},
        widget=forms.DateInput(attrs={"autocomplete": "off"}),
    )
    signed_off_to = forms.DateField(
        label="Signed off to",
        required=False,
        help_text="For example, 2027-03-31",
        error_messages={"invalid": "Enter the last date as a real date, like 2027-03-31"},
        widget=forms.DateInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Built here so the choices are read from the database at each request.
        self.fields = {
            "client_group": forms.ChoiceField(
                label="Client group",
                required=False,
                choices=[("", "All client groups")]
                + [(group.code, group.name) for group in ClientGroup.objects.all()],
                error_messages={"invalid_choice": "Choose a client group from the list"},
            ),
            "team": forms.ChoiceField(
                label="Team",
                required=False,
                choices=[("", "All teams")]
                + [(str(team.pk), team.name) for team in Team.objects.order_by("name")],
                error_messages={"invalid_choice": "Choose a team from the list"},
            ),
            **self.fields,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("signed_off_from"), cleaned.get("signed_off_to")
        if start and end and start > end:
            self.add_error("signed_off_to", "The last date must be the same as or after the first")
        return cleaned

    def filters(self) -> EquityFilters:
        data = self.cleaned_data
        return EquityFilters(
            client_group_code=data.get("client_group") or "",
            team_id=int(data["team"]) if data.get("team") else None,
            signed_off_from=data.get("signed_off_from"),
            signed_off_to=data.get("signed_off_to"),
        )


def filter_form(request: HttpRequest) -> EquityFilterForm:
    """The filter form bound to the query string (an empty query string means no filters)."""
    return EquityFilterForm(request.GET)


def group_names() -> dict[str, str]:
    return {group.code: group.name for group in ClientGroup.objects.all()}


def period_links(request: HttpRequest, source: EquitySource) -> list[tuple[str, str]]:
    """(label, query string) for each ready-made period, keeping the group and team chosen;
    none before the first snapshot."""
    if source.snapshot is None:
        return []
    links = []
    kept = {name: request.GET.get(name, "") for name in ("client_group", "team")}
    for label, first, last in [
        ("All dates", "", ""),
        *(
            (period.label, period.first_day.isoformat(), period.last_day.isoformat())
            for period in equity_snapshot_periods(source.snapshot)
        ),
    ]:
        query = QueryDict(mutable=True)
        chosen = {**kept, "signed_off_from": first, "signed_off_to": last}
        query.update({name: value for name, value in chosen.items() if value})
        links.append((label, query.urlencode()))
    return links


@records_access(AccessKind.LIST)
@role_required(*EQUITY_ROLES)
def equity_page(request: HttpRequest) -> HttpResponse:
    form = filter_form(request)
    filters_query = request.GET.copy()
    filters_query.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "band_width": points_band_width(),
        "iqr_multiple": outlier_iqr_multiple(),
        "query": filters_query.urlencode(),
    }
    if form.is_valid():
        source = equity_source(form.filters())
        outliers = source.outliers()
        context |= {
            "source": source,
            "freshness": figures_freshness(as_at=source.as_at),
            "periods": period_links(request, source),
            "group_names": group_names(),
            # Finance leads read the reasons here; the case page is for those who work cases.
            "opens_cases": has_any_role(request, *CASE_VIEW_ROLES),
            "bands": source.bands(),
            "outlier_count": len(outliers),
            "outliers": Paginator(outliers, OUTLIERS_PER_PAGE).get_page(request.GET.get("page")),
            "charts": equity_charts(source.dots(), on_date=timezone.localdate()),
        }
    status = 200 if form.is_valid() else 400
    return render(request, "reviews/equity/dashboard.html", context, status=status)


@require_POST
@role_required(*EQUITY_ROLES)
def equity_refresh(request: HttpRequest) -> HttpResponse:
    """Asks for the figures to be worked out again now; back to the page with its filters."""
    asked = figures_refresh_request(actor=signed_in_user(request))
    if asked.queued:
        messages.success(
            request,
            "New figures are being worked out. This page will show them when they are ready:"
            " refresh it in a few minutes.",
        )
    else:
        messages.info(
            request,
            "New figures were already asked for at "
            f"{moment_words(asked.snapshot.requested_at)}. This page will show them when they"
            " are ready: refresh it in a few minutes.",
        )
    # Back to one of the pages that offer the button, with only its filters in the address,
    # whatever else the form was made to carry.
    back = request.POST.get("back", "")
    page = back if back in REFRESH_PAGES else "equity:dashboard"
    sent = QueryDict(request.POST.get("query", ""))
    query = QueryDict(mutable=True)
    for name in REFRESH_PAGES[page]:
        if sent.get(name):
            query[name] = sent[name]
    address = reverse(page)
    return redirect(f"{address}?{query.urlencode()}" if query else address)


BAND_HEADER = (
    "Client group",
    "From points",
    "To points",
    "People",
    "Minimum (pence a year)",
    "Lower quartile (pence a year)",
    "Median (pence a year)",
    "Upper quartile (pence a year)",
    "Maximum (pence a year)",
)
OUTLIER_HEADER = (
    "Decision",
    "Client group",
    "Points",
    "Band from points",
    "Band to points",
    "Final budget (pence a year)",
    "Lower limit (pence a year)",
    "Upper limit (pence a year)",
    "Reason codes",
    "Reasons",
)


def band_rows(filters: EquityFilters) -> list[Sequence[Cell]]:
    names = group_names()
    return [
        (
            names.get(band.client_group_code, band.client_group_code),
            band.min_points,
            band.max_points,
            band.people,
            band.minimum_pence,
            band.lower_quartile_pence,
            band.median_pence,
            band.upper_quartile_pence,
            band.maximum_pence,
        )
        for band in equity_source(filters).bands()
    ]


def outlier_rows(filters: EquityFilters) -> list[Sequence[Cell]]:
    names = group_names()
    return [
        (
            outlier.decision_id,
            names.get(outlier.client_group_code, outlier.client_group_code),
            outlier.total_points,
            outlier.min_points,
            outlier.max_points,
            outlier.final_annual_pence,
            outlier.lower_fence_pence,
            outlier.upper_fence_pence,
            "; ".join(outlier.reason_labels),
            outlier.reasons,
        )
        for outlier in equity_source(filters).outliers()
    ]


TABLES = {
    "bands": ("Budgets by points", BAND_HEADER, band_rows),
    "outliers": ("Far from peers", OUTLIER_HEADER, outlier_rows),
}


@records_access(AccessKind.EXPORT)
@role_required(*EQUITY_ROLES)
def equity_download(request: HttpRequest, table: str, file_format: str) -> HttpResponse:
    form = filter_form(request)
    if not form.is_valid():
        return render(
            request,
            "reviews/equity/dashboard.html",
            {"form": form, "band_width": points_band_width(), "query": ""},
            status=400,
        )
    title, header, rows_for = TABLES[table]
    rows = rows_for(form.filters())
    name = f"equity-{table}-{datetime.date.isoformat(timezone.localdate())}"
    if file_format == "csv":
        response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes([(title, header, rows)]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response

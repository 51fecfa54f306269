"""Transparency pages: every published table, a calculator and downloads.

Anyone may use them, signed in or not. Drafts never appear: every read goes through
`published_table_versions` (directly or through `public_table_history`).
"""

import datetime
import json
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from allocations import engine
from allocations.models import AllocationTableVersion, ClientGroup
from allocations.selectors import client_groups, published_table_versions, table_in_force
from allocations.transparency import (
    ClientGroupTables,
    PublicVersion,
    pounds_text,
    public_table_history,
    version_price,
)
from questionnaires.carer_levels import CARER_LEVELS, carer_level_label
from ras.exports import Cell, csv_text

JSON_FILE_NAME = "allocation-tables.json"
CSV_FILE_NAME = "allocation-tables.csv"
JSON_FORMAT_VERSION = 1
TOTAL_POINTS_LIMIT = 2**31 - 1

CSV_HEADER = (
    "client_group_code",
    "client_group",
    "version_id",
    "version_label",
    "status",
    "effective_from",
    "published_on",
    "applies_until",
    "in_force_today",
    "row_type",
    "band",
    "min_points",
    "max_points",
    "base_pence",
    "base_pounds",
    "per_point_pence",
    "per_point_pounds",
    "carer_level",
    "carer_level_description",
    "reduction_bp",
    "reduction_percent",
)


def index(request: HttpRequest) -> HttpResponse:
    """Every published and retired version of every client group's table. Anyone may read it."""
    today = timezone.localdate()
    return render(
        request,
        "allocations/public/index.html",
        {"history": public_table_history(today=today), "today": today},
    )


if TYPE_CHECKING:
    VersionChoiceFieldBase = forms.ModelChoiceField[AllocationTableVersion]
else:
    VersionChoiceFieldBase = forms.ModelChoiceField


class VersionChoiceField(VersionChoiceFieldBase):
    def label_from_instance(self, obj: AllocationTableVersion) -> str:
        effective_from = f"{obj.effective_from:%-d %B %Y}" if obj.effective_from else "no date"
        return f"{obj.client_group.name}: {obj.label} (from {effective_from})"


class CalculatorForm(forms.Form):
    """Points and carer level for a client group's table: the one in force today, or a version."""

    client_group = forms.ModelChoiceField(
        label="Client group",
        queryset=ClientGroup.objects.none(),
        to_field_name="code",
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="Each group of people has its own allocation table.",
        error_messages={
            "required": "Select a client group",
            "invalid_choice": "Select a client group from the list",
        },
    )
    version = VersionChoiceField(
        label="Table version (optional)",
        queryset=AllocationTableVersion.objects.none(),
        required=False,
        empty_label="The version in force today",
        help_text="Leave this as it is to use the table in force today.",
        error_messages={"invalid_choice": "Select a table version from the list"},
    )
    total_points = forms.IntegerField(
        label="Total points",
        min_value=0,
        # The widest total the database stores; it also keeps absurdly long numbers out.
        max_value=TOTAL_POINTS_LIMIT,
        help_text="The total of the points from the self-assessment, as a whole number.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the total points",
            "invalid": "Enter the total points as a whole number, like 37",
            "min_value": "Total points must be 0 or more",
            "max_value": f"Total points must be {TOTAL_POINTS_LIMIT:,} or fewer",
        },
    )
    carer_level = forms.ChoiceField(
        label="How much help does the person get from family or friends?",
        choices=[(level.code, level.label) for level in CARER_LEVELS],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how much help the person gets from family or friends",
            "invalid_choice": "Select how much help the person gets from family or friends",
        },
    )

    def __init__(self, *args: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        client_group_field = cast(
            "forms.ModelChoiceField[ClientGroup]", self.fields["client_group"]
        )
        version_field = cast("VersionChoiceField", self.fields["version"])
        client_group_field.queryset = client_groups()
        version_field.queryset = published_table_versions().order_by(
            "client_group__name", "-effective_from", "-published_at"
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        client_group: ClientGroup | None = cleaned.get("client_group")
        version: AllocationTableVersion | None = cleaned.get("version")
        if client_group is None:
            return cleaned
        if version is not None and version.client_group_id != client_group.pk:
            self.add_error(
                "version",
                f"'{version.label}' is a table for {version.client_group.name}: select a "
                f"{client_group.name} version, or the version in force today",
            )
        elif version is None and "version" not in self.errors:
            in_force = table_in_force(client_group=client_group, on_date=self.today)
            if in_force is None:
                self.add_error(
                    "client_group",
                    f"No {client_group.name} table is in force today. Choose another client "
                    "group, or a version in the list",
                )
            cleaned["version"] = in_force
        return cleaned


def calculator(request: HttpRequest) -> HttpResponse:
    """Points and help from family or friends in; the amount and how it was worked out out.

    Anyone may use it. The form is sent with GET, so a result can be bookmarked or shared.
    """
    today = timezone.localdate()
    pricing = None
    if "total_points" in request.GET:
        form = CalculatorForm(request.GET, today=today)
    else:
        form = CalculatorForm(today=today, initial=_initial_choices(request))
    if form.is_bound and form.is_valid():
        version: AllocationTableVersion = form.cleaned_data["version"]
        try:
            pricing = version_price(
                version=version,
                total_points=form.cleaned_data["total_points"],
                carer_level=form.cleaned_data["carer_level"],
            )
        except engine.PricingError as error:
            form.add_error(None, str(error))
            pricing = None
    return render(
        request,
        "allocations/public/calculator.html",
        {
            "form": form,
            "pricing": pricing,
            "version": form.cleaned_data.get("version") if pricing is not None else None,
            "carer_level_label": (
                carer_level_label(pricing.carer_level) if pricing is not None else ""
            ),
        },
    )


def download_json(request: HttpRequest) -> HttpResponse:
    """Every published and retired version as JSON; its structure is described in `_JSON_DOC`."""
    today = timezone.localdate()
    document = _json_document(public_table_history(today=today), today=today)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{JSON_FILE_NAME}"'
    return response


def download_csv(request: HttpRequest) -> HttpResponse:
    """Every published and retired version as CSV: one row per band and per carer reduction."""
    today = timezone.localdate()
    rows: list[list[Cell]] = []
    for group in public_table_history(today=today):
        for entry in group.versions:
            rows.extend(_csv_rows(group, entry))
    response = HttpResponse(csv_text(CSV_HEADER, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{CSV_FILE_NAME}"'
    return response


def _initial_choices(request: HttpRequest) -> dict[str, str]:
    """A link from the tables page may name a client group and a version to start from."""
    return {
        name: request.GET[name] for name in ("client_group", "version") if request.GET.get(name)
    }


_JSON_DOC = (
    "Every published allocation table of the council, with the dates each applied. Money is "
    "given twice: as a whole number of pence (fields ending in _pence) and as a text of pounds "
    "with two decimals (fields ending in _pounds). Carer reductions are given in basis points "
    "(10000 = 100%) and as a percentage text. A band with max_points null has no upper limit. "
    "applies_until is the last day a version applied, when a later version replaced it, else "
    "null. A retired version no longer applies. The amount for a total of points is: band base "
    "+ (total points - band min_points) x per point; the carer adjustment is that amount x the "
    "reduction, rounded half up to the penny; the weekly amount is the annual amount / 52, "
    "rounded half up to the penny."
)


def _json_document(history: list[ClientGroupTables], *, today: datetime.date) -> dict[str, Any]:
    return {
        "format_version": JSON_FORMAT_VERSION,
        "description": _JSON_DOC,
        "council": settings.COUNCIL_NAME,
        "generated_on": today.isoformat(),
        "client_groups": [
            {
                "code": group.client_group.code,
                "name": group.client_group.name,
                "versions": [_json_version(entry) for entry in group.versions],
            }
            for group in history
        ],
    }


def _json_version(entry: PublicVersion) -> dict[str, Any]:
    version = entry.version
    return {
        "id": version.pk,
        "label": version.label,
        "status": version.status,
        "effective_from": _iso(version.effective_from),
        "published_on": _published_on(version),
        "applies_until": _iso(entry.applies_until),
        "in_force_today": entry.in_force_today,
        "superseded_by": entry.superseded_by.pk if entry.superseded_by is not None else None,
        "bands": [
            {
                "position": band.position,
                "min_points": band.min_points,
                "max_points": band.max_points,
                "base_pence": band.base_pence,
                "base_pounds": pounds_text(band.base_pence),
                "per_point_pence": band.per_point_pence,
                "per_point_pounds": pounds_text(band.per_point_pence),
            }
            for band in version.bands.all()
        ],
        "carer_reductions": [
            {
                "carer_level": reduction.carer_level,
                "description": carer_level_label(reduction.carer_level),
                "reduction_bp": reduction.reduction_bp,
                "reduction_percent": engine.format_percentage(reduction.reduction_bp),
            }
            for reduction in version.carer_reductions.all()
        ],
    }


def _csv_rows(group: ClientGroupTables, entry: PublicVersion) -> list[list[Cell]]:
    version = entry.version
    about: list[Cell] = [
        group.client_group.code,
        group.client_group.name,
        version.pk,
        version.label,
        version.status,
        _iso(version.effective_from),
        _published_on(version),
        _iso(entry.applies_until),
        "yes" if entry.in_force_today else "no",
    ]
    rows: list[list[Cell]] = [
        [
            *about,
            "band",
            band.position,
            band.min_points,
            band.max_points,
            band.base_pence,
            pounds_text(band.base_pence),
            band.per_point_pence,
            pounds_text(band.per_point_pence),
            None,
            None,
            None,
            None,
        ]
        for band in version.bands.all()
    ]
    rows.extend(
        [
            *about,
            "carer_reduction",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            reduction.carer_level,
            carer_level_label(reduction.carer_level),
            reduction.reduction_bp,
            engine.format_percentage(reduction.reduction_bp),
        ]
        for reduction in version.carer_reductions.all()
    )
    return rows


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _published_on(version: AllocationTableVersion) -> str | None:
    if version.published_at is None:
        return None
    return timezone.localdate(version.published_at).isoformat()

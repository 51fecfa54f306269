"""The open data API: the same cells as the open data page, for anyone, with no sign-in.

A suppressed figure is `null` with its `..._suppressed` flag `true`; a published one carries
its number and `false`. Money in pence, shares in basis points, time in whole days.
"""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews.open_data import open_data_read
from reviews.suppression import Published, PublishedRow, Suppressed

FIGURES = (
    "people",
    "median_indicative_annual_pence",
    "median_final_annual_pence",
    "outside_ras_basis_points",
    "median_days_to_final_budget",
)


class OpenDataFigureSerializer(serializers.Serializer[Any]):
    value = serializers.IntegerField(
        allow_null=True, help_text="The figure, or null when it rests on fewer than 5 people."
    )
    suppressed = serializers.BooleanField(
        help_text="True when the figure is kept back because it rests on fewer than 5 people."
    )


class OpenDataRowSerializer(serializers.Serializer[Any]):
    client_group = serializers.CharField()
    quarter = serializers.CharField(
        help_text='Months of the quarter, e.g. "January to March 2026".'
    )
    people = OpenDataFigureSerializer(help_text="People whose final budget was signed off.")
    median_indicative_annual_pence = OpenDataFigureSerializer()
    median_final_annual_pence = OpenDataFigureSerializer()
    outside_ras_basis_points = OpenDataFigureSerializer(
        help_text="Share decided outside the RAS (manager, panel or costed plan), basis points."
    )
    median_days_to_final_budget = OpenDataFigureSerializer(
        help_text="Median days from the start of the assessment to the final budget."
    )


def _figure(value: Published) -> dict[str, Any]:
    if isinstance(value, Suppressed):
        return {"value": None, "suppressed": True}
    return {"value": value, "suppressed": False}


def _row(row: PublishedRow) -> dict[str, Any]:
    document: dict[str, Any] = {"client_group": row.group, "quarter": row.quarter}
    for name in FIGURES:
        document[name] = _figure(getattr(row, name))
    return document


class OpenDataView(APIView):
    """Aggregate figures per client group and quarter, small numbers suppressed."""

    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(
        summary="Open data per client group and quarter",
        tags=["open-data"],
        responses=OpenDataRowSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """Every client group in every completed quarter; no totals are published."""
        return Response([_row(row) for row in open_data_read().published])

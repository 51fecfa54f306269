"""The equity figures API: /api/equity/bands/ and /api/equity/outliers/.

Team managers and finance leads only (anonymous callers and other roles get 403). The filters
are those of the dashboard's query string; a bad filter answers 400 keyed by field. Figures read
from the ready-made snapshot carry a `Last-Modified` header, the moment they are from; figures
worked out now (a range of dates the snapshot does not hold) carry none.
"""

from dataclasses import asdict
from typing import Any

from django.utils.http import http_date
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ras.accounts.permissions import has_any_role
from reviews.equity_snapshot import EquitySource, equity_source
from reviews.views.equity import EQUITY_ROLES, EquityFilterForm


class IsManagerOrFinanceLead(BasePermission):
    message = "Only team managers and finance leads can see the equity figures."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_any_role(request, *EQUITY_ROLES)


class EquityBandSerializer(serializers.Serializer[Any]):
    client_group_code = serializers.CharField()
    min_points = serializers.IntegerField()
    max_points = serializers.IntegerField()
    people = serializers.IntegerField()
    minimum_pence = serializers.IntegerField()
    lower_quartile_pence = serializers.IntegerField()
    median_pence = serializers.IntegerField()
    upper_quartile_pence = serializers.IntegerField()
    maximum_pence = serializers.IntegerField()


class EquityOutlierSerializer(serializers.Serializer[Any]):
    decision_id = serializers.IntegerField()
    client_group_code = serializers.CharField()
    total_points = serializers.IntegerField()
    min_points = serializers.IntegerField()
    max_points = serializers.IntegerField()
    final_annual_pence = serializers.IntegerField()
    lower_fence_pence = serializers.IntegerField()
    upper_fence_pence = serializers.IntegerField()
    reason_labels = serializers.ListField(child=serializers.CharField())
    reasons = serializers.CharField()


PARAMETERS = [
    OpenApiParameter("client_group", str, description="A client group's code."),
    OpenApiParameter("team", int, description="A team's id (the social worker's team)."),
    OpenApiParameter("signed_off_from", str, description="First sign-off date, YYYY-MM-DD."),
    OpenApiParameter("signed_off_to", str, description="Last sign-off date, YYYY-MM-DD."),
    OpenApiParameter(
        "Last-Modified",
        str,
        location=OpenApiParameter.HEADER,
        response=[200],
        description=(
            "When the figures are from, if read from the ready-made snapshot (updated on a "
            "schedule); absent when they were worked out now from the latest records."
        ),
    ),
]


def figures_response(data: Any, source: EquitySource) -> Response:
    response = Response(data)
    if source.as_at is not None:
        response["Last-Modified"] = http_date(source.as_at.timestamp())
    return response


class EquityBandsView(APIView):
    permission_classes = (IsManagerOrFinanceLead,)

    @extend_schema(parameters=PARAMETERS, responses=EquityBandSerializer(many=True))
    def get(self, request: Request) -> Response:
        form = EquityFilterForm(request.query_params)
        if not form.is_valid():
            return Response(form.errors, status=400)
        source = equity_source(form.filters())
        bands = [asdict(band) for band in source.bands()]
        return figures_response(EquityBandSerializer(bands, many=True).data, source)


class EquityOutliersView(APIView):
    permission_classes = (IsManagerOrFinanceLead,)

    @extend_schema(parameters=PARAMETERS, responses=EquityOutlierSerializer(many=True))
    def get(self, request: Request) -> Response:
        form = EquityFilterForm(request.query_params)
        if not form.is_valid():
            return Response(form.errors, status=400)
        source = equity_source(form.filters())
        outliers = [asdict(outlier) for outlier in source.outliers()]
        return figures_response(EquityOutlierSerializer(outliers, many=True).data, source)

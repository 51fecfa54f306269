"""The figures API: GET /api/figures/variations/ and /api/figures/timeliness/.

Team managers and finance leads only (anyone else, and anonymous callers, get 403). The same
filters as the pages, in the query string: client_group (code), team (id), date_from, date_to
(YYYY-MM-DD); a bad filter answers 400 keyed by field. Money is in pence, shares and percentage
variations in basis points, times in days (the indicative budget in hours) to one decimal place.

The figures come from the latest snapshot when it holds the filters (any client group, any team,
all dates or exactly a financial year), with `as_at` the moment they are from; other filters are
worked out now, with `as_at` null.
"""

from dataclasses import asdict
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ras.accounts.permissions import has_any_role
from ras.accounts.roles import Role
from reviews.figure_scopes import timeliness_figures_read, variation_figures_read
from reviews.variation_figures import FigureFilters


class IsManagerOrFinanceLead(BasePermission):
    message = "Only a team manager or a finance lead can see these figures."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_any_role(request, Role.TEAM_MANAGER, Role.FINANCE_LEAD)


class FigureFilterSerializer(serializers.Serializer[Any]):
    client_group = serializers.SlugField(required=False, help_text="A client group's code.")
    team = serializers.IntegerField(required=False, min_value=1, help_text="A team's id.")
    date_from = serializers.DateField(required=False, help_text="First day, inclusive.")
    date_to = serializers.DateField(required=False, help_text="Last day, inclusive.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        date_from, date_to = attrs.get("date_from"), attrs.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise serializers.ValidationError(
                {"date_to": "The end date must be the same as or after the start date."}
            )
        return attrs

    def filters(self) -> FigureFilters:
        data = self.validated_data
        return FigureFilters(
            client_group_code=data.get("client_group", ""),
            team_id=data.get("team"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class RouteSharesSerializer(serializers.Serializer[Any]):
    decided = serializers.IntegerField()
    at_indicative = serializers.IntegerField()
    within_authority = serializers.IntegerField()
    outside = serializers.IntegerField()
    at_indicative_bp = serializers.IntegerField(allow_null=True)
    within_authority_bp = serializers.IntegerField(allow_null=True)
    outside_bp = serializers.IntegerField(allow_null=True)


class VariationSizeSerializer(serializers.Serializer[Any]):
    varied = serializers.IntegerField(help_text="Cases whose final budget differs.")
    lower_quartile_pence = serializers.IntegerField(allow_null=True)
    median_pence = serializers.IntegerField(allow_null=True)
    upper_quartile_pence = serializers.IntegerField(allow_null=True)
    lower_quartile_bp = serializers.IntegerField(allow_null=True)
    median_bp = serializers.IntegerField(allow_null=True)
    upper_quartile_bp = serializers.IntegerField(allow_null=True)


class VariationBreakdownSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="Reason code, team id or client group code.")
    name = serializers.CharField(source="label")
    decided = serializers.IntegerField()
    at_indicative = serializers.IntegerField()
    within_authority = serializers.IntegerField()
    outside = serializers.IntegerField()
    outside_bp = serializers.IntegerField(allow_null=True)
    median_variation_pence = serializers.IntegerField(allow_null=True)
    median_variation_bp = serializers.IntegerField(allow_null=True)


class DomainDifferenceSerializer(serializers.Serializer[Any]):
    domain_code = serializers.CharField()
    domain_title = serializers.CharField()
    differing_answers = serializers.IntegerField()
    assessments_differing = serializers.IntegerField()
    assessments_with_worker_view = serializers.IntegerField()
    share_bp = serializers.IntegerField(allow_null=True)


class VariationFiguresSerializer(serializers.Serializer[Any]):
    as_at = serializers.DateTimeField(
        allow_null=True, help_text="When the figures are from; null when worked out now."
    )
    routes = RouteSharesSerializer()
    size = VariationSizeSerializer()
    by_reason = VariationBreakdownSerializer(many=True)
    by_team = VariationBreakdownSerializer(many=True)
    by_client_group = VariationBreakdownSerializer(many=True)
    domains = DomainDifferenceSerializer(many=True)


class TimelinessRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="Month (YYYY-MM) or team id ('' for no team).")
    name = serializers.CharField(source="label")
    cases = serializers.IntegerField()
    median = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    percentile_90 = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)


class TimelinessMeasureSerializer(serializers.Serializer[Any]):
    slug = serializers.CharField(
        help_text="submission, indicative, final, manager or panel (see the title)."
    )
    title = serializers.CharField()
    unit = serializers.CharField(help_text="days, or hours for the indicative budget.")
    by_month = TimelinessRowSerializer(many=True)
    by_team = TimelinessRowSerializer(many=True)


class OverdueReviewsSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="Team id ('' for no team).")
    name = serializers.CharField(source="label")
    overdue = serializers.IntegerField()
    median_days_overdue = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    percentile_90_days_overdue = serializers.DecimalField(
        max_digits=12, decimal_places=1, allow_null=True
    )


class TimelinessFiguresSerializer(serializers.Serializer[Any]):
    as_at = serializers.DateTimeField(
        allow_null=True, help_text="When the figures are from; null when worked out now."
    )
    measures = TimelinessMeasureSerializer(many=True)
    overdue_reviews = OverdueReviewsSerializer(many=True)


def _filters(request: Request) -> FigureFilters:
    serializer = FigureFilterSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.filters()


class VariationFiguresView(APIView):
    permission_classes = (IsManagerOrFinanceLead,)

    @extend_schema(parameters=[FigureFilterSerializer], responses=VariationFiguresSerializer)
    def get(self, request: Request) -> Response:
        found, snapshot = variation_figures_read(_filters(request), today=timezone.localdate())
        shares = found.routes
        figures = {
            "as_at": snapshot.as_at if snapshot else None,
            "routes": {
                **asdict(shares),
                "at_indicative_bp": shares.at_indicative_bp,
                "within_authority_bp": shares.within_authority_bp,
                "outside_bp": shares.outside_bp,
            },
            "size": asdict(found.size),
            "by_reason": [asdict(row) for row in found.by_reason],
            "by_team": [asdict(row) for row in found.by_team],
            "by_client_group": [asdict(row) for row in found.by_client_group],
            "domains": [asdict(row) for row in found.domains],
        }
        return Response(VariationFiguresSerializer(figures).data)


class TimelinessFiguresView(APIView):
    permission_classes = (IsManagerOrFinanceLead,)

    @extend_schema(parameters=[FigureFilterSerializer], responses=TimelinessFiguresSerializer)
    def get(self, request: Request) -> Response:
        found, snapshot = timeliness_figures_read(_filters(request), today=timezone.localdate())
        figures = {
            "as_at": snapshot.as_at if snapshot else None,
            "measures": [
                {
                    "slug": measure.slug,
                    "title": measure.measure.title,
                    "unit": measure.measure.unit,
                    "by_month": [asdict(row) for row in measure.by_month],
                    "by_team": [asdict(row) for row in measure.by_team],
                }
                for measure in found.measures
            ],
            "overdue_reviews": [asdict(row) for row in found.overdue],
        }
        return Response(TimelinessFiguresSerializer(figures).data)

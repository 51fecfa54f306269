"""The allocation tables API: client groups, table versions, and pricing a case.

Anyone, signed in or not, may read client groups and published or retired versions and price a
case with them. Only finance leads see drafts (to anyone else a draft does not exist: it is not
listed and its address answers 404) and only they may write. Each write validates its input,
calls one service, and turns the service's refusal into a status code:
TableInvalid -> 400 with every problem; TableNotDraft or StaleEdit -> 409; any other refusal
-> 400; a wrong role -> 403 (also for anonymous callers: the API signs in by session only).
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from allocations import engine
from allocations.api.serializers import (
    ClientGroupSerializer,
    PriceRequestSerializer,
    PriceResultSerializer,
    RefusalSerializer,
    TableDraftCreateSerializer,
    TableDraftSaveSerializer,
    TableProblemsSerializer,
    TablePublishSerializer,
    TableVersionDetailSerializer,
    TableVersionFilterSerializer,
    TableVersionSerializer,
)
from allocations.models import AllocationTableVersion, ClientGroup
from allocations.selectors import client_groups
from allocations.services import (
    StaleEdit,
    TableChangeRefused,
    TableInvalid,
    TableNotDraft,
    table_draft_create,
    table_draft_save,
    table_publish,
)
from allocations.transparency import readable_table_versions, version_price
from ras.accounts.models import User
from ras.accounts.permissions import IsFinanceLead

FORBIDDEN = OpenApiResponse(RefusalSerializer, description="Only a finance lead can do this.")
NOT_FOUND = OpenApiResponse(
    RefusalSerializer, description="No such version, or a draft and you are not a finance lead."
)
CONFLICT = OpenApiResponse(
    RefusalSerializer,
    description="The version is not a draft, or someone saved it after you read it.",
)
INVALID_TABLE = OpenApiResponse(
    TableProblemsSerializer,
    description=(
        "The bands or reductions break the pricing rule, with every problem listed; or a reason "
        "is missing (`detail` and `messages`); or a field is missing or of the wrong kind "
        "(errors keyed by field name)."
    ),
)
BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT, description="A field is missing or of the wrong kind; or a refusal."
)


class ClientGroupViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[ClientGroup]):
    """The client groups, each with its own allocation table. Anyone may read them."""

    serializer_class = ClientGroupSerializer
    permission_classes = (AllowAny,)
    pagination_class = None

    def get_queryset(self) -> QuerySet[ClientGroup]:
        return client_groups()

    @extend_schema(summary="List client groups")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The client groups, each with its own allocation table. Anyone may read them."""
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["table-versions"])
class TableVersionViewSet(viewsets.GenericViewSet[AllocationTableVersion]):
    """Allocation table versions: read by anyone, drafted and published by finance leads."""

    pagination_class = None
    parser_classes = (JSONParser,)
    http_method_names = ("get", "post", "put", "head", "options")
    write_actions = frozenset({"create", "update", "publish"})

    def get_permissions(self) -> Sequence[BasePermission]:
        if self.action in self.write_actions:
            return (IsFinanceLead(),)
        return (AllowAny(),)

    def get_queryset(self) -> QuerySet[AllocationTableVersion]:
        return readable_table_versions(self.request.user)

    def get_serializer_class(self) -> type[Any]:
        return TableVersionSerializer if self.action == "list" else TableVersionDetailSerializer

    @extend_schema(
        summary="List table versions",
        parameters=[TableVersionFilterSerializer],
        responses={200: TableVersionSerializer(many=True), 400: BAD_REQUEST},
    )
    def list(self, request: Request) -> Response:
        """Published and retired versions for everyone; drafts too for finance leads."""
        filters = TableVersionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        versions = self.get_queryset()
        if client_group := filters.validated_data.get("client_group"):
            versions = versions.filter(client_group=client_group)
        if version_status := filters.validated_data.get("status"):
            versions = versions.filter(status=version_status)
        return Response(TableVersionSerializer(versions, many=True).data)

    @extend_schema(
        summary="A table version with its bands and carer reductions",
        responses={200: TableVersionDetailSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        """Bands in order of points, with money in pence; reductions in basis points."""
        return Response(TableVersionDetailSerializer(self.get_object()).data)

    @extend_schema(
        summary="Create a draft (finance leads)",
        request=TableDraftCreateSerializer,
        responses={201: TableVersionDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request: Request) -> Response:
        """An empty draft, or one with the bands and reductions of `clone_from`."""
        serializer = TableDraftCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = table_draft_create(
            client_group=serializer.validated_data["client_group"],
            actor=_actor(request),
            label=serializer.validated_data["label"],
            clone_from=serializer.validated_data["clone_from"],
        )
        return Response(self._detail(draft), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Replace a draft's label, bands and carer reductions (finance leads)",
        request=TableDraftSaveSerializer,
        responses={
            200: TableVersionDetailSerializer,
            400: INVALID_TABLE,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def update(self, request: Request, pk: str) -> Response:
        """All or nothing: invalid bands list every problem and change nothing."""
        version = self.get_object()
        serializer = TableDraftSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            saved = table_draft_save(
                version=version,
                actor=_actor(request),
                label=serializer.validated_data["label"],
                bands=serializer.engine_bands(),
                carer_reductions_bp=serializer.carer_reductions_bp(),
                expected_edit_number=serializer.validated_data["edit_number"],
                reason=serializer.validated_data["reason"],
            )
        except TableChangeRefused as refusal:
            return _refused(refusal)
        return Response(self._detail(saved))

    @extend_schema(
        summary="Publish a draft (finance leads)",
        request=TablePublishSerializer,
        responses={
            200: TableVersionDetailSerializer,
            400: INVALID_TABLE,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """From `effective_from` the version applies and never changes again."""
        version = self.get_object()
        serializer = TablePublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            published = table_publish(
                version=version,
                actor=_actor(request),
                effective_from=serializer.validated_data["effective_from"],
                reason=serializer.validated_data["reason"],
                backdating_reason=serializer.validated_data["backdating_reason"],
            )
        except TableChangeRefused as refusal:
            return _refused(refusal)
        return Response(self._detail(published))

    @extend_schema(
        summary="Price a total of points with this version",
        request=PriceRequestSerializer,
        responses={200: PriceResultSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        examples=[
            OpenApiExample(
                "37 points, some help",
                value={"total_points": 37, "carer_level": "some"},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def price(self, request: Request, pk: str) -> Response:
        """The full breakdown in pence, with the steps that explain it. Anyone may price a
        published or retired version; only finance leads may price a draft."""
        version = self.get_object()
        serializer = PriceRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = version_price(
                version=version,
                total_points=serializer.validated_data["total_points"],
                carer_level=serializer.validated_data["carer_level"],
            )
        except engine.PricingError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(PriceResultSerializer(result, context={"version": version}).data)

    def _detail(self, version: AllocationTableVersion) -> dict[str, Any]:
        # Read again with the rows loaded, as a reader would see the version now.
        return dict(TableVersionDetailSerializer(self.get_queryset().get(pk=version.pk)).data)


def _actor(request: Request) -> User:
    # Writes are only reached through IsFinanceLead, which lets signed-in users alone through.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _refused(refusal: TableChangeRefused) -> Response:
    detail = " ".join(refusal.messages)
    if isinstance(refusal, TableInvalid):
        problems = [
            {
                "code": problem.code,
                "message": problem.message,
                "band_number": problem.band_number,
                "field": problem.field,
                "carer_level": problem.carer_level,
            }
            for problem in refusal.problems
        ]
        return Response(
            {"detail": detail, "problems": problems}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(refusal, TableNotDraft | StaleEdit):
        return Response(
            {"detail": detail, "messages": refusal.messages}, status=status.HTTP_409_CONFLICT
        )
    return Response(
        {"detail": detail, "messages": refusal.messages}, status=status.HTTP_400_BAD_REQUEST
    )

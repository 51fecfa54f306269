"""The budget decisions API: every action of the pages, with the same rules and the same errors.

Who may do what (deny by default):
- reading: social workers and team managers every decision, panel members those on the agendas
  of their meetings, the person and their representatives their own; a decision anyone else asks
  for answers 404, as if it did not exist. Other roles (finance leads, administrators) get 403;
- opening a case and recording an emergency allocation: social workers;
- moving a decision: whoever the workflow names for the action (the one door checks);
- entering what the person pays: social workers and team managers.

Each write validates its input, calls one service, and turns its refusal into a status code:
MoveNotAllowed or DecidedFirst -> 409 with `current_state`; OutsideAuthority or any other
TransitionRefused -> 400 with `detail` and `messages`; PermissionDenied -> 403; a field missing,
of the wrong kind, or an unknown action or state -> 400 keyed by field. The API signs in by
session only, so an anonymous caller gets 403.
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from questionnaires.selectors import assessments_visible_to
from ras.accounts.models import User
from ras.accounts.permissions import has_any_role
from ras.accounts.roles import Role
from ras.audit.models import AccessKind
from ras.audit.recording import records_api_access
from ras.audit.services import Subject, access_record
from reviews.access_selectors import DECISION_READERS, decisions_visible_to
from reviews.api.serializers import (
    DecisionConflictSerializer,
    DecisionContributionSerializer,
    DecisionDetailSerializer,
    DecisionEmergencySerializer,
    DecisionEventSerializer,
    DecisionListFilterSerializer,
    DecisionOpenSerializer,
    DecisionRefusalSerializer,
    DecisionSerializer,
    DecisionTransitionResultSerializer,
    DecisionTransitionSerializer,
)
from reviews.audit_subjects import decision_reference, decision_subject
from reviews.contribution_services import CONTRIBUTION_ROLES, decision_set_contribution
from reviews.emergency_services import emergency_record_for_new_person
from reviews.models import BudgetDecision, DecisionEvent, ReasonCode
from reviews.services import (
    MoveNotAllowed,
    PlanLine,
    TransitionRefused,
    decision_open,
    decision_record_emergency,
    decision_request_amount,
    decision_transition,
)
from reviews.workflow import Action, State

FORBIDDEN = OpenApiResponse(DecisionRefusalSerializer, description="Your role cannot do this.")
NOT_FOUND = OpenApiResponse(
    DecisionRefusalSerializer, description="No such decision, or not one you may see."
)
BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "A field is missing or of the wrong kind, or an unknown action or state (errors keyed by "
        "field name); or the service refused (`detail` and `messages`), such as an amount "
        "beyond delegated authority or missing reasons."
    ),
)
CONFLICT = OpenApiResponse(
    DecisionConflictSerializer,
    description=(
        "The action is not possible from the state you read, or someone moved the decision "
        "after you read it (`detail` says who decided first); `current_state` is the state now."
    ),
)


class CanReadDecisions(BasePermission):
    message = "Only the person, their representative, and case staff can see budget decisions."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_any_role(request, *DECISION_READERS)


class IsSocialWorker(BasePermission):
    message = "Only a social worker can do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_any_role(request, Role.SOCIAL_WORKER)


class CanSetContribution(BasePermission):
    message = "Only a social worker or a team manager can enter a contribution."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_any_role(request, *CONTRIBUTION_ROLES)


class DecisionPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


@extend_schema(tags=["decisions"])
class DecisionViewSet(viewsets.GenericViewSet[BudgetDecision]):
    """Budget decisions: from the indicative budget to a final budget a named person signed off."""

    queryset = BudgetDecision.objects.none()
    lookup_value_regex = "[0-9]+"
    parser_classes = (JSONParser,)
    pagination_class = DecisionPagination
    serializer_class = DecisionSerializer

    def get_permissions(self) -> Sequence[BasePermission]:
        if self.action in ("open", "emergency"):
            return (IsSocialWorker(),)
        if self.action == "contribution":
            return (CanSetContribution(),)
        return (CanReadDecisions(),)

    def get_queryset(self) -> QuerySet[BudgetDecision]:
        if getattr(self, "swagger_fake_view", False):
            return BudgetDecision.objects.none()
        return decisions_visible_to(_user(self.request))

    def get_object(self) -> BudgetDecision:
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (BudgetDecision.DoesNotExist, ValueError) as missing:
            raise NotFound("No such decision, or not one you may see.") from missing

    @extend_schema(
        summary="The decisions you may see",
        parameters=[DecisionListFilterSerializer],
        responses={200: DecisionSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    @records_api_access(AccessKind.LIST)
    def list(self, request: Request) -> Response:
        """Social workers and team managers see every decision, panel members those on their
        meetings' agendas, the person and their representatives their own; the latest change
        first, a page at a time."""
        filters = DecisionListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        decisions = self.get_queryset()
        if state := filters.validated_data.get("state"):
            decisions = decisions.filter(state=state)
        page = self.paginate_queryset(decisions)
        return self.get_paginated_response(DecisionSerializer(page, many=True).data)

    @extend_schema(
        summary="A decision with its events, sign-off and the actions open to you",
        responses={200: DecisionDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @records_api_access(AccessKind.CASE, subjects=decision_subject)
    def retrieve(self, request: Request, pk: str) -> Response:
        """Amounts in pence a year; every event with who decided, in what role, and why."""
        return Response(_detail(self.get_object(), _user(request)))

    @extend_schema(
        summary="Take a submitted assessment's case (social workers)",
        request=DecisionOpenSerializer,
        responses={
            200: OpenApiResponse(DecisionDetailSerializer, description="Already opened."),
            201: DecisionDetailSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
        },
    )
    @action(detail=False, methods=["post"])
    def open(self, request: Request) -> Response:
        """Opens the decision for a submitted assessment, with its indicative budget, on your
        caseload. Opening it again returns the same decision."""
        user = _user(request)
        serializer = DecisionOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = (
            assessments_visible_to(user)
            .filter(public_id=serializer.validated_data["assessment"])
            .first()
        )
        if assessment is None:
            return Response(
                {"assessment": ["No assessment has this id."]}, status=status.HTTP_400_BAD_REQUEST
            )
        already_open = BudgetDecision.objects.filter(assessment=assessment).exists()
        try:
            decision = decision_open(assessment=assessment, actor=user)
        except TransitionRefused as refusal:
            return _refused(refusal)
        except PermissionDenied as denied:
            return _forbidden(denied)
        _record_seen(request, decision)
        return Response(
            _detail(decision, user),
            status=status.HTTP_200_OK if already_open else status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Move a decision: agree, vary, refer, approve, decline, challenge and the rest",
        request=DecisionTransitionSerializer,
        responses={
            200: DecisionTransitionResultSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    @records_api_access(AccessKind.CASE, subjects=decision_subject)
    def transition(self, request: Request, pk: str) -> Response:
        """One action from the state you read, as the workflow allows and your role permits.

        A social worker's `vary` with an amount (or a costed plan) is routed by delegated
        authority, as on the case page: within it, agreed at once (`vary`); beyond it, to a team
        manager (`refer_to_manager`), or to panel beyond a manager's authority too
        (`refer_to_panel`). The event in the answer says where it went."""
        user = _user(request)
        decision = self.get_object()
        serializer = DecisionTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        new_assessment = None
        if "new_assessment" in data:
            new_assessment = (
                assessments_visible_to(user).filter(public_id=data["new_assessment"]).first()
            )
            if new_assessment is None:
                return Response(
                    {"new_assessment": ["No assessment you may see has this id."]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        plan_lines = [PlanLine(**line) for line in data.get("plan_lines", [])]
        try:
            event = _move(
                decision=decision,
                user=user,
                action=Action(data["action"]),
                seen_state=State(data["seen_state"]),
                amount_pence=data.get("amount_pence"),
                reason_codes=data["reason_codes"],
                reasons=data["reasons"],
                plan_lines=plan_lines,
                new_assessment=new_assessment,
            )
        except MoveNotAllowed as refusal:
            return Response(
                {"detail": " ".join(refusal.messages), "current_state": refusal.current_state},
                status=status.HTTP_409_CONFLICT,
            )
        except TransitionRefused as refusal:
            return _refused(refusal)
        except PermissionDenied as denied:
            return _forbidden(denied)
        # Read again after the move: the caller acted on it, so they see where it went.
        fresh = decisions_visible_to(user).filter(pk=decision.pk).first()
        if fresh is None:
            fresh = BudgetDecision.objects.get(pk=decision.pk)
        return Response(
            {
                "event": DecisionEventSerializer(
                    event, context={"reason_labels": _labels(event.reason_codes)}
                ).data,
                "decision": _detail(fresh, user),
            }
        )

    @extend_schema(
        summary="Record an emergency allocation for a person in crisis (social workers)",
        request=DecisionEmergencySerializer,
        responses={201: DecisionDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    @action(detail=False, methods=["post"])
    def emergency(self, request: Request) -> Response:
        """Bypasses the RAS: signed off by you now, confirmed by a team manager within the
        council's number of days, and followed by a full assessment. For someone new, the
        person is added with the allocation, or neither is."""
        user = _user(request)
        serializer = DecisionEmergencySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if "existing_person" in data:
                decision = decision_record_emergency(
                    person=data["existing_person"],
                    actor=user,
                    amount_pence=data["amount_pence"],
                    reasons=data["reasons"],
                )
            else:
                decision = emergency_record_for_new_person(
                    full_name=data["person"]["full_name"],
                    actor=user,
                    amount_pence=data["amount_pence"],
                    reasons=data["reasons"],
                )
        except ValidationError as refusal:
            return Response(
                {"detail": " ".join(refusal.messages), "messages": refusal.messages},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except TransitionRefused as refusal:
            return _refused(refusal)
        except PermissionDenied as denied:
            return _forbidden(denied)
        _record_seen(request, decision)
        return Response(_detail(decision, user), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Enter what the person pays (social workers and team managers)",
        request=DecisionContributionSerializer,
        responses={200: DecisionDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    @records_api_access(AccessKind.CASE, subjects=decision_subject)
    def contribution(self, request: Request, pk: str) -> Response:
        """From the council's financial assessment: from £0 up to the final budget. The council
        pays the rest. Not a move: the state does not change."""
        user = _user(request)
        decision = self.get_object()
        serializer = DecisionContributionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            decision_set_contribution(
                decision_id=decision.pk,
                actor=user,
                contribution_pence=serializer.validated_data["contribution_pence"],
            )
        except TransitionRefused as refusal:
            return _refused(refusal)
        except PermissionDenied as denied:
            return _forbidden(denied)
        return Response(_detail(self.get_object(), user))


def _record_seen(request: Request, decision: BudgetDecision) -> None:
    # Whose decision an answer shows is known only once the action has run, so these actions
    # record it themselves rather than through records_api_access.
    access_record(
        request,
        kind=AccessKind.CASE,
        subjects=[
            Subject(
                decision.person_id,
                decision_reference(
                    decision.pk,
                    None if decision.assessment is None else decision.assessment.reference,
                ),
            )
        ],
    )


def _move(
    *,
    decision: BudgetDecision,
    user: User,
    action: Action,
    seen_state: State,
    amount_pence: int | None,
    reason_codes: Sequence[str],
    reasons: str,
    plan_lines: Sequence[PlanLine],
    new_assessment: Any,
) -> DecisionEvent:
    # A worker's variation goes where delegated authority says, as on the case page; without an
    # amount or a plan the one door gives its own "Enter the amount a year".
    if (
        action is Action.VARY
        and user.has_role(Role.SOCIAL_WORKER)
        and (amount_pence is not None or plan_lines)
    ):
        return decision_request_amount(
            decision_id=decision.pk,
            actor=user,
            seen_state=seen_state,
            amount_pence=amount_pence or 0,
            reason_codes=reason_codes,
            reasons=reasons,
            plan_lines=plan_lines,
        )
    return decision_transition(
        decision_id=decision.pk,
        action=action,
        actor=user,
        seen_state=seen_state,
        amount_pence=amount_pence,
        reason_codes=reason_codes,
        reasons=reasons,
        plan_lines=plan_lines,
        new_assessment=new_assessment,
    )


def _labels(codes: Sequence[str]) -> dict[str, str]:
    return dict(ReasonCode.objects.filter(code__in=codes).values_list("code", "label"))


def _detail(decision: BudgetDecision, user: User) -> dict[str, Any]:
    codes = {
        code for codes in decision.events.values_list("reason_codes", flat=True) for code in codes
    }
    context = {"user": user, "reason_labels": _labels(sorted(codes))}
    return dict(DecisionDetailSerializer(decision, context=context).data)


def _refused(refusal: TransitionRefused) -> Response:
    return Response(
        {"detail": " ".join(refusal.messages), "messages": refusal.messages},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _forbidden(denied: PermissionDenied) -> Response:
    return Response(
        {"detail": str(denied) or "You cannot do this."}, status=status.HTTP_403_FORBIDDEN
    )


def _user(request: Request) -> User:
    # Every action is reached through a role check, which lets signed-in users alone through.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user

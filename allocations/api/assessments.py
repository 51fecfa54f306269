"""The self-assessment API: the published questionnaire, assessments, answers and submission.

It lives under `allocations` because submitting prices the assessment at once, and only
`allocations` may turn points into money.

Who may do what (deny by default):
- the questionnaire's structure is public, as the allocation tables are;
- service users start assessments for themselves, representatives for a person they act for;
  staff do not start assessments here;
- service users, representatives and case staff (social workers, team managers, panel members)
  read the assessments they may see; any other assessment answers 404, as if it did not exist;
- whoever may fill an assessment in (the person, their representative, a social worker) answers
  it; anyone may submit whom the submission service lets submit.

Refusals: a field missing or of the wrong kind, or an option that is not the question's -> 400
naming each; an answer saved elsewhere since `answers_revision` -> 409 with the latest revision;
a submitted assessment's answers -> 409; unanswered questions at submission -> 400 listing them.
Money is integer pence and reductions integer basis points.
"""

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from allocations.budgets import assessment_submit_and_price
from allocations.explanations import budget_explanation
from allocations.models import AllocationTableVersion, ClientGroup, IndicativeBudget
from allocations.selectors import client_groups
from questionnaires.audit_subjects import assessment_subject
from questionnaires.models import (
    Answer,
    Assessment,
    Domain,
    Option,
    Question,
    QuestionnaireVersion,
)
from questionnaires.selectors import (
    answers_by_question,
    assessment_for,
    assessments_visible_to,
    current_questionnaire,
)
from questionnaires.services import (
    AnswerNotAllowed,
    AssessmentAlreadySubmitted,
    AssessmentRefused,
    MissingAnswers,
    StaleAnswers,
    answer_save,
    assessment_start,
    can_fill_in,
    person_add_for_representative,
    person_for_service_user,
)
from ras.accounts.models import User
from ras.accounts.permissions import has_any_role
from ras.accounts.roles import Role
from ras.audit.models import AccessKind
from ras.audit.recording import records_api_access
from ras.people.models import Person, Representation

ASSESSMENT_READERS = (
    Role.SERVICE_USER,
    Role.REPRESENTATIVE,
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.PANEL_MEMBER,
)
ASSESSMENT_STARTERS = (Role.SERVICE_USER, Role.REPRESENTATIVE)
UUID_PATTERN = "[0-9a-fA-F-]{36}"
CODE_PATTERN = "[-a-zA-Z0-9_]+"


class CanReadAssessments(BasePermission):
    message = "Only people filling in an assessment, and case staff, can do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_any_role(request, *ASSESSMENT_READERS)


class CanStartAssessments(BasePermission):
    message = "Only a service user or a representative can start an assessment here."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return has_any_role(request, *ASSESSMENT_STARTERS)


# The questionnaire


class QuestionnaireOptionSerializer(serializers.ModelSerializer[Option]):
    class Meta:
        model = Option
        fields = ("code", "label", "hint", "points", "carer_level")


class QuestionnaireQuestionSerializer(serializers.ModelSerializer[Question]):
    options = QuestionnaireOptionSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ("code", "text", "hint", "position", "is_carer_question", "options")


class QuestionnaireDomainSerializer(serializers.ModelSerializer[Domain]):
    questions = QuestionnaireQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Domain
        fields = ("code", "title", "intro", "questions")


class QuestionnaireSerializer(serializers.ModelSerializer[QuestionnaireVersion]):
    domains = QuestionnaireDomainSerializer(many=True, read_only=True)

    class Meta:
        model = QuestionnaireVersion
        fields = ("code", "number", "title", "intro", "published_at", "domains")


class AssessmentRefusalSerializer(serializers.Serializer[Any]):
    """A refusal: `detail` says why; `messages` one sentence each, when there are several."""

    detail = serializers.CharField()
    messages = serializers.ListField(child=serializers.CharField(), required=False)


class StaleAnswersSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    answers_revision = serializers.IntegerField(
        help_text="The latest revision: read the assessment again, then send this one."
    )


class UnansweredQuestionSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    text = serializers.CharField()


class MissingAnswersSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    unanswered = UnansweredQuestionSerializer(many=True)


FORBIDDEN = OpenApiResponse(AssessmentRefusalSerializer, description="Your role cannot do this.")
NOT_FOUND = OpenApiResponse(
    AssessmentRefusalSerializer, description="No such assessment, or not one you may see."
)
BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="A field is missing or of the wrong kind (errors keyed by field name).",
)
STALE_OR_SUBMITTED = OpenApiResponse(
    StaleAnswersSerializer,
    description=(
        "Answers were saved elsewhere since `answers_revision` (the latest revision is given), "
        "or the assessment is submitted and its answers cannot change (no revision given)."
    ),
)


@extend_schema(
    tags=["questionnaires"],
    summary="The published self-assessment questionnaire",
    responses={200: QuestionnaireSerializer, 404: NOT_FOUND},
)
class CurrentQuestionnaireView(APIView):
    """Domains in order, each with its questions and their options: codes, words and points.
    The carer question's options carry the carer level instead of points. Anyone may read it."""

    permission_classes = (AllowAny,)

    def get(self, request: Request) -> Response:
        try:
            version = current_questionnaire()
        except QuestionnaireVersion.DoesNotExist as missing:
            raise Http404("No questionnaire is published yet.") from missing
        version = (
            QuestionnaireVersion.objects.filter(pk=version.pk)
            .prefetch_related("domains__questions__options")
            .get()
        )
        return Response(QuestionnaireSerializer(version).data)


# Assessments


class AssessmentPersonSerializer(serializers.ModelSerializer[Person]):
    class Meta:
        model = Person
        fields = ("public_id", "full_name")


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    """An assessment without its answers, as the list shows it."""

    person = AssessmentPersonSerializer(read_only=True)
    # A plain string in the schema: an enum named "status" would clash with the tables API's.
    status = serializers.CharField(
        read_only=True, help_text="`in_progress` until submitted, then `submitted`."
    )
    client_group = serializers.CharField(source="client_group_code", read_only=True)
    questionnaire = serializers.CharField(source="questionnaire_version.code", read_only=True)
    questionnaire_number = serializers.IntegerField(
        source="questionnaire_version.number", read_only=True
    )

    class Meta:
        model = Assessment
        fields: tuple[str, ...] = (
            "public_id",
            "reference",
            "person",
            "client_group",
            "questionnaire",
            "questionnaire_number",
            "status",
            "answers_revision",
            "resume_question_code",
            "started_at",
            "last_saved_at",
            "submitted_at",
        )
        read_only_fields = fields


class GivenAnswerSerializer(serializers.ModelSerializer[Answer]):
    question = serializers.CharField(source="question.code")
    option = serializers.CharField(source="option.code")
    option_label = serializers.CharField(source="option.label")
    points = serializers.IntegerField(source="option.points")
    carer_level = serializers.CharField(source="option.carer_level")
    answered_by = serializers.CharField(source="answered_by.full_name")

    class Meta:
        model = Answer
        fields = (
            "question",
            "option",
            "option_label",
            "points",
            "carer_level",
            "answered_by",
            "answered_at",
        )


class BudgetBandSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    min_points = serializers.IntegerField()
    max_points = serializers.IntegerField(allow_null=True)
    base_pence = serializers.IntegerField()
    per_point_pence = serializers.IntegerField()


class BudgetTableVersionSerializer(serializers.ModelSerializer[AllocationTableVersion]):
    client_group: serializers.SlugRelatedField[ClientGroup] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = AllocationTableVersion
        fields = ("id", "label", "client_group", "effective_from")


class DomainPointsSerializer(serializers.Serializer[Any]):
    domain = serializers.CharField()
    title = serializers.CharField()
    points = serializers.IntegerField()


class BudgetExplanationSerializer(serializers.Serializer[Any]):
    """The "how we worked this out" sentences of the confirmation page, word for word."""

    table_label = serializers.CharField()
    table_effective_from = serializers.CharField()
    band_sentence = serializers.CharField()
    calculation_sentence = serializers.CharField()
    carer_help = serializers.CharField()
    carer_reduction = serializers.CharField()
    carer_adjustment_annual = serializers.CharField()
    full_needs_annual = serializers.CharField()
    indicative_annual = serializers.CharField()
    indicative_weekly = serializers.CharField()


class IndicativeBudgetSerializer(serializers.ModelSerializer[IndicativeBudget]):
    """The priced result, with the breakdown the person and the worker see on their pages."""

    domain_points = serializers.SerializerMethodField()
    band = serializers.SerializerMethodField()
    table_version = BudgetTableVersionSerializer(read_only=True)
    steps = serializers.ListField(child=serializers.CharField(), read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = IndicativeBudget
        fields = (
            "total_points",
            "domain_points",
            "band",
            "above_table",
            "full_needs_annual_pence",
            "carer_level",
            "carer_reduction_bp",
            "carer_adjustment_pence",
            "indicative_annual_pence",
            "indicative_weekly_pence",
            "table_version",
            "priced_on",
            "steps",
            "explanation",
        )

    @extend_schema_field(DomainPointsSerializer(many=True))
    def get_domain_points(self, budget: IndicativeBudget) -> list[dict[str, Any]]:
        titles = dict(
            Domain.objects.filter(
                version_id=budget.assessment.questionnaire_version_id
            ).values_list("code", "title")
        )
        return [
            {"domain": code, "title": titles.get(code, code), "points": points}
            for code, points in budget.domain_points
        ]

    @extend_schema_field(BudgetBandSerializer)
    def get_band(self, budget: IndicativeBudget) -> dict[str, Any]:
        band = budget.table_version.bands.get(position=budget.band_position)
        return dict(BudgetBandSerializer(band).data)

    @extend_schema_field(BudgetExplanationSerializer)
    def get_explanation(self, budget: IndicativeBudget) -> dict[str, Any]:
        return dict(BudgetExplanationSerializer(asdict(budget_explanation(budget))).data)


class AssessmentDetailSerializer(AssessmentSerializer):
    """An assessment with the person's answers and, once priced, the indicative budget."""

    answers = serializers.SerializerMethodField()
    budget = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = (*AssessmentSerializer.Meta.fields, "answers", "budget")
        read_only_fields = fields

    @extend_schema_field(GivenAnswerSerializer(many=True))
    def get_answers(self, assessment: Assessment) -> list[dict[str, Any]]:
        answers = sorted(
            answers_by_question(assessment).values(), key=lambda answer: answer.question.position
        )
        return list(GivenAnswerSerializer(answers, many=True).data)

    @extend_schema_field(IndicativeBudgetSerializer(allow_null=True))
    def get_budget(self, assessment: Assessment) -> dict[str, Any] | None:
        budget = (
            IndicativeBudget.objects.select_related("table_version__client_group", "client_group")
            .filter(assessment=assessment)
            .first()
        )
        return None if budget is None else dict(IndicativeBudgetSerializer(budget).data)


class NewPersonSerializer(serializers.Serializer[Any]):
    full_name = serializers.CharField(max_length=200)
    relationship = serializers.CharField(
        max_length=100, help_text='How you know them, such as "my mother" or "advocate".'
    )


class AssessmentCreateSerializer(serializers.Serializer[Any]):
    """For yourself (service users send nothing about the person); for someone you act for
    (representatives send `person` for someone new or `person_id` for someone already added)."""

    client_group = serializers.SlugRelatedField(
        slug_field="code",
        queryset=client_groups(),
        help_text="Who the support is for, such as `older-people`. A social worker confirms it.",
    )
    person = NewPersonSerializer(required=False)
    person_id = serializers.UUIDField(
        required=False, help_text="The public id of a person you already act for."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user: User = self.context["user"]
        for someone_else in ("person", "person_id"):
            if someone_else in attrs and not user.has_role(Role.REPRESENTATIVE):
                raise serializers.ValidationError(
                    {someone_else: "Only a representative can start an assessment for someone."}
                )
        if "person" in attrs and "person_id" in attrs:
            raise serializers.ValidationError(
                {"person_id": "Send either a new person or the id of one you act for, not both."}
            )
        if "person_id" in attrs:
            represented = Representation.objects.filter(
                person__public_id=attrs["person_id"], representative=user
            ).select_related("person")
            representation = represented.first()
            if representation is None:
                raise serializers.ValidationError(
                    {"person_id": "No person you act for has this id."}
                )
            attrs["existing_person"] = representation.person
        elif "person" not in attrs and not user.has_role(Role.SERVICE_USER):
            raise serializers.ValidationError(
                {"person": "Say who the assessment is for: their full name and how you know them."}
            )
        return attrs


class AnswerChoiceSerializer(serializers.Serializer[Any]):
    question = serializers.CharField(max_length=80)
    option = serializers.CharField(max_length=60)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        options: dict[str, set[str]] = self.context["options_by_question"]
        if attrs["question"] not in options:
            raise serializers.ValidationError(
                {"question": f"'{attrs['question']}' is not a question of this questionnaire."}
            )
        if attrs["option"] not in options[attrs["question"]]:
            raise serializers.ValidationError(
                {
                    "option": f"'{attrs['option']}' is not one of the answers to question "
                    f"'{attrs['question']}'."
                }
            )
        return attrs


class AnswerSetSerializer(serializers.Serializer[Any]):
    option = serializers.CharField(max_length=60, help_text="The code of one of its options.")
    answers_revision = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="The revision you read. If answers were saved since, nothing is saved (409).",
    )

    def validate_option(self, option: str) -> str:
        if option not in self.context["option_codes"]:
            raise serializers.ValidationError(
                f"'{option}' is not one of the answers to this question."
            )
        return option


class AnswersSetSerializer(serializers.Serializer[Any]):
    answers = AnswerChoiceSerializer(many=True, allow_empty=False)
    answers_revision = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="The revision you read. If answers were saved since, nothing is saved (409).",
    )

    def validate_answers(self, answers: list[dict[str, str]]) -> list[dict[str, str]]:
        codes = [answer["question"] for answer in answers]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise serializers.ValidationError(
                f"Answer each question once; sent more than once: {', '.join(repeated)}."
            )
        return answers


@extend_schema(tags=["assessments"])
class AssessmentViewSet(viewsets.GenericViewSet[Assessment]):
    """Assessments: started, answered a question at a time or many at once, and submitted."""

    queryset = Assessment.objects.none()
    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN
    pagination_class = None
    parser_classes = (JSONParser,)
    serializer_class = AssessmentSerializer

    def get_permissions(self) -> Sequence[BasePermission]:
        if self.action == "create":
            return (CanStartAssessments(),)
        return (CanReadAssessments(),)

    def get_queryset(self) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        return assessments_visible_to(_user(self.request)).order_by("-started_at", "-pk")

    def get_object(self) -> Assessment:
        return assessment_for(_user(self.request), self.kwargs["public_id"])

    @extend_schema(
        summary="Your assessments",
        responses={200: AssessmentSerializer(many=True), 403: FORBIDDEN},
    )
    @records_api_access(AccessKind.LIST)
    def list(self, request: Request) -> Response:
        """A person's own, a representative's for the people they act for, newest first."""
        return Response(AssessmentSerializer(self.get_queryset(), many=True).data)

    @extend_schema(
        summary="Start an assessment (service users and representatives)",
        request=AssessmentCreateSerializer,
        responses={
            201: AssessmentDetailSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            409: OpenApiResponse(
                AssessmentRefusalSerializer, description="No questionnaire is published yet."
            ),
        },
    )
    def create(self, request: Request) -> Response:
        """With the questionnaire published today; the answers start empty."""
        user = _user(request)
        serializer = AssessmentCreateSerializer(data=request.data, context={"user": user})
        serializer.is_valid(raise_exception=True)
        try:
            assessment = _assessment_start(user=user, data=serializer.validated_data)
        except QuestionnaireVersion.DoesNotExist:
            return Response(
                {"detail": "No self-assessment questionnaire is published yet."},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(_detail(assessment), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="An assessment with its answers",
        responses={200: AssessmentDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @records_api_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
    def retrieve(self, request: Request, public_id: str) -> Response:
        """The person's answers in questionnaire order, the revision to send with the next
        answer, and the indicative budget once submitted and priced."""
        return Response(_detail(self.get_object()))

    @extend_schema(
        summary="Answer one question",
        request=AnswerSetSerializer,
        parameters=[
            OpenApiParameter(
                "question_code", str, OpenApiParameter.PATH, description="The question's code."
            )
        ],
        responses={
            200: AssessmentDetailSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE_OR_SUBMITTED,
        },
    )
    @action(detail=True, methods=["put"], url_path=f"answers/(?P<question_code>{CODE_PATTERN})")
    @records_api_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
    def answer(self, request: Request, public_id: str, question_code: str) -> Response:
        """Saved at once. An option that is not the question's is refused (400)."""
        user = _user(request)
        assessment = self._for_filling_in(user)
        options = _options_by_question(assessment)
        if question_code not in options:
            raise Http404("No such question in this questionnaire.")
        serializer = AnswerSetSerializer(
            data=request.data, context={"option_codes": options[question_code]}
        )
        serializer.is_valid(raise_exception=True)
        return self._save(
            assessment,
            user,
            [{"question": question_code, "option": serializer.validated_data["option"]}],
            serializer.validated_data.get("answers_revision"),
        )

    @extend_schema(
        summary="Answer many questions at once",
        request=AnswersSetSerializer,
        responses={
            200: AssessmentDetailSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: STALE_OR_SUBMITTED,
        },
    )
    @action(detail=True, methods=["post"], url_path="answers")
    @records_api_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
    def answers(self, request: Request, public_id: str) -> Response:
        """All or nothing: if any answer is refused, each refusal is listed (errors line up with
        the answers sent) and none is saved."""
        user = _user(request)
        assessment = self._for_filling_in(user)
        serializer = AnswersSetSerializer(
            data=request.data, context={"options_by_question": _options_by_question(assessment)}
        )
        serializer.is_valid(raise_exception=True)
        return self._save(
            assessment,
            user,
            serializer.validated_data["answers"],
            serializer.validated_data.get("answers_revision"),
        )

    @extend_schema(
        summary="Submit, and get the indicative budget at once",
        request=None,
        responses={
            200: AssessmentDetailSerializer,
            400: OpenApiResponse(
                MissingAnswersSerializer,
                description="Questions are unanswered (each listed), or no client group chosen.",
            ),
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    @records_api_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
    def submit(self, request: Request, public_id: str) -> Response:
        """Submitting again returns the same submission and budget. `budget` is null when the
        client group has no table in force: the cost is then worked out by a person."""
        assessment = self.get_object()
        try:
            submitted, _ = assessment_submit_and_price(assessment=assessment, actor=_user(request))
        except MissingAnswers as missing:
            return Response(
                {
                    "detail": "Answer every question before you submit.",
                    "unanswered": [
                        {"code": question.code, "text": question.text}
                        for question in missing.questions
                    ],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        except AssessmentRefused as refusal:
            return _refused(refusal, status.HTTP_400_BAD_REQUEST)
        return Response(_detail(submitted))

    def _for_filling_in(self, user: User) -> Assessment:
        assessment = self.get_object()
        if not can_fill_in(user, assessment):
            raise PermissionDenied("You cannot answer for this person.")
        return assessment

    def _save(
        self,
        assessment: Assessment,
        user: User,
        choices: Sequence[dict[str, str]],
        expected_revision: int | None,
    ) -> Response:
        try:
            _answers_save(
                assessment=assessment,
                choices=choices,
                actor=user,
                expected_revision=expected_revision,
            )
        except StaleAnswers as stale:
            latest = Assessment.objects.values_list("answers_revision", flat=True).get(
                pk=assessment.pk
            )
            return Response(
                {"detail": " ".join(stale.messages), "answers_revision": latest},
                status=status.HTTP_409_CONFLICT,
            )
        except AssessmentAlreadySubmitted as submitted:
            return _refused(submitted, status.HTTP_409_CONFLICT)
        except AnswerNotAllowed as refusal:
            return _refused(refusal, status.HTTP_400_BAD_REQUEST)
        return Response(_detail(Assessment.objects.get(pk=assessment.pk)))


@transaction.atomic
def _assessment_start(*, user: User, data: dict[str, Any]) -> Assessment:
    # The person and their assessment are made together, or not at all.
    if "existing_person" in data:
        person = data["existing_person"]
    elif "person" in data:
        person = person_add_for_representative(
            representative=user,
            full_name=data["person"]["full_name"],
            relationship=data["person"]["relationship"],
        )
    else:
        person = person_for_service_user(user)
    client_group: ClientGroup = data["client_group"]
    return assessment_start(actor=user, person=person, client_group_code=client_group.code)


@transaction.atomic
def _answers_save(
    *,
    assessment: Assessment,
    choices: Sequence[dict[str, str]],
    actor: User,
    expected_revision: int | None,
) -> None:
    # The first save claims the revision and holds the assessment's row until the end, so the
    # rest cannot interleave with another writer; any refusal undoes every save.
    for position, choice in enumerate(choices):
        answer_save(
            assessment=assessment,
            question_code=choice["question"],
            option_code=choice["option"],
            actor=actor,
            expected_revision=expected_revision if position == 0 else None,
        )


def _options_by_question(assessment: Assessment) -> dict[str, set[str]]:
    options: dict[str, set[str]] = {}
    for question_code, option_code in Option.objects.filter(
        version_id=assessment.questionnaire_version_id
    ).values_list("question__code", "code"):
        options.setdefault(question_code, set()).add(option_code)
    return options


def _detail(assessment: Assessment) -> dict[str, Any]:
    return dict(AssessmentDetailSerializer(assessment).data)


def _refused(refusal: AssessmentRefused, status_code: int) -> Response:
    return Response(
        {"detail": " ".join(refusal.messages), "messages": refusal.messages}, status=status_code
    )


def _user(request: Request) -> User:
    # Every action is reached through a role check, which lets signed-in users alone through.
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user

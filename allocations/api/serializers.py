"""What the allocation tables API reads and writes. Serializers validate; services decide.

Money is integer pence and reductions are integer basis points (10,000 = 100%), in and out.
Whether bands follow the pricing rule (no gaps, no overlaps, money 0 or more...) is for the
engine to say, through the service, so that every problem is listed at once; these serializers
only check that each value is of the right kind and fits the database.
"""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from allocations import engine
from allocations.models import (
    AllocationTableVersion,
    Band,
    CarerReduction,
    ClientGroup,
    TableStatus,
)
from questionnaires.carer_levels import CARER_LEVELS

# The widest values the database columns hold: points are `integer`, money is `bigint`.
POINTS_LIMIT = 2**31 - 1
PENCE_LIMIT = 2**63 - 1


class ClientGroupSerializer(serializers.ModelSerializer[ClientGroup]):
    class Meta:
        model = ClientGroup
        fields = ("code", "name", "description")


class BandSerializer(serializers.ModelSerializer[Band]):
    class Meta:
        model = Band
        fields = ("position", "min_points", "max_points", "base_pence", "per_point_pence")


class CarerReductionSerializer(serializers.ModelSerializer[CarerReduction]):
    class Meta:
        model = CarerReduction
        fields = ("carer_level", "reduction_bp")


class TableVersionSerializer(serializers.ModelSerializer[AllocationTableVersion]):
    """A version without its rows, as the list shows it."""

    client_group: serializers.SlugRelatedField[ClientGroup] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    client_group_name = serializers.CharField(source="client_group.name", read_only=True)

    class Meta:
        model = AllocationTableVersion
        fields: tuple[str, ...] = (
            "id",
            "client_group",
            "client_group_name",
            "label",
            "status",
            "effective_from",
            "published_at",
            "created_at",
            "edit_number",
        )
        read_only_fields: tuple[str, ...] = fields


class TableVersionDetailSerializer(TableVersionSerializer):
    """A version with its bands (in order) and carer reductions."""

    bands = BandSerializer(many=True, read_only=True)
    carer_reductions = CarerReductionSerializer(many=True, read_only=True)

    class Meta(TableVersionSerializer.Meta):
        fields = (*TableVersionSerializer.Meta.fields, "bands", "carer_reductions")
        read_only_fields = fields


class TableVersionFilterSerializer(serializers.Serializer[Any]):
    """The list's query parameters."""

    client_group = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ClientGroup.objects.all(),
        required=False,
        help_text="Only the versions of the client group with this code.",
        error_messages={"does_not_exist": "No client group has the code '{value}'."},
    )
    status = serializers.ChoiceField(
        choices=TableStatus.choices,
        required=False,
        help_text="Only the versions with this status.",
        error_messages={
            "invalid_choice": "'{input}' is not a status: use draft, published or retired."
        },
    )


class TableDraftCreateSerializer(serializers.Serializer[Any]):
    client_group = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ClientGroup.objects.all(),
        help_text="The code of the client group the draft is for.",
        error_messages={"does_not_exist": "No client group has the code '{value}'."},
    )
    # A declared field named `label` hides Field.label, which the type stubs declare as text.
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=120,
        help_text="A name for the version, like '2027 to 2028'.",
        error_messages={"blank": "Enter a label for the draft."},
    )
    clone_from = serializers.PrimaryKeyRelatedField(
        queryset=AllocationTableVersion.objects.all(),
        allow_null=True,
        required=False,
        default=None,
        help_text="The id of a version to copy bands and carer reductions from; null for none.",
        error_messages={"does_not_exist": "No table version has the id {pk_value}."},
    )


class BandInputSerializer(serializers.Serializer[Any]):
    min_points = serializers.IntegerField(min_value=-POINTS_LIMIT, max_value=POINTS_LIMIT)
    max_points = serializers.IntegerField(
        min_value=-POINTS_LIMIT,
        max_value=POINTS_LIMIT,
        allow_null=True,
        help_text="null for an open-ended last band.",
    )
    base_pence = serializers.IntegerField(
        min_value=-PENCE_LIMIT,
        max_value=PENCE_LIMIT,
        help_text="The annual amount at min_points, in pence.",
    )
    per_point_pence = serializers.IntegerField(
        min_value=-PENCE_LIMIT,
        max_value=PENCE_LIMIT,
        help_text="The annual amount added for each point above min_points, in pence.",
    )


class CarerReductionInputSerializer(serializers.Serializer[Any]):
    carer_level = serializers.CharField(max_length=40)
    reduction_bp = serializers.IntegerField(
        min_value=-POINTS_LIMIT,
        max_value=POINTS_LIMIT,
        help_text="The reduction in basis points: 1,000 is 10%, 10,000 is 100%.",
    )


class TableDraftSaveSerializer(serializers.Serializer[Any]):
    """A draft's new label, bands (in order, from the lowest points) and carer reductions."""

    label = serializers.CharField(  # type: ignore[assignment]  # see TableDraftCreateSerializer
        max_length=120, error_messages={"blank": "Enter a label for the draft."}
    )
    bands = BandInputSerializer(many=True)
    carer_reductions = CarerReductionInputSerializer(many=True)
    edit_number = serializers.IntegerField(
        min_value=0,
        help_text=(
            "The draft's edit_number when you read it; a save over a newer change is refused."
        ),
    )
    reason = serializers.CharField(
        max_length=2000,
        help_text="Why you are making this change; it is kept with the draft's history.",
        error_messages={"blank": "Enter why you are making this change."},
    )

    def validate_carer_reductions(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        seen: set[str] = set()
        for reduction in value:
            level = reduction["carer_level"]
            if level in seen:
                raise serializers.ValidationError(
                    f"Carer level '{level}' is given more than once: give one reduction per level."
                )
            seen.add(level)
        return value

    def engine_bands(self) -> list[engine.Band]:
        return [
            engine.Band(
                min_points=band["min_points"],
                max_points=band["max_points"],
                base_pence=band["base_pence"],
                per_point_pence=band["per_point_pence"],
            )
            for band in self.validated_data["bands"]
        ]

    def carer_reductions_bp(self) -> dict[str, int]:
        return {
            reduction["carer_level"]: reduction["reduction_bp"]
            for reduction in self.validated_data["carer_reductions"]
        }


class TablePublishSerializer(serializers.Serializer[Any]):
    effective_from = serializers.DateField(
        help_text="The first day the table applies (YYYY-MM-DD).",
        error_messages={"invalid": "Enter the date the table applies from as YYYY-MM-DD."},
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the table is published. Required.",
    )
    backdating_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why it must apply to the past. Required when effective_from is before today.",
    )


class PriceRequestSerializer(serializers.Serializer[Any]):
    total_points = serializers.IntegerField(
        min_value=0,
        max_value=POINTS_LIMIT,
        help_text="The total points of a self-assessment, 0 or more.",
        error_messages={
            "min_value": "total_points must be 0 or more.",
            "max_value": f"total_points must be {POINTS_LIMIT} or fewer.",
        },
    )
    carer_level = serializers.ChoiceField(
        choices=[(level.code, level.label) for level in CARER_LEVELS],
        help_text="How much help family or friends give.",
        error_messages={
            "invalid_choice": (
                "'{input}' is not a carer level: use one of "
                + ", ".join(f"'{level.code}'" for level in CARER_LEVELS)
                + "."
            )
        },
    )


class PricedBandSerializer(serializers.Serializer[engine.Band]):
    min_points = serializers.IntegerField()
    max_points = serializers.IntegerField(allow_null=True)
    base_pence = serializers.IntegerField()
    per_point_pence = serializers.IntegerField()


class PriceResultSerializer(serializers.Serializer[engine.PricingResult]):
    """Every figure of one price, in pence, with the steps that explain it.

    Needs the priced version in the context as `version`.
    """

    total_points = serializers.IntegerField()
    band_index = serializers.IntegerField(help_text="The band, counted from 1.")
    band = PricedBandSerializer()
    above_table = serializers.BooleanField(
        help_text="True when the total is above a closed top band: flagged for individual costing."
    )
    full_needs_annual_pence = serializers.IntegerField()
    carer_level = serializers.CharField()
    carer_reduction_bp = serializers.IntegerField()
    carer_adjustment_pence = serializers.IntegerField()
    indicative_annual_pence = serializers.IntegerField()
    indicative_weekly_pence = serializers.IntegerField()
    steps = serializers.ListField(child=serializers.CharField())
    table_version = serializers.SerializerMethodField()
    client_group = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.INT)
    def get_table_version(self, result: engine.PricingResult) -> int:
        version: AllocationTableVersion = self.context["version"]
        return version.pk

    @extend_schema_field(OpenApiTypes.STR)
    def get_client_group(self, result: engine.PricingResult) -> str:
        version: AllocationTableVersion = self.context["version"]
        return version.client_group.code


class TableProblemSerializer(serializers.Serializer[engine.TableProblem]):
    code = serializers.CharField()
    message = serializers.CharField()
    band_number = serializers.IntegerField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    carer_level = serializers.CharField(allow_null=True)


class TableProblemsSerializer(serializers.Serializer[Any]):
    """400: the bands or reductions break the pricing rule; every problem is listed."""

    detail = serializers.CharField()
    problems = TableProblemSerializer(many=True)


class RefusalSerializer(serializers.Serializer[Any]):
    """A refusal: `detail` says why in one text, `messages` one sentence each."""

    detail = serializers.CharField()
    messages = serializers.ListField(child=serializers.CharField(), required=False)

"""What the decisions API reads and writes. Money is integer pence a year; hours or units a week
are integer hundredths (1,050 = 10.5 hours).

States and actions are plain strings in the schema, with their values listed in each field's
help text: an enum named "state" or "action" would clash with other components of the schema.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ras.people.models import Person
from reviews.access_selectors import actions_open_to
from reviews.models import BudgetDecision, DecisionEvent, SupportPlanLine
from reviews.person_selectors import PERSON_ACTION_WORDS, STAFF_ROLE_WORDS
from reviews.workflow import WHO_MAY, Action, State

MAX_ANNUAL_PENCE = 1_000_000_000  # £10 million a year: beyond any budget, so slips are caught
MAX_UNITS_PER_WEEK_HUNDREDTHS = 168 * 7 * 100  # round the clock, for up to seven people at once
MAX_UNIT_COST_PENCE = 10_000_000  # £100,000 for one hour or unit
MAX_PLAN_LINES = 40
REASONS_MAX_LENGTH = 5_000

STATE_VALUES = ", ".join(f"`{state.value}`" for state in State)
# Recording an emergency allocation starts a new decision: it has an endpoint of its own.
TRANSITION_ACTIONS = tuple(action for action in Action if action is not Action.RECORD_EMERGENCY)
ACTION_VALUES = ", ".join(f"`{action.value}`" for action in TRANSITION_ACTIONS)
STATE_HELP = f"One of {STATE_VALUES}."
KNOWN_STATES = frozenset(state.value for state in State)
KNOWN_ACTIONS = frozenset(action.value for action in TRANSITION_ACTIONS)


class WholeNumberField(serializers.IntegerField):
    """An integer sent as a JSON number with no fraction: "5478.00" or 5478.0 is refused rather
    than read as 5,478 pence, since a caller sending pounds would be 100 times out."""

    default_error_messages = {
        "not_whole": (
            "Send a whole number with no decimal point: money in pence (547800 for £5,478.00), "
            "hours or units in hundredths (1050 for 10.5)."
        ),
    }

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("not_whole")
        return int(super().to_internal_value(data))


# Reading decisions


class DecisionPersonSerializer(serializers.ModelSerializer[Person]):
    class Meta:
        model = Person
        fields = ("public_id", "full_name")


class DecisionEventSerializer(serializers.ModelSerializer[DecisionEvent]):
    """One move: who made it in what role, when, the amounts before and after, and why."""

    action = serializers.CharField(
        read_only=True, help_text=f"One of {ACTION_VALUES}, or `record_emergency`."
    )
    description = serializers.SerializerMethodField()
    from_state = serializers.CharField(read_only=True, help_text=STATE_HELP)
    to_state = serializers.CharField(read_only=True, help_text=STATE_HELP)
    actor = serializers.CharField(source="actor.full_name", read_only=True)
    actor_role = serializers.SerializerMethodField()
    reason_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    reason_labels = serializers.SerializerMethodField()

    class Meta:
        model = DecisionEvent
        fields = (
            "id",
            "action",
            "description",
            "from_state",
            "to_state",
            "actor",
            "actor_role",
            "at",
            "amount_before_pence",
            "amount_after_pence",
            "reason_codes",
            "reason_labels",
            "reasons",
        )
        read_only_fields = fields

    def get_description(self, event: DecisionEvent) -> str:
        """What the move did, in plain words: "agreed the amount asked for"."""
        return PERSON_ACTION_WORDS[Action(event.action)]

    def get_actor_role(self, event: DecisionEvent) -> str:
        """`social worker`, `team manager`, `panel member`, or `person` for the person or
        someone acting for them."""
        return STAFF_ROLE_WORDS.get(WHO_MAY[Action(event.action)], "person")

    def get_reason_labels(self, event: DecisionEvent) -> list[str]:
        labels: dict[str, str] = self.context.get("reason_labels", {})
        return [labels.get(code, code) for code in event.reason_codes]


class DecisionPlanLineSerializer(serializers.ModelSerializer[SupportPlanLine]):
    class Meta:
        model = SupportPlanLine
        fields = ("description", "units_per_week_hundredths", "unit_cost_pence", "annual_pence")
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer[BudgetDecision]):
    """A decision as the list shows it."""

    person = DecisionPersonSerializer(read_only=True)
    assessment = serializers.UUIDField(
        source="assessment.public_id",
        read_only=True,
        allow_null=True,
        help_text="The public id of the assessment; null for an emergency allocation.",
    )
    social_worker = serializers.CharField(
        source="social_worker.full_name", read_only=True, allow_null=True
    )
    state = serializers.CharField(read_only=True, help_text=STATE_HELP)
    state_label = serializers.CharField(read_only=True)

    class Meta:
        model = BudgetDecision
        fields: tuple[str, ...] = (
            "id",
            "person",
            "assessment",
            "social_worker",
            "state",
            "state_label",
            "state_changed_at",
            "indicative_annual_pence",
            "requested_annual_pence",
            "final_annual_pence",
            "next_review_due",
        )
        read_only_fields = fields


class DecisionDetailSerializer(DecisionSerializer):
    """A decision with its final sign-off, the split of who pays what, its costed support plan,
    every event with its reasons, and the actions open to the caller now."""

    requested_by = serializers.CharField(
        source="requested_by.full_name", read_only=True, allow_null=True
    )
    signed_off_by = serializers.CharField(
        source="signed_off_by.full_name",
        read_only=True,
        allow_null=True,
        help_text="Who signed off the final budget; a final budget always has a named person.",
    )
    council_pays_annual_pence = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The final budget less the person's contribution (none entered counts as 0).",
    )
    reopened_assessment = serializers.UUIDField(
        source="reopened_assessment.public_id",
        read_only=True,
        allow_null=True,
        help_text="The copy the person is changing after the assessment was returned to them.",
    )
    support_plan_lines = DecisionPlanLineSerializer(many=True, read_only=True)
    events = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(DecisionSerializer.Meta):
        fields = (
            *DecisionSerializer.Meta.fields,
            "requested_by",
            "signed_off_by",
            "signed_off_at",
            "contribution_annual_pence",
            "council_pays_annual_pence",
            "emergency_confirm_by",
            "emergency_confirmed_at",
            "reopened_assessment",
            "support_plan_lines",
            "events",
            "allowed_actions",
        )
        read_only_fields = fields

    @extend_schema_field(DecisionEventSerializer(many=True))
    def get_events(self, decision: BudgetDecision) -> list[dict[str, Any]]:
        """Every move, oldest first."""
        events = decision.events.select_related("actor").order_by("at", "id")
        return list(DecisionEventSerializer(events, many=True, context=self.context).data)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, decision: BudgetDecision) -> list[str]:
        """The actions the caller may take now (see the transition endpoint)."""
        return [action.value for action in actions_open_to(decision, self.context["user"])]


# Writing


class DecisionRefusalSerializer(serializers.Serializer[Any]):
    """A refusal: `detail` says why; `messages` one sentence each."""

    detail = serializers.CharField()
    messages = serializers.ListField(child=serializers.CharField(), required=False)


class DecisionConflictSerializer(serializers.Serializer[Any]):
    """Not possible from the decision's state, or someone moved it after you read it."""

    detail = serializers.CharField(help_text="Why, and who decided first when someone did.")
    current_state = serializers.CharField(help_text=STATE_HELP)


class DecisionListFilterSerializer(serializers.Serializer[Any]):
    state = serializers.CharField(
        required=False, help_text=f"Only decisions in this state. {STATE_HELP}"
    )

    def validate_state(self, state: str) -> str:
        if state not in KNOWN_STATES:
            raise serializers.ValidationError(f"'{state}' is not a state. {STATE_HELP}")
        return state


class DecisionOpenSerializer(serializers.Serializer[Any]):
    assessment = serializers.UUIDField(help_text="The public id of a submitted assessment.")


class DecisionPlanLineInputSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(max_length=200)
    units_per_week_hundredths = WholeNumberField(
        min_value=1,
        max_value=MAX_UNITS_PER_WEEK_HUNDREDTHS,
        help_text="Hours or units a week, in hundredths (1,050 = 10.5 hours).",
    )
    unit_cost_pence = WholeNumberField(min_value=0, max_value=MAX_UNIT_COST_PENCE)


class DecisionTransitionSerializer(serializers.Serializer[Any]):
    action = serializers.CharField(help_text=f"One of {ACTION_VALUES}.")
    seen_state = serializers.CharField(
        help_text=(
            "The state you read. If the decision has moved since, nothing changes (409, with "
            f"who decided first). {STATE_HELP}"
        )
    )
    amount_pence = WholeNumberField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_ANNUAL_PENCE,
        help_text=(
            "The amount a year, for `vary`, `refer_to_manager`, `refer_to_panel` and "
            "`panel_approve_different`. A social worker's `vary` goes where delegated authority "
            "says: agreed at once within it, else to a team manager, or to panel."
        ),
    )
    reason_codes = serializers.ListField(
        child=serializers.SlugField(max_length=40), required=False, default=list
    )
    reasons = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REASONS_MAX_LENGTH,
        help_text="Needed for every action but agree, resubmit, start_review, confirm_emergency.",
    )
    plan_lines = DecisionPlanLineInputSerializer(
        many=True,
        required=False,
        help_text=(
            "A costed support plan for an allocation outside the RAS: its total a year is the "
            "amount asked for, and someone other than the requester agrees it. At most "
            f"{MAX_PLAN_LINES} lines."
        ),
    )
    new_assessment = serializers.UUIDField(
        required=False,
        help_text="For `resubmit` after an emergency allocation: the submitted full assessment.",
    )

    def validate_action(self, action: str) -> str:
        if action not in KNOWN_ACTIONS:
            raise serializers.ValidationError(
                f"'{action}' is not an action. One of {ACTION_VALUES}."
            )
        return action

    def validate_seen_state(self, seen_state: str) -> str:
        if seen_state not in KNOWN_STATES:
            raise serializers.ValidationError(f"'{seen_state}' is not a state. {STATE_HELP}")
        return seen_state

    def validate_plan_lines(self, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(lines) > MAX_PLAN_LINES:
            raise serializers.ValidationError(f"Send at most {MAX_PLAN_LINES} lines.")
        return lines


class DecisionTransitionResultSerializer(serializers.Serializer[Any]):
    event = DecisionEventSerializer(help_text="The move made: for `vary`, where it went.")
    decision = DecisionDetailSerializer()


class DecisionEmergencyPersonSerializer(serializers.Serializer[Any]):
    full_name = serializers.CharField(max_length=200)


class DecisionEmergencySerializer(serializers.Serializer[Any]):
    """For someone new send `person`; for someone the council knows, `person_id`."""

    person = DecisionEmergencyPersonSerializer(required=False)
    person_id = serializers.UUIDField(required=False, help_text="The person's public id.")
    amount_pence = WholeNumberField(
        min_value=0, max_value=MAX_ANNUAL_PENCE, help_text="The amount a year."
    )
    reasons = serializers.CharField(allow_blank=True, default="", max_length=REASONS_MAX_LENGTH)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("person" in attrs) == ("person_id" in attrs):
            raise serializers.ValidationError(
                {
                    "person": "Send one of `person` (someone new) or `person_id` (someone the "
                    "council knows)."
                }
            )
        if "person_id" in attrs:
            person = Person.objects.filter(public_id=attrs["person_id"]).first()
            if person is None:
                raise serializers.ValidationError({"person_id": "No person has this id."})
            attrs["existing_person"] = person
        return attrs


class DecisionContributionSerializer(serializers.Serializer[Any]):
    contribution_pence = WholeNumberField(
        help_text="What the person pays a year, from the financial assessment: 0 to the final "
        "budget."
    )

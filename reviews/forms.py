"""Forms for the social worker's case pages. They check what people typed and turn pounds into
pence; the services decide whether the move itself is allowed.

Pounds and hours are read as Decimal text (never float) with at most 2 decimal places.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from allocations.engine import format_pounds
from reviews.models import ReasonCode
from reviews.services import PlanLine
from reviews.workflow import State

# Larger than any budget a council sets (£10 million a year), so a slip of the finger is caught.
MAX_ANNUAL_PENCE = 1_000_000_000
MAX_UNIT_COST_PENCE = 10_000_000  # £100,000 for one hour or unit
MAX_UNITS_PER_WEEK = Decimal(168 * 7)  # round the clock, for up to seven people at once
FIRST_PLAN_LINES = 5
MORE_PLAN_LINES = 5
MAX_PLAN_LINES = 40
REASONS_MAX_LENGTH = 5_000
TOO_LARGE = Decimal(10**12)  # beyond any amount here; keeps Decimal arithmetic in range


def decimal_from_text(
    text: str, *, what: str, example: str, strip_pound_sign: bool = True
) -> Decimal:
    """A non-negative Decimal with at most 2 decimal places from what someone typed.

    Spaces and thousands separators are ignored, and a leading £ when `strip_pound_sign`.
    Raises forms.ValidationError with a message naming `what`.
    """
    cleaned = text.strip().replace(",", "").replace(" ", "")
    if strip_pound_sign and cleaned.startswith("£"):
        cleaned = cleaned[1:]
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise forms.ValidationError(f"Enter {what} as a number, like {example}") from None
    if not number.is_finite():
        raise forms.ValidationError(f"Enter {what} as a number, like {example}")
    if number < 0:
        raise forms.ValidationError(f"{_capital(what)} must be 0 or more")
    if number > TOO_LARGE:
        raise forms.ValidationError(f"{_capital(what)} is too large: check it")
    if number != number.quantize(Decimal("0.01")):
        raise forms.ValidationError(f"{_capital(what)} must have no more than 2 decimal places")
    return number


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def hundredths(number: Decimal) -> int:
    """Decimal(12.34) is 1,234 hundredths: pence from pounds, hundredths of an hour from hours."""
    return int(number * 100)


class PoundsField(forms.CharField):
    """An amount of pounds typed by a person, cleaned to integer pence."""

    def __init__(
        self,
        *,
        what: str = "the amount a year",
        example: str = "5478.50",
        min_pence: int = 0,
        max_pence: int = MAX_ANNUAL_PENCE,
        **kwargs: Any,
    ) -> None:
        self.what = what
        self.example = example
        self.min_pence = min_pence
        self.max_pence = max_pence
        kwargs.setdefault("error_messages", {"required": f"Enter {what}"})
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        pence = hundredths(decimal_from_text(text, what=self.what, example=self.example))
        if pence < self.min_pence:
            raise forms.ValidationError(f"{_capital(self.what)} must be more than £0.00")
        if pence > self.max_pence:
            raise forms.ValidationError(
                f"{_capital(self.what)} must be no more than {format_pounds(self.max_pence)}"
            )
        return pence


class SeenStateForm(forms.Form):
    """Every action form carries the state the page showed, for the compare-and-swap."""

    seen_state = forms.ChoiceField(
        choices=[(state.value, state.label) for state in State],
        widget=forms.HiddenInput,
        error_messages={
            "required": "This page was out of date: open the case again",
            "invalid_choice": "This page was out of date: open the case again",
        },
    )

    def seen(self) -> State:
        return State(self.cleaned_data["seen_state"])


def reasons_field(*, label: str, required: bool, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=REASONS_MAX_LENGTH,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter the reasons for this decision",
            "max_length": f"Reasons must be {REASONS_MAX_LENGTH:,} characters or fewer",
        },
    )


class ConfirmForm(SeenStateForm):
    """Agreeing the indicative budget, or starting a review: one click, and a note if wanted."""

    reasons = reasons_field(label="Anything to add (optional)", required=False)


def active_reason_choices() -> list[tuple[str, str]]:
    """The active reason codes by label, with "other" (explained in the reasons) last."""
    codes = ReasonCode.objects.filter(is_active=True).values_list("code", "label")
    return sorted(codes, key=lambda choice: (choice[0] == "other", choice[1]))


class ReasonCodesMixin(forms.Form):
    reason_codes = forms.MultipleChoiceField(
        label="Why is a different amount needed?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"invalid_choice": "Select reasons from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason_codes"].choices = active_reason_choices()  # type: ignore[attr-defined]


class VaryForm(SeenStateForm, ReasonCodesMixin):
    """A different amount a year, with reason codes and reasons."""

    amount = PoundsField(
        label="New amount a year",
        help_text="In pounds, for example 5478.50.",
        what="the new amount a year",
    )
    reasons = reasons_field(
        label="Reasons",
        required=True,
        hint="Say how the new amount meets the person’s assessed needs. The person can read this.",
    )
    field_order = ["seen_state", "amount", "reason_codes", "reasons"]

    def __init__(self, *args: Any, indicative_pence: int | None, **kwargs: Any) -> None:
        self.indicative_pence = indicative_pence
        super().__init__(*args, **kwargs)

    def clean_amount(self) -> int | None:
        amount: int | None = self.cleaned_data.get("amount")
        if amount is not None and amount == self.indicative_pence:
            raise forms.ValidationError(
                "The new amount is the same as the indicative budget: agree the indicative "
                "budget instead"
            )
        return amount


class SupportPlanForm(SeenStateForm, ReasonCodesMixin):
    """A costed support plan: lines of what, hours or units a week, and the cost of each.

    Lines left blank are ignored; a line partly filled in is an error on the part missing.
    """

    lines = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=MAX_PLAN_LINES, required=False
    )
    reasons = reasons_field(
        label="Reasons",
        required=True,
        hint="Say why the RAS amount does not meet the person’s assessed needs. The person can "
        "read this.",
    )

    def __init__(self, *args: Any, line_count: int = FIRST_PLAN_LINES, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line_count = max(1, min(line_count, MAX_PLAN_LINES))
        self.fields["lines"].initial = self.line_count
        for number in range(1, self.line_count + 1):
            self.fields[f"line_{number}_what"] = forms.CharField(
                label="What support", required=False, max_length=200,
                error_messages={"max_length": f"Line {number}: use 200 characters or fewer"},
            )  # fmt: skip
            self.fields[f"line_{number}_units"] = forms.CharField(
                label="Hours or units a week", required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            )  # fmt: skip
            self.fields[f"line_{number}_cost"] = forms.CharField(
                label="Cost of one hour or unit", required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            )  # fmt: skip
        self.order_fields(["seen_state", "lines", *self._line_field_names(), "reason_codes"])

    def _line_field_names(self) -> list[str]:
        return [
            f"line_{number}_{part}"
            for number in range(1, self.line_count + 1)
            for part in ("what", "units", "cost")
        ]

    def line_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                number,
                self[f"line_{number}_what"],
                self[f"line_{number}_units"],
                self[f"line_{number}_cost"],
            )
            for number in range(1, self.line_count + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        plan: list[PlanLine] = []
        for number in range(1, self.line_count + 1):
            line = self._clean_line(number, cleaned)
            if line is not None:
                plan.append(line)
        if not plan and not self.errors:
            self.add_error(
                "line_1_what", "Enter at least one line of support: what, how much and the cost"
            )
        cleaned["plan_lines"] = plan
        return cleaned

    def _clean_line(self, number: int, cleaned: dict[str, Any]) -> PlanLine | None:
        what = (cleaned.get(f"line_{number}_what") or "").strip()
        units_text = (cleaned.get(f"line_{number}_units") or "").strip()
        cost_text = (cleaned.get(f"line_{number}_cost") or "").strip()
        if not (what or units_text or cost_text):
            return None
        units = cost = None
        if not what:
            self.add_error(f"line_{number}_what", f"Line {number}: enter what the support is")
        if not units_text:
            self.add_error(
                f"line_{number}_units", f"Line {number}: enter the hours or units a week"
            )
        else:
            try:
                units = decimal_from_text(
                    units_text,
                    what=f"line {number}’s hours or units a week",
                    example="10.5",
                    strip_pound_sign=False,
                )
                if units == 0 or units > MAX_UNITS_PER_WEEK:
                    raise forms.ValidationError(
                        f"Enter line {number}’s hours or units a week: more than 0 and no "
                        f"more than {MAX_UNITS_PER_WEEK:,}"
                    )
            except forms.ValidationError as error:
                self.add_error(f"line_{number}_units", _on_line(number, error))
                units = None
        if not cost_text:
            self.add_error(
                f"line_{number}_cost", f"Line {number}: enter the cost of one hour or unit"
            )
        else:
            try:
                cost = decimal_from_text(
                    cost_text, what=f"line {number}’s cost of one hour or unit", example="24.50"
                )
                if cost == 0 or hundredths(cost) > MAX_UNIT_COST_PENCE:
                    raise forms.ValidationError(
                        f"Enter line {number}’s cost of one hour or unit: more than £0.00 and no "
                        "more than £100,000.00"
                    )
            except forms.ValidationError as error:
                self.add_error(f"line_{number}_cost", _on_line(number, error))
                cost = None
        if not what or units is None or cost is None:
            return None
        return PlanLine(
            description=what,
            units_per_week_hundredths=hundredths(units),
            unit_cost_pence=hundredths(cost),
        )


def _on_line(number: int, error: forms.ValidationError) -> str:
    message = " ".join(error.messages)
    return message if f"line {number}" in message.lower() else f"Line {number}: {message}"


class ReturnForm(SeenStateForm):
    reasons = forms.CharField(
        label="Message to the person",
        max_length=REASONS_MAX_LENGTH,
        help_text="Say which answers to check and why. The person reads this when they sign in.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter a message to the person saying what to change",
            "max_length": f"The message must be {REASONS_MAX_LENGTH:,} characters or fewer",
        },
    )


class ContributionForm(forms.Form):
    contribution = PoundsField(
        label="What the person pays a year",
        help_text="From the financial assessment, in pounds, for example 1200.00. Enter 0 if "
        "they pay nothing.",
        what="what the person pays a year",
        example="1200.00",
    )


class EmergencyForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person’s full name",
            "max_length": "Full name must be 200 characters or fewer",
        },
    )
    amount = PoundsField(
        label="Amount a year",
        help_text="In pounds, for example 5200.00.",
        what="the amount a year",
        example="5200.00",
        min_pence=1,
    )
    reasons = reasons_field(
        label="Reasons",
        required=True,
        hint="Say what the crisis is and what the money pays for until a full assessment.",
    )

"""Forms for the team manager's and the panel's pages. They check what people typed and turn
pounds into pence (Decimal text, never float, at most 2 decimal places); the services decide
whether the move itself is allowed.

Several forms share a page, so each takes a prefix that keeps its fields' ids apart.
"""

import datetime
from typing import Any

from django import forms

from ras.accounts.models import User
from reviews.forms import PoundsField, SeenStateForm, reasons_field
from reviews.panel_services import TITLE_MAX_LENGTH


class ManagerDecisionForm(SeenStateForm):
    """Approve, decline, send to panel or return: each with the manager's reasons."""

    reasons = reasons_field(
        label="Reasons",
        required=True,
        hint="The person and the social worker can read this.",
    )


class ConfirmEmergencyForm(SeenStateForm):
    """Confirming an emergency allocation: one click, and a note if wanted."""

    reasons = reasons_field(label="Anything to add (optional)", required=False)


class PanelDecisionForm(SeenStateForm):
    """Approve the amount asked for, decline or defer: each with the panel's reasons."""

    reasons = reasons_field(
        label="Reasons",
        required=True,
        hint="The person and the social worker can read this.",
    )


class PanelDifferentAmountForm(PanelDecisionForm):
    """Approve a different amount a year than the one asked for, with reasons."""

    amount = PoundsField(
        label="Amount a year the panel approves",
        help_text="In pounds, for example 6800.00.",
        what="the amount a year the panel approves",
        example="6800.00",
        min_pence=1,
    )
    field_order = ["seen_state", "amount", "reasons"]

    def __init__(self, *args: Any, requested_pence: int | None, **kwargs: Any) -> None:
        self.requested_pence = requested_pence
        super().__init__(*args, **kwargs)

    def clean_amount(self) -> int | None:
        amount: int | None = self.cleaned_data.get("amount")
        if amount is not None and amount == self.requested_pence:
            raise forms.ValidationError(
                "That is the amount asked for: approve the amount asked for instead"
            )
        return amount


class MeetingForm(forms.Form):
    """A panel meeting: its date (GOV.UK day, month and year boxes), a title and its members."""

    title = forms.CharField(
        label="Title",
        max_length=TITLE_MAX_LENGTH,
        help_text="For example, Older people’s panel, December.",
        error_messages={
            "required": "Enter a title for the meeting",
            "max_length": f"The title must be {TITLE_MAX_LENGTH} characters or fewer",
        },
    )
    held_on_day = forms.CharField(label="Day", required=False)
    held_on_month = forms.CharField(label="Month", required=False)
    held_on_year = forms.CharField(label="Year", required=False)
    members = forms.MultipleChoiceField(
        label="Members",
        help_text="Choose the panel members who sit on this meeting. Only they record its "
        "decisions.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one panel member",
            "invalid_choice": "Choose members from the list of panel members",
        },
    )

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [  # type: ignore[attr-defined]
            (str(user.pk), str(user)) for user in candidates
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = [
            (cleaned.get(f"held_on_{part}") or "").strip() for part in ("day", "month", "year")
        ]
        if not any(parts):
            self.add_error("held_on_day", "Enter the date of the meeting")
            return cleaned
        missing = [
            name for name, text in zip(("day", "month", "year"), parts, strict=True) if not text
        ]
        if missing:
            self.add_error(
                f"held_on_{missing[0]}", f"The date of the meeting must include a {missing[0]}"
            )
            return cleaned
        if not all(text.isdigit() for text in parts) or len(parts[2]) != 4:
            self.add_error("held_on_day", "The date of the meeting must be a real date")
            return cleaned
        try:
            cleaned["held_on"] = datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            self.add_error("held_on_day", "The date of the meeting must be a real date")
        return cleaned

    def member_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["members"]]


class AgendaAddForm(forms.Form):
    """Which waiting case to put on the meeting's agenda; the service checks it may go there."""

    decision = forms.IntegerField(
        label="Which case should the panel consider?",
        min_value=1,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a case to add to the agenda",
            "invalid": "Choose a case from the list of cases waiting for panel",
            "min_value": "Choose a case from the list of cases waiting for panel",
        },
    )

    def decision_id(self) -> int:
        return int(self.cleaned_data["decision"])

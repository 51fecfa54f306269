"""The uplift form: a name for the new draft and the uplift as a percentage.

The percentage is read as text with Decimal (never float), at most 2 decimal places, into whole
basis points: "3.5" and "3.5%" are 350.
"""

from django import forms
from django.core.exceptions import ValidationError

from allocations.engine.uplift import LARGEST_UPLIFT_BP
from allocations.forms import basis_points_from_percentage
from allocations.uplift_services import LABEL_MAX_LENGTH


class UpliftForm(forms.Form):
    label = forms.CharField(
        label="Name of the new draft",
        help_text='For example, "2027 to 2028". People see it beside the table once published.',
        max_length=LABEL_MAX_LENGTH,
        error_messages={
            "required": "Enter a name for the new draft",
            "max_length": f"The name must be {LABEL_MAX_LENGTH} characters or fewer",
        },
    )
    uplift = forms.CharField(
        label="Uplift",
        help_text="As a percentage with up to 2 decimal places, for example 3.5.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": "Enter the uplift as a percentage, like 3.5"},
    )

    def clean_uplift(self) -> int:
        """The uplift in basis points, more than 0% and at most 100%."""
        text: str = self.cleaned_data["uplift"]
        percent_bp = basis_points_from_percentage(text, what="The uplift")
        if percent_bp == 0:
            raise ValidationError(
                "The uplift must be more than 0%: to copy the table unchanged, create a draft "
                "from it instead"
            )
        if percent_bp > LARGEST_UPLIFT_BP:
            raise ValidationError("The uplift must be between 0% and 100%")
        return percent_bp

"""Forms of the legal hold pages. The services check everything again; these give the errors."""

import uuid

from django import forms

from ras.retention.services import REASON_MAX_LENGTH

SEARCH_MAX_LENGTH = 200


def reason_field(*, label: str, help_text: str, required_message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": required_message,
            "max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )


class PersonSearchForm(forms.Form):
    search = forms.CharField(
        label="Name or assessment reference",
        help_text="Part of the person’s name, or the reference of one of their assessments, "
        "for example SA-ABCD-2345.",
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "required": "Enter a name or an assessment reference",
            "max_length": f"Enter {SEARCH_MAX_LENGTH} characters or fewer",
        },
    )


class PlaceHoldForm(forms.Form):
    search = forms.CharField(widget=forms.HiddenInput, required=False, max_length=SEARCH_MAX_LENGTH)
    person = forms.CharField(
        label="Whose records should be held?",
        error_messages={"required": "Choose the person whose records should be held"},
    )
    reason = reason_field(
        label="Why must their records be kept?",
        help_text="For example, a claim, a complaint to the Ombudsman or an inquiry, with its "
        "reference. It is kept with the hold.",
        required_message="Enter the reason for the legal hold",
    )

    def clean_person(self) -> str:
        value = str(self.cleaned_data["person"]).strip()
        try:
            return str(uuid.UUID(value))
        except ValueError as invalid:
            raise forms.ValidationError(
                "We could not find that person. Search for them again."
            ) from invalid


class ReleaseHoldForm(forms.Form):
    reason = reason_field(
        label="Why can the hold be released?",
        help_text="For example, the claim was settled. Their records then follow the retention "
        "schedule again from tonight.",
        required_message="Enter the reason for releasing the legal hold",
    )

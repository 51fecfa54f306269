"""The access audit's search forms. A name is only ever sent in a POST (the find forms), so it
never reaches an address bar, a browser history or a server log; the results page is asked for
by opaque ids and dates only."""

import datetime
from typing import Any

from django import forms

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]
SEARCH_MAX_LENGTH = 200


class FindPersonForm(forms.Form):
    search = forms.CharField(
        label="Name, assessment reference or decision number",
        max_length=SEARCH_MAX_LENGTH,
        help_text="For example, Mary Smith, K7PQ-M2XA or 42",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter a name, an assessment reference or a decision number",
            "max_length": f"Enter at most {SEARCH_MAX_LENGTH} characters",
        },
    )


class FindStaffForm(forms.Form):
    search = forms.CharField(
        label="Name or email address",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter a name or an email address",
            "max_length": f"Enter at most {SEARCH_MAX_LENGTH} characters",
        },
    )


class AuditFilterForm(forms.Form):
    """Whose records (a person's opaque id) or whose looking (a user's number), and the dates."""

    person = forms.UUIDField(required=False, widget=forms.HiddenInput)
    staff = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    date_from = forms.DateField(
        label="From",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 1/10/2026",
        error_messages={"invalid": "Enter the start date as day/month/year, like 1/10/2026"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="For example, 31/10/2026",
        error_messages={"invalid": "Enter the end date as day/month/year, like 31/10/2026"},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("person") is None and cleaned.get("staff") is None and not self.errors:
            raise forms.ValidationError("Choose a person or a member of staff first")
        date_from: datetime.date | None = cleaned.get("date_from")
        date_to: datetime.date | None = cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned

    def query(self) -> dict[str, str]:
        """The filters as a query string's values, for the pages and the download."""
        return {
            name: value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else str(value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }

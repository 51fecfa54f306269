"""The form staff use to find the person a subject access request is about."""

from django import forms

QUERY_MAX_LENGTH = 200


class PersonSearchForm(forms.Form):
    query = forms.CharField(
        label="Self-assessment reference or name",
        help_text="For example SA-ABCD-2345, or the person’s full name or part of it",
        max_length=QUERY_MAX_LENGTH,
        error_messages={
            "required": "Enter a self-assessment reference or a name",
            "max_length": f"Enter {QUERY_MAX_LENGTH} characters or fewer",
        },
    )

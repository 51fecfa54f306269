"""Forms of the self-assessment journey. They check what was typed; the services decide the rest.

Whether an option belongs to a question is the service's call (`answer_save` refuses it), so the
answer form takes any option code and the page turns a refusal into a clear 400.
"""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from questionnaires.client_groups import CLIENT_GROUP_CHOICES
from ras.accounts.models import User
from ras.accounts.roles import Role

MYSELF = "myself"
SOMEONE_ELSE = "someone-else"
FILLING_IN_FOR_CHOICES = [
    (MYSELF, "Myself"),
    (SOMEONE_ELSE, "Someone else, such as a relative or a friend I help"),
]
ROLE_FOR = {MYSELF: Role.SERVICE_USER, SOMEONE_ELSE: Role.REPRESENTATIVE}


class CreateAccountForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your full name",
            "max_length": "Full name must be 200 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        help_text="You will sign in with this email address.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    password1 = forms.CharField(
        label="Create a password",
        help_text="Use at least 12 characters. A few words you will remember make a good password.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again"},
    )
    filling_in_for = forms.ChoiceField(
        label="Who are you filling in the self-assessment for?",
        choices=FILLING_IN_FOR_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who you are filling in the self-assessment for",
            "invalid_choice": "Select who you are filling in the self-assessment for",
        },
    )

    def clean_full_name(self) -> str:
        return " ".join(str(self.cleaned_data["full_name"]).split())

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                "There is already an account with this email address. Sign in instead, "
                "or use a different email address"
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match: type the same password twice")
        elif first:
            person = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, person)
            except ValidationError as weak:
                for message in weak.messages:
                    self.add_error("password1", message)
        return cleaned

    @property
    def role(self) -> Role:
        return ROLE_FOR[self.cleaned_data["filling_in_for"]]


class FillingInForForm(forms.Form):
    """For someone who holds both roles: is this assessment about them, or someone they help?"""

    filling_in_for = forms.ChoiceField(
        label="Who are you filling in the self-assessment for?",
        choices=FILLING_IN_FOR_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who you are filling in the self-assessment for",
            "invalid_choice": "Select who you are filling in the self-assessment for",
        },
    )


class SomeoneElseForm(forms.Form):
    full_name = forms.CharField(
        label="Their full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the full name of the person you are filling this in for",
            "max_length": "Their full name must be 200 characters or fewer",
        },
    )
    relationship = forms.CharField(
        label="How do you know them?",
        help_text="For example, my mother, my son, a friend, or their advocate.",
        max_length=100,
        error_messages={
            "required": "Enter how you know the person, for example 'my mother'",
            "max_length": "How you know them must be 100 characters or fewer",
        },
    )

    def clean_full_name(self) -> str:
        return " ".join(str(self.cleaned_data["full_name"]).split())

    def clean_relationship(self) -> str:
        return " ".join(str(self.cleaned_data["relationship"]).split())


class ClientGroupForm(forms.Form):
    client_group = forms.ChoiceField(
        choices=[(choice.code, choice.label) for choice in CLIENT_GROUP_CHOICES],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, for_someone_else: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["client_group"]
        message = (
            "Select the description that fits them best"
            if for_someone_else
            else "Select the description that fits you best"
        )
        field.error_messages = {"required": message, "invalid_choice": message}


class AnswerForm(forms.Form):
    """One answer, and the answers revision the page was shown with (to spot a newer answer)."""

    option = forms.CharField(max_length=60)
    answers_revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, required_message: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].error_messages = {
            "required": required_message,
            "max_length": "Select one of the answers shown",
        }

    @property
    def revision_is_missing(self) -> bool:
        return "answers_revision" in self.errors

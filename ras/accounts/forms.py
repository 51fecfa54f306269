from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Email and password. The field keeps Django's name `username`; people see "Email address"."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been closed. Contact the council if you think this is wrong.",
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).lower()


REASON_MAX_LENGTH = 2_000
CODE_INPUT_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "spellcheck": "false",
    "autocapitalize": "off",
}


class AppCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows (spaces are ignored)."""

    code = forms.CharField(
        label="Code",
        help_text="The code changes every 30 seconds. Enter the one your app shows now.",
        widget=forms.TextInput(attrs=CODE_INPUT_ATTRS),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("The code must be 6 digits, like 123456")
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        help_text="It is 12 letters and numbers, like 7KQ4-M2XZ-P9DA. Each code works once.",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={
            "required": "Enter one of your recovery codes",
            "max_length": "A recovery code is 12 letters and numbers, like 7KQ4-M2XZ-P9DA",
        },
    )


class ReasonForm(forms.Form):
    """Why an administrator is doing something to someone else's sign-in. Kept with the record."""

    reason = forms.CharField(
        label="Reason",
        help_text="For example, the phone with their authenticator app was lost. This is kept.",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "Give the reason",
            "max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError("Give the reason")
        return reason


class FindPersonForm(forms.Form):
    email = forms.EmailField(
        label="Email address of their account",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the email address of their account",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

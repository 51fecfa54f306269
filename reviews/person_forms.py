"""Forms on the person's pages. They check what was typed; the services decide whether the move
itself is allowed. Each carries the state the page showed, for the compare-and-swap."""

from django import forms

from reviews.workflow import State

CHALLENGE_REASONS_MAX_LENGTH = 5_000
OUT_OF_DATE = "This page was out of date. Look at the decision again, then try again."


class PersonSeenStateForm(forms.Form):
    seen_state = forms.ChoiceField(
        choices=[(state.value, state.label) for state in State],
        widget=forms.HiddenInput,
        error_messages={"required": OUT_OF_DATE, "invalid_choice": OUT_OF_DATE},
    )

    def seen(self) -> State:
        return State(self.cleaned_data["seen_state"])


class ChallengeForm(PersonSeenStateForm):
    """Asking us to look again at a decision, with the person's reasons in their own words."""

    reasons = forms.CharField(
        label="Why should we look again at this decision?",
        help_text=(
            "Tell us what you think is wrong with the decision, and what support is missing. "
            "Write it in your own words."
        ),
        max_length=CHALLENGE_REASONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Tell us why we should look again at this decision",
            "max_length": (
                f"Your reasons must be {CHALLENGE_REASONS_MAX_LENGTH:,} characters or fewer"
            ),
        },
    )


class SendChangedAnswersForm(PersonSeenStateForm):
    """Sending the changed answers of a returned assessment back to the social worker."""

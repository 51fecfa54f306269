"""Forms of the review task pages: the finance lead's threshold and the social worker's reasons.

Pounds are read as Decimal text (never float) with at most 2 decimal places, into whole pence.
"""

from django import forms

from reviews.forms import PoundsField, SeenStateForm
from reviews.proposal_services import REASONS_MAX_LENGTH

DEFAULT_THRESHOLD_POUNDS = "100.00"
MAX_THRESHOLD_PENCE = 100_000_000  # £1,000,000 a year: beyond any change a table would make


class ThresholdForm(forms.Form):
    threshold = PoundsField(
        label="Give a review task when the budget would change by more than",
        help_text="An amount a year in pounds, for example 100 or 250.50. A change of exactly "
        "this amount gets no task.",
        what="the threshold",
        example="100",
        max_pence=MAX_THRESHOLD_PENCE,
    )


class KeepForm(forms.Form):
    reasons = forms.CharField(
        label="Why should the current budget stay as it is?",
        help_text="For example, the support plan already meets the person’s assessed needs. "
        "It is kept with the case.",
        max_length=REASONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter the reasons for keeping the current budget",
            "max_length": f"Reasons must be {REASONS_MAX_LENGTH:,} characters or fewer",
        },
    )


class StartReviewForm(SeenStateForm):
    """One click from the list; carries the case's state the list showed."""

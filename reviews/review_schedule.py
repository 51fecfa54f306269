"""When a final budget's review is due, and the nightly marking of reviews that are overdue.

Care Act s.27 and the statutory guidance (chapter 13): a first review 6-8 weeks after a plan
starts (REVIEW_FIRST_WEEKS), then at least every year (REVIEW_INTERVAL_DAYS).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import DateField, F, Q
from django.db.models.functions import Cast

from reviews.models import BudgetDecision

ONE_DAY = datetime.timedelta(days=1)


def next_review_due(*, signed_off_on: datetime.date, after_review: bool) -> datetime.date:
    """The day a final budget signed off on `signed_off_on` is next due for review: the first
    review REVIEW_FIRST_WEEKS later, and REVIEW_INTERVAL_DAYS later when it was signed off at the
    end of a review."""
    if after_review:
        return signed_off_on + datetime.timedelta(days=settings.REVIEW_INTERVAL_DAYS)
    return signed_off_on + datetime.timedelta(weeks=settings.REVIEW_FIRST_WEEKS)


@dataclass(frozen=True, slots=True)
class OverdueMarks:
    marked: int
    cleared: int


@transaction.atomic
def reviews_mark_overdue(*, today: datetime.date) -> OverdueMarks:
    """Marks every decision whose review was due before `today` as overdue since the day after
    it was due, and clears the mark where a new review date has been set since.

    Safe to run twice, or after nights it did not run: the mark is worked out from the review
    date, not from the day the job ran. Returns how many decisions were marked and cleared.
    """
    overdue_since = Cast(F("next_review_due") + ONE_DAY, DateField())
    marked = (
        BudgetDecision.objects.filter(next_review_due__lt=today)
        .exclude(review_overdue_since=overdue_since)
        .update(review_overdue_since=overdue_since)
    )
    cleared = (
        BudgetDecision.objects.filter(review_overdue_since__isnull=False)
        .filter(Q(next_review_due__isnull=True) | Q(next_review_due__gte=today))
        .update(review_overdue_since=None)
    )
    return OverdueMarks(marked=marked, cleared=cleared)

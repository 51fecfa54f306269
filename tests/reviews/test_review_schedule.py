"""When the next review of a final budget is due (REVIEW_FIRST_WEEKS = 6, REVIEW_INTERVAL_DAYS =
365 by default)."""

import datetime

from reviews.review_schedule import next_review_due

SIGNED_OFF_ON = datetime.date(2026, 11, 24)


def test_the_first_review_is_due_six_weeks_after_the_budget_starts(settings) -> None:
    """24 November 2026 + 42 days = 5 January 2027."""
    settings.REVIEW_FIRST_WEEKS = 6
    assert next_review_due(signed_off_on=SIGNED_OFF_ON, after_review=False) == datetime.date(
        2027, 1, 5
    )


def test_after_a_review_the_next_is_due_a_year_later(settings) -> None:
    settings.REVIEW_INTERVAL_DAYS = 365
    assert next_review_due(signed_off_on=SIGNED_OFF_ON, after_review=True) == datetime.date(
        2027, 11, 24
    )


def test_the_council_sets_the_intervals(settings) -> None:
    settings.REVIEW_FIRST_WEEKS = 8
    settings.REVIEW_INTERVAL_DAYS = 180
    assert next_review_due(signed_off_on=SIGNED_OFF_ON, after_review=False) == datetime.date(
        2027, 1, 19
    )
    assert next_review_due(signed_off_on=SIGNED_OFF_ON, after_review=True) == datetime.date(
        2027, 5, 23
    )

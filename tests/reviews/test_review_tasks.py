"""The nightly marking of overdue reviews: each decision whose review was due before today is
marked overdue since the day after it was due; the mark goes when a new review date is set."""

import datetime

import pytest

from reviews.models import BudgetDecision
from reviews.review_schedule import reviews_mark_overdue
from reviews.review_tasks import mark_overdue_reviews
from reviews.services import decision_transition
from reviews.workflow import Action, State

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def agreed(decision, social_worker) -> BudgetDecision:
    decision_transition(
        decision_id=decision.pk,
        action=Action.AGREE,
        actor=social_worker,
        seen_state=State.INDICATIVE,
    )
    return BudgetDecision.objects.get(pk=decision.pk)


def due_on(decision: BudgetDecision, day: datetime.date | None) -> None:
    BudgetDecision.objects.filter(pk=decision.pk).update(next_review_due=day)


def overdue_since(decision: BudgetDecision):
    return BudgetDecision.objects.get(pk=decision.pk).review_overdue_since


def test_a_review_due_today_is_not_overdue(agreed) -> None:
    due_on(agreed, TODAY)
    assert reviews_mark_overdue(today=TODAY).marked == 0
    assert overdue_since(agreed) is None


def test_a_review_due_yesterday_is_overdue_since_today(agreed) -> None:
    due_on(agreed, TODAY - datetime.timedelta(days=1))
    assert reviews_mark_overdue(today=TODAY).marked == 1
    assert overdue_since(agreed) == TODAY


def test_a_missed_night_still_marks_the_day_it_became_overdue(agreed) -> None:
    """Due on 20 November: overdue since 21 November, whichever night the job next runs."""
    due_on(agreed, datetime.date(2026, 11, 20))
    reviews_mark_overdue(today=TODAY)
    assert overdue_since(agreed) == datetime.date(2026, 11, 21)


def test_running_twice_marks_once(agreed) -> None:
    due_on(agreed, TODAY - datetime.timedelta(days=3))
    assert reviews_mark_overdue(today=TODAY).marked == 1
    assert reviews_mark_overdue(today=TODAY).marked == 0
    assert overdue_since(agreed) == TODAY - datetime.timedelta(days=2)


def test_a_new_review_date_clears_the_mark(agreed) -> None:
    due_on(agreed, TODAY - datetime.timedelta(days=3))
    reviews_mark_overdue(today=TODAY)
    due_on(agreed, TODAY + datetime.timedelta(days=365))
    assert reviews_mark_overdue(today=TODAY).cleared == 1
    assert overdue_since(agreed) is None


def test_a_decision_with_no_review_date_is_never_overdue(decision) -> None:
    assert reviews_mark_overdue(today=TODAY) == reviews_mark_overdue(today=TODAY)
    assert overdue_since(decision) is None


def test_the_nightly_task_marks_with_todays_date(agreed, settings) -> None:
    import time_machine

    due_on(agreed, TODAY - datetime.timedelta(days=1))
    with time_machine.travel(datetime.datetime(2026, 12, 1, 2, 30, tzinfo=datetime.UTC)):
        assert mark_overdue_reviews.apply().get() == {"marked": 1, "cleared": 0}
    assert overdue_since(agreed) == TODAY

"""How long people wait, worked by hand on three cases (times in UTC, all at 09:00).

| case | team  | started | submitted | indicative budget | final budget | waits             |
|------|-------|---------|-----------|-------------------|--------------|-------------------|
| A1   | North | 1 Mar   | 3 Mar     | 1 hour later      | 11 Mar       |                   |
| A2   | North | 2 Mar   | 6 Mar     | 3 hours later     | 1 Apr        | panel 12→26 Mar   |
| A3   | South | 10 Mar  | 20 Mar    | at once           | 5 Apr        | manager 25 Mar→5 Apr |

So: submission 2, 4 and 10 days; indicative 1, 3 and 0 hours; final budget 10, 30 and 26 days.
percentile_cont over n sorted values puts percentile p at position p × (n − 1), interpolating.
"""

import datetime

import pytest
import time_machine

from allocations.models import AllocationTableVersion, ClientGroup, IndicativeBudget
from reviews.models import BudgetDecision
from reviews.timeliness import MEASURES_BY_SLUG, overdue_reviews, timeliness
from reviews.variation_figures import FigureFilters
from tests.allocations.conftest import older_people, published_version  # noqa: F401
from tests.questionnaires.conftest import questionnaire  # noqa: F401
from tests.reviews.test_variation_figures import at, make_case, teams  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def price_at(decision: BudgetDecision, table: AllocationTableVersion, hours_after: int) -> None:
    """The indicative budget, written `hours_after` the assessment was submitted."""
    assessment = decision.assessment
    assert assessment is not None
    assert assessment.submitted_at is not None
    when = assessment.submitted_at + datetime.timedelta(hours=hours_after)
    with time_machine.travel(when, tick=False):
        IndicativeBudget.objects.create(
            assessment=assessment,
            client_group=ClientGroup.objects.get(code="older-people"),
            table_version=table,
            priced_on=when.date(),
            total_points=10,
            carer_level="none",
            band_position=1,
            full_needs_annual_pence=500_000,
            carer_reduction_bp=0,
            carer_adjustment_pence=0,
            indicative_annual_pence=500_000,
            indicative_weekly_pence=9_615,
            domain_points={},
            steps=[],
        )


@pytest.fixture
def three_cases(questionnaire, service_user, teams, published_version):
    north, south = teams["North"], teams["South"]
    common = {"questionnaire": questionnaire, "person_user": service_user}
    a1 = make_case(
        **common,
        worker=north,
        started_at=at("2026-03-01"),
        submitted_at=at("2026-03-03"),
        final_pence=500_000,
        signed_off_at=at("2026-03-11"),
        next_review_due=datetime.date(2026, 11, 1),
    )
    a2 = make_case(
        **common,
        worker=north,
        started_at=at("2026-03-02"),
        submitted_at=at("2026-03-06"),
        state="varied",
        final_pence=450_000,
        signed_off_at=at("2026-04-01"),
        next_review_due=datetime.date(2026, 11, 20),
        events=(
            ("refer_to_panel", "indicative", "awaiting_panel", at("2026-03-12"), []),
            ("panel_defer", "awaiting_panel", "awaiting_panel", at("2026-03-19"), []),
            ("panel_approve_different", "awaiting_panel", "varied", at("2026-03-26"), []),
        ),
    )
    a3 = make_case(
        **common,
        worker=south,
        started_at=at("2026-03-10"),
        submitted_at=at("2026-03-20"),
        state="varied",
        final_pence=600_000,
        signed_off_at=at("2026-04-05"),
        next_review_due=datetime.date(2026, 12, 1),
        events=(
            ("refer_to_manager", "indicative", "awaiting_manager", at("2026-03-25"), []),
            ("manager_approve", "awaiting_manager", "varied", at("2026-04-05"), []),
        ),
    )
    for decision, hours in ((a1, 1), (a2, 3), (a3, 0)):
        price_at(decision, published_version, hours)
    return [a1, a2, a3]


def figures(slug, by, filters=None):
    rows = timeliness(MEASURES_BY_SLUG[slug], filters or FigureFilters(), by=by)
    return [(row.label, row.cases, str(row.median), str(row.percentile_90)) for row in rows]


def test_time_to_submission_per_month(three_cases):
    """March: 2, 4, 10 days. Median 4.0; 90th at position 1.8 = 4 + 0.8 × 6 = 8.8."""
    assert figures("submission", "month") == [("2026-03", 3, "4.0", "8.8")]


def test_time_to_submission_per_team(three_cases):
    """North: 2 and 4 days, median 3.0, 90th 2 + 0.9 × 2 = 3.8. South: 10 days."""
    assert figures("submission", "team") == [
        ("North", 2, "3.0", "3.8"),
        ("South", 1, "10.0", "10.0"),
    ]


def test_time_to_the_indicative_budget_is_in_hours(three_cases):
    """0, 1, 3 hours: median 1.0; 90th at position 1.8 = 1 + 0.8 × 2 = 2.6."""
    assert figures("indicative", "month") == [("2026-03", 3, "1.0", "2.6")]


def test_time_to_a_final_budget_is_counted_in_the_month_it_was_signed_off(three_cases):
    """March: A1 10 days. April: A2 30 and A3 26 days: median 28.0, 90th 26 + 0.9 × 4 = 29.6."""
    assert figures("final", "month") == [
        ("2026-03", 1, "10.0", "10.0"),
        ("2026-04", 2, "28.0", "29.6"),
    ]


def test_a_wait_for_a_manager_runs_from_referral_to_the_managers_decision(three_cases):
    """A3 waited from 25 March to 5 April: 11 days, ending in April."""
    assert figures("manager", "month") == [("2026-04", 1, "11.0", "11.0")]
    assert figures("manager", "team") == [("South", 1, "11.0", "11.0")]


def test_a_deferral_does_not_end_a_wait_for_panel(three_cases):
    """A2 waited from 12 March to 26 March (deferred on 19 March in between): 14 days."""
    assert figures("panel", "month") == [("2026-03", 1, "14.0", "14.0")]


def test_a_wait_still_going_on_is_not_counted(three_cases, teams, questionnaire, service_user):
    make_case(
        questionnaire=questionnaire,
        person_user=service_user,
        worker=teams["North"],
        started_at=at("2026-03-01"),
        state="awaiting_manager",
        events=(("refer_to_manager", "indicative", "awaiting_manager", at("2026-03-02"), []),),
    )
    assert figures("manager", "month") == [("2026-04", 1, "11.0", "11.0")]


def test_filters_narrow_by_team_and_by_the_date_the_wait_ended(three_cases, teams):
    south = FigureFilters(team_id=teams["South"].team_id)
    assert figures("submission", "month", south) == [("2026-03", 1, "10.0", "10.0")]
    april = FigureFilters(date_from=datetime.date(2026, 4, 1))
    assert figures("final", "team", april) == [
        ("North", 1, "30.0", "30.0"),
        ("South", 1, "26.0", "26.0"),
    ]
    assert figures("final", "team", FigureFilters(client_group_code="mental-health")) == []


def test_reviews_overdue_per_team(three_cases):
    """On 24 November: A1 due 1 Nov is 23 days overdue, A2 due 20 Nov is 4; A3 is not yet due.
    North: median 13.5; 90th 4 + 0.9 × 19 = 21.1."""
    rows = overdue_reviews(FigureFilters(), today=TODAY)
    assert [
        (row.label, row.overdue, str(row.median_days_overdue), str(row.percentile_90_days_overdue))
        for row in rows
    ] == [("North", 2, "13.5", "21.1")]


# Pages, downloads and the API


def test_managers_and_finance_leads_see_the_timeliness_page(
    three_cases, client_for, team_manager, finance_lead
):
    for user in (team_manager, finance_lead):
        response = client_for(user).get("/figures/timeliness/")
        assert response.status_code == 200
        assert "Waiting for a manager, by month" in response.content.decode()


def test_other_roles_cannot_see_the_timeliness_page(
    client, client_for, social_worker, service_user, administrator
):
    for user in (social_worker, service_user, administrator):
        assert client_for(user).get("/figures/timeliness/").status_code == 403
    response = client.get("/figures/timeliness/final-by-month.csv")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_a_bad_filter_on_a_download_changes_nothing_and_says_why(client_for, finance_lead):
    response = client_for(finance_lead).get("/figures/timeliness/final-by-month.csv?date_to=soon")
    assert response.status_code == 400
    assert "Enter the end date" in response.content.decode()


def test_a_timeliness_table_downloads_as_csv(three_cases, client_for, finance_lead):
    response = client_for(finance_lead).get("/figures/timeliness/final-by-month.csv")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "Month,Cases,Median (days),90th percentile (days)",
        "2026-03,1,10.0,10.0",
        "2026-04,2,28.0,29.6",
    ]


def test_the_timeliness_api_gives_the_same_figures(three_cases, client_for, team_manager):
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, tzinfo=datetime.UTC)):
        response = client_for(team_manager).get("/api/figures/timeliness/")
    assert response.status_code == 200
    body = response.json()
    final = next(measure for measure in body["measures"] if measure["slug"] == "final")
    assert final["by_month"][1] == {
        "key": "2026-04",
        "name": "2026-04",
        "cases": 2,
        "median": "28.0",
        "percentile_90": "29.6",
    }
    assert body["overdue_reviews"][0]["overdue"] == 2


def test_the_timeliness_api_refuses_other_roles(client, client_for, panel_member):
    assert client_for(panel_member).get("/api/figures/timeliness/").status_code == 403
    assert client.get("/api/figures/timeliness/").status_code == 403

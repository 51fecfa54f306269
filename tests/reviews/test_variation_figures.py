"""How far final budgets move from the RAS, worked by hand on six decided cases.

| case | team  | group   | indicative | final   | how              | reasons                 |
|------|-------|---------|------------|---------|------------------|-------------------------|
| 1    | North | older   | £5,000     | £5,000  | agreed           |                         |
| 2    | North | mental  | £4,000     | £4,000  | agreed           |                         |
| 3    | North | older   | £5,000     | £5,500  | worker varied    | two-carers-needed       |
| 4    | South | older   | £4,000     | £4,200  | worker varied    | two-carers, night       |
| 5    | South | mental  | £10,000    | £12,000 | to a manager     | night-support           |
| 6    | North | older   | £6,000     | £5,400  | to panel         | lower-cost-option       |

A seventh case still waits for a manager and counts nowhere. Routes: 2 agreed, 2 within
authority, 2 outside; each 2/6 = 33.33% (3333 basis points).
"""

import datetime
from typing import Any

import pytest

from questionnaires.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    Option,
    Question,
    QuestionnaireVersion,
)
from questionnaires.services import person_for_service_user
from ras.accounts.models import Team, User
from ras.accounts.roles import Role
from reviews.models import BudgetDecision, DecisionEvent
from reviews.variation_figures import (
    FigureFilters,
    domain_differences,
    route_shares,
    variation_breakdown,
    variation_size,
)
from tests.conftest import make_user
from tests.questionnaires.conftest import questionnaire  # noqa: F401

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(day: str, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def make_case(
    *,
    questionnaire: QuestionnaireVersion,
    person_user: User,
    worker: User,
    client_group_code: str = "older-people",
    started_at: datetime.datetime,
    submitted_at: datetime.datetime | None = None,
    state: str = "agreed",
    indicative_pence: int = 500_000,
    final_pence: int | None = None,
    signed_off_at: datetime.datetime | None = None,
    events: tuple[tuple[str, str, str, datetime.datetime, list[str]], ...] = (),
    answers: dict[str, dict[str, str]] | None = None,
    next_review_due: datetime.date | None = None,
) -> BudgetDecision:
    """A case put straight into the tables: the figures read rows, not how they got there.

    `answers` maps a perspective ("person" or "worker") to {question code: option code}.
    """
    assessment = Assessment.objects.create(
        person=person_for_service_user(person_user),
        questionnaire_version=questionnaire,
        client_group_code=client_group_code,
        started_by=person_user,
    )
    for perspective, choices in (answers or {}).items():
        for question_code, option_code in choices.items():
            question = Question.objects.get(version=questionnaire, code=question_code)
            Answer.objects.create(
                assessment=assessment,
                question=question,
                option=Option.objects.get(question=question, code=option_code),
                perspective=perspective,
                answered_by=worker if perspective == "worker" else person_user,
                answered_at=started_at,
            )
    Assessment.objects.filter(pk=assessment.pk).update(
        started_at=started_at,
        submitted_at=submitted_at or started_at,
        status=AssessmentStatus.SUBMITTED,
        total_points=10,
    )
    assessment.refresh_from_db()
    decision = BudgetDecision.objects.create(
        person=assessment.person,
        assessment=assessment,
        social_worker=worker,
        state=state,
        state_changed_at=signed_off_at or started_at,
        indicative_annual_pence=indicative_pence,
        final_annual_pence=final_pence,
        signed_off_by=worker if final_pence is not None else None,
        signed_off_at=signed_off_at if final_pence is not None else None,
        next_review_due=next_review_due,
    )
    for action, from_state, to_state, event_at, reason_codes in events:
        DecisionEvent.objects.create(
            decision=decision,
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=worker,
            at=event_at,
            reason_codes=reason_codes,
        )
    return decision


def team_worker(name: str, email: str) -> User:
    worker = make_user(Role.SOCIAL_WORKER, email, f"{name} Worker")
    worker.team = Team.objects.get_or_create(name=name)[0]
    worker.save(update_fields=["team"])
    return worker


@pytest.fixture
def teams(db: None) -> dict[str, User]:
    return {
        "North": team_worker("North", "north.worker@example.org"),
        "South": team_worker("South", "south.worker@example.org"),
    }


@pytest.fixture
def six_cases(questionnaire, service_user, teams) -> list[BudgetDecision]:
    north, south = teams["North"], teams["South"]
    common: dict[str, Any] = {"questionnaire": questionnaire, "person_user": service_user}
    march = at("2026-03-01")
    return [
        make_case(
            **common,
            worker=north,
            started_at=march,
            final_pence=500_000,
            signed_off_at=at("2026-03-10"),
            answers={"person": {"washing": "some-help"}},
        ),
        make_case(
            **common,
            worker=north,
            client_group_code="mental-health",
            started_at=march,
            indicative_pence=400_000,
            final_pence=400_000,
            signed_off_at=at("2026-03-11"),
        ),
        make_case(
            **common,
            worker=north,
            started_at=march,
            state="varied",
            final_pence=550_000,
            signed_off_at=at("2026-04-10"),
            events=(("vary", "indicative", "varied", at("2026-04-10"), ["two-carers-needed"]),),
            answers={
                "person": {
                    "washing": "some-help",
                    "dressing": "all-the-time",
                    "meals": "all-the-time",
                },
                "worker": {
                    "washing": "all-the-time",
                    "dressing": "all-the-time",
                    "meals": "some-help",
                },
            },
        ),
        make_case(
            **common,
            worker=south,
            started_at=march,
            state="varied",
            indicative_pence=400_000,
            final_pence=420_000,
            signed_off_at=at("2026-04-11"),
            events=(
                (
                    "vary",
                    "indicative",
                    "varied",
                    at("2026-04-11"),
                    ["two-carers-needed", "night-support"],
                ),
            ),
            answers={
                "person": {"washing": "on-my-own", "dressing": "on-my-own"},
                "worker": {"washing": "some-help", "dressing": "some-help"},
            },
        ),
        make_case(
            **common,
            worker=south,
            client_group_code="mental-health",
            started_at=march,
            state="varied",
            indicative_pence=1_000_000,
            final_pence=1_200_000,
            signed_off_at=at("2026-05-01"),
            events=(
                ("refer_to_manager", "indicative", "awaiting_manager", at("2026-04-20"), []),
                (
                    "manager_approve",
                    "awaiting_manager",
                    "varied",
                    at("2026-05-01"),
                    ["night-support"],
                ),
            ),
        ),
        make_case(
            **common,
            worker=north,
            started_at=march,
            state="varied",
            indicative_pence=600_000,
            final_pence=540_000,
            signed_off_at=at("2026-05-02"),
            events=(
                ("refer_to_panel", "indicative", "awaiting_panel", at("2026-04-20"), []),
                (
                    "panel_approve_different",
                    "awaiting_panel",
                    "varied",
                    at("2026-05-02"),
                    ["lower-cost-option"],
                ),
            ),
        ),
        make_case(
            **common,
            worker=north,
            started_at=march,
            state="awaiting_manager",
            indicative_pence=700_000,
            events=(("refer_to_manager", "indicative", "awaiting_manager", at("2026-05-03"), []),),
        ),
    ]


def test_each_decided_case_falls_in_one_route(six_cases):
    """2 agreed, 2 varied within authority, 2 outside (manager, panel): 2/6 = 3333 bp each."""
    shares = route_shares(FigureFilters())
    assert (shares.decided, shares.at_indicative, shares.within_authority, shares.outside) == (
        6,
        2,
        2,
        2,
    )
    assert (shares.at_indicative_bp, shares.within_authority_bp, shares.outside_bp) == (
        3333,
        3333,
        3333,
    )


def test_a_case_with_a_costed_support_plan_is_outside_the_ras(six_cases):
    """Case 1 gains a plan line: outside becomes 3 of 6 = 50.00%, agreed 1 of 6 = 16.67%."""
    from reviews.models import SupportPlanLine

    SupportPlanLine.objects.create(
        decision=six_cases[0],
        description="Day centre",
        units_per_week_hundredths=100,
        unit_cost_pence=10_000,
        annual_pence=520_000,
    )
    shares = route_shares(FigureFilters())
    assert (shares.at_indicative, shares.outside, shares.outside_bp, shares.at_indicative_bp) == (
        1,
        3,
        5000,
        1667,
    )


def test_the_size_of_variations_is_worked_over_the_cases_that_differ(six_cases):
    """Final − indicative, sorted: −£600, £200, £500, £2,000 (4 cases).

    percentile_cont: median at position 1.5 = £200 + ½ × £300 = £350; lower quartile at 0.75 =
    −£600 + ¾ × £800 = £0; upper quartile at 2.25 = £500 + ¼ × £1,500 = £875.
    As percentages of the indicative: −10%, 5%, 10%, 20% → median 7.5%, quartiles 1.25% and 12.5%.
    """
    size = variation_size(FigureFilters())
    assert size.varied == 4
    assert (size.lower_quartile_pence, size.median_pence, size.upper_quartile_pence) == (
        0,
        35_000,
        87_500,
    )
    assert (size.lower_quartile_bp, size.median_bp, size.upper_quartile_bp) == (125, 750, 1250)


def test_figures_are_broken_down_by_team(six_cases):
    """North: cases 1, 2, 3, 6: 2 agreed, 1 within, 1 outside (25%); median of +£500 and −£600
    is −£50, of +10% and −10% is 0%. South: cases 4, 5: 1 within, 1 outside (50%); median of
    £200 and £2,000 is £1,100, of 5% and 20% is 12.5%."""
    rows = {row.label: row for row in variation_breakdown(FigureFilters(), by="team")}
    north, south = rows["North"], rows["South"]
    assert (north.decided, north.at_indicative, north.within_authority, north.outside) == (
        4,
        2,
        1,
        1,
    )
    assert (north.outside_bp, north.median_variation_pence, north.median_variation_bp) == (
        2500,
        -5_000,
        0,
    )
    assert (south.decided, south.within_authority, south.outside, south.outside_bp) == (
        2,
        1,
        1,
        5000,
    )
    assert (south.median_variation_pence, south.median_variation_bp) == (110_000, 1250)


def test_figures_are_broken_down_by_client_group(six_cases):
    """Older people: cases 1, 3, 4, 6; variations +£500, +£200, −£600 → median £200 (5%).
    Mental health: cases 2, 5; one variation of £2,000 (20%)."""
    rows = {row.key: row for row in variation_breakdown(FigureFilters(), by="client_group")}
    older, mental = rows["older-people"], rows["mental-health"]
    assert (older.decided, older.at_indicative, older.within_authority, older.outside) == (
        4,
        1,
        2,
        1,
    )
    assert (older.median_variation_pence, older.median_variation_bp) == (20_000, 500)
    assert (mental.decided, mental.at_indicative, mental.outside, mental.outside_bp) == (
        2,
        1,
        1,
        5000,
    )
    assert (mental.median_variation_pence, mental.median_variation_bp) == (200_000, 2000)


def test_figures_are_broken_down_by_reason_counting_a_case_under_each_of_its_reasons(six_cases):
    """Two carers: cases 3, 4 (both within; median of £500 and £200 = £350, 7.5%).
    Night support: cases 4, 5 (1 within, 1 outside; median £1,100, 12.5%).
    A lower-cost option: case 6 (outside; −£600, −10%)."""
    rows = {row.key: row for row in variation_breakdown(FigureFilters(), by="reason")}
    assert set(rows) == {"two-carers-needed", "night-support", "lower-cost-option"}
    two = rows["two-carers-needed"]
    assert (two.label, two.decided, two.within_authority, two.outside) == (
        "Two care workers are needed at once",
        2,
        2,
        0,
    )
    assert (two.median_variation_pence, two.median_variation_bp) == (35_000, 750)
    night = rows["night-support"]
    assert (night.decided, night.within_authority, night.outside) == (2, 1, 1)
    assert (night.median_variation_pence, night.median_variation_bp) == (110_000, 1250)
    lower = rows["lower-cost-option"]
    assert (lower.decided, lower.outside, lower.median_variation_pence) == (1, 1, -60_000)
    assert lower.median_variation_bp == -1000


def test_filters_narrow_the_cases_by_team_client_group_and_date(six_cases, teams):
    """South has cases 4 and 5; mental health cases 2 and 5; signed off in April: cases 3, 4."""
    south = FigureFilters(team_id=teams["South"].team_id)
    assert route_shares(south).decided == 2
    assert route_shares(FigureFilters(client_group_code="mental-health")).decided == 2
    april = FigureFilters(date_from=datetime.date(2026, 4, 1), date_to=datetime.date(2026, 4, 30))
    shares = route_shares(april)
    assert (shares.decided, shares.within_authority) == (2, 2)


def test_no_cases_give_no_shares_rather_than_an_error(db):
    shares = route_shares(FigureFilters())
    assert (shares.decided, shares.outside_bp) == (0, None)
    assert variation_size(FigureFilters()).median_pence is None


def test_domains_where_the_worker_differs_most_come_first(six_cases):
    """Cases 3 and 4 have a worker's view (case 1 has only the person's answers).

    Looking after yourself: case 3 washing, case 4 washing and dressing = 3 answers in 2 of 2
    assessments (100%). Eating and drinking: case 3 meals = 1 answer in 1 of 2 (50%).
    """
    rows = domain_differences(FigureFilters())
    assert [
        (
            row.domain_code,
            row.differing_answers,
            row.assessments_differing,
            row.assessments_with_worker_view,
            row.share_bp,
        )
        for row in rows
    ] == [("personal-care", 3, 2, 2, 10_000), ("eating", 1, 1, 2, 5_000)]


# Pages, downloads and the API


def test_managers_and_finance_leads_see_the_variations_page(
    six_cases, client_for, team_manager, finance_lead
):
    for user in (team_manager, finance_lead):
        response = client_for(user).get("/figures/variations/")
        assert response.status_code == 200
        assert b"Varied within authority" in response.content
        assert "33.33%" in response.content.decode()


def test_other_staff_cannot_see_the_variations_page(client_for, social_worker, panel_member):
    for user in (social_worker, panel_member):
        assert client_for(user).get("/figures/variations/").status_code == 403
        assert client_for(user).get("/figures/variations/routes.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/figures/variations/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_a_bad_date_is_shown_as_an_error_and_no_figures_are_worked_out(client_for, finance_lead):
    response = client_for(finance_lead).get("/figures/variations/?date_from=31/02/2026")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "Enter the start date as year-month-day" in page
    assert "How cases were decided</h2>" not in page


def test_an_end_date_before_the_start_date_is_refused(client_for, finance_lead):
    response = client_for(finance_lead).get(
        "/figures/variations/?date_from=2026-05-01&date_to=2026-04-01"
    )
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_an_unknown_team_is_refused(client_for, finance_lead):
    response = client_for(finance_lead).get("/figures/variations/?team=99999")
    assert response.status_code == 400


def test_each_table_downloads_as_csv_with_the_page_filters(six_cases, client_for, finance_lead):
    """Mental health only: case 2 agreed, case 5 outside; 1 of 2 = 5000 basis points each."""
    response = client_for(finance_lead).get(
        "/figures/variations/routes.csv?client_group=mental-health"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "Route,Cases,Share (basis points)"
    assert lines[1:] == [
        "Agreed at the indicative budget,1,5000",
        "Varied within authority,0,0",
        "Outside the RAS,1,5000",
        "All decided cases,2,10000",
    ]


def test_each_table_downloads_as_a_workbook(six_cases, client_for, team_manager):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(team_manager).get("/figures/variations/sizes.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Measure", "Amount a year (pence)", "Of the indicative (basis points)")
    assert rows[2] == ("Median", 35_000, 750)


def test_an_unknown_table_is_not_found(client_for, finance_lead):
    assert client_for(finance_lead).get("/figures/variations/nonsense.csv").status_code == 404


def test_the_api_gives_the_same_figures(six_cases, client_for, finance_lead):
    response = client_for(finance_lead).get("/api/figures/variations/")
    assert response.status_code == 200
    body = response.json()
    assert body["routes"]["outside_bp"] == 3333
    assert body["size"]["median_pence"] == 35_000
    assert {row["key"] for row in body["by_reason"]} == {
        "two-carers-needed",
        "night-support",
        "lower-cost-option",
    }
    assert body["domains"][0]["domain_code"] == "personal-care"


def test_the_api_refuses_other_roles_and_anonymous_callers(client, client_for, social_worker):
    assert client_for(social_worker).get("/api/figures/variations/").status_code == 403
    assert client.get("/api/figures/variations/").status_code == 403


def test_the_api_refuses_a_bad_filter_by_field(client_for, team_manager):
    response = client_for(team_manager).get("/api/figures/variations/?date_to=tomorrow&team=x")
    assert response.status_code == 400
    assert set(response.json()) == {"date_to", "team"}

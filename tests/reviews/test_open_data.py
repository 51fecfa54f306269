"""Open data: figures per client group and quarter, worked by hand on small data, suppressed.

Cases are written straight to the tables (a signed-off final budget, its assessment's start, and
what took it outside the RAS) so that each test sets exactly the people it counts.
"""

import csv
import datetime
import io
from decimal import Decimal
from itertools import count

import pytest
import time_machine
from django.urls import reverse

from questionnaires.loading import questionnaire_load
from questionnaires.models import Assessment, AssessmentStatus, QuestionnaireVersion
from ras.accounts.models import User
from ras.people.models import Person
from reviews.figures_snapshot import figures_snapshot_build, figures_snapshot_claim
from reviews.models import BudgetDecision, DecisionEvent, SupportPlanLine
from reviews.open_data import CSV_HEADER, open_data_published, open_data_rows
from reviews.suppression import MINIMUM_PEOPLE, SUPPRESSED, Row
from reviews.workflow import Action, State
from tests.questionnaires.conftest import MINI_SAQ

TODAY = datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC)
JAN_TO_MAR = "January to March 2026"
APR_TO_JUN = "April to June 2026"
JUL_TO_SEP = "July to September 2026"
_numbers = count(1)


@pytest.fixture
def questionnaire(db: None) -> QuestionnaireVersion:
    return questionnaire_load(MINI_SAQ).version


@pytest.fixture
def make_case(questionnaire, social_worker: User, team_manager: User):
    """make_case(group, signed_off_at, final_pence, days=..., indicative_pence=..., outside=...)"""

    def make(
        group_code: str,
        signed_off_at: datetime.datetime,
        final_pence: int,
        *,
        days: int = 10,
        indicative_pence: int | None = 300_000,
        outside: str = "",
    ) -> BudgetDecision:
        number = next(_numbers)
        person = Person.objects.create(full_name=f"Person {number}")
        assessment = Assessment.objects.create(
            person=person,
            questionnaire_version=questionnaire,
            client_group_code=group_code,
            status=AssessmentStatus.SUBMITTED,
            started_by=social_worker,
            submitted_at=signed_off_at - datetime.timedelta(days=days),
        )
        Assessment.objects.filter(pk=assessment.pk).update(
            started_at=signed_off_at - datetime.timedelta(days=days)
        )
        decision = BudgetDecision.objects.create(
            person=person,
            assessment=assessment,
            social_worker=social_worker,
            state=State.VARIED if outside else State.AGREED,
            state_changed_at=signed_off_at,
            indicative_annual_pence=indicative_pence,
            final_annual_pence=final_pence,
            signed_off_by=team_manager if outside else social_worker,
            signed_off_at=signed_off_at,
        )
        if outside in (Action.REFER_TO_MANAGER, Action.REFER_TO_PANEL):
            DecisionEvent.objects.create(
                decision=decision,
                action=outside,
                from_state=State.INDICATIVE,
                to_state=State.AWAITING_MANAGER,
                actor=social_worker,
                at=signed_off_at - datetime.timedelta(days=1),
            )
        elif outside == "plan":
            SupportPlanLine.objects.create(
                decision=decision,
                description="Personal care",
                units_per_week_hundredths=1_000,
                unit_cost_pence=2_000,
                annual_pence=final_pence,
            )
        return decision

    return make


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def published_row(group: str, quarter: str):
    with time_machine.travel(TODAY):
        rows = open_data_published()
    [row] = [row for row in rows if row.group == group and row.quarter == quarter]
    return row


def test_a_quarter_with_4_people_shows_fewer_than_5_for_the_count_and_every_figure(make_case):
    for final in (100_000, 200_000, 300_000, 400_000):
        make_case("older-people", at(datetime.date(2026, 2, 10)), final)
    row = published_row("Older people", JAN_TO_MAR)
    assert row.people is SUPPRESSED
    assert row.median_indicative_annual_pence is SUPPRESSED
    assert row.median_final_annual_pence is SUPPRESSED
    assert row.outside_ras_basis_points is SUPPRESSED
    assert row.median_days_to_final_budget is SUPPRESSED


def test_a_quarter_with_5_people_shows_their_figures(make_case):
    """Finals £1,000, £2,000, £3,000, £4,000, £5,000: the middle one is £3,000 (300,000 pence).
    Indicatives £2,000, £2,000, £3,000, £3,000, £9,000: median £3,000. Days 10, 20, 30, 40, 50:
    median 30. Nobody went outside the RAS: 0 of 5 would be a count below 5, so kept back."""
    for final, indicative, days in (
        (100_000, 200_000, 10),
        (200_000, 200_000, 20),
        (300_000, 300_000, 30),
        (400_000, 300_000, 40),
        (500_000, 900_000, 50),
    ):
        make_case(
            "older-people",
            at(datetime.date(2026, 2, 10)),
            final,
            indicative_pence=indicative,
            days=days,
        )
    row = published_row("Older people", JAN_TO_MAR)
    assert row.people == 5
    assert row.median_final_annual_pence == 300_000
    assert row.median_indicative_annual_pence == 300_000
    assert row.median_days_to_final_budget == 30
    assert row.outside_ras_basis_points is SUPPRESSED


def test_an_even_number_of_people_takes_the_midpoint_rounded_half_up(make_case):
    """Six finals £1,000.00 .. £5,000.00 and £5,000.01: the middle two are £3,000.00 and
    £4,000.00, median £3,500.00. Days 1, 2, 3, 4, 5, 6: (3 + 4) / 2 = 3.5, rounded up to 4."""
    for number, final in enumerate((100_000, 200_000, 300_000, 400_000, 500_000, 500_001), 1):
        make_case("older-people", at(datetime.date(2026, 5, 10)), final, days=number)
    row = published_row("Older people", APR_TO_JUN)
    assert row.people == 6
    assert row.median_final_annual_pence == 350_000
    assert row.median_days_to_final_budget == 4


def test_the_share_outside_the_ras_counts_manager_panel_and_costed_plans(make_case):
    """12 people: 2 referred to a manager, 2 to panel, 1 with a costed plan = 5 outside, 7 inside:
    5 / 12 = 41.67% (4,167 basis points, half up)."""
    day = at(datetime.date(2026, 8, 3))
    for outside in (
        [Action.REFER_TO_MANAGER] * 2 + [Action.REFER_TO_PANEL] * 2 + ["plan"] + [""] * 7
    ):
        make_case("mental-health", day, 400_000, outside=outside)
    row = published_row("Mental health", JUL_TO_SEP)
    assert row.people == 12
    assert row.outside_ras_basis_points == 4167


def test_a_share_that_would_give_away_a_count_below_5_is_kept_back(make_case):
    """10 people, 4 outside: 40% of 10 would tell anyone that 4 people went to panel."""
    day = at(datetime.date(2026, 8, 3))
    for outside in [Action.REFER_TO_PANEL] * 4 + [""] * 6:
        make_case("mental-health", day, 400_000, outside=outside)
    row = published_row("Mental health", JUL_TO_SEP)
    assert row.people == 10
    assert row.outside_ras_basis_points is SUPPRESSED


def test_a_median_indicative_from_fewer_than_5_people_is_kept_back(make_case):
    """5 people with final budgets, of whom 4 had an indicative budget (one emergency)."""
    for indicative in (300_000, 300_000, 300_000, 300_000, None):
        make_case(
            "older-people", at(datetime.date(2026, 2, 1)), 300_000, indicative_pence=indicative
        )
    row = published_row("Older people", JAN_TO_MAR)
    assert row.people == 5
    assert row.median_indicative_annual_pence is SUPPRESSED
    assert row.median_final_annual_pence == 300_000


def test_a_person_counts_in_the_quarter_of_the_local_date_of_sign_off(make_case):
    """23:30 UTC on 31 March 2026 is 00:30 on 1 April in London (summer time)."""
    late = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
    for _ in range(5):
        make_case("older-people", late, 300_000)
    with time_machine.travel(TODAY):
        rows = {(row.group, row.quarter): row for row in open_data_rows()}
    assert rows[("Older people", APR_TO_JUN)].people == 5
    assert ("Older people", JAN_TO_MAR) not in rows


def test_every_group_has_a_row_for_every_completed_quarter_and_the_current_one_is_left_out(
    make_case,
):
    """A decision in January and one in November (the quarter still running on 24 November):
    rows for January to March, April to June and July to September, for each of the 4 groups."""
    make_case("older-people", at(datetime.date(2026, 1, 5)), 300_000)
    make_case("older-people", at(datetime.date(2026, 11, 2)), 300_000)
    with time_machine.travel(TODAY):
        rows = open_data_rows()
    quarters = [JAN_TO_MAR, APR_TO_JUN, JUL_TO_SEP]
    assert len(rows) == 4 * len(quarters)
    assert {row.quarter for row in rows} == set(quarters)
    assert sum(row.people for row in rows) == 1


def test_decisions_without_a_final_budget_are_not_counted(make_case, social_worker):
    for _ in range(5):
        make_case("older-people", at(datetime.date(2026, 2, 10)), 300_000)
    BudgetDecision.objects.filter(
        pk=make_case("older-people", at(datetime.date(2026, 2, 10)), 300_000).pk
    ).update(final_annual_pence=None, state=State.AWAITING_PANEL)
    assert published_row("Older people", JAN_TO_MAR).people == 5


def test_nothing_is_published_before_any_quarter_with_a_final_budget_has_ended(db):
    with time_machine.travel(TODAY):
        assert open_data_rows() == []


def _mixed_cases(make_case):
    """Groups and quarters with 0 to 14 people, some outside the RAS, some without indicatives."""
    sizes = {
        ("older-people", datetime.date(2026, 2, 1)): 4,
        ("older-people", datetime.date(2026, 5, 1)): 5,
        ("older-people", datetime.date(2026, 8, 1)): 14,
        ("mental-health", datetime.date(2026, 2, 1)): 1,
        ("mental-health", datetime.date(2026, 8, 1)): 9,
        ("learning-disabilities", datetime.date(2026, 5, 1)): 7,
    }
    for (group, day), size in sizes.items():
        for number in range(size):
            make_case(
                group,
                at(day),
                100_000 * (number + 1),
                days=number,
                indicative_pence=None if number % 4 == 3 else 250_000,
                outside=Action.REFER_TO_PANEL if number % 2 else "",
            )


def test_every_number_in_the_public_csv_rests_on_at_least_5_people(make_case, client):
    _mixed_cases(make_case)
    with time_machine.travel(TODAY):
        response = client.get(reverse("open-data:download-csv"))
        underlying = {(row.group, row.quarter): row for row in open_data_rows()}
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert_every_number_rests_on_at_least_5_people(response.content.decode(), underlying)


def assert_every_number_rests_on_at_least_5_people(
    published_csv: str, underlying: dict[tuple[str, str], Row]
) -> None:
    """Each number in the CSV rests on at least 5 people of its row (shares: 5 inside and 5
    outside the RAS), and no line adds cells up."""
    document = list(csv.reader(io.StringIO(published_csv)))
    assert tuple(document[0]) == CSV_HEADER
    assert len(document) - 1 == len(underlying)
    published_numbers = 0
    for group, quarter, people, indicative, final, share, days in document[1:]:
        row = underlying[(group, quarter)]
        for cell, base in (
            (people, row.people),
            (indicative, row.median_indicative_annual_pence.people),
            (final, row.median_final_annual_pence.people),
            (days, row.median_days_to_final_budget.people),
        ):
            if cell != "fewer than 5":
                Decimal(cell)  # a number, nothing else
                published_numbers += 1
                assert base >= MINIMUM_PEOPLE
        if share != "fewer than 5":
            published_numbers += 1
            assert row.outside_ras.part >= MINIMUM_PEOPLE
            assert row.outside_ras.whole - row.outside_ras.part >= MINIMUM_PEOPLE
    assert published_numbers > 0
    assert not any("total" in line[0].lower() or "total" in line[1].lower() for line in document)


def test_figures_read_from_the_snapshot_are_suppressed_on_the_way_out(make_case, client):
    """The snapshot holds the figures before suppression. Older people, January to March, has 4
    people when it is made; a fifth is added after: the live figures would publish 5, the
    published ones (the snapshot's) still say "fewer than 5", in the CSV and the API alike."""
    _mixed_cases(make_case)
    with time_machine.travel(TODAY):
        claimed = figures_snapshot_claim(snapshot_id=None)
        assert claimed is not None
        snapshot = figures_snapshot_build(snapshot_id=claimed.pk)
        make_case("older-people", at(datetime.date(2026, 2, 1)), 500_000)
        live = {(row.group, row.quarter): row for row in open_data_rows()}
        underlying = {(row.group, row.quarter): row for row in open_data_rows(snapshot=snapshot)}
        published_csv = client.get(reverse("open-data:download-csv")).content.decode()
        api = client.get("/api/open-data/").json()
    assert live[("Older people", JAN_TO_MAR)].people == MINIMUM_PEOPLE
    assert underlying[("Older people", JAN_TO_MAR)].people == MINIMUM_PEOPLE - 1
    assert "Older people,January to March 2026,fewer than 5," in published_csv
    assert_every_number_rests_on_at_least_5_people(published_csv, underlying)
    assert len(api) == len(underlying)
    for item in api:
        row = underlying[(item["client_group"], item["quarter"])]
        assert item["people"]["suppressed"] == (row.people < MINIMUM_PEOPLE)
        if not item["outside_ras_basis_points"]["suppressed"]:
            share = row.outside_ras
            assert min(share.part, share.whole - share.part) >= MINIMUM_PEOPLE


def test_the_page_shows_each_group_by_quarter_to_anyone_without_signing_in(make_case, client):
    """Older people, April to June: 5 people, finals £1,000 .. £5,000, median £3,000.00."""
    _mixed_cases(make_case)
    with time_machine.travel(TODAY):
        response = client.get(reverse("open-data:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Open data about personal budgets" in page
    assert "Older people" in page
    assert "Mental health" in page
    assert "£3,000.00" in page
    assert "fewer than 5" in page
    assert "Total" not in page
    assert reverse("open-data:download-csv") in page


def test_the_start_page_links_to_the_open_data(client, db):
    response = client.get(reverse("start"))
    assert reverse("open-data:index") in response.content.decode()


def test_the_api_gives_the_same_cells_with_suppressed_ones_as_null(make_case, client):
    _mixed_cases(make_case)
    with time_machine.travel(TODAY):
        response = client.get("/api/open-data/")
        published = open_data_published()
    assert response.status_code == 200
    body = response.json()
    assert len(body) == len(published)
    for item, row in zip(body, published, strict=True):
        assert (item["client_group"], item["quarter"]) == (row.group, row.quarter)
        for name in (
            "people",
            "median_indicative_annual_pence",
            "median_final_annual_pence",
            "outside_ras_basis_points",
            "median_days_to_final_budget",
        ):
            value = getattr(row, name)
            if value is SUPPRESSED:
                assert item[name] == {"value": None, "suppressed": True}
            else:
                assert item[name] == {"value": value, "suppressed": False}
    older_april = next(
        item
        for item in body
        if item["client_group"] == "Older people" and item["quarter"] == APR_TO_JUN
    )
    assert older_april["people"] == {"value": 5, "suppressed": False}
    assert older_april["median_final_annual_pence"] == {"value": 300_000, "suppressed": False}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_api_is_read_only(client, db, method):
    response = getattr(client, method)("/api/open-data/")
    assert response.status_code == 405

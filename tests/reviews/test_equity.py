"""The equity dashboard's figures, worked by hand, and who may see them.

Decided budgets (older people, decisions signed off 1 October 2026):
  band 30-39 points: £100, £200, £300, £400 and £5,000 a year.
    percentile_cont over 5 sorted amounts puts Q1 at position 1 (£200), the median at 2 (£300)
    and Q3 at 3 (£400). IQR = £200; with k = 1.5 the limits are £200 - £300 = -£100 and
    £400 + £300 = £700, so only the £5,000 budget is far from its peers.
  band 0-9 points: £1,000 and £2,000 a year.
    Q1 = £1,000 + 0.25 x £1,000 = £1,250; median £1,500; Q3 £1,750.
"""

import datetime

import pytest

from questionnaires.models import Assessment
from ras.accounts.models import Team, User
from ras.people.models import Person
from reviews.equity import (
    EquityFilters,
    equity_bands,
    equity_charts,
    equity_dots,
    equity_outliers,
)
from reviews.models import BudgetDecision, DecisionEvent
from tests.allocations.conftest import older_people, published_version  # noqa: F401
from tests.questionnaires.conftest import questionnaire  # noqa: F401

SIGNED_OFF = datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC)


def decide(version, worker: User, points: int, final_pence: int, *, reasons: str = "") -> int:
    person = Person.objects.create(full_name=f"Person {points} {final_pence}")
    assessment = Assessment.objects.create(
        person=person,
        questionnaire_version=version,
        client_group_code="older-people",
        status="submitted",
        started_by=worker,
        submitted_at=SIGNED_OFF,
        total_points=points,
        carer_level="none",
    )
    decision = BudgetDecision.objects.create(
        person=person,
        assessment=assessment,
        social_worker=worker,
        state="varied",
        state_changed_at=SIGNED_OFF,
        indicative_annual_pence=final_pence,
        final_annual_pence=final_pence,
        signed_off_by=worker,
        signed_off_at=SIGNED_OFF,
    )
    DecisionEvent.objects.create(
        decision=decision,
        action="vary",
        from_state="indicative",
        to_state="varied",
        actor=worker,
        at=SIGNED_OFF,
        amount_after_pence=final_pence,
        reason_codes=[],
        reasons=reasons,
    )
    return decision.pk


@pytest.fixture
def decided(questionnaire, social_worker: User) -> dict[str, int]:
    social_worker.team = Team.objects.create(name="North locality")
    social_worker.save()
    ids = {}
    for pounds in (100, 200, 300, 400):
        ids[f"{pounds}"] = decide(questionnaire, social_worker, 34, pounds * 100)
    ids["5000"] = decide(questionnaire, social_worker, 35, 500_000, reasons="Two carers at night")
    ids["1000"] = decide(questionnaire, social_worker, 3, 100_000)
    ids["2000"] = decide(questionnaire, social_worker, 9, 200_000)
    return ids


def test_bands_give_people_quartiles_and_range_worked_by_hand(decided) -> None:
    """See the module docstring for the figures."""
    bands = {band.min_points: band for band in equity_bands(EquityFilters())}
    low, mid = bands[0], bands[30]
    assert (low.people, low.minimum_pence, low.maximum_pence) == (2, 100_000, 200_000)
    assert (low.lower_quartile_pence, low.median_pence, low.upper_quartile_pence) == (
        125_000,
        150_000,
        175_000,
    )
    assert (mid.max_points, mid.people, mid.minimum_pence, mid.maximum_pence) == (
        39,
        5,
        10_000,
        500_000,
    )
    assert (mid.lower_quartile_pence, mid.median_pence, mid.upper_quartile_pence) == (
        20_000,
        30_000,
        40_000,
    )


def test_only_the_budget_beyond_one_and_a_half_iqr_is_far_from_peers(decided) -> None:
    """£5,000 is above the upper limit £400 + 1.5 x £200 = £700."""
    outliers = equity_outliers(EquityFilters())
    assert [outlier.decision_id for outlier in outliers] == [decided["5000"]]
    assert outliers[0].upper_fence_pence == 70_000
    assert outliers[0].reasons == "Two carers at night"


def test_a_lower_limit_below_nothing_is_shown_as_nothing(decided) -> None:
    """The band 30-39 lower limit is £200 - £300 = -£100: no budget is below £0, so £0."""
    (outlier,) = equity_outliers(EquityFilters())
    assert outlier.lower_fence_pence == 0


def test_the_band_width_and_multiple_are_settings(decided, settings) -> None:
    """One band of 40 points holds all 7: £100, £200, £300, £400, £1,000, £2,000, £5,000.

    Q1 is at position 0.25 x 6 = 1.5: (£200 + £300) / 2 = £250; the median at 3 is £400; Q3 at
    4.5 is (£1,000 + £2,000) / 2 = £1,500. IQR = £1,250. With k = 1.5 the upper limit is
    £1,500 + £1,875 = £3,375, so £5,000 is far out; with k = 3 it is £5,250, so nobody is.
    """
    settings.EQUITY_POINTS_BAND_WIDTH = 40
    (band,) = equity_bands(EquityFilters())
    assert (band.max_points, band.people) == (39, 7)
    assert (band.lower_quartile_pence, band.median_pence, band.upper_quartile_pence) == (
        25_000,
        40_000,
        150_000,
    )
    assert [o.upper_fence_pence for o in equity_outliers(EquityFilters())] == [337_500]
    settings.EQUITY_OUTLIER_IQR_MULTIPLE = 3
    assert equity_outliers(EquityFilters()) == []


def test_the_ras_line_is_the_full_needs_amount_of_the_table_in_force(
    decided, published_version
) -> None:
    """The test table: 20 points is band 2's base, £3,000; 35 points is £3,000 + 15 x £260 =
    £6,900. The x axis runs to 35 points, the most anyone here has."""
    (chart,) = equity_charts(equity_dots(EquityFilters()), on_date=datetime.date(2026, 11, 24))
    line = dict(chart.ras_line)
    assert (line[0], line[20], line[35]) == (0, 300_000, 690_000)
    assert max(line) == 35
    assert chart.shown == chart.people == 7


def test_filters_by_team_and_date_leave_nothing_when_nothing_matches(decided) -> None:
    other = Team.objects.create(name="South locality")
    assert equity_bands(EquityFilters(team_id=other.pk)) == []
    assert equity_bands(EquityFilters(signed_off_from=datetime.date(2026, 10, 2))) == []
    assert len(equity_bands(EquityFilters(signed_off_to=datetime.date(2026, 10, 1)))) == 2


def test_the_chart_samples_at_most_the_dots_asked_for(decided) -> None:
    """7 people, at most 3 dots: every ceil(7/3) = 3rd decision by id, so 3 dots."""
    (dots,) = equity_dots(EquityFilters(), max_dots=3)
    assert dots.people == 7
    assert len(dots.dots) == 3


@pytest.mark.parametrize(
    "url", ["/equity/", "/equity/bands.csv", "/equity/outliers.xlsx", "/api/equity/bands/"]
)
def test_a_social_worker_is_refused_the_equity_figures(client_for, social_worker, url) -> None:
    assert client_for(social_worker).get(url).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in_or_refused(client) -> None:
    assert client.get("/equity/").status_code == 302
    assert client.get("/api/equity/outliers/").status_code == 403


def test_a_finance_lead_sees_the_page_and_downloads(client_for, finance_lead, decided) -> None:
    client = client_for(finance_lead)
    page = client.get("/equity/")
    assert page.status_code == 200
    assert f"Decision {decided['5000']}" in page.content.decode()
    csv = client.get("/equity/outliers.csv").content.decode()
    assert "500000" in csv
    workbook = client.get("/equity/bands.xlsx")
    assert workbook.status_code == 200
    assert workbook.content.startswith(b"PK")
    api = client.get("/api/equity/bands/").json()
    assert [band["median_pence"] for band in api] == [150_000, 30_000]


def test_the_far_from_peers_cases_link_to_the_case_only_for_those_who_may_open_it(
    client_for, finance_lead, team_manager, decided
) -> None:
    """The finance lead reads the recorded reasons on the dashboard; the case page is refused
    to the role, so the dashboard does not offer a link that would end in a refusal."""
    case = f"/cases/{decided['5000']}/"
    finance = client_for(finance_lead)
    assert case not in finance.get("/equity/").content.decode()
    assert finance.get(case).status_code == 403
    manager = client_for(team_manager)
    assert case in manager.get("/equity/").content.decode()
    assert manager.get(case).status_code == 200


def test_a_manager_with_a_bad_date_sees_an_error_and_no_figures(client_for, team_manager) -> None:
    response = client_for(team_manager).get(
        "/equity/", {"signed_off_from": "2026-10-02", "signed_off_to": "2026-10-01"}
    )
    assert response.status_code == 400
    assert "The last date must be the same as or after the first" in response.content.decode()
    assert client_for(team_manager).get("/api/equity/bands/", {"team": "x"}).status_code == 400

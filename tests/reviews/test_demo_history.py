import pytest
from django.db.models import Count, OuterRef, Q
from django.utils import timezone

from allocations import engine
from allocations.demo import demo_tables_load
from allocations.models import IndicativeBudget
from allocations.selectors import engine_table
from questionnaires.models import Answer, Assessment, Perspective
from ras.accounts.models import Team
from reviews.demo_history import REFERENCE_PREFIX, demo_history_load
from reviews.models import BudgetDecision, DecisionEvent, PanelAgendaItem
from reviews.workflow import Action, State

pytestmark = pytest.mark.django_db

OUTSIDE = (Action.REFER_TO_MANAGER, Action.REFER_TO_PANEL)


@pytest.fixture
def history(finance_lead, social_worker, team_manager, panel_member, published_tables):
    written = demo_history_load(
        finance_lead=finance_lead,
        social_workers=[social_worker],
        manager=team_manager,
        panel_member=panel_member,
        count=400,
    )
    return written


@pytest.fixture
def published_tables(finance_lead):
    demo_tables_load(finance_lead=finance_lead, today=timezone.localdate())


def test_the_history_is_written_once(
    history, finance_lead, social_worker, team_manager, panel_member
):
    again = demo_history_load(
        finance_lead=finance_lead,
        social_workers=[social_worker],
        manager=team_manager,
        panel_member=panel_member,
        count=400,
    )
    assert (history, again) == (400, 0)
    assert Assessment.objects.filter(reference__startswith=REFERENCE_PREFIX).count() == 400
    assert BudgetDecision.objects.count() == 400


def test_every_case_is_priced_by_the_engine_from_its_stored_points(history):
    """The stored budget is what the engine gives for the stored total and carer level."""
    for budget in IndicativeBudget.objects.select_related("assessment", "table_version")[:50]:
        assessment = budget.assessment
        assert assessment.total_points is not None
        assert assessment.domain_points is not None
        result = engine.price(
            engine_table(budget.table_version), assessment.total_points, assessment.carer_level
        )
        assert budget.indicative_annual_pence == result.indicative_annual_pence
        assert sum(assessment.domain_points.values()) == assessment.total_points


def test_the_decisions_follow_the_shape_a_council_sees(history):
    """About 70% agreed at the indicative, 10% varied within authority, 20% outside the RAS."""
    decisions = BudgetDecision.objects.annotate(
        outside=Count("events", filter=Q(events__action__in=OUTSIDE))
    )
    total = decisions.count()
    outside = decisions.filter(outside__gt=0).count()
    agreed_at_once = decisions.filter(state=State.AGREED, outside=0).count()
    varied_within = decisions.filter(state=State.VARIED, outside=0).count()
    assert 0.12 <= outside / total <= 0.30
    assert 0.60 <= agreed_at_once / total <= 0.80
    assert 0.04 <= varied_within / total <= 0.18
    assert set(Assessment.objects.values_list("client_group_code", flat=True)) == {
        "older-people",
        "learning-disabilities",
        "physical-disabilities",
        "mental-health",
    }


def test_every_final_budget_has_events_in_time_order_and_reasons_for_each_variation(history):
    for decision in BudgetDecision.objects.filter(final_annual_pence__isnull=False):
        events = list(decision.events.all())
        assert events, decision
        assert decision.assessment is not None
        assert decision.assessment.submitted_at is not None
        assert events[0].at >= decision.assessment.submitted_at
        assert [event.at for event in events] == sorted(event.at for event in events)
        assert events[-1].to_state == decision.state
        assert events[-1].amount_after_pence == decision.final_annual_pence
        assert decision.signed_off_by == events[-1].actor
    varied = DecisionEvent.objects.filter(
        action__in=(Action.VARY, Action.REFER_TO_MANAGER, Action.REFER_TO_PANEL)
    )
    assert varied.exists()
    assert not varied.filter(reason_codes=[]).exists()


def test_panel_cases_sit_on_agendas_with_their_outcomes(history):
    panel_outcomes = DecisionEvent.objects.filter(action__startswith="panel_")
    assert panel_outcomes.exists()
    assert PanelAgendaItem.objects.filter(outcome__in=panel_outcomes).count() == (
        panel_outcomes.count()
    )


def test_some_worker_views_differ_from_the_persons_answers(history):
    worker = Answer.objects.filter(perspective=Perspective.WORKER)
    person = Answer.objects.filter(perspective=Perspective.PERSON)
    assert 0 < worker.count() < person.count()
    differing = worker.exclude(
        option_id__in=person.filter(
            assessment_id=OuterRef("assessment_id"), question_id=OuterRef("question_id")
        ).values("option_id")
    )
    assert differing.exists()


def test_cases_are_shared_between_three_teams(history, social_worker):
    social_worker.refresh_from_db()
    assert social_worker.team.name == "North locality"
    teams = Team.objects.annotate(cases=Count("members__caseload")).values_list("name", "cases")
    assert {name for name, cases in teams if cases > 0} == {
        "North locality",
        "South locality",
        "Learning disability team",
    }

"""Three people's records for the access audit's tests, each with every record a page can show.

- Sam (a service user with an account): a submitted assessment whose case is new (indicative)
  on Wendy Worker's caseload, on a panel agenda, with a review task from a recalculation run.
- Ida (no account; Rita Representative acts for her): a submitted assessment whose budget Wendy
  varied within her authority, so it is final; also on the panel agenda.
- Nia (no account): an assessment Wendy is filling in with her, not yet sent.
"""

import datetime
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from allocations.budgets import assessment_submit_and_price
from allocations.models import AllocationTableVersion, RecalculationRun
from questionnaires.models import Assessment, QuestionnaireVersion
from questionnaires.services import assessment_start, person_add_for_representative
from ras.accounts.models import User
from ras.people.services import person_create
from reviews.models import (
    BudgetDecision,
    BudgetProposal,
    DecisionEvent,
    PanelAgendaItem,
    PanelMeeting,
)
from reviews.services import decision_open
from tests.allocations.test_recalculation_summaries import add_results, make_run
from tests.questionnaires.conftest import (
    FULL_ANSWERS,
    answer_all,
    assessment,
    older_people,
    published_version,
    questionnaire,
)
from tests.reviews.conftest import decision, submitted_assessment
from tests.reviews.person_cast import ask_for, put_on_agenda

__all__ = [  # fixtures the tests of other folders take from here
    "Records",
    "assessment",
    "decision",
    "older_people",
    "published_version",
    "questionnaire",
    "records",
    "submitted_assessment",
]

# Within a social worker's authority (10% over £4,980.00): agreed at once, so final.
IDAS_BUDGET_PENCE = 520_000


@dataclass(frozen=True)
class Records:
    sams: BudgetDecision  # each of Sam's and Ida's decisions has its assessment
    idas: BudgetDecision
    idas_request: DecisionEvent
    nias_assessment: Assessment
    meeting: PanelMeeting
    sams_item: PanelAgendaItem
    proposal: BudgetProposal
    run: RecalculationRun


@pytest.fixture
def records(
    decision: BudgetDecision,
    questionnaire: QuestionnaireVersion,
    published_version: AllocationTableVersion,
    social_worker: User,
    representative: User,
    team_manager: User,
    panel_member: User,
    finance_lead: User,
) -> Records:
    idas = _idas_decision(questionnaire, representative, social_worker)
    ask_for(idas, social_worker, IDAS_BUDGET_PENCE)
    idas.refresh_from_db()
    meeting = put_on_agenda(decision, team_manager, panel_member, held_on=_next_week())
    PanelAgendaItem.objects.create(meeting=meeting, decision=idas, added_by=team_manager)
    run = make_run(published_version, finance_lead, total_count=1)
    assert decision.assessment is not None
    add_results(run, [decision.assessment], [(498_000, 540_000, None)])
    proposal = BudgetProposal.objects.create(
        run=run,
        decision=decision,
        current_annual_pence=498_000,
        proposed_annual_pence=540_000,
        created_by=finance_lead,
    )
    nia = person_create(full_name="Nia New", actor=social_worker)
    return Records(
        sams=decision,
        idas=idas,
        idas_request=idas.events.get(action="vary"),
        nias_assessment=assessment_start(
            actor=social_worker,
            person=nia,
            client_group_code="older-people",
            questionnaire_version=questionnaire,
        ),
        meeting=meeting,
        sams_item=meeting.agenda.get(decision=decision),
        proposal=proposal,
        run=run,
    )


def _idas_decision(
    questionnaire: QuestionnaireVersion, representative: User, social_worker: User
) -> BudgetDecision:
    ida = person_add_for_representative(
        representative=representative, full_name="Ida Represented", relationship="My mother"
    )
    started = assessment_start(
        actor=representative,
        person=ida,
        client_group_code="older-people",
        questionnaire_version=questionnaire,
    )
    answer_all(started, representative, FULL_ANSWERS)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 11, tzinfo=datetime.UTC)):
        submitted, _ = assessment_submit_and_price(assessment=started, actor=representative)
    return decision_open(assessment=submitted, actor=social_worker)


def _next_week() -> str:
    return (timezone.localdate() + datetime.timedelta(days=7)).isoformat()

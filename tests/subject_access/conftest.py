"""Two people with full records, built through the services, for the subject access tests.

Sam (a service user, with an account) answered washing "all the time", then changed it to "some
help"; 34 points on the older people's table give an indicative budget of £4,980.00 a year
(£95.77 a week). A social worker recorded their own view of meals. Sam's daughter Dana acts for
Sam. The worker asked for a night sitting service outside the RAS (10.5 hours a week at £21.40:
10.5 x £21.40 x 52 = £11,684.40 a year); a team manager put the case on a panel meeting, which
agreed £11,000.00 a year. Sam pays £1,234.00 a year of it. A recalculation of the published table
made a review task, which the worker kept with reasons. Then Sam asked us to look again.

Ida (no account; Rita acts for her) answered "on my own" twice, "some help" with meals and "most
of it" from family: 10 points, band 1, £1,500.00 less 40% = £900.00 a year. Her worker varied it
to £987.65 a year within their authority, with reasons of her own.
"""

import datetime
import uuid
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from allocations.budgets import assessment_submit_and_price
from allocations.recalculation.scope import RunScope
from allocations.recalculation.services import recalculation_start
from allocations.recalculation.tasks import price_chunk
from questionnaires.models import Assessment
from questionnaires.services import answer_save, worker_view_save
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.celery import app as celery_app
from ras.people.models import Person, Representation
from reviews.contribution_services import decision_set_contribution
from reviews.models import BudgetDecision, BudgetProposal
from reviews.panel_services import panel_agenda_add, panel_meeting_create
from reviews.proposal_services import proposal_keep, proposals_create
from reviews.services import PlanLine, decision_open, decision_request_amount, decision_transition
from reviews.workflow import Action, State
from tests.allocations.conftest import older_people, published_version  # noqa: F401
from tests.conftest import make_user
from tests.questionnaires.conftest import (  # noqa: F401
    FULL_ANSWERS,
    answer_all,
    assessment,
    questionnaire,
    represented_assessment,
)

SUBMITTED_AT = datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC)
IDA_ANSWERS = {
    "washing": "on-my-own",
    "dressing": "on-my-own",
    "meals": "some-help",
    "carer-help": "most",
}
SAM_PLAN_REASONS = "Sam wakes several times a night and needs someone there to settle him."
SAM_PANEL_REASONS = "The panel agreed eleven thousand pounds after hearing about the nights."
SAM_KEEP_REASONS = "The night sitting service still meets Sam's needs at the agreed cost."
SAM_CHALLENGE_REASONS = "Three nights a week is not enough for me any more."
IDA_REASONS = "Ida needs a ramp fitted at the back door before she can go out alone."


@dataclass
class Cast:
    sam: Person
    sam_assessment: Assessment
    sam_decision: BudgetDecision
    dana: User
    ida: Person
    ida_assessment: Assessment
    ida_decision: BudgetDecision
    proposal: BudgetProposal


@pytest.fixture(autouse=True)
def _run_tasks_in_process():
    """Notifications run in the test process; integration tests use real workers."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def submit(assessment: Assessment, actor: User) -> Assessment:
    with time_machine.travel(SUBMITTED_AT):
        submitted, budget = assessment_submit_and_price(assessment=assessment, actor=actor)
    assert budget is not None
    return submitted


@pytest.fixture
def cast(
    assessment,
    represented_assessment,
    service_user,
    representative,
    social_worker,
    team_manager,
    panel_member,
    finance_lead,
    published_version,
) -> Cast:
    # Sam
    answer_save(
        assessment=assessment,
        question_code="washing",
        option_code="all-the-time",
        actor=service_user,
    )
    answer_all(assessment, service_user, FULL_ANSWERS)
    sam_assessment = submit(assessment, service_user)
    worker_view_save(
        assessment=sam_assessment,
        question_code="meals",
        option_code="some-help",
        actor=social_worker,
    )
    sam_decision = decision_open(assessment=sam_assessment, actor=social_worker)
    dana = make_user(Role.REPRESENTATIVE, "dana@example.org", "Dana Daughter")
    Representation.objects.create(
        person=sam_decision.person, representative=dana, relationship="my father"
    )
    decision_request_amount(
        decision_id=sam_decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=0,
        reason_codes=["night-support"],
        reasons=SAM_PLAN_REASONS,
        plan_lines=[PlanLine("Night sitting service", 1_050, 2_140)],
    )
    meeting = panel_meeting_create(
        held_on=timezone.localdate(),
        title="Resource panel",
        member_ids=[panel_member.pk],
        actor=team_manager,
    )
    panel_agenda_add(meeting=meeting, decision=sam_decision, actor=team_manager)
    decision_transition(
        decision_id=sam_decision.pk,
        action=Action.PANEL_APPROVE_DIFFERENT,
        actor=panel_member,
        seen_state=State.AWAITING_PANEL,
        amount_pence=1_100_000,
        reason_codes=["carer-breakdown-risk"],
        reasons=SAM_PANEL_REASONS,
    )
    decision_set_contribution(
        decision_id=sam_decision.pk, actor=social_worker, contribution_pence=123_400
    )

    # Ida
    answer_all(represented_assessment, representative, IDA_ANSWERS)
    ida_assessment = submit(represented_assessment, representative)
    ida_decision = decision_open(assessment=ida_assessment, actor=social_worker)
    decision_request_amount(
        decision_id=ida_decision.pk,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        amount_pence=98_765,
        reason_codes=["other"],
        reasons=IDA_REASONS,
    )

    # A recalculation of the published table: both cases are priced; Sam's decided budget is far
    # from the table's figure, so Sam gets a review task, which the worker keeps.
    run = recalculation_start(
        table_version=published_version,
        actor=finance_lead,
        scope=RunScope(submitted_from=None, submitted_to=None, decided_only=False),
        request_token=uuid.uuid4(),
    )
    for number in run.chunks.order_by("number").values_list("number", flat=True):
        price_chunk(run.pk, number)
    assert proposals_create(run=run, actor=finance_lead, threshold_pence=100_000) == 1
    proposal = BudgetProposal.objects.get(decision=sam_decision)
    proposal_keep(proposal=proposal, actor=social_worker, reasons=SAM_KEEP_REASONS)

    decision_transition(
        decision_id=sam_decision.pk,
        action=Action.CHALLENGE,
        actor=service_user,
        seen_state=State.VARIED,
        reasons=SAM_CHALLENGE_REASONS,
    )
    return Cast(
        sam=sam_decision.person,
        sam_assessment=sam_assessment,
        sam_decision=BudgetDecision.objects.get(pk=sam_decision.pk),
        dana=dana,
        ida=ida_decision.person,
        ida_assessment=ida_assessment,
        ida_decision=BudgetDecision.objects.get(pk=ida_decision.pk),
        proposal=BudgetProposal.objects.get(pk=proposal.pk),
    )

"""Review tasks from a new table: made from a completed run of a published table, resolved by a
social worker, and never changing anyone's decided budget.

Every decided budget below is £5,000.00 a year (500,000 pence) and the threshold £100.00 (10,000
pence), unless a test says otherwise. A task is made when the run's indicative amount differs from
the decided budget by MORE than the threshold:
  £5,100.00 is exactly £100.00 more:  no task     £5,100.01 is £100.01 more: a task
  £4,900.00 is exactly £100.00 less:  no task     £4,899.99 is £100.01 less: a task
"""

import datetime
import uuid

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allocations.models import (
    AllocationTableVersion,
    RecalculationResult,
    RecalculationRun,
    RunState,
    TableStatus,
)
from allocations.services import table_publish
from questionnaires.models import Assessment, AssessmentStatus, QuestionnaireVersion
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from ras.people.models import Person
from reviews.models import BudgetDecision, BudgetProposal, DecisionEvent
from reviews.proposal_selectors import open_proposals, proposal_preview
from reviews.proposal_services import (
    ProposalAlreadyResolved,
    ProposalRefused,
    proposal_keep,
    proposal_start_review,
    proposals_create,
)
from reviews.services import MoveNotAllowed
from reviews.workflow import Action, State
from tests.allocations.conftest import draft_version, make_draft  # noqa: F401 - a fixture
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db]

DECIDED_PENCE = 500_000
THRESHOLD_PENCE = 10_000
NOT_FINANCE = ["service_user", "representative", "social_worker", "team_manager", "panel_member"]
NOT_WORKERS = ["service_user", "representative", "team_manager", "finance_lead", "panel_member"]


# Building cases and runs directly, as the recalculation would leave them.


def decided_case(
    questionnaire: QuestionnaireVersion,
    worker: User,
    name: str,
    *,
    final_pence: int | None = DECIDED_PENCE,
    state: State = State.AGREED,
) -> BudgetDecision:
    """A person with a submitted assessment and a decision in `state` (agreed by default)."""
    now = timezone.now()
    person = Person.objects.create(full_name=name)
    assessment = Assessment.objects.create(
        person=person,
        questionnaire_version=questionnaire,
        client_group_code="older-people",
        status=AssessmentStatus.SUBMITTED,
        started_by=worker,
        submitted_by=worker,
        submitted_at=now,
        total_points=34,
        carer_level="substantial",
    )
    signed = final_pence is not None
    return BudgetDecision.objects.create(
        person=person,
        assessment=assessment,
        social_worker=worker,
        state=state,
        state_changed_at=now,
        indicative_annual_pence=DECIDED_PENCE,
        final_annual_pence=final_pence,
        signed_off_by=worker if signed else None,
        signed_off_at=now if signed else None,
    )


def make_run(
    version: AllocationTableVersion,
    finance_lead: User,
    priced,
    *,
    state: RunState = RunState.COMPLETED,
    done_count: int | None = None,
) -> RecalculationRun:
    """A run of `version` with one result per assessment id: {assessment id: indicative pence}."""
    run = RecalculationRun.objects.create(
        table_version=version,
        started_by=finance_lead,
        request_token=uuid.uuid4(),
        state=state,
        chunk_size=20_000,
        total_count=len(priced),
        done_count=len(priced) if done_count is None else done_count,
        started_at=timezone.now(),
        finished_at=timezone.now() if state == RunState.COMPLETED else None,
    )
    RecalculationResult.objects.bulk_create(
        RecalculationResult(
            run=run,
            assessment_id=assessment_id,
            total_points=34,
            carer_level="substantial",
            full_needs_annual_pence=indicative * 4 // 3,
            indicative_annual_pence=indicative,
            original_indicative_annual_pence=DECIDED_PENCE,
            difference_pence=indicative - DECIDED_PENCE,
        )
        for assessment_id, indicative in priced.items()
    )
    return run


def decisions_as_they_are():
    """Every field of every decision: what making or resolving tasks must leave alone, apart
    from a started review's state."""
    return list(BudgetDecision.objects.order_by("pk").values())


def second_social_worker() -> User:
    return user_create(
        email="wes@example.org",
        full_name="Wes Colleague",
        roles=[Role.SOCIAL_WORKER],
        password=PASSWORD,
    )


@pytest.fixture
def cases(questionnaire, social_worker) -> dict[str, BudgetDecision]:
    return {
        name: decided_case(questionnaire, social_worker, name)
        for name in ("Exactly more", "Penny more", "Exactly less", "Penny less")
    }


@pytest.fixture
def run(cases, published_version, finance_lead) -> RecalculationRun:
    return make_run(
        published_version,
        finance_lead,
        {
            cases["Exactly more"].assessment_id: 510_000,
            cases["Penny more"].assessment_id: 510_001,
            cases["Exactly less"].assessment_id: 490_000,
            cases["Penny less"].assessment_id: 489_999,
        },
    )


@pytest.fixture
def proposal(run, finance_lead, cases) -> BudgetProposal:
    proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE)
    return BudgetProposal.objects.get(decision=cases["Penny more"])


def proposed_names(run: RecalculationRun) -> set[str]:
    return {
        p.decision.person.full_name
        for p in BudgetProposal.objects.filter(run=run).select_related("decision__person")
    }


# Making tasks


def test_a_change_of_exactly_the_threshold_gets_no_task_and_a_penny_more_does(run, finance_lead):
    """£100.00 either way is not more than £100.00; £100.01 either way is."""
    created = proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE)
    assert created == 2
    assert proposed_names(run) == {"Penny more", "Penny less"}


def test_a_task_shows_the_decided_budget_and_the_runs_amount(run, finance_lead, cases):
    proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE)
    task = BudgetProposal.objects.get(decision=cases["Penny less"])
    assert task.current_annual_pence == 500_000
    assert task.proposed_annual_pence == 489_999
    assert task.created_by == finance_lead
    assert task.resolved_at is None
    assert task.resolution == ""


def test_a_threshold_of_nothing_gives_every_changed_case_a_task(run, finance_lead):
    """With £0.00, any change of at least a penny is more than the threshold."""
    assert proposals_create(run=run, actor=finance_lead, threshold_pence=0) == 4


def test_the_task_compares_with_the_decided_budget_not_the_indicative_one(
    questionnaire, social_worker, published_version, finance_lead
):
    """Varied to £6,000.00: the run's £5,000.00 is £1,000.00 less than the decided budget, though
    it equals the indicative budget of £5,000.00."""
    varied = decided_case(
        questionnaire, social_worker, "Varied", final_pence=600_000, state=State.VARIED
    )
    run = make_run(published_version, finance_lead, {varied.assessment_id: 500_000})
    assert proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE) == 1
    task = BudgetProposal.objects.get()
    assert (task.current_annual_pence, task.proposed_annual_pence) == (600_000, 500_000)


def test_only_decided_budgets_get_tasks(
    questionnaire, social_worker, published_version, finance_lead
):
    """Each is £2,000.00 away from the run's £7,000.00, far over the threshold, but only the
    agreed and the varied budgets are decided and settled."""
    agreed = decided_case(questionnaire, social_worker, "Agreed")
    varied = decided_case(questionnaire, social_worker, "Varied", state=State.VARIED)
    undecided = decided_case(
        questionnaire, social_worker, "Undecided", final_pence=None, state=State.INDICATIVE
    )
    challenged = decided_case(questionnaire, social_worker, "Challenged", state=State.CHALLENGED)
    under_review = decided_case(
        questionnaire, social_worker, "Under review", state=State.INDICATIVE
    )
    at_panel = decided_case(questionnaire, social_worker, "At panel", state=State.AWAITING_PANEL)
    no_decision = Assessment.objects.create(
        person=Person.objects.create(full_name="No decision"),
        questionnaire_version=questionnaire,
        status=AssessmentStatus.SUBMITTED,
        started_by=social_worker,
    )
    run = make_run(
        published_version,
        finance_lead,
        {
            case.assessment_id: 700_000
            for case in (agreed, varied, undecided, challenged, under_review, at_panel)
        }
        | {no_decision.pk: 700_000},
    )
    assert proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE) == 2
    assert proposed_names(run) == {"Agreed", "Varied"}


def test_making_tasks_again_makes_no_more(run, finance_lead):
    assert proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE) == 2
    assert proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE) == 0
    assert proposals_create(run=run, actor=finance_lead, threshold_pence=0) == 2
    assert BudgetProposal.objects.filter(run=run).count() == 4


def test_a_resolved_task_is_not_made_again_from_the_same_run(
    run, finance_lead, proposal, social_worker
):
    proposal_keep(proposal=proposal, actor=social_worker, reasons="The plan meets her needs.")
    assert proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE) == 0
    assert BudgetProposal.objects.filter(decision=proposal.decision).count() == 1


def test_a_case_with_an_open_task_from_another_run_gets_no_second_one(
    run, proposal, cases, published_version, finance_lead, social_worker
):
    """A second run of the table: the worker still has the first task to resolve."""
    again = make_run(published_version, finance_lead, {cases["Penny more"].assessment_id: 520_000})
    assert proposals_create(run=again, actor=finance_lead, threshold_pence=THRESHOLD_PENCE) == 0
    proposal_keep(proposal=proposal, actor=social_worker, reasons="Needs are met.")
    assert proposals_create(run=again, actor=finance_lead, threshold_pence=THRESHOLD_PENCE) == 1


def test_making_tasks_changes_no_decided_budget(run, finance_lead):
    before = decisions_as_they_are()
    proposals_create(run=run, actor=finance_lead, threshold_pence=0)
    assert decisions_as_they_are() == before
    assert not DecisionEvent.objects.exists()


def test_tasks_are_made_in_a_number_of_statements_that_does_not_grow_with_the_cases(
    questionnaire, social_worker, published_version, finance_lead
):
    """Set-based: 3 cases and 30 cases take the same statements."""

    def statements_for(count: int) -> int:
        decisions = [
            decided_case(questionnaire, social_worker, f"Case {count}-{n}") for n in range(count)
        ]
        run = make_run(
            published_version, finance_lead, {d.assessment_id: 700_000 for d in decisions}
        )
        with CaptureQueriesContext(connection) as queries:
            assert proposals_create(run=run, actor=finance_lead, threshold_pence=0) == count
        return len(queries)

    assert statements_for(3) == statements_for(30)


def test_the_count_before_confirming_is_what_is_made(run, finance_lead):
    preview = proposal_preview(run=run, threshold_pence=THRESHOLD_PENCE)
    assert preview.decided == 4
    assert (preview.to_create, preview.going_up, preview.going_down) == (2, 1, 1)
    assert preview.within_threshold == 2
    assert preview.already_from_this_run == 0
    # £5,000.00 x 2 decided now; £5,100.01 + £4,899.99 = £10,000.00 under the new table.
    assert (preview.current_total_pence, preview.proposed_total_pence) == (1_000_000, 1_000_000)
    assert proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE) == 2
    after = proposal_preview(run=run, threshold_pence=THRESHOLD_PENCE)
    assert (after.to_create, after.already_from_this_run) == (0, 2)


def test_the_count_leaves_out_cases_with_an_open_task_from_another_run(
    run, proposal, cases, published_version, finance_lead
):
    again = make_run(published_version, finance_lead, {cases["Penny more"].assessment_id: 520_000})
    preview = proposal_preview(run=again, threshold_pence=THRESHOLD_PENCE)
    assert (preview.to_create, preview.open_from_another_run) == (0, 1)


@pytest.mark.parametrize(
    "state", [RunState.QUEUED, RunState.RUNNING, RunState.FAILED, RunState.CANCELLED]
)
def test_tasks_come_only_from_a_completed_run(cases, published_version, finance_lead, state):
    run = make_run(
        published_version, finance_lead, {cases["Penny more"].assessment_id: 600_000}, state=state
    )
    with pytest.raises(ProposalRefused, match="completed run only"):
        proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE)
    assert not BudgetProposal.objects.exists()


def test_tasks_do_not_come_from_a_run_that_priced_part_of_its_scope(
    cases, published_version, finance_lead
):
    run = make_run(
        published_version,
        finance_lead,
        {cases["Penny more"].assessment_id: 600_000, cases["Penny less"].assessment_id: 400_000},
        done_count=1,
    )
    with pytest.raises(ProposalRefused, match="priced 1 of its 2 cases"):
        proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE)
    assert not BudgetProposal.objects.exists()


def test_tasks_do_not_come_from_a_run_of_a_draft(cases, draft_version, finance_lead):
    run = make_run(draft_version, finance_lead, {cases["Penny more"].assessment_id: 600_000})
    with pytest.raises(ProposalRefused, match="is a draft"):
        proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE)
    assert not BudgetProposal.objects.exists()


def test_tasks_do_not_come_from_a_run_of_a_retired_table(cases, published_version, finance_lead):
    run = make_run(published_version, finance_lead, {cases["Penny more"].assessment_id: 600_000})
    AllocationTableVersion.objects.filter(pk=published_version.pk).update(
        status=TableStatus.RETIRED
    )
    with pytest.raises(ProposalRefused, match="is retired"):
        proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE)
    assert not BudgetProposal.objects.exists()


def test_a_negative_threshold_is_refused(run, finance_lead):
    with pytest.raises(ProposalRefused, match=r"£0\.00 or more"):
        proposals_create(run=run, actor=finance_lead, threshold_pence=-1)
    assert not BudgetProposal.objects.exists()


@pytest.mark.parametrize("role", NOT_FINANCE)
def test_only_a_finance_lead_makes_tasks(run, role, request):
    with pytest.raises(PermissionDenied):
        proposals_create(
            run=run, actor=request.getfixturevalue(role), threshold_pence=THRESHOLD_PENCE
        )
    assert not BudgetProposal.objects.exists()


# Keeping the current budget


def test_a_social_worker_keeps_the_current_budget_with_reasons(proposal, social_worker):
    before = decisions_as_they_are()
    kept = proposal_keep(
        proposal=proposal, actor=social_worker, reasons="  Her plan meets her needs.  "
    )
    assert kept.resolution == "kept"
    assert kept.resolution_reasons == "Her plan meets her needs."
    assert kept.resolved_by == social_worker
    assert kept.resolved_at is not None
    assert decisions_as_they_are() == before
    assert not DecisionEvent.objects.exists()


@pytest.mark.parametrize(
    ("reasons", "message"),
    [("", "Enter the reasons"), ("   ", "Enter the reasons"), ("x" * 5_001, "5,000 characters")],
)
def test_keeping_needs_reasons(proposal, social_worker, reasons, message):
    with pytest.raises(ProposalRefused, match=message):
        proposal_keep(proposal=proposal, actor=social_worker, reasons=reasons)
    proposal.refresh_from_db()
    assert proposal.resolved_at is None


def test_a_second_social_worker_may_keep_the_budget_to_cover(proposal):
    colleague = second_social_worker()
    kept = proposal_keep(proposal=proposal, actor=colleague, reasons="Covering; needs are met.")
    assert kept.resolved_by == colleague


def test_a_task_is_resolved_once_and_the_second_worker_is_told_who_did_it(proposal, social_worker):
    colleague = second_social_worker()
    proposal_keep(proposal=proposal, actor=colleague, reasons="Covering; needs are met.")
    with pytest.raises(ProposalAlreadyResolved, match="Wes Colleague already kept the current"):
        proposal_keep(proposal=proposal, actor=social_worker, reasons="Needs are met.")
    proposal.refresh_from_db()
    assert proposal.resolved_by == colleague
    assert proposal.resolution_reasons == "Covering; needs are met."


@pytest.mark.parametrize("role", NOT_WORKERS)
def test_only_a_social_worker_keeps_a_budget(proposal, role, request):
    with pytest.raises(PermissionDenied):
        proposal_keep(proposal=proposal, actor=request.getfixturevalue(role), reasons="Fine.")
    proposal.refresh_from_db()
    assert proposal.resolved_at is None


# Starting a review


def test_starting_a_review_goes_through_the_one_door_and_keeps_the_budget(proposal, social_worker):
    """The case goes back to the worker to decide; its £5,000.00 stays until they do."""
    event = proposal_start_review(proposal=proposal, actor=social_worker)
    decision = BudgetDecision.objects.get(pk=proposal.decision_id)
    assert decision.state == State.INDICATIVE
    assert decision.final_annual_pence == DECIDED_PENCE
    assert (event.action, event.from_state, event.to_state) == (
        Action.START_REVIEW,
        State.AGREED,
        State.INDICATIVE,
    )
    assert event.reasons == (
        "Under the new allocation table '2026 to 2027' the indicative budget would be "
        "£5,100.01 a year; the current budget is £5,000.00 a year."
    )
    proposal.refresh_from_db()
    assert (proposal.resolution, proposal.resolved_by, proposal.resolved_at) == (
        "reviewed",
        social_worker,
        event.at,
    )


def test_starting_a_review_changes_nothing_else_about_any_decision(proposal, social_worker):
    """Only the reviewed case's state moves; every amount of every case stays as it was."""
    before = {row["id"]: row for row in decisions_as_they_are()}
    proposal_start_review(proposal=proposal, actor=social_worker)
    after = {row["id"]: row for row in decisions_as_they_are()}
    for rows in (before, after):
        rows[proposal.decision_id].pop("state_changed_at")
    before[proposal.decision_id]["state"] = State.INDICATIVE
    assert after == before


def test_a_second_social_worker_may_start_the_review_to_cover(proposal):
    colleague = second_social_worker()
    event = proposal_start_review(proposal=proposal, actor=colleague)
    assert event.actor == colleague
    proposal.refresh_from_db()
    assert proposal.resolved_by == colleague


def test_a_case_no_longer_agreed_cannot_start_a_review_and_the_task_stays_open(
    proposal, social_worker
):
    BudgetDecision.objects.filter(pk=proposal.decision_id).update(state=State.CHALLENGED)
    with pytest.raises(MoveNotAllowed):
        proposal_start_review(proposal=proposal, actor=social_worker)
    proposal.refresh_from_db()
    assert proposal.resolved_at is None
    assert not DecisionEvent.objects.exists()


def test_a_case_moved_since_the_page_showed_it_is_refused(proposal, social_worker):
    """The list showed it agreed; it has been varied since, so the worker looks again."""
    BudgetDecision.objects.filter(pk=proposal.decision_id).update(state=State.VARIED)
    with pytest.raises(MoveNotAllowed):
        proposal_start_review(proposal=proposal, actor=social_worker, seen_state=State.AGREED)
    proposal.refresh_from_db()
    assert proposal.resolved_at is None


def test_a_kept_task_cannot_start_a_review(proposal, social_worker):
    proposal_keep(proposal=proposal, actor=social_worker, reasons="Needs are met.")
    with pytest.raises(ProposalAlreadyResolved):
        proposal_start_review(proposal=proposal, actor=social_worker)
    assert BudgetDecision.objects.get(pk=proposal.decision_id).state == State.AGREED


@pytest.mark.parametrize("role", NOT_WORKERS)
def test_only_a_social_worker_starts_a_review(proposal, role, request):
    before = decisions_as_they_are()
    with pytest.raises(PermissionDenied):
        proposal_start_review(proposal=proposal, actor=request.getfixturevalue(role))
    assert decisions_as_they_are() == before
    proposal.refresh_from_db()
    assert proposal.resolved_at is None


# The list a social worker sees


def test_the_workers_own_cases_come_first_then_the_largest_changes(
    questionnaire, social_worker, published_version, finance_lead
):
    colleague = second_social_worker()
    theirs_large = decided_case(questionnaire, colleague, "Theirs, £3,000 more")
    mine_small = decided_case(questionnaire, social_worker, "Mine, £200 less")
    mine_large = decided_case(questionnaire, social_worker, "Mine, £1,000 more")
    run = make_run(
        published_version,
        finance_lead,
        {
            theirs_large.assessment_id: 800_000,
            mine_small.assessment_id: 480_000,
            mine_large.assessment_id: 600_000,
        },
    )
    proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE)
    assert [p.decision.person.full_name for p in open_proposals(social_worker)] == [
        "Mine, £1,000 more",
        "Mine, £200 less",
        "Theirs, £3,000 more",
    ]
    assert next(p.decision.person.full_name for p in open_proposals(colleague)) == (
        "Theirs, £3,000 more"
    )


def test_resolved_tasks_leave_the_list(proposal, social_worker):
    proposal_keep(proposal=proposal, actor=social_worker, reasons="Needs are met.")
    assert [p.pk for p in open_proposals(social_worker)] == [
        BudgetProposal.objects.get(resolved_at__isnull=True).pk
    ]


# Pages


def banner(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def create_url(run: RecalculationRun) -> str:
    return reverse("proposals:create", kwargs={"run_id": run.pk})


def keep_url(proposal: BudgetProposal) -> str:
    return reverse("proposals:keep", kwargs={"proposal_id": proposal.pk})


def review_url(proposal: BudgetProposal) -> str:
    return reverse("proposals:start-review", kwargs={"proposal_id": proposal.pk})


def test_the_finance_page_counts_the_cases_at_100_pounds_before_anything_is_made(
    client_for, finance_lead, run
):
    response = client_for(finance_lead).get(create_url(run))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="100.00"' in page
    assert "2 cases would get a review task" in page
    assert "Create 2 review tasks" in page
    assert not BudgetProposal.objects.exists()


def test_the_finance_page_counts_again_for_another_threshold(client_for, finance_lead, run):
    response = client_for(finance_lead).get(create_url(run), {"threshold": "0"})
    assert "4 cases would get a review task" in response.content.decode()


def test_a_finance_lead_confirms_and_the_tasks_are_made(client_for, finance_lead, run):
    response = client_for(finance_lead).post(create_url(run), {"threshold": "100"})
    assert response.status_code == 302
    assert response.url == f"{create_url(run)}?threshold=100"
    assert BudgetProposal.objects.filter(run=run).count() == 2
    assert banner(response) == [
        "2 review tasks made. Social workers see them in their list of review tasks."
    ]


def test_confirming_twice_makes_the_tasks_once(client_for, finance_lead, run):
    client = client_for(finance_lead)
    client.post(create_url(run), {"threshold": "100"})
    response = client.post(create_url(run), {"threshold": "100"})
    assert BudgetProposal.objects.filter(run=run).count() == 2
    assert banner(response)[-1] == (
        "No new review tasks: every case over the threshold already has one."
    )


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        ("", "Enter the threshold"),
        ("lots", "Enter the threshold as a number, like 100"),
        ("-5", "The threshold must be 0 or more"),
        ("100.001", "The threshold must have no more than 2 decimal places"),
        ("1000000.01", "The threshold must be no more than £1,000,000.00"),
    ],
)
def test_a_bad_threshold_is_explained_and_makes_nothing(
    client_for, finance_lead, run, threshold, message
):
    client = client_for(finance_lead)
    for response in (
        client.get(create_url(run), {"threshold": threshold}),
        client.post(create_url(run), {"threshold": threshold}),
    ):
        page = response.content.decode()
        assert response.status_code == 400
        assert "<title>Error: Create review tasks" in page
        assert 'class="govuk-error-summary"' in page
        assert message in page
    assert not BudgetProposal.objects.exists()


def test_a_run_that_cannot_make_tasks_says_why(client_for, finance_lead, cases, draft_version):
    run = make_run(draft_version, finance_lead, {cases["Penny more"].assessment_id: 600_000})
    client = client_for(finance_lead)
    for response in (client.get(create_url(run)), client.post(create_url(run), {"threshold": "0"})):
        assert response.status_code == 409
        assert "is a draft" in response.content.decode()
    assert not BudgetProposal.objects.exists()


def test_an_unknown_run_is_not_found(client_for, finance_lead):
    response = client_for(finance_lead).get(reverse("proposals:create", kwargs={"run_id": 9999}))
    assert response.status_code == 404


def test_the_runs_page_lists_completed_runs_of_published_tables(
    client_for, finance_lead, run, cases, draft_version
):
    make_run(draft_version, finance_lead, {cases["Penny more"].assessment_id: 600_000})
    proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE)
    response = client_for(finance_lead).get(reverse("proposals:runs"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Create review tasks<span") == 1
    assert f"from run {run.pk}</span>" in page


@pytest.mark.parametrize("role", NOT_FINANCE)
def test_other_roles_cannot_use_the_finance_pages(client_for, run, role, request):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("proposals:runs")).status_code == 403
    assert client.get(create_url(run)).status_code == 403
    assert client.post(create_url(run), {"threshold": "0"}).status_code == 403
    assert not BudgetProposal.objects.exists()


def test_the_workers_list_shows_both_figures_and_the_difference(
    client_for, social_worker, proposal
):
    response = client_for(social_worker).get(reverse("proposals:list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 open tasks, 2 on your cases" in page
    assert "£5,000.00" in page
    assert "£5,100.01" in page
    assert "£100.01 more" in page
    assert "£100.01 less" in page
    assert reverse("cases:detail", kwargs={"decision_id": proposal.decision_id}) in page
    assert keep_url(proposal) in page
    assert review_url(proposal) in page


def test_the_keep_page_keeps_the_budget_with_reasons(client_for, social_worker, proposal):
    client = client_for(social_worker)
    assert client.get(keep_url(proposal)).status_code == 200
    response = client.post(keep_url(proposal), {"reasons": "Her plan meets her needs."})
    assert response.status_code == 302
    assert response.url == reverse("proposals:list")
    assert banner(response) == ["You kept Penny more’s current budget of £5,000.00 a year."]
    proposal.refresh_from_db()
    assert proposal.resolution == "kept"


@pytest.mark.parametrize(
    ("reasons", "message"),
    [("", "Enter the reasons for keeping the current budget"), ("x" * 5_001, "5,000 characters")],
)
def test_keeping_without_good_reasons_is_explained(
    client_for, social_worker, proposal, reasons, message
):
    response = client_for(social_worker).post(keep_url(proposal), {"reasons": reasons})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Keep the current budget" in page
    assert message in page
    proposal.refresh_from_db()
    assert proposal.resolved_at is None


def test_a_covering_worker_is_told_whose_case_it_is(client_for, proposal):
    response = client_for(second_social_worker()).get(keep_url(proposal))
    assert "This is Wendy Worker’s case. You can act on it to cover for them." in (
        response.content.decode()
    )


def test_a_task_resolved_already_goes_back_to_the_list_saying_who(
    client_for, social_worker, proposal
):
    proposal_keep(proposal=proposal, actor=second_social_worker(), reasons="Covering.")
    client = client_for(social_worker)
    for response in (
        client.get(keep_url(proposal)),
        client.post(keep_url(proposal), {"reasons": "Needs are met."}),
    ):
        assert response.status_code == 302
        assert banner(response)[-1] == (
            "Wes Colleague already kept the current budget for Penny more."
        )


def test_starting_a_review_from_the_list_opens_the_case(client_for, social_worker, proposal):
    response = client_for(social_worker).post(review_url(proposal), {"seen_state": "agreed"})
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", kwargs={"decision_id": proposal.decision_id})
    assert BudgetDecision.objects.get(pk=proposal.decision_id).state == State.INDICATIVE


def test_starting_a_review_of_a_case_moved_meanwhile_says_so(client_for, social_worker, proposal):
    BudgetDecision.objects.filter(pk=proposal.decision_id).update(state=State.CHALLENGED)
    response = client_for(social_worker).post(review_url(proposal), {"seen_state": "agreed"})
    assert response.status_code == 302
    assert response.url == reverse("proposals:list")
    assert banner(response)[0].startswith("A review of Penny more’s budget could not be started.")
    proposal.refresh_from_db()
    assert proposal.resolved_at is None


def test_starting_a_review_from_a_tampered_list_changes_nothing(
    client_for, social_worker, proposal
):
    response = client_for(social_worker).post(review_url(proposal), {"seen_state": "nonsense"})
    assert response.status_code == 302
    assert banner(response) == ["The list was out of date: nothing was changed. Try again."]
    assert BudgetDecision.objects.get(pk=proposal.decision_id).state == State.AGREED


def test_a_review_is_started_by_post_only(client_for, social_worker, proposal):
    assert client_for(social_worker).get(review_url(proposal)).status_code == 405


def test_an_unknown_task_is_not_found(client_for, social_worker, db):
    client = client_for(social_worker)
    assert client.get(reverse("proposals:keep", kwargs={"proposal_id": 9999})).status_code == 404
    response = client.post(reverse("proposals:start-review", kwargs={"proposal_id": 9999}))
    assert response.status_code == 404


@pytest.mark.parametrize("role", NOT_WORKERS)
def test_other_roles_cannot_use_the_workers_pages(client_for, proposal, role, request):
    before = decisions_as_they_are()
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("proposals:list")).status_code == 403
    assert client.get(keep_url(proposal)).status_code == 403
    assert client.post(keep_url(proposal), {"reasons": "Fine."}).status_code == 403
    assert client.post(review_url(proposal), {"seen_state": "agreed"}).status_code == 403
    assert decisions_as_they_are() == before
    proposal.refresh_from_db()
    assert proposal.resolved_at is None


def test_someone_signed_out_is_sent_to_sign_in(client, run, proposal):
    for response in (
        client.get(reverse("proposals:runs")),
        client.get(create_url(run)),
        client.post(create_url(run), {"threshold": "0"}),
        client.get(reverse("proposals:list")),
        client.get(keep_url(proposal)),
        client.post(keep_url(proposal), {"reasons": "Fine."}),
        client.post(review_url(proposal), {"seen_state": "agreed"}),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:sign-in"))
    proposal.refresh_from_db()
    assert proposal.resolved_at is None


def test_a_run_made_before_the_table_was_published_still_counts_once_it_is(
    cases, older_people, finance_lead
):
    """A run of a draft makes no tasks; once that very table is published, its run may."""
    draft = make_draft(older_people, finance_lead, label="Next year")
    run = make_run(draft, finance_lead, {cases["Penny more"].assessment_id: 600_000})
    with pytest.raises(ProposalRefused):
        proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE)
    table_publish(
        version=draft,
        actor=finance_lead,
        effective_from=datetime.date(2027, 4, 1),
        reason="Next year's table",
        today=datetime.date(2026, 11, 24),
    )
    assert proposals_create(run=run, actor=finance_lead, threshold_pence=THRESHOLD_PENCE) == 1

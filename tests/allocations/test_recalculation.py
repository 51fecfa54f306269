"""Recalculation runs: scope, pricing by the engine, chunks run twice, failures, and who may act.

Chunks run here in the test's own process (calling the Celery task directly); the fault tests
run them on real workers. Tables are those of tests/allocations/conftest.py: the published older
people's table (band 1: 0-19 points, £150 a point; band 2: 20-49, £3,000 + £260 a point;
band 3: 50-89, £10,800 + £285 a point; carer reductions none 0%, some 10%, substantial 25%,
most 40%).
"""

import datetime
import threading
import uuid
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from allocations import engine
from allocations.demo import CARER_REDUCTIONS_BP, demo_bands
from allocations.models import (
    AllocationTableVersion,
    IndicativeBudget,
    RecalculationChunk,
    RecalculationResult,
    RecalculationRun,
    RunState,
)
from allocations.recalculation import decided
from allocations.recalculation.pricing import DRAFT_CHANGED_MESSAGE
from allocations.recalculation.services import (
    RecalculationRefused,
    RunScope,
    recalculation_cancel,
    recalculation_delete,
    recalculation_resume,
    recalculation_start,
)
from allocations.recalculation.tasks import price_chunk
from allocations.selectors import engine_table
from allocations.services import table_draft_create, table_draft_save
from questionnaires.loading import questionnaire_load
from questionnaires.models import Assessment, AssessmentStatus, QuestionnaireVersion
from ras.people.models import Person
from reviews.apps import decided_budgets_sql
from reviews.models import BudgetDecision, BudgetProposal
from reviews.synthetic_cases import cases_generate
from tests.allocations.conftest import make_draft
from tests.questionnaires.conftest import MINI_SAQ

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
EVERYTHING = RunScope(submitted_from=None, submitted_to=None, decided_only=False)


@pytest.fixture
def questionnaire(db: None) -> QuestionnaireVersion:
    return questionnaire_load(MINI_SAQ).version


@pytest.fixture
def make_case(questionnaire, published_version, social_worker):
    """A submitted assessment priced by the published table, optionally with a decision."""

    def make(
        total_points: int,
        carer_level: str = "none",
        *,
        client_group_code: str = "older-people",
        submitted_at: datetime.datetime | None = None,
        status: str = AssessmentStatus.SUBMITTED,
        decision_state: str | None = None,
        final_annual_pence: int | None = None,
        priced: bool = True,
    ) -> Assessment:
        person = Person.objects.create(full_name=f"Case {total_points} {carer_level}")
        assessment = Assessment.objects.create(
            person=person,
            questionnaire_version=questionnaire,
            client_group_code=client_group_code,
            status=status,
            started_by=social_worker,
            submitted_at=submitted_at or timezone.now() - datetime.timedelta(days=30),
            total_points=total_points,
            carer_level=carer_level,
            domain_points={},
        )
        budget = None
        if priced:
            result = engine.price(engine_table(published_version), total_points, carer_level)
            budget = IndicativeBudget.objects.create(
                assessment=assessment,
                client_group=published_version.client_group,
                table_version=published_version,
                priced_on=timezone.localdate(assessment.submitted_at),
                total_points=total_points,
                carer_level=carer_level,
                band_position=result.band_index,
                above_table=result.above_table,
                full_needs_annual_pence=result.full_needs_annual_pence,
                carer_reduction_bp=result.carer_reduction_bp,
                carer_adjustment_pence=result.carer_adjustment_pence,
                indicative_annual_pence=result.indicative_annual_pence,
                indicative_weekly_pence=result.indicative_weekly_pence,
                domain_points=[],
                steps=list(result.steps),
            )
        if decision_state is not None:
            BudgetDecision.objects.create(
                person=person,
                assessment=assessment,
                indicative_budget=budget,
                social_worker=social_worker,
                state=decision_state,
                state_changed_at=timezone.now(),
                indicative_annual_pence=budget.indicative_annual_pence if budget else None,
                final_annual_pence=final_annual_pence,
                signed_off_by=social_worker if final_annual_pence is not None else None,
                signed_off_at=timezone.now() if final_annual_pence is not None else None,
            )
        return assessment

    return make


@pytest.fixture
def band_three_raised(published_version, finance_lead) -> AllocationTableVersion:
    """A draft of the published table with band 3 raised by 5%: £11,340 + £299.25 a point."""
    bands = demo_bands(100)
    bands[2] = engine.Band(50, 89, 1_134_000, 29_925)
    return make_draft(
        published_version.client_group, finance_lead, label="Band 3 up 5%", bands=bands
    )


@pytest.fixture
def sent(monkeypatch) -> list[tuple[int, int]]:
    """What would have been sent to the broker: (run id, chunk number) of each chunk task."""
    messages: list[tuple[int, int]] = []
    monkeypatch.setattr(price_chunk, "apply_async", lambda args: messages.append(args))
    return messages


def start(version, actor, scope=EVERYTHING, token=None) -> RecalculationRun:
    return recalculation_start(
        table_version=version, actor=actor, scope=scope, request_token=token or uuid.uuid4()
    )


def run_every_chunk(run: RecalculationRun) -> RecalculationRun:
    for number in run.chunks.order_by("number").values_list("number", flat=True):
        price_chunk(run.pk, number)
    run.refresh_from_db()
    return run


def results_of(run: RecalculationRun) -> dict[int, tuple]:
    return {
        row[0]: row[1:]
        for row in RecalculationResult.objects.filter(run=run).values_list(
            "assessment_id",
            "total_points",
            "carer_level",
            "full_needs_annual_pence",
            "indicative_annual_pence",
            "original_indicative_annual_pence",
            "final_annual_pence",
            "difference_pence",
        )
    }


# Pricing ---------------------------------------------------------------------------------------


def test_results_are_the_engines_price_of_each_case(
    make_case, band_three_raised, finance_lead
) -> None:
    """Under the draft, 74 points with some carer help (10%) is in band 3:
    £11,340 + (74 - 50) x £299.25 = £11,340 + £7,182 = £18,522 full needs; less 10% (£1,852.20)
    = £16,669.80. The published table gave £10,800 + 24 x £285 = £17,640, less £1,764 =
    £15,876: £793.80 more. 12 points with most help (40%) is in band 1, unchanged: 12 x £150 =
    £1,800, less £720 = £1,080, no difference."""
    in_band_three = make_case(74, "some")
    in_band_one = make_case(12, "most")

    run = run_every_chunk(start(band_three_raised, finance_lead))

    assert results_of(run) == {
        in_band_three.pk: (74, "some", 1_852_200, 1_666_980, 1_587_600, None, 79_380),
        in_band_one.pk: (12, "most", 180_000, 108_000, 108_000, None, 0),
    }
    assert (run.state, run.done_count, run.total_count) == (RunState.COMPLETED, 2, 2)
    assert run.started_at is not None
    assert run.finished_at is not None
    assert not run.is_partial


def test_every_generated_case_is_priced_as_the_engine_prices_it(
    published_version, band_three_raised, finance_lead, social_worker, settings
) -> None:
    """300 realistic cases in chunks of 40: each result is `engine.price` of its own points and
    carer level under the draft, and its original amount is its stored indicative budget."""
    settings.RECALCULATION_CHUNK_SIZE = 40
    generated = cases_generate(
        n=300,
        questionnaire=questionnaire_load(MINI_SAQ).version,
        tables={"older-people": published_version},
        staff=social_worker,
        seed=7,
    )

    run = run_every_chunk(start(band_three_raised, finance_lead))

    table = engine_table(band_three_raised)
    originals = dict(
        IndicativeBudget.objects.values_list("assessment_id", "indicative_annual_pence")
    )
    results = results_of(run)
    assert len(results) == generated.cases == run.total_count == run.done_count
    assert run.chunks.count() == 8  # 300 / 40, rounded up
    for assessment_id, (
        points,
        level,
        full,
        indicative,
        original,
        _,
        difference,
    ) in results.items():
        priced = engine.price(table, points, level)
        assert (full, indicative) == (
            priced.full_needs_annual_pence,
            priced.indicative_annual_pence,
        )
        assert original == originals[assessment_id]
        assert difference == indicative - original


def test_results_carry_the_decided_final_budget(make_case, published_version, finance_lead):
    """A decision counts when it is agreed or varied with a final amount; one still waiting for
    a manager does not."""
    agreed = make_case(30, decision_state="agreed", final_annual_pence=560_000)
    varied = make_case(30, decision_state="varied", final_annual_pence=700_000)
    waiting = make_case(30, decision_state="awaiting_manager")
    undecided = make_case(30)

    results = results_of(run_every_chunk(start(published_version, finance_lead)))

    finals = {assessment_id: row[5] for assessment_id, row in results.items()}
    assert finals == {agreed.pk: 560_000, varied.pk: 700_000, waiting.pk: None, undecided.pk: None}


def test_a_case_never_priced_has_no_original_amount_or_difference(
    make_case, published_version, finance_lead
) -> None:
    """30 points, no carer help: £3,000 + 10 x £260 = £5,600."""
    unpriced = make_case(30, priced=False)

    results = results_of(run_every_chunk(start(published_version, finance_lead)))

    assert results == {unpriced.pk: (30, "none", 560_000, 560_000, None, None, None)}


def test_a_run_changes_no_indicative_budget_or_decision(
    make_case, band_three_raised, finance_lead
) -> None:
    for points in (5, 40, 74, 120):
        make_case(points, "some", decision_state="varied", final_annual_pence=1_000_000)

    def snapshot():
        return (
            list(IndicativeBudget.objects.order_by("pk").values()),
            list(BudgetDecision.objects.order_by("pk").values()),
        )

    before = snapshot()
    run = run_every_chunk(start(band_three_raised, finance_lead))

    assert run.state == RunState.COMPLETED
    assert snapshot() == before


# Scope -----------------------------------------------------------------------------------------


def test_the_scope_is_the_submitted_assessments_of_the_tables_client_group(
    make_case, published_version, finance_lead
) -> None:
    older = make_case(30)
    make_case(30, client_group_code="mental-health")
    make_case(30, status=AssessmentStatus.IN_PROGRESS)

    run = run_every_chunk(start(published_version, finance_lead))

    assert set(results_of(run)) == {older.pk}
    assert run.total_count == 1


def test_the_date_range_is_of_local_submission_dates_both_days_included(
    make_case, published_version, finance_lead
) -> None:
    """23:30 on 30 June in UTC is 00:30 on 1 July in London (summer time): inside a range that
    starts on 1 July. 23:30 on 31 July in London is still 31 July: inside a range ending then."""
    before = make_case(30, submitted_at=datetime.datetime(2026, 6, 30, 22, 30, tzinfo=LONDON))
    first_moment = make_case(
        30, submitted_at=datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    )
    last_moment = make_case(30, submitted_at=datetime.datetime(2026, 7, 31, 23, 30, tzinfo=LONDON))
    after = make_case(30, submitted_at=datetime.datetime(2026, 8, 1, 0, 10, tzinfo=LONDON))

    scope = RunScope(datetime.date(2026, 7, 1), datetime.date(2026, 7, 31), decided_only=False)
    run = run_every_chunk(start(published_version, finance_lead, scope))

    assert set(results_of(run)) == {first_moment.pk, last_moment.pk}
    assert not {before.pk, after.pk} & set(results_of(run))
    assert (run.submitted_from, run.submitted_to) == (scope.submitted_from, scope.submitted_to)


def test_decided_only_keeps_the_cases_with_an_agreed_or_varied_final_budget(
    make_case, published_version, finance_lead
) -> None:
    agreed = make_case(30, decision_state="agreed", final_annual_pence=560_000)
    varied = make_case(60, decision_state="varied", final_annual_pence=1_500_000)
    make_case(30, decision_state="awaiting_panel")
    make_case(30)

    scope = RunScope(None, None, decided_only=True)
    run = run_every_chunk(start(published_version, finance_lead, scope))

    assert set(results_of(run)) == {agreed.pk, varied.pk}
    assert run.total_count == 2
    assert run.decided_only


def test_without_a_registered_provider_no_budget_counts_as_decided(
    make_case, published_version, finance_lead, monkeypatch
) -> None:
    make_case(30, decision_state="agreed", final_annual_pence=560_000)
    monkeypatch.setattr(decided, "_provider", None)

    run = start(published_version, finance_lead, RunScope(None, None, decided_only=True))

    assert (run.state, run.total_count) == (RunState.COMPLETED, 0)


def test_the_reviews_app_provides_the_decided_budgets(make_case) -> None:
    agreed = make_case(30, decision_state="agreed", final_annual_pence=560_000)
    make_case(30, decision_state="challenged", final_annual_pence=900_000)
    make_case(30, decision_state="indicative")
    sql, params = decided_budgets_sql()

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.fetchall() == [(agreed.pk, 560_000)]
    assert decided.decided_budgets_sql() == (sql, params)


def test_dates_in_the_future_or_out_of_order_are_refused_and_start_nothing(
    published_version, finance_lead
) -> None:
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    cases = [
        (RunScope(tomorrow, None, False), ["The start date must be today or in the past"]),
        (RunScope(None, tomorrow, False), ["The end date must be today or in the past"]),
        (
            RunScope(today, today - datetime.timedelta(days=1), False),
            ["The start date must be the same as or before the end date"],
        ),
    ]
    for scope, messages in cases:
        with pytest.raises(RecalculationRefused) as refused:
            start(published_version, finance_lead, scope)
        assert refused.value.messages == messages
    assert not RecalculationRun.objects.exists()


def test_an_empty_scope_completes_at_once_with_no_results(published_version, finance_lead):
    run = start(published_version, finance_lead)

    assert (run.state, run.total_count, run.done_count) == (RunState.COMPLETED, 0, 0)
    assert run.finished_at is not None
    assert not run.chunks.exists()
    assert not run.is_partial


# Chunks ----------------------------------------------------------------------------------------


def test_the_scope_is_split_into_contiguous_id_ranges_of_at_most_the_chunk_size(
    make_case, published_version, finance_lead, settings
) -> None:
    """Seven cases of the table's group, with another group's case between them, in chunks of 3:
    ranges of 3, 3 and 1 of the group's own cases; the other group's case is never priced."""
    settings.RECALCULATION_CHUNK_SIZE = 3
    ids = [make_case(20 + n).pk for n in range(3)]
    other = make_case(25, client_group_code="mental-health")
    ids += [make_case(30 + n).pk for n in range(4)]

    run = start(published_version, finance_lead)

    chunks = list(run.chunks.values_list("number", "first_assessment_id", "last_assessment_id"))
    assert chunks == [(1, ids[0], ids[2]), (2, ids[3], ids[5]), (3, ids[6], ids[6])]
    assert (run.state, run.total_count, run.chunk_size) == (RunState.QUEUED, 7, 3)
    run = run_every_chunk(run)
    assert set(results_of(run)) == set(ids)
    assert other.pk not in results_of(run)
    assert list(run.chunks.values_list("result_count", flat=True)) == [3, 3, 1]


def test_chunks_are_queued_once_the_run_is_committed(
    make_case, published_version, finance_lead, settings, sent, django_capture_on_commit_callbacks
) -> None:
    settings.RECALCULATION_CHUNK_SIZE = 2
    for points in (10, 20, 30):
        make_case(points)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = start(published_version, finance_lead)
    assert sent == []
    for callback in callbacks:
        callback()

    assert sent == [(run.pk, 1), (run.pk, 2)]


def test_a_chunk_priced_twice_writes_and_counts_each_result_once(
    make_case, published_version, finance_lead, settings
) -> None:
    settings.RECALCULATION_CHUNK_SIZE = 2
    for points in (10, 20, 30):
        make_case(points)
    run = start(published_version, finance_lead)

    assert price_chunk(run.pk, 1) == 2
    assert price_chunk(run.pk, 1) == 0
    run.refresh_from_db()
    assert (run.state, run.done_count) == (RunState.RUNNING, 2)

    assert price_chunk(run.pk, 2) == 1
    assert price_chunk(run.pk, 2) == 0
    run.refresh_from_db()
    assert (run.state, run.done_count, run.total_count) == (RunState.COMPLETED, 3, 3)
    assert RecalculationResult.objects.filter(run=run).count() == 3


def test_a_result_already_written_is_not_written_again(
    make_case, published_version, finance_lead
) -> None:
    """Insert-or-ignore on (run, assessment): even a chunk marked not done (say, restored from a
    backup) writes no second result and counts only what it wrote."""
    first, second = make_case(10), make_case(20)
    run = run_every_chunk(start(published_version, finance_lead))
    RecalculationResult.objects.filter(run=run, assessment_id=second.pk).delete()
    run.chunks.update(done_at=None)
    RecalculationRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING, done_count=1)

    assert price_chunk(run.pk, 1) == 1

    assert set(results_of(run)) == {first.pk, second.pk}
    run.refresh_from_db()
    assert (run.state, run.done_count) == (RunState.COMPLETED, 2)


def test_the_price_chunk_task_is_acknowledged_late_and_within_the_visibility_timeout(settings):
    assert price_chunk.acks_late
    assert price_chunk.reject_on_worker_lost
    soft_limit, hard_limit = price_chunk.soft_time_limit, price_chunk.time_limit
    assert soft_limit is not None
    assert hard_limit is not None
    assert 0 < soft_limit < hard_limit
    assert hard_limit < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


# Failures --------------------------------------------------------------------------------------


def test_a_draft_with_problems_fails_the_run_with_its_message(
    make_case, published_version, finance_lead
) -> None:
    """An empty draft has no bands: nothing can be priced, and the run says why."""
    make_case(30)
    empty = table_draft_create(
        client_group=published_version.client_group, actor=finance_lead, label="Empty"
    )

    run = run_every_chunk(start(empty, finance_lead))

    assert run.state == RunState.FAILED
    assert run.failure == (
        "The allocation table cannot be used for pricing until it is corrected: "
        "The table has no bands; it needs at least one band starting at 0 points."
    )
    assert run.is_partial
    assert not RecalculationResult.objects.filter(run=run).exists()


def test_a_table_without_a_reduction_for_a_cases_carer_level_fails_the_run(
    make_case, published_version, finance_lead
) -> None:
    make_case(30, "sometimes", priced=False)

    run = run_every_chunk(start(published_version, finance_lead))

    assert run.state == RunState.FAILED
    assert "no carer reduction for carer level 'sometimes'" in run.failure


@pytest.mark.django_db(transaction=True)
def test_a_draft_changed_after_the_run_started_fails_the_run(
    make_case, band_three_raised, finance_lead, settings, sent
) -> None:
    settings.RECALCULATION_CHUNK_SIZE = 1
    make_case(30)
    make_case(40)
    run = start(band_three_raised, finance_lead)
    assert price_chunk(run.pk, 1) == 1

    table_draft_save(
        version=band_three_raised,
        actor=finance_lead,
        label="Band 3 up 6%",
        bands=demo_bands(106),
        carer_reductions_bp=CARER_REDUCTIONS_BP,
        expected_edit_number=band_three_raised.edit_number,
        reason="Changed my mind",
    )
    assert price_chunk(run.pk, 2) == 0

    run.refresh_from_db()
    assert (run.state, run.failure) == (RunState.FAILED, DRAFT_CHANGED_MESSAGE)
    assert RecalculationResult.objects.filter(run=run).count() == 1


def test_an_unexpected_error_fails_the_run_and_resuming_prices_the_rest(
    make_case, published_version, finance_lead, settings, monkeypatch
) -> None:
    settings.RECALCULATION_CHUNK_SIZE = 1
    make_case(30)
    make_case(40)
    run = start(published_version, finance_lead)
    price_chunk(run.pk, 1)
    monkeypatch.setattr(
        "allocations.recalculation.pricing.engine_table",
        lambda version: (_ for _ in ()).throw(ConnectionError("database went away")),
    )
    with pytest.raises(ConnectionError):
        price_chunk(run.pk, 2)
    run.refresh_from_db()
    assert run.state == RunState.FAILED
    assert run.failure.startswith("Part of the run stopped because of an unexpected error.")

    monkeypatch.undo()
    run = recalculation_resume(run=run, actor=finance_lead)
    assert (run.state, run.failure, run.finished_at) == (RunState.RUNNING, "", None)
    run = run_every_chunk(run)
    assert (run.state, run.done_count) == (RunState.COMPLETED, 2)


@pytest.mark.django_db(transaction=True)
def test_a_chunk_over_its_time_limit_fails_the_run_saying_to_resume(
    make_case, published_version, finance_lead, monkeypatch, sent
) -> None:
    make_case(30)
    run = start(published_version, finance_lead)

    def too_slow(**kwargs) -> int:
        raise SoftTimeLimitExceeded

    monkeypatch.setattr("allocations.recalculation.tasks.chunk_price", too_slow)
    with pytest.raises(SoftTimeLimitExceeded):
        price_chunk(run.pk, 1)

    run.refresh_from_db()
    assert run.state == RunState.FAILED
    assert run.failure == (
        "Part of the run took longer than 5 minutes and was stopped. "
        "Resume the run to try that part again."
    )


# Starting twice, cancelling, resuming, deleting -------------------------------------------------


def test_the_same_request_token_starts_one_run(make_case, published_version, finance_lead):
    make_case(30)
    token = uuid.uuid4()

    first = start(published_version, finance_lead, token=token)
    second = start(published_version, finance_lead, token=token)

    assert first.pk == second.pk
    assert RecalculationRun.objects.count() == 1
    assert RecalculationChunk.objects.count() == 1


def test_a_request_token_used_for_another_table_is_refused(
    published_version, band_three_raised, finance_lead
) -> None:
    token = uuid.uuid4()
    start(published_version, finance_lead, token=token)

    with pytest.raises(RecalculationRefused) as refused:
        start(band_three_raised, finance_lead, token=token)

    assert refused.value.messages == [
        "This form was already used to start another run. Open the start page again."
    ]


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_moment_start_one_run(
    make_case, published_version, finance_lead, sent
) -> None:
    make_case(30)
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    runs, errors = [], []

    def click() -> None:
        try:
            barrier.wait()
            runs.append(start(published_version, finance_lead, token=token).pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(runs) == 2
    assert runs[0] == runs[1]
    assert RecalculationRun.objects.count() == 1
    assert sent == [(runs[0], 1)]


def test_a_cancelled_run_prices_nothing_more_and_says_it_is_partial(
    make_case, published_version, finance_lead, settings
) -> None:
    settings.RECALCULATION_CHUNK_SIZE = 1
    for points in (10, 20, 30):
        make_case(points)
    run = start(published_version, finance_lead)
    price_chunk(run.pk, 1)

    run = recalculation_cancel(run=run, actor=finance_lead)
    run_every_chunk(run)

    assert (run.state, run.done_count, run.total_count) == (RunState.CANCELLED, 1, 3)
    assert run.finished_at is not None
    assert run.is_partial
    assert RecalculationResult.objects.filter(run=run).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_chunk_cancelled_while_it_was_priced_keeps_nothing(
    make_case, published_version, finance_lead, monkeypatch, settings, sent
) -> None:
    """The finance lead cancels between the chunk's pricing and its count (during the test-only
    pause): the chunk's results are rolled back, so the results are exactly the chunks counted."""
    make_case(10)
    run = start(published_version, finance_lead)

    def cancel_from_elsewhere() -> None:
        try:
            recalculation_cancel(run=run, actor=finance_lead)
        finally:
            connection.close()

    def pause(seconds: float) -> None:
        other_session = threading.Thread(target=cancel_from_elsewhere)
        other_session.start()
        other_session.join()

    settings.RECALCULATION_CHUNK_DELAY_SECONDS = 0.5
    monkeypatch.setattr("allocations.recalculation.pricing.time", SimpleNamespace(sleep=pause))

    assert price_chunk(run.pk, 1) == 0

    run.refresh_from_db()
    assert (run.state, run.done_count) == (RunState.CANCELLED, 0)
    assert not RecalculationResult.objects.filter(run=run).exists()
    assert run.chunks.get().done_at is None


def test_a_finished_run_cannot_be_cancelled(published_version, finance_lead):
    run = start(published_version, finance_lead)  # empty scope: completed at once

    with pytest.raises(RecalculationRefused) as refused:
        recalculation_cancel(run=run, actor=finance_lead)

    assert refused.value.messages == [
        "This run is completed: only a queued or running run can be cancelled."
    ]


def test_resuming_sends_again_only_the_chunks_not_done(
    make_case, published_version, finance_lead, settings, sent, django_capture_on_commit_callbacks
) -> None:
    settings.RECALCULATION_CHUNK_SIZE = 1
    for points in (10, 20, 30):
        make_case(points)
    run = start(published_version, finance_lead)
    price_chunk(run.pk, 2)

    with django_capture_on_commit_callbacks(execute=True):
        run = recalculation_resume(run=run, actor=finance_lead)

    assert sent == [(run.pk, 1), (run.pk, 3)]
    assert run.state == RunState.RUNNING


def test_resuming_a_run_whose_chunks_are_all_done_completes_it(
    make_case, published_version, finance_lead
) -> None:
    """The worker priced the last chunk but stopped before marking the run completed."""
    make_case(10)
    run = run_every_chunk(start(published_version, finance_lead))
    RecalculationRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING, finished_at=None)
    run.refresh_from_db()

    run = recalculation_resume(run=run, actor=finance_lead)

    assert run.state == RunState.COMPLETED
    assert run.finished_at is not None


@pytest.mark.parametrize("state", [RunState.COMPLETED, RunState.CANCELLED])
def test_a_completed_or_cancelled_run_cannot_be_resumed(
    make_case, published_version, finance_lead, state
) -> None:
    make_case(10)
    run = start(published_version, finance_lead)
    RecalculationRun.objects.filter(pk=run.pk).update(state=state)

    with pytest.raises(RecalculationRefused) as refused:
        recalculation_resume(run=run, actor=finance_lead)

    assert refused.value.messages == [
        f"This run is {state.label.lower()}, so there is nothing to resume. "
        "Start a new run to price these cases again."
    ]
    assert not RecalculationResult.objects.exists()


def test_deleting_a_run_removes_its_results_and_chunks(
    make_case, published_version, finance_lead
) -> None:
    make_case(10)
    kept = run_every_chunk(start(published_version, finance_lead))
    run = run_every_chunk(start(published_version, finance_lead))

    recalculation_delete(run=run, actor=finance_lead)

    assert list(RecalculationRun.objects.all()) == [kept]
    assert set(RecalculationChunk.objects.values_list("run_id", flat=True)) == {kept.pk}
    assert set(RecalculationResult.objects.values_list("run_id", flat=True)) == {kept.pk}


def test_a_queued_or_running_run_cannot_be_deleted(make_case, published_version, finance_lead):
    make_case(10)
    run = start(published_version, finance_lead)

    with pytest.raises(RecalculationRefused) as refused:
        recalculation_delete(run=run, actor=finance_lead)

    assert refused.value.messages == ["This run is queued: cancel it before deleting it."]
    assert RecalculationRun.objects.filter(pk=run.pk).exists()


def test_a_run_with_review_proposals_cannot_be_deleted(
    make_case, published_version, finance_lead
) -> None:
    case = make_case(10, decision_state="agreed", final_annual_pence=150_000)
    run = run_every_chunk(start(published_version, finance_lead))
    BudgetProposal.objects.create(
        run=run,
        decision=BudgetDecision.objects.get(assessment=case),
        current_annual_pence=150_000,
        proposed_annual_pence=150_000,
        created_by=finance_lead,
    )

    with pytest.raises(RecalculationRefused) as refused:
        recalculation_delete(run=run, actor=finance_lead)

    assert refused.value.messages == [
        "This run cannot be deleted: 1 review proposals were made from it."
    ]
    assert RecalculationResult.objects.filter(run=run).count() == 1


# Who may act -----------------------------------------------------------------------------------


@pytest.fixture
def not_finance_leads(social_worker, team_manager, panel_member, administrator, service_user):
    return [social_worker, team_manager, panel_member, administrator, service_user]


def test_only_a_finance_lead_can_start_a_run(make_case, published_version, not_finance_leads):
    make_case(10)
    for person in not_finance_leads:
        with pytest.raises(PermissionDenied):
            start(published_version, person)
    assert not RecalculationRun.objects.exists()


def test_only_a_finance_lead_can_cancel_resume_or_delete_a_run(
    make_case, published_version, finance_lead, not_finance_leads
) -> None:
    make_case(10)
    run = start(published_version, finance_lead)
    for person in not_finance_leads:
        for action in (recalculation_cancel, recalculation_resume, recalculation_delete):
            with pytest.raises(PermissionDenied):
                action(run=run, actor=person)
    run.refresh_from_db()
    assert run.state == RunState.QUEUED

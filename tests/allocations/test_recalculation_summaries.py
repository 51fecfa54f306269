"""What a recalculation run found, summarised by the database: totals, bands, histogram bins,
the largest changes, two runs compared case by case, and a run's progress.

The results here are made by hand (straight into the results table), so every figure can be
worked out in the docstrings. A result's change is its amount under the run's table minus the
amount it was first priced at; both are pence a year.
"""

import datetime
import uuid
from collections.abc import Sequence

import pytest

from allocations.models import (
    AllocationTableVersion,
    RecalculationChunk,
    RecalculationResult,
    RecalculationRun,
    RunState,
)
from allocations.recalculation.histogram import (
    OVERFLOW_INDEX,
    bin_edges,
    bin_index,
    histogram_bins,
    histogram_chart,
)
from allocations.recalculation.summaries import (
    CHANGE_BANDS,
    STALLED_AFTER,
    largest_changes,
    run_pair_summary,
    run_progress,
    run_summary,
)
from questionnaires.models import Assessment, AssessmentStatus, QuestionnaireVersion
from ras.accounts.models import User
from ras.people.models import Person
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    older_people,
    published_version,
    questionnaire,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
SUBMITTED_AT = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)

# (original indicative, under the run's table, decided final budget) in pence a year.
Row = tuple[int | None, int, int | None]


def make_assessments(
    questionnaire: QuestionnaireVersion, started_by: User, count: int
) -> list[Assessment]:
    """`count` submitted assessments of older people, in id order."""
    people = Person.objects.bulk_create(
        Person(full_name=f"Person {number}") for number in range(count)
    )
    return Assessment.objects.bulk_create(
        Assessment(
            person=person,
            questionnaire_version=questionnaire,
            client_group_code="older-people",
            status=AssessmentStatus.SUBMITTED,
            started_by=started_by,
            submitted_by=started_by,
            submitted_at=SUBMITTED_AT,
            total_points=34,
            carer_level="substantial",
        )
        for person in people
    )


def make_run(
    version: AllocationTableVersion,
    started_by: User,
    *,
    state: str = RunState.COMPLETED,
    total_count: int = 0,
    done_count: int | None = None,
    started_at: datetime.datetime | None = NOW - datetime.timedelta(seconds=10),
    finished_at: datetime.datetime | None = None,
    decided_only: bool = False,
    submitted_from: datetime.date | None = None,
    submitted_to: datetime.date | None = None,
) -> RecalculationRun:
    if finished_at is None and state not in (RunState.QUEUED, RunState.RUNNING):
        finished_at = NOW
    return RecalculationRun.objects.create(
        table_version=version,
        started_by=started_by,
        request_token=uuid.uuid4(),
        state=state,
        chunk_size=20_000,
        total_count=total_count,
        done_count=total_count if done_count is None else done_count,
        started_at=started_at,
        finished_at=finished_at,
        decided_only=decided_only,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
    )


def add_results(
    run: RecalculationRun,
    assessments: Sequence[Assessment],
    rows: Sequence[Row],
    *,
    carer_level: str = "substantial",
) -> list[RecalculationResult]:
    """One result per row, for the assessments in order; full needs is the new amount + 25%."""
    return RecalculationResult.objects.bulk_create(
        RecalculationResult(
            run=run,
            assessment=assessment,
            total_points=34,
            carer_level=carer_level,
            full_needs_annual_pence=new * 4 // 3,
            indicative_annual_pence=new,
            original_indicative_annual_pence=original,
            final_annual_pence=final,
            difference_pence=None if original is None else new - original,
        )
        for assessment, (original, new, final) in zip(assessments, rows, strict=False)
    )


@pytest.fixture
def assessments(questionnaire, service_user) -> list[Assessment]:
    return make_assessments(questionnaire, service_user, 8)


@pytest.fixture
def run(published_version, finance_lead) -> RecalculationRun:
    return make_run(published_version, finance_lead, total_count=5)


# One of each band: the example.
ONE_IN_EACH_BAND: list[Row] = [
    (500_000, 350_000, 600_000),  # -150,000: over £1,000 less; decided at £6,000
    (500_000, 450_000, None),  # -50,000: £0.01 to £1,000 less
    (500_000, 500_000, 480_000),  # 0: the same; decided at £4,800
    (500_000, 540_000, None),  # +40,000: £0.01 to £1,000 more
    (500_000, 700_000, None),  # +200,000: over £1,000 more
]


# Totals


def test_the_cost_now_and_under_the_table_are_summed_over_every_result(run, assessments) -> None:
    """Five cases first priced at £5,000 each: £25,000 now. Under the table: £3,500 + £4,500 +
    £5,000 + £5,400 + £7,000 = £25,400, £400 more. Two have decided budgets: £6,000 + £4,800 =
    £10,800 now, and under the table £3,500 + £5,000 = £8,500, £2,300 less."""
    add_results(run, assessments, ONE_IN_EACH_BAND)

    summary = run_summary(run)

    assert summary.result_count == 5
    assert summary.under_table_pence == 2_540_000
    assert summary.indicative.cases == 5
    assert summary.indicative.now_pence == 2_500_000
    assert summary.indicative.under_table_pence == 2_540_000
    assert summary.indicative.difference_pence == 40_000
    assert summary.decided.cases == 2
    assert summary.decided.now_pence == 1_080_000
    assert summary.decided.under_table_pence == 850_000
    assert summary.decided.difference_pence == -230_000
    assert summary.not_compared_count == 0


def test_a_case_with_no_original_amount_is_costed_but_not_compared(run, assessments) -> None:
    """Under the table: £3,000 + £4,000 = £7,000 for both cases. Only the first had an original
    amount (£2,500), so the comparison is £2,500 now against £3,000, and one case is left out."""
    add_results(run, assessments, [(250_000, 300_000, None), (None, 400_000, None)])

    summary = run_summary(run)

    assert summary.result_count == 2
    assert summary.under_table_pence == 700_000
    assert (summary.indicative.cases, summary.indicative.now_pence) == (1, 250_000)
    assert summary.indicative.under_table_pence == 300_000
    assert summary.not_compared_count == 1
    assert summary.changes.compared_count == 1
    assert summary.changes.more_count == 1


def test_a_run_with_no_results_adds_up_to_nothing(run) -> None:
    summary = run_summary(run)

    assert summary.result_count == 0
    assert summary.under_table_pence == 0
    assert summary.indicative.now_pence == 0
    assert summary.decided.cases == 0
    assert summary.changes.compared_count == 0
    assert [band.count for band in summary.changes.bands] == [0, 0, 0, 0, 0]
    assert all(item.count == 0 for item in summary.changes.histogram)


def test_results_of_another_run_are_left_out(run, assessments, published_version, finance_lead):
    other = make_run(published_version, finance_lead, total_count=1)
    add_results(other, assessments, [(100, 999_999, None)])
    add_results(run, assessments, [(100, 200, None)])

    summary = run_summary(run)

    assert summary.result_count == 1
    assert summary.under_table_pence == 200


# Bands


def test_each_of_five_changes_falls_in_its_own_band(run, assessments) -> None:
    """-£1,500 is over £1,000 less; -£500 is £0.01 to £1,000 less; £0 the same; +£400 is
    £0.01 to £1,000 more; +£2,000 over £1,000 more. One person in each, and the band's total
    is that person's change."""
    add_results(run, assessments, ONE_IN_EACH_BAND)

    changes = run_summary(run).changes

    assert [band.definition.label for band in changes.bands] == [
        "Over £1,000 less",
        "£0.01 to £1,000 less",
        "The same",
        "£0.01 to £1,000 more",
        "Over £1,000 more",
    ]
    assert [band.count for band in changes.bands] == [1, 1, 1, 1, 1]
    assert [band.total_change_pence for band in changes.bands] == [
        -150_000,
        -50_000,
        0,
        40_000,
        200_000,
    ]
    assert (changes.less_count, changes.same_count, changes.more_count) == (2, 1, 2)
    assert changes.total_change_pence == 40_000


def test_band_edges_are_exact_to_the_penny(run, assessments) -> None:
    """£1,000.01 less is over £1,000 less; exactly £1,000 less and 1p less are £0.01 to £1,000
    less; 1p more and exactly £1,000 more are £0.01 to £1,000 more; £1,000.01 more is over."""
    differences = [-100_001, -100_000, -1, 0, 1, 100_000, 100_001]
    add_results(run, assessments, [(1_000_000, 1_000_000 + d, None) for d in differences])

    bands = run_summary(run).changes.bands

    assert [band.count for band in bands] == [1, 2, 1, 2, 1]
    assert [band.total_change_pence for band in bands] == [
        -100_001,
        -100_001,
        0,
        100_001,
        100_001,
    ]


def test_the_band_definitions_cover_every_change_once() -> None:
    for difference in (-(10**12), -100_001, -100_000, -1, 0, 1, 100_000, 100_001, 10**12):
        assert sum(band.holds(difference) for band in CHANGE_BANDS) == 1, difference


# Histogram


@pytest.mark.parametrize(
    ("difference_pence", "index", "label"),
    [
        (-500_001, -21, "More than £5,000.00 less"),
        (-500_000, -20, "£4,750.01 to £5,000.00 less"),
        (-150_000, -6, "£1,250.01 to £1,500.00 less"),
        (-25_001, -2, "£250.01 to £500.00 less"),
        (-25_000, -1, "£0.01 to £250.00 less"),
        (-1, -1, "£0.01 to £250.00 less"),
        (0, 0, "No change"),
        (1, 1, "£0.01 to £250.00 more"),
        (25_000, 1, "£0.01 to £250.00 more"),
        (25_001, 2, "£250.01 to £500.00 more"),
        (500_000, 20, "£4,750.01 to £5,000.00 more"),
        (500_001, 21, "More than £5,000.00 more"),
    ],
)
def test_a_change_falls_in_its_250_pound_bin(difference_pence, index, label) -> None:
    assert bin_index(difference_pence) == index
    low, high = bin_edges(index)
    assert low is None or low <= difference_pence
    assert high is None or difference_pence <= high
    assert histogram_bins({index: 1})[index + OVERFLOW_INDEX].label == label


def test_the_database_puts_each_change_in_the_same_bin_as_the_rule(
    run, questionnaire, finance_lead
):
    """Every bin edge, both sides: the database's bins agree with `bin_index`."""
    differences = [
        -10**9, -500_001, -500_000, -475_001, -475_000, -100_001, -100_000, -25_001, -25_000,
        -1, 0, 1, 25_000, 25_001, 100_000, 100_001, 475_000, 475_001, 500_000, 500_001, 10**9,
    ]  # fmt: skip
    many = make_assessments(questionnaire, finance_lead, len(differences))
    add_results(run, many, [(2 * 10**9, 2 * 10**9 + d, None) for d in differences])

    histogram = run_summary(run).changes.histogram

    expected: dict[int, int] = {}
    for difference in differences:
        expected[bin_index(difference)] = expected.get(bin_index(difference), 0) + 1
    assert {item.index: item.count for item in histogram if item.count} == expected
    assert [item.index for item in histogram] == list(range(-21, 22))


def test_the_five_changes_land_in_five_bins(run, assessments) -> None:
    """-£1,500 in bin -6 (£1,250.01 to £1,500 less), -£500 in bin -2, £0 in bin 0, +£400 in
    bin 2 (£250.01 to £500 more) and +£2,000 in bin 8 (£1,750.01 to £2,000 more)."""
    add_results(run, assessments, ONE_IN_EACH_BAND)

    histogram = run_summary(run).changes.histogram

    assert {item.index: item.count for item in histogram if item.count} == {
        -6: 1,
        -2: 1,
        0: 1,
        2: 1,
        8: 1,
    }


def test_the_histogram_chart_draws_every_bin_and_says_what_it_shows() -> None:
    """4 people in bin -2, 1 with no change, 2 in bin 21: the tallest bar (4) reaches the top
    of the count axis, which steps by 1 up to 4."""
    chart = histogram_chart(histogram_bins({-2: 4, 0: 1, 21: 2}), title="Changes")

    assert len(chart.bars) == 43
    tallest = chart.bars[-2 + OVERFLOW_INDEX]
    assert float(tallest.y) == chart.plot_top
    assert float(tallest.height) == chart.plot_bottom - chart.plot_top
    assert chart.bars[0].height == "0"
    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert [tick.label for tick in chart.x_ticks] == [
        "-£5,000",
        "-£2,500",
        "£0",
        "£2,500",
        "£5,000",
    ]
    assert chart.bars[0].fill == "#d4351c"
    assert chart.bars[OVERFLOW_INDEX].fill == "#505a5f"
    assert chart.bars[-1].fill == "#1d70b8"
    assert "Of 7 people, 4 people would get less, 1 the same and 2 more." in chart.description
    assert "The tallest bar is £250.01 to £500.00 less, with 4 people." in chart.description


def test_an_empty_histogram_says_there_is_nothing_to_show() -> None:
    chart = histogram_chart(histogram_bins({}), title="Changes")

    assert "There are no changes to show." in chart.description
    assert all(bar.height == "0" for bar in chart.bars)


def test_a_histogram_refuses_bins_that_do_not_exist() -> None:
    with pytest.raises(ValueError, match="No such histogram bins"):
        histogram_bins({22: 1})
    with pytest.raises(ValueError, match="every bin"):
        histogram_chart(histogram_bins({})[1:], title="Changes")


def test_the_summary_is_three_queries_however_many_results(
    run, questionnaire, finance_lead, django_assert_num_queries
) -> None:
    """Set-based: the totals, the bands and the bins are one query each, for 5 results or 300."""
    many = make_assessments(questionnaire, finance_lead, 300)
    add_results(run, many[:5], ONE_IN_EACH_BAND)
    with django_assert_num_queries(3):
        run_summary(run)
    add_results(run, many[5:], [(100_000, 100_000 + n * 1_000, None) for n in range(295)])
    with django_assert_num_queries(3):
        summary = run_summary(run)
    assert summary.result_count == 300


# The largest changes


def test_the_largest_changes_come_largest_first_each_way(run, assessments) -> None:
    """Decreases: -£1,500 then -£500. Increases: +£2,000 then +£400. No change is neither."""
    add_results(run, assessments, ONE_IN_EACH_BAND)

    changes = largest_changes(run)

    assert [change.difference_pence for change in changes.decreases] == [-150_000, -50_000]
    assert [change.difference_pence for change in changes.increases] == [200_000, 40_000]
    first = changes.decreases[0]
    assert first.assessment_reference == assessments[0].reference
    assert first.assessment_public_id == assessments[0].public_id
    assert (first.original_indicative_annual_pence, first.indicative_annual_pence) == (
        500_000,
        350_000,
    )
    assert first.final_annual_pence == 600_000


def test_the_largest_changes_stop_at_the_limit_and_break_ties_by_assessment(
    run, assessments
) -> None:
    add_results(
        run,
        assessments,
        [(100, 50, None), (100, 40, None), (100, 40, None), (100, 1_100, None), (None, 5, None)],
    )

    changes = largest_changes(run, limit=2)

    assert [change.assessment_reference for change in changes.decreases] == [
        assessments[1].reference,
        assessments[2].reference,
    ]
    assert [change.difference_pence for change in changes.increases] == [1_000]


# Two runs compared case by case


def test_two_runs_are_compared_case_by_case_over_the_cases_in_both(
    run, assessments, published_version, finance_lead
) -> None:
    """A prices cases 0-3, B prices cases 1-4. In both: cases 1, 2 and 3.
    A: £5,000, £5,000, £5,000 (£15,000); B: £3,500, £5,000, £7,000 (£15,500), so £500 more.
    B against A: -£1,500 (over £1,000 less), £0 (the same), +£2,000 (over £1,000 more)."""
    run_b = make_run(published_version, finance_lead, total_count=4)
    add_results(run, assessments[:4], [(400_000, 500_000, None)] * 4)
    add_results(
        run_b,
        assessments[1:5],
        [
            (400_000, 350_000, None),
            (400_000, 500_000, None),
            (400_000, 700_000, None),
            (400_000, 1, None),
        ],
    )

    pair = run_pair_summary(run, run_b)

    assert pair.shared.cases == 3
    assert pair.shared.now_pence == 1_500_000
    assert pair.shared.under_table_pence == 1_550_000
    assert pair.shared.difference_pence == 50_000
    assert (pair.only_a_count, pair.only_b_count) == (1, 1)
    assert [band.count for band in pair.changes.bands] == [1, 0, 1, 0, 1]
    assert [band.total_change_pence for band in pair.changes.bands] == [-150_000, 0, 0, 0, 200_000]
    assert {item.index: item.count for item in pair.changes.histogram if item.count} == {
        -6: 1,
        0: 1,
        8: 1,
    }


# Progress


def test_progress_shows_the_share_done_the_rate_and_the_time_left(run) -> None:
    """12,000 of 20,000 done in the 10 seconds since it started: 60%, 1,200 cases a second,
    8,000 left at that rate is 7 seconds (6.67, rounded up)."""
    run.state, run.total_count, run.done_count, run.finished_at = (
        RunState.RUNNING,
        20_000,
        12_000,
        None,
    )

    progress = run_progress(run, now=NOW)

    assert progress.percent == 60
    assert progress.announced_percent == 60
    assert progress.cases_per_second == 1_200
    assert progress.seconds_left == 7
    assert progress.time_left == "About 7 seconds left"
    assert not progress.is_stalled


def test_the_percentage_rounds_down_so_only_a_finished_run_shows_100(run) -> None:
    """19,999 of 20,000 is 99.995%: shown as 99%, announced as 90%."""
    run.state, run.total_count, run.done_count = RunState.RUNNING, 20_000, 19_999

    progress = run_progress(run, now=NOW)

    assert (progress.percent, progress.announced_percent) == (99, 90)


def test_a_run_with_no_chunk_done_for_a_minute_has_stalled(run) -> None:
    """Started 10 minutes ago; its last chunk was done 61 seconds ago."""
    run.state, run.total_count, run.done_count = RunState.RUNNING, 40_000, 20_000
    run.started_at = NOW - datetime.timedelta(minutes=10)
    run.save()
    RecalculationChunk.objects.create(
        run=run,
        number=1,
        first_assessment_id=1,
        last_assessment_id=20_000,
        done_at=NOW - STALLED_AFTER - datetime.timedelta(seconds=1),
        result_count=20_000,
    )

    assert run_progress(run, now=NOW).is_stalled
    assert not run_progress(run, now=NOW - datetime.timedelta(seconds=2)).is_stalled


def test_a_finished_run_never_counts_as_stalled_and_has_no_time_left(run) -> None:
    run.started_at = NOW - datetime.timedelta(hours=3)

    progress = run_progress(run, now=NOW)

    assert not progress.is_stalled
    assert progress.seconds_left is None
    assert progress.percent == 100


def test_a_queued_run_has_no_rate_until_it_starts(run) -> None:
    run.state, run.started_at, run.finished_at, run.total_count, run.done_count = (
        RunState.QUEUED,
        None,
        None,
        0,
        0,
    )

    progress = run_progress(run, now=NOW)

    assert progress.cases_per_second is None
    assert progress.time_left == "Working out the time left"
    assert progress.percent == 0


@pytest.mark.parametrize(
    ("seconds_left", "words"),
    [(1, "About 1 second left"), (89, "About 89 seconds left"), (600, "About 10 minutes left")],
)
def test_the_time_left_is_said_in_words(run, seconds_left, words) -> None:
    """One case a second (10 done in 10 seconds) and `seconds_left` cases to go."""
    run.state, run.done_count, run.total_count = RunState.RUNNING, 10, 10 + seconds_left

    assert run_progress(run, now=NOW).time_left == words

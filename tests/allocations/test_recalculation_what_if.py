"""What-if re-scoring: a run that scores some options differently, from the stored answers.

The questionnaire is the mini one of tests/questionnaires/conftest.py: washing 0/3/6, dressing
0/2/5, meals 0/10/26, and the carer question (no points). FULL_ANSWERS scores 3 + 5 + 26 = 34
points with a lot of help from family or friends (25% less). The table is the published older
people's table of tests/allocations/conftest.py (band 2: 20-49 points, £3,000 + £260 a point).
Chunks run here in the test's own process, calling the Celery task directly.
"""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from allocations.models import RecalculationResult, RecalculationRun, RunState
from allocations.recalculation.services import (
    RecalculationRefused,
    RunScope,
    recalculation_start,
)
from allocations.recalculation.tasks import price_chunk
from questionnaires.models import (
    Assessment,
    AssessmentStatus,
    Option,
    Question,
    QuestionnaireStatus,
)
from questionnaires.services import assessment_submit, worker_view_save
from ras.people.models import Person
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    FULL_ANSWERS,
    answer_all,
    assessment,
    older_people,
    published_version,
    questionnaire,
)

pytestmark = [pytest.mark.django_db]

EVERYTHING = RunScope(submitted_from=None, submitted_to=None, decided_only=False)


def option(questionnaire, question_code: str, option_code: str) -> Option:
    return Option.objects.get(version=questionnaire, question__code=question_code, code=option_code)


@pytest.fixture
def submitted(assessment, service_user) -> Assessment:
    """FULL_ANSWERS, submitted: 34 points, a lot of help from family or friends."""
    answer_all(assessment, service_user, FULL_ANSWERS)
    return assessment_submit(assessment=assessment, actor=service_user)


@pytest.fixture
def without_answers(questionnaire, social_worker) -> Assessment:
    """A submitted case with stored points but no stored answers, as generated load data is."""
    return Assessment.objects.create(
        person=Person.objects.create(full_name="Case without answers"),
        questionnaire_version=questionnaire,
        client_group_code="older-people",
        status=AssessmentStatus.SUBMITTED,
        started_by=social_worker,
        submitted_at=timezone.now(),
        total_points=34,
        carer_level="substantial",
        domain_points={},
    )


def start(version, actor, option_points=None, token=None) -> RecalculationRun:
    return recalculation_start(
        table_version=version,
        actor=actor,
        scope=EVERYTHING,
        request_token=token or uuid.uuid4(),
        option_points=option_points,
    )


def run_every_chunk(run: RecalculationRun) -> RecalculationRun:
    for number in run.chunks.order_by("number").values_list("number", flat=True):
        price_chunk(run.pk, number)
    run.refresh_from_db()
    return run


def result_of(run: RecalculationRun, case: Assessment) -> tuple:
    return RecalculationResult.objects.values_list(
        "total_points", "carer_level", "full_needs_annual_pence", "indicative_annual_pence"
    ).get(run=run, assessment_id=case.pk)


def questionnaire_rows(questionnaire) -> list[tuple]:
    return [
        *Option.objects.filter(version=questionnaire)
        .order_by("pk")
        .values_list("pk", "question_id", "code", "label", "points", "carer_level", "position"),
        *Question.objects.filter(version=questionnaire)
        .order_by("pk")
        .values_list("pk", "code", "text", "position", "is_carer_question"),
    ]


def test_a_run_without_what_if_points_prices_the_stored_points(
    submitted, published_version, finance_lead
) -> None:
    """34 points is band 2: £3,000 + 14 × £260 = £6,640.00 full needs; less 25% = £4,980.00."""
    run = run_every_chunk(start(published_version, finance_lead))

    assert run.option_points is None
    assert result_of(run, submitted) == (34, "substantial", 664_000, 498_000)


def test_raising_an_options_points_re_scores_the_case_from_its_answers(
    submitted, questionnaire, published_version, finance_lead
) -> None:
    """Meals 'all the time' from 26 to 30 points: 3 + 5 + 30 = 38 points, band 2:
    £3,000 + 18 × £260 = £7,680.00 full needs; less 25% (£1,920.00) = £5,760.00."""
    meals = option(questionnaire, "meals", "all-the-time")

    run = run_every_chunk(start(published_version, finance_lead, {meals.pk: 30}))

    assert run.state == RunState.COMPLETED
    assert run.option_points == {str(meals.pk): 30}
    assert (run.total_count, run.done_count) == (1, 1)
    assert result_of(run, submitted) == (38, "substantial", 768_000, 576_000)
    submitted.refresh_from_db()
    assert submitted.total_points == 34


def test_several_changes_add_up_and_an_unchosen_option_keeps_its_points(
    submitted, questionnaire, published_version, finance_lead
) -> None:
    """Washing 'some help' 3 to 0 and dressing 'all the time' 5 to 1; meals keeps 26, and
    washing 'all the time' (not chosen) changes nothing: 0 + 1 + 26 = 27 points, band 2:
    £3,000 + 7 × £260 = £4,820.00 full needs; less 25% (£1,205.00) = £3,615.00."""
    changes = {
        option(questionnaire, "washing", "some-help").pk: 0,
        option(questionnaire, "dressing", "all-the-time").pk: 1,
        option(questionnaire, "washing", "all-the-time").pk: 500,
    }

    run = run_every_chunk(start(published_version, finance_lead, changes))

    assert result_of(run, submitted) == (27, "substantial", 482_000, 361_500)


def test_a_social_workers_view_does_not_count_towards_the_points(
    submitted, questionnaire, social_worker, published_version, finance_lead
) -> None:
    """The worker thinks washing needs help all the time (6 points), but the score is the
    person's: 3 + 5 + 30 = 38 points, £5,760.00 as above."""
    worker_view_save(
        assessment=submitted,
        question_code="washing",
        option_code="all-the-time",
        actor=social_worker,
    )
    meals = option(questionnaire, "meals", "all-the-time")

    run = run_every_chunk(start(published_version, finance_lead, {meals.pk: 30}))

    assert result_of(run, submitted) == (38, "substantial", 768_000, 576_000)


def test_cases_without_stored_answers_are_left_out_of_a_what_if_run(
    submitted, without_answers, questionnaire, published_version, finance_lead
) -> None:
    meals = option(questionnaire, "meals", "all-the-time")

    run = run_every_chunk(start(published_version, finance_lead, {meals.pk: 30}))

    assert run.total_count == 1
    assert list(
        RecalculationResult.objects.filter(run=run).values_list("assessment_id", flat=True)
    ) == [submitted.pk]


def test_no_changed_points_is_an_ordinary_run(
    submitted, without_answers, published_version, finance_lead
) -> None:
    run = run_every_chunk(start(published_version, finance_lead, {}))

    assert run.option_points is None
    assert run.total_count == 2


def test_a_what_if_run_never_changes_the_questionnaire(
    submitted, questionnaire, published_version, finance_lead
) -> None:
    before = questionnaire_rows(questionnaire)
    meals = option(questionnaire, "meals", "all-the-time")

    run_every_chunk(start(published_version, finance_lead, {meals.pk: 30}))

    assert questionnaire_rows(questionnaire) == before
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.PUBLISHED
    assert meals.points == Option.objects.get(pk=meals.pk).points == 26


NOT_SCORED = (
    "Only the answers to the scored questions of A short questionnaire for tests can be given "
    "other points: the carer question and options of other questionnaires cannot."
)
NOT_WHOLE = "Points must be whole numbers from 0 to 1,000."


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (lambda q: {option(q, "carer-help", "most").pk: 5}, NOT_SCORED),
        (lambda q: {999_999_999: 5}, NOT_SCORED),
        (lambda q: {option(q, "meals", "some-help").pk: 1001}, NOT_WHOLE),
        (lambda q: {option(q, "meals", "some-help").pk: -1}, NOT_WHOLE),
        (lambda q: {option(q, "meals", "some-help").pk: 2.5}, NOT_WHOLE),
        (lambda q: {option(q, "meals", "some-help").pk: True}, NOT_WHOLE),
    ],
    ids=["carer question", "no such option", "over 1,000", "negative", "not whole", "a boolean"],
)
def test_a_bad_what_if_scheme_is_refused_and_starts_nothing(
    points, message, submitted, questionnaire, published_version, finance_lead
) -> None:
    with pytest.raises(RecalculationRefused) as refused:
        start(published_version, finance_lead, points(questionnaire))

    assert refused.value.messages == [message]
    assert not RecalculationRun.objects.exists()


def test_no_points_can_change_when_no_questionnaire_is_published(
    submitted, questionnaire, published_version, finance_lead
) -> None:
    meals = option(questionnaire, "meals", "all-the-time")
    type(questionnaire).objects.filter(pk=questionnaire.pk).update(
        status=QuestionnaireStatus.RETIRED
    )

    with pytest.raises(RecalculationRefused) as refused:
        start(published_version, finance_lead, {meals.pk: 30})

    assert refused.value.messages == [
        "There is no published questionnaire, so no points can be changed."
    ]
    assert not RecalculationRun.objects.exists()


# The pages


def start_form(table_version, **changes) -> dict[str, str]:
    return {
        "version": str(table_version.pk),
        "cases": "all",
        "request_token": str(uuid.uuid4()),
        **changes,
    }


def test_the_start_page_offers_every_scored_option_prefilled_with_its_points(
    client_for, finance_lead, questionnaire, published_version
) -> None:
    html = client_for(finance_lead).get(reverse("recalculations:start")).content.decode()

    meals = option(questionnaire, "meals", "all-the-time")
    assert f'name="points_{meals.pk}"' in html
    assert f'id="id_points_{meals.pk}"' in html
    assert 'value="26"' in html
    carer = option(questionnaire, "carer-help", "most")
    assert f"points_{carer.pk}" not in html


def test_posting_a_changed_points_box_starts_a_what_if_run_and_shows_it(
    client_for, finance_lead, submitted, questionnaire, published_version
) -> None:
    """Only the changed box is stored; the others were sent with their own points."""
    client = client_for(finance_lead)
    boxes = {f"points_{o.pk}": str(o.points) for o in Option.objects.filter(version=questionnaire)}
    meals = option(questionnaire, "meals", "all-the-time")
    boxes[f"points_{meals.pk}"] = "30"

    response = client.post(reverse("recalculations:start"), start_form(published_version, **boxes))

    run = RecalculationRun.objects.get()
    assert response.status_code == 302
    assert run.option_points == {str(meals.pk): 30}
    run = run_every_chunk(run)
    assert result_of(run, submitted) == (38, "substantial", 768_000, 576_000)
    for page in ("recalculations:detail", "recalculations:results"):
        html = client.get(reverse(page, kwargs={"pk": run.pk})).content.decode()
        assert "What-if scoring: 1 option changed" in html
        assert (
            "How much help do you need to make a meal? – I need help with this all the time" in html
        )
        assert "26 points now, 30 in this run" in html


def test_a_bad_number_in_a_points_box_is_shown_in_the_error_summary_and_starts_nothing(
    client_for, finance_lead, questionnaire, published_version
) -> None:
    meals = option(questionnaire, "meals", "all-the-time")

    response = client_for(finance_lead).post(
        reverse("recalculations:start"),
        start_form(published_version, **{f"points_{meals.pk}": "2.5"}),
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert not RecalculationRun.objects.exists()
    assert "<title>Error: " in html
    assert f'href="#id_points_{meals.pk}"' in html
    assert "must be a whole number from 0 to 1,000" in html
    assert 'value="2.5"' in html


def test_a_what_if_run_says_how_many_cases_without_answers_it_left_out(
    client_for, finance_lead, submitted, without_answers, questionnaire, published_version
) -> None:
    meals = option(questionnaire, "meals", "all-the-time")
    run = run_every_chunk(start(published_version, finance_lead, {meals.pk: 30}))

    html = (
        client_for(finance_lead)
        .get(reverse("recalculations:detail", kwargs={"pk": run.pk}))
        .content.decode()
    )

    assert "1 case was left out because it has no stored answers" in html

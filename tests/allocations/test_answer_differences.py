"""The money effect of a social worker's views, worked by hand.

The mini questionnaire scores washing 0/3/6, dressing 0/2/5 and meals 0/10/26; the carer
question scores nothing and picks the carer reduction. The published older people's table:
band 1 0-19 points £0 + £150 a point; band 2 20-49 points £3,000 + £260 a point; band 3
50-89 points £10,800 + £285 a point. Carer reductions: none 0%, some 10%, substantial 25%,
most 40%.

The person (FULL_ANSWERS) answered washing "some help" (3), dressing "all the time" (5), meals
"all the time" (26) and "a lot" of help from family or friends: 34 points, band 2:
£3,000 + 14 x £260 = £6,640.00 full needs; 25% = £1,660.00; indicative £4,980.00 a year.
"""

import datetime

import pytest
import time_machine

from allocations import engine
from allocations.answer_differences import (
    AnswerDifferences,
    MoneyEffect,
    answer_differences,
    assessment_check,
    assessments_for_checking,
)
from allocations.budgets import assessment_submit_and_price
from allocations.models import IndicativeBudget
from allocations.selectors import engine_table
from questionnaires.scoring import ChosenOption, score
from questionnaires.services import answer_save, assessment_start, worker_view_save
from ras.people.services import person_create
from tests.questionnaires.conftest import (  # noqa: F401 - fixtures
    FULL_ANSWERS,
    answer_all,
    assessment,
    questionnaire,
    represented_assessment,
)

pytestmark = pytest.mark.django_db

SUBMITTED_AT = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def priced(assessment, service_user, published_version) -> IndicativeBudget:
    answer_all(assessment, service_user, FULL_ANSWERS)
    with time_machine.travel(SUBMITTED_AT, tick=False):
        _, budget = assessment_submit_and_price(assessment=assessment, actor=service_user)
    assert budget is not None
    assert budget.indicative_annual_pence == 498_000
    return budget


def record_views(assessment, social_worker, views: dict[str, str]) -> None:
    for question_code, option_code in views.items():
        worker_view_save(
            assessment=assessment,
            question_code=question_code,
            option_code=option_code,
            actor=social_worker,
        )


def test_one_more_point_of_need_is_priced_with_only_that_answer_changed(
    priced, assessment, social_worker
) -> None:
    """Washing "all the time" (6) instead of "some help" (3): 6 + 5 + 26 = 37 points, band 2:
    £3,000 + 17 x £260 = £7,420.00; 25% = £1,855.00; £7,420.00 - £1,855.00 = £5,565.00 a year,
    £585.00 more than £4,980.00."""
    record_views(assessment, social_worker, {"washing": "all-the-time"})
    differences = assessment_check(assessment).differences
    assert differences is not None
    assert differences.budget_annual_pence == 498_000
    [washing] = differences.differences
    assert washing.question_code == "washing"
    assert washing.person.option_code == "some-help"
    assert washing.worker.option_code == "all-the-time"
    assert washing.effect == MoneyEffect(
        total_points=37,
        band_index=2,
        above_table=False,
        carer_level="substantial",
        full_needs_annual_pence=742_000,
        indicative_annual_pence=556_500,
        difference_annual_pence=58_500,
    )
    assert washing.effect.difference_words == "£585.00 a year more"
    assert differences.all_views == washing.effect


def test_a_view_that_crosses_into_a_lower_band_is_priced_with_that_band(
    priced, assessment, social_worker
) -> None:
    """Meals "some help" (10) instead of "all the time" (26): 3 + 5 + 10 = 18 points, band 1:
    £0 + 18 x £150 = £2,700.00; 25% = £675.00; £2,025.00 a year, £2,955.00 less."""
    record_views(assessment, social_worker, {"meals": "some-help"})
    differences = assessment_check(assessment).differences
    assert differences is not None
    [meals] = differences.differences
    assert meals.effect.total_points == 18
    assert meals.effect.band_index == 1
    assert meals.effect.full_needs_annual_pence == 270_000
    assert meals.effect.indicative_annual_pence == 202_500
    assert meals.effect.difference_annual_pence == -295_500
    assert meals.effect.difference_words == "£2,955.00 a year less"


def test_a_different_view_of_the_carers_help_changes_only_the_reduction(
    priced, assessment, social_worker
) -> None:
    """ "Some" help (10%) instead of "a lot" (25%): still 34 points and £6,640.00 full needs;
    10% = £664.00; £6,640.00 - £664.00 = £5,976.00 a year, £996.00 more."""
    record_views(assessment, social_worker, {"carer-help": "some"})
    differences = assessment_check(assessment).differences
    assert differences is not None
    [carer] = differences.differences
    assert carer.effect.total_points == 34
    assert carer.effect.carer_level == "some"
    assert carer.effect.full_needs_annual_pence == 664_000
    assert carer.effect.indicative_annual_pence == 597_600
    assert carer.effect.difference_annual_pence == 99_600


def test_every_view_together_is_priced_once_with_all_of_them(
    priced, assessment, social_worker
) -> None:
    """Each alone, as above: washing +£585.00, meals -£2,955.00, carer help +£996.00.
    All together: 6 + 5 + 10 = 21 points, band 2: £3,000 + 1 x £260 = £3,260.00; some help
    10% = £326.00; £2,934.00 a year, £2,046.00 less than £4,980.00 (not the sum of the three,
    -£1,374.00: the band and the reduction apply to the new total). Dressing is the same in
    both, so it makes no line."""
    record_views(
        assessment,
        social_worker,
        {"washing": "all-the-time", "dressing": "all-the-time", "meals": "some-help"},
    )
    record_views(assessment, social_worker, {"carer-help": "some"})
    check = assessment_check(assessment)
    differences = check.differences
    assert differences is not None
    assert [line.question_code for line in differences.differences] == [
        "washing",
        "meals",
        "carer-help",
    ]
    assert [line.effect.difference_annual_pence for line in differences.differences] == [
        58_500,
        -295_500,
        99_600,
    ]
    assert differences.all_views is not None
    assert differences.all_views.total_points == 21
    assert differences.all_views.full_needs_annual_pence == 326_000
    assert differences.all_views.indicative_annual_pence == 293_400
    assert differences.all_views.difference_annual_pence == -204_600
    dressing = next(question for question in check.questions if question.code == "dressing")
    assert dressing.worker is not None
    assert not dressing.differs
    assert dressing.effect is None


def test_views_equal_to_the_answers_make_no_difference(priced, assessment, social_worker) -> None:
    record_views(assessment, social_worker, FULL_ANSWERS)
    differences = assessment_check(assessment).differences
    assert differences == AnswerDifferences(
        budget_annual_pence=498_000,
        table_version_label="2026 to 2027",
        differences=(),
        all_views=None,
    )


def test_the_money_uses_the_table_that_priced_the_budget_not_a_newer_one(
    priced, assessment, social_worker, finance_lead
) -> None:
    """A table published later for the same client group (here: £1,000 a point from 0, with no
    carer reductions) must not change the figures: washing "all the time" is still £5,565.00."""
    from allocations.services import table_publish
    from tests.allocations.conftest import TODAY, make_draft

    draft = make_draft(
        priced.client_group,
        finance_lead,
        label="Later",
        bands=[engine.Band(0, None, 0, 100_000)],
        carer_reductions_bp={"none": 0, "some": 0, "substantial": 0, "most": 0},
    )
    table_publish(
        version=draft,
        actor=finance_lead,
        effective_from=TODAY,
        reason="Test",
        today=TODAY,
    )
    record_views(assessment, social_worker, {"washing": "all-the-time"})
    differences = assessment_check(assessment).differences
    assert differences is not None
    assert differences.table_version_label == "2026 to 2027"
    assert differences.differences[0].effect.indicative_annual_pence == 556_500


def test_an_unpriced_assessment_shows_both_answers_but_no_money(
    assessment, service_user, social_worker
) -> None:
    answer_all(assessment, service_user, {"washing": "some-help"})
    record_views(assessment, social_worker, {"washing": "on-my-own", "meals": "some-help"})
    check = assessment_check(assessment)
    assert check.budget is None
    assert check.differences is None
    assert check.answered_count == 1
    assert check.question_count == 4
    washing, dressing, meals, carer = check.questions
    assert washing.differs
    assert washing.effect is None
    assert dressing.person is None
    assert dressing.worker is None
    assert meals.person is None
    assert meals.worker is not None
    assert not meals.differs
    assert carer.is_carer_question


def test_the_pure_calculation_needs_no_database_rows_beyond_the_budget(priced) -> None:
    """The same washing case, given plain values: £5,565.00, £585.00 more."""

    def chosen(question_code, option_code, points, carer_level="", domain="personal-care"):
        return ChosenOption(
            domain_code=domain,
            domain_title=domain,
            question_code=question_code,
            question_text=question_code,
            option_code=option_code,
            option_label=option_code,
            points=points,
            carer_level=carer_level,
            is_carer_question=question_code == "carer-help",
        )

    person = score(
        [
            chosen("washing", "some-help", 3),
            chosen("dressing", "all-the-time", 5),
            chosen("meals", "all-the-time", 26, domain="eating"),
            chosen("carer-help", "substantial", 0, "substantial", domain="family"),
        ]
    )
    differences = answer_differences(
        table=engine_table(priced.table_version),
        budget=priced,
        person=person,
        worker_views={"washing": chosen("washing", "all-the-time", 6)},
    )
    assert differences.differences[0].effect.indicative_annual_pence == 556_500
    assert differences.differences[0].effect.difference_annual_pence == 58_500


def test_who_answered_is_told_for_the_person_a_representative_and_a_social_worker(
    assessment, represented_assessment, service_user, representative, social_worker
) -> None:
    answer_save(
        assessment=assessment, question_code="washing", option_code="on-my-own", actor=service_user
    )
    answer_save(
        assessment=assessment,
        question_code="dressing",
        option_code="on-my-own",
        actor=social_worker,
    )
    answer_save(
        assessment=represented_assessment,
        question_code="washing",
        option_code="some-help",
        actor=representative,
    )
    own = assessment_check(assessment).questions
    assert own[0].person is not None
    assert own[0].person.answered_by == "Sam Service-User (the person)"
    assert not own[0].person.by_someone_else
    assert own[1].person is not None
    assert own[1].person.answered_by == "Wendy Worker (social worker)"
    assert own[1].person.by_someone_else
    represented = assessment_check(represented_assessment).questions
    assert represented[0].person is not None
    assert represented[0].person.answered_by == "Rita Representative (representative: My mother)"
    assert represented[0].person.by_someone_else


def test_the_list_is_newest_first_with_the_budget_when_priced(
    priced, assessment, questionnaire, social_worker
) -> None:
    """The priced assessment was submitted on 24 November 2026 at 10:00; one started after it
    comes first; one started before it (and not submitted) comes last."""
    with time_machine.travel(SUBMITTED_AT - datetime.timedelta(days=30), tick=False):
        older = assessment_start(
            actor=social_worker,
            person=person_create(full_name="Olive Older", actor=social_worker),
            questionnaire_version=questionnaire,
        )
    with time_machine.travel(SUBMITTED_AT + datetime.timedelta(hours=1), tick=False):
        newer = assessment_start(
            actor=social_worker,
            person=person_create(full_name="Nia Newer", actor=social_worker),
            client_group_code="mental-health",
            questionnaire_version=questionnaire,
        )
    # The type checker's Django plugin cannot see annotations named in values_list.
    rows = assessments_for_checking(social_worker).values_list(  # type: ignore[misc]
        "pk", "client_group_name", "indicative_annual_pence"
    )
    assert list(rows) == [
        (newer.pk, "Mental health", None),
        (assessment.pk, "Older people", 498_000),
        (older.pk, None, None),
    ]

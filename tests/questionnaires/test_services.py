import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from allocations.budgets import assessment_submit_and_price
from allocations.models import IndicativeBudget
from questionnaires.models import Answer, Assessment, AssessmentStatus, Perspective
from questionnaires.selectors import assessment_for, assessments_visible_to
from questionnaires.services import (
    AnswerNotAllowed,
    AssessmentAlreadySubmitted,
    MissingAnswers,
    StaleAnswers,
    answer_save,
    assessment_start,
    assessment_submit,
    person_for_service_user,
    worker_view_save,
)
from tests.questionnaires.conftest import FULL_ANSWERS, answer_all

pytestmark = pytest.mark.django_db


def test_an_answer_is_saved_the_moment_it_is_given(assessment, service_user) -> None:
    answer_save(
        assessment=assessment, question_code="washing", option_code="some-help", actor=service_user
    )
    saved = Answer.objects.get(assessment=assessment)
    assert (saved.question.code, saved.option.code) == ("washing", "some-help")
    assert saved.answered_by == service_user
    assessment.refresh_from_db()
    assert assessment.resume_question_code == "washing"
    assert assessment.answers_revision == 1


def test_changing_an_answer_keeps_one_answer_and_its_history(assessment, service_user) -> None:
    for option in ("some-help", "all-the-time"):
        answer_save(
            assessment=assessment, question_code="washing", option_code=option, actor=service_user
        )
    assert Answer.objects.filter(assessment=assessment).count() == 1
    events = Answer.pgh_event_model.objects.filter(assessment=assessment)  # type: ignore[attr-defined]
    assert [event.pgh_label for event in events.order_by("pgh_id")] == ["insert", "update"]


@pytest.mark.parametrize(
    ("question_code", "option_code"),
    [
        ("washing", "no-such-option"),
        ("washing", "none"),  # an option of another question
        ("no-such-question", "on-my-own"),
    ],
)
def test_an_option_that_is_not_the_questions_is_refused_and_nothing_saved(
    assessment, service_user, question_code, option_code
) -> None:
    with pytest.raises(AnswerNotAllowed):
        answer_save(
            assessment=assessment,
            question_code=question_code,
            option_code=option_code,
            actor=service_user,
        )
    assert not Answer.objects.exists()
    assessment.refresh_from_db()
    assert assessment.answers_revision == 0


def test_a_page_opened_before_a_newer_answer_cannot_overwrite_it(assessment, service_user):
    answer_save(
        assessment=assessment,
        question_code="washing",
        option_code="some-help",
        actor=service_user,
        expected_revision=0,
    )
    with pytest.raises(StaleAnswers):
        answer_save(
            assessment=assessment,
            question_code="washing",
            option_code="on-my-own",
            actor=service_user,
            expected_revision=0,  # the older tab still thinks nothing was answered
        )
    assert Answer.objects.get(assessment=assessment).option.code == "some-help"


def test_a_submission_with_unanswered_questions_lists_them(assessment, service_user) -> None:
    answer_all(assessment, service_user, {"washing": "on-my-own"})
    with pytest.raises(MissingAnswers) as refused:
        assessment_submit(assessment=assessment, actor=service_user)
    assert [q.code for q in refused.value.questions] == ["dressing", "meals", "carer-help"]
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_submitting_stores_the_score(assessment, service_user) -> None:
    """washing some-help 3 + dressing all-the-time 5 = 8 in personal care; meals 26; total 34."""
    answer_all(assessment, service_user, FULL_ANSWERS)
    submitted = assessment_submit(assessment=assessment, actor=service_user)
    assert submitted.status == AssessmentStatus.SUBMITTED
    assert submitted.total_points == 34
    assert submitted.domain_points == {"personal-care": 8, "eating": 26}
    assert submitted.carer_level == "substantial"


def test_submitting_twice_makes_one_submission(assessment, service_user) -> None:
    answer_all(assessment, service_user, FULL_ANSWERS)
    first = assessment_submit(assessment=assessment, actor=service_user)
    second = assessment_submit(assessment=assessment, actor=service_user)
    assert first.submitted_at == second.submitted_at


def test_submitted_answers_cannot_change(assessment, service_user) -> None:
    answer_all(assessment, service_user, FULL_ANSWERS)
    assessment_submit(assessment=assessment, actor=service_user)
    with pytest.raises(AssessmentAlreadySubmitted):
        answer_save(
            assessment=assessment,
            question_code="washing",
            option_code="on-my-own",
            actor=service_user,
        )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM questionnaires_answer WHERE assessment_id = %s", [assessment.pk]
        )
    assert Answer.objects.filter(assessment=assessment).count() == 4


def test_a_social_worker_records_their_view_beside_a_submitted_answer(
    assessment, service_user, social_worker
) -> None:
    answer_all(assessment, service_user, FULL_ANSWERS)
    assessment_submit(assessment=assessment, actor=service_user)
    worker_view_save(
        assessment=assessment, question_code="meals", option_code="some-help", actor=social_worker
    )
    views = {a.perspective: a.option.code for a in Answer.objects.filter(question__code="meals")}
    assert views == {Perspective.PERSON: "all-the-time", Perspective.WORKER: "some-help"}


def test_only_a_social_worker_records_a_workers_view(assessment, service_user, team_manager):
    with pytest.raises(PermissionDenied):
        worker_view_save(
            assessment=assessment,
            question_code="meals",
            option_code="some-help",
            actor=service_user,
        )


class TestWhoSeesWhichAssessment:
    def test_a_service_user_sees_only_their_own(
        self, assessment, service_user, second_service_user
    ) -> None:
        assert list(assessments_visible_to(service_user)) == [assessment]
        assert not assessments_visible_to(second_service_user).exists()

    def test_a_second_service_user_gets_not_found(self, assessment, second_service_user) -> None:
        from django.http import Http404

        with pytest.raises(Http404):
            assessment_for(second_service_user, assessment.public_id)

    def test_a_representative_sees_only_those_they_act_for(
        self, assessment, represented_assessment, representative
    ) -> None:
        assert list(assessments_visible_to(representative)) == [represented_assessment]

    def test_another_representative_sees_nothing(self, represented_assessment) -> None:
        from ras.accounts.roles import Role
        from ras.accounts.services import user_create

        other = user_create(email="o@example.org", full_name="O", roles=[Role.REPRESENTATIVE])
        assert not assessments_visible_to(other).exists()

    def test_case_staff_see_all_and_finance_leads_none(
        self, assessment, represented_assessment, social_worker, finance_lead
    ) -> None:
        assert assessments_visible_to(social_worker).count() == 2
        assert not assessments_visible_to(finance_lead).exists()


def test_a_second_service_user_cannot_answer_someone_elses_assessment(
    assessment, second_service_user
) -> None:
    with pytest.raises(PermissionDenied):
        answer_save(
            assessment=assessment,
            question_code="washing",
            option_code="on-my-own",
            actor=second_service_user,
        )
    assert not Answer.objects.exists()


def test_a_service_user_cannot_start_an_assessment_of_someone_else(
    questionnaire, service_user, second_service_user
) -> None:
    with pytest.raises(PermissionDenied):
        assessment_start(
            actor=second_service_user,
            person=person_for_service_user(service_user),
            questionnaire_version=questionnaire,
        )
    assert not Assessment.objects.exists()


@time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_submitting_prices_the_assessment_at_once(
    assessment, service_user, published_version
) -> None:
    """34 points is in band 2 (20-49): £3,000 + (34 - 20) x £260 = £6,640.00 full needs.
    A lot of help from family or friends: 25% of £6,640.00 = £1,660.00.
    Indicative: £6,640.00 - £1,660.00 = £4,980.00 a year; £4,980.00 / 52 = £95.769... = £95.77."""
    answer_all(assessment, service_user, FULL_ANSWERS)
    _, budget = assessment_submit_and_price(assessment=assessment, actor=service_user)
    assert budget is not None
    assert budget.table_version == published_version
    assert budget.total_points == 34
    assert budget.band_position == 2
    assert budget.full_needs_annual_pence == 664_000
    assert budget.carer_adjustment_pence == 166_000
    assert budget.indicative_annual_pence == 498_000
    assert budget.indicative_weekly_pence == 9_577
    assert budget.domain_points == [["personal-care", 8], ["eating", 26]]
    assert any("Band 2" in step for step in budget.steps)
    _, same_budget = assessment_submit_and_price(assessment=assessment, actor=service_user)
    assert same_budget == budget
    assert IndicativeBudget.objects.count() == 1


def test_a_stored_budget_never_changes(assessment, service_user, published_version) -> None:
    answer_all(assessment, service_user, FULL_ANSWERS)
    _, budget = assessment_submit_and_price(assessment=assessment, actor=service_user)
    assert budget is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicativeBudget.objects.filter(pk=budget.pk).update(indicative_annual_pence=1)


def test_without_a_table_in_force_the_submission_stands_and_no_budget_is_made(
    assessment, service_user
) -> None:
    answer_all(assessment, service_user, FULL_ANSWERS)
    submitted, budget = assessment_submit_and_price(assessment=assessment, actor=service_user)
    assert submitted.status == AssessmentStatus.SUBMITTED
    assert budget is None

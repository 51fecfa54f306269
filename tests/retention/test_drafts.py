"""Unsent self-assessments: warned by email on day 84 after the last save, once, and deleted on
day 91 (the day after the 90 days they are kept), unless saved again or under a legal hold."""

import pytest
from django.apps import apps
from django.core import mail

from questionnaires.models import Answer, Assessment
from questionnaires.services import answer_save
from ras.people.models import ANONYMISED_NAME, Person, Representation
from ras.retention.emails import DRAFT_WARNING_SUBJECT
from ras.retention.models import DraftWarning, LegalHold
from reviews.services import decision_transition
from reviews.workflow import Action, State
from tests.retention.conftest import (
    FULL_ANSWERS,
    NOW,
    answer_all,
    days,
    exists,
    line,
    run_at,
    saved_days_ago,
)

pytestmark = pytest.mark.django_db

DRAFTS = "abandoned-drafts"


def warned_on_day_84(draft: Assessment, age_now: float) -> None:
    """The draft was last saved `age_now` days before NOW, and the run on the 84th day after that
    save warned about it."""
    saved_days_ago(draft, age_now)
    run_at(NOW - days(age_now - 84))
    assert DraftWarning.objects.filter(assessment=draft).count() == 1
    mail.outbox.clear()


def hold(person: Person, administrator) -> LegalHold:
    return LegalHold.objects.create(
        person=person, reason="A claim", placed_by=administrator, placed_at=NOW - days(100)
    )


def test_a_draft_saved_89_days_ago_stays(assessment) -> None:
    warned_on_day_84(assessment, 89)
    run = run_at(NOW)
    assert exists(assessment)
    assert line(run, DRAFTS).deleted_count == 0


def test_a_draft_kept_until_yesterday_goes_today_and_one_kept_until_today_stays(
    assessment, represented_assessment
) -> None:
    """Kept for 90 days after the last save: a save 90 days ago is kept to the end of today."""
    saved_days_ago(assessment, 90)
    saved_days_ago(represented_assessment, 91)
    run_at(NOW - days(7))
    run_at(NOW - days(6))
    assert DraftWarning.objects.count() == 2
    run = run_at(NOW)
    assert exists(assessment)
    assert not exists(represented_assessment)
    assert line(run, DRAFTS).deleted_count == 1


def test_a_draft_saved_91_days_ago_goes_with_its_answers_and_their_history(
    assessment, service_user
) -> None:
    answer_all(assessment, service_user, {"washing": "some-help", "meals": "all-the-time"})
    answer_history = apps.get_model("questionnaires", "AnswerEvent")
    assert answer_history.objects.filter(assessment_id=assessment.pk).exists()
    warned_on_day_84(assessment, 91)
    run = run_at(NOW)
    assert not exists(assessment)
    assert not Answer.objects.filter(assessment_id=assessment.pk).exists()
    assert not answer_history.objects.filter(assessment_id=assessment.pk).exists()
    assert not DraftWarning.objects.filter(assessment_id=assessment.pk).exists()
    assert line(run, DRAFTS).deleted_count == 1


def test_a_draft_is_never_deleted_without_a_weeks_warning(assessment, service_user) -> None:
    """A draft already past its period when first seen (the job was off, say) is warned first."""
    saved_days_ago(assessment, 120)
    first = run_at(NOW)
    assert exists(assessment)
    assert line(first, DRAFTS).warned_count == 1
    assert len(mail.outbox) == 1
    assert "from 8 March 2027" in mail.outbox[0].body
    assert exists(assessment)
    assert run_at(NOW + days(6)).lines.get(kind=DRAFTS).deleted_count == 0
    assert run_at(NOW + days(7)).lines.get(kind=DRAFTS).deleted_count == 1
    assert not exists(assessment)


def test_the_warning_goes_a_week_before_and_only_once(assessment, service_user) -> None:
    saved_days_ago(assessment, 83)
    assert line(run_at(NOW), DRAFTS).warned_count == 0
    assert mail.outbox == []

    saved_days_ago(assessment, 84)
    assert line(run_at(NOW), DRAFTS).warned_count == 1
    assert [message.to for message in mail.outbox] == [[service_user.email]]

    # The same night again, and the nights after: no second email about the same save.
    assert line(run_at(NOW), DRAFTS).warned_count == 0
    assert line(run_at(NOW + days(1)), DRAFTS).warned_count == 0
    assert len(mail.outbox) == 1


def test_the_warning_says_in_plain_words_when_and_how_to_keep_the_draft(assessment) -> None:
    saved_days_ago(assessment, 84)
    run_at(NOW)
    (message,) = mail.outbox
    assert message.subject == DRAFT_WARNING_SUBJECT
    assert assessment.reference in message.body
    assert "nothing has been saved in it since 7 December 2026" in message.body
    assert "We will delete this one, with its answers, from 8 March 2027" in message.body
    assert "sign in and carry on where you stopped" in message.body
    assert f"/self-assessment/{assessment.public_id}/" in message.body
    assert "Saving any answer keeps it for another 90 days" in message.body
    # No name and no answers in an email.
    assert assessment.person.full_name not in message.body
    assert "help" not in message.body.lower().replace("help from", "")


def test_the_representative_who_started_it_is_warned_in_an_email_of_their_own(
    represented_assessment, representative, service_user
) -> None:
    person = represented_assessment.person
    person.user = service_user
    person.save()
    saved_days_ago(represented_assessment, 84)
    run_at(NOW)
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [service_user.email, representative.email]
    )
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_a_draft_nobody_can_be_emailed_about_is_still_warned_on_record_before_deletion(
    represented_assessment, representative
) -> None:
    representative.is_active = False
    representative.save()
    saved_days_ago(represented_assessment, 84)
    run = run_at(NOW)
    assert mail.outbox == []
    warning = DraftWarning.objects.get(assessment=represented_assessment)
    assert warning.emails_sent == 0
    assert line(run, DRAFTS).warned_count == 1


def test_a_draft_saved_again_after_its_warning_is_kept_and_warned_again_later(
    assessment, service_user
) -> None:
    saved_days_ago(assessment, 84)
    run_at(NOW)
    # Two days later the person signs in and answers a question: the clock starts again.
    saved_days_ago(assessment, 0, now=NOW + days(2))
    run = run_at(NOW + days(7))
    assert exists(assessment)
    assert line(run, DRAFTS).deleted_count == 0
    # 84 days after that save it is warned again, about the new save.
    mail.outbox.clear()
    second = run_at(NOW + days(2 + 84))
    assert line(second, DRAFTS).warned_count == 1
    assert len(mail.outbox) == 1
    assert DraftWarning.objects.filter(assessment=assessment).count() == 2
    assert line(run_at(NOW + days(2 + 91)), DRAFTS).deleted_count == 1


def test_an_answer_saved_through_the_journey_restarts_the_clock(assessment, service_user) -> None:
    import time_machine

    saved_days_ago(assessment, 84)
    run_at(NOW)
    with time_machine.travel(NOW + days(3), tick=False):
        answer_save(
            assessment=assessment, question_code="washing", option_code="some-help",
            actor=service_user,
        )  # fmt: skip
    assert line(run_at(NOW + days(7)), DRAFTS).deleted_count == 0
    assert exists(assessment)


def test_a_submitted_assessment_is_never_a_draft(submitted_assessment) -> None:
    Assessment.objects.filter(pk=submitted_assessment.pk).update(
        last_saved_at=NOW - days(400), started_at=NOW - days(400)
    )
    run_at(NOW - days(7))
    run = run_at(NOW)
    assert exists(submitted_assessment)
    assert submitted_assessment.answers.count() == len(FULL_ANSWERS)
    assert mail.outbox == []
    assert (line(run, DRAFTS).warned_count, line(run, DRAFTS).deleted_count) == (0, 0)


def test_a_returned_cases_copy_is_part_of_the_case_not_a_draft(decision, social_worker) -> None:
    decision_transition(
        decision_id=decision.pk,
        action=Action.RETURN_TO_PERSON,
        actor=social_worker,
        seen_state=State.INDICATIVE,
        reasons="Please check the meals answer.",
    )
    copy = Assessment.objects.get(decision__isnull=True, person=decision.person)
    saved_days_ago(copy, 200)
    run_at(NOW - days(7))
    run = run_at(NOW)
    assert exists(copy)
    assert (line(run, DRAFTS).warned_count, line(run, DRAFTS).deleted_count) == (0, 0)


def test_a_held_persons_draft_stays_is_not_warned_and_is_counted(assessment, administrator) -> None:
    hold(assessment.person, administrator)
    saved_days_ago(assessment, 365)
    run_at(NOW - days(7))
    run = run_at(NOW)
    assert exists(assessment)
    assert mail.outbox == []
    assert (line(run, DRAFTS).held_count, line(run, DRAFTS).deleted_count) == (1, 0)


def test_a_released_hold_lets_the_schedule_apply_again_with_a_warning_first(
    assessment, administrator
) -> None:
    held = hold(assessment.person, administrator)
    saved_days_ago(assessment, 365)
    run_at(NOW)
    LegalHold.objects.filter(pk=held.pk).update(
        released_at=NOW, released_by=administrator, release_reason="Claim settled"
    )
    assert line(run_at(NOW + days(1)), DRAFTS).warned_count == 1
    assert line(run_at(NOW + days(8)), DRAFTS).deleted_count == 1


def test_the_person_record_made_for_the_draft_loses_the_name_when_nothing_else_is_kept(
    represented_assessment,
) -> None:
    person = represented_assessment.person
    warned_on_day_84(represented_assessment, 91)
    run = run_at(NOW)
    person.refresh_from_db()
    assert person.full_name == ANONYMISED_NAME
    assert person.anonymised_at is not None
    assert not Representation.objects.filter(person=person).exists()
    assert line(run, DRAFTS).anonymised_count == 1


def test_a_person_with_other_records_keeps_their_name(assessment, submitted_assessment) -> None:
    """The service user has a submitted assessment as well as an old draft."""
    draft = Assessment.objects.create(
        person=submitted_assessment.person,
        questionnaire_version=submitted_assessment.questionnaire_version,
        started_by=submitted_assessment.started_by,
    )
    warned_on_day_84(draft, 91)
    run = run_at(NOW)
    assert not exists(draft)
    person = Person.objects.get(pk=submitted_assessment.person_id)
    assert person.anonymised_at is None
    assert line(run, DRAFTS).anonymised_count == 0


def test_running_twice_deletes_nothing_more(assessment, represented_assessment) -> None:
    warned_on_day_84(assessment, 91)
    saved_days_ago(represented_assessment, 50)
    assert line(run_at(NOW), DRAFTS).deleted_count == 1
    again = run_at(NOW)
    assert (line(again, DRAFTS).deleted_count, line(again, DRAFTS).warned_count) == (0, 0)
    assert exists(represented_assessment)

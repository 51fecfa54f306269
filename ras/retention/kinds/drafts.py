"""Unsent self-assessments: warned a week before, deleted when nothing was saved for N days.

An abandoned draft is an assessment still in progress whose last saved answer (or choice of client
group) is more than SAQ_DRAFT_RETENTION_DAYS old. A copy a social worker returned to the person
to change is part of that case, not a draft of its own: the closed-case rule covers it.
"""

import datetime
import logging
from smtplib import SMTPException

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from questionnaires.models import Assessment, AssessmentStatus
from ras.local_time import local_day_start
from ras.people.models import Person
from ras.retention.anonymising import answers_delete, people_anonymise
from ras.retention.emails import draft_warning_send
from ras.retention.kinds.base import Tally, plural
from ras.retention.models import DraftWarning
from ras.retention.selectors import held_person_ids
from reviews.models import BudgetDecision

logger = logging.getLogger(__name__)


def retention_days() -> int:
    return int(settings.SAQ_DRAFT_RETENTION_DAYS)


def warning_days() -> int:
    return int(settings.DRAFT_DELETION_WARNING_DAYS)


def drafts() -> QuerySet[Assessment]:
    """Every assessment in progress that is not a returned case's copy, of people not yet
    anonymised (an anonymised person's drafts have no answers left, and nobody to warn)."""
    return Assessment.objects.filter(
        status=AssessmentStatus.IN_PROGRESS, person__anonymised_at__isnull=True
    ).exclude(Exists(BudgetDecision.objects.filter(reopened_assessment=OuterRef("pk"))))


def kept_until(draft: Assessment) -> datetime.date:
    """The last day a draft is kept, as the journey tells people: its last save plus the period."""
    return timezone.localdate(draft.last_saved_at) + datetime.timedelta(days=retention_days())


def drafts_to_warn(now: datetime.datetime) -> QuerySet[Assessment]:
    """Drafts whose deletion is a week away or nearer, not warned about their last save yet,
    and not held. A draft is deleted the day after it is kept until, so it is warned on that day
    less the warning period."""
    today = timezone.localdate(now)
    cut_off_day = today - datetime.timedelta(days=retention_days() - warning_days())
    saved_before = local_day_start(cut_off_day)
    return (
        drafts()
        .filter(last_saved_at__lt=saved_before)
        .exclude(person_id__in=held_person_ids())
        .exclude(
            Exists(
                DraftWarning.objects.filter(
                    assessment=OuterRef("pk"), last_saved_at=OuterRef("last_saved_at")
                )
            )
        )
    )


def drafts_past_period(now: datetime.datetime) -> QuerySet[Assessment]:
    """Drafts kept until a day before today, held or not."""
    today = timezone.localdate(now)
    return drafts().filter(
        last_saved_at__lt=local_day_start(today - datetime.timedelta(days=retention_days()))
    )


def drafts_to_delete(now: datetime.datetime) -> QuerySet[Assessment]:
    """Drafts past their period, not held, whose people were warned about this very last save
    on or before the day the warning period ago."""
    warned_by = timezone.localdate(now) - datetime.timedelta(days=warning_days())
    return (
        drafts_past_period(now)
        .exclude(person_id__in=held_person_ids())
        .filter(
            Exists(
                DraftWarning.objects.filter(
                    assessment=OuterRef("pk"),
                    last_saved_at=OuterRef("last_saved_at"),
                    warned_at__lt=local_day_start(warned_by + datetime.timedelta(days=1)),
                )
            )
        )
    )


def deletion_day(draft: Assessment, now: datetime.datetime) -> datetime.date:
    """The day the warning names: the day after the draft is kept until, and never sooner than
    the warning period from today (when a run was missed, or the period was shortened)."""
    week_away = timezone.localdate(now) + datetime.timedelta(days=warning_days())
    return max(kept_until(draft) + datetime.timedelta(days=1), week_away)


def draft_warn(*, draft: Assessment, now: datetime.datetime) -> bool:
    """Records and sends one warning, in a transaction of its own; False when it was already
    warned about this save (another run got there first) or the email could not be sent."""
    delete_on = deletion_day(draft, now)
    try:
        with transaction.atomic():
            warning, created = DraftWarning.objects.get_or_create(
                assessment=draft,
                last_saved_at=draft.last_saved_at,
                defaults={"warned_at": now, "delete_on": delete_on},
            )
            if not created:
                return False
            warning.emails_sent = draft_warning_send(draft=draft, delete_on=delete_on)
            warning.save(update_fields=["emails_sent"])
    except (SMTPException, OSError):
        # Not recorded, so not deleted next week: tried again tomorrow night.
        logger.exception("A draft deletion warning could not be sent.")
        return False
    return True


def people_left_with_nothing(person_ids: set[int]) -> list[int]:
    """Of these people, those with no assessment and no decision left."""
    return list(
        Person.objects.filter(pk__in=person_ids, anonymised_at__isnull=True)
        .exclude(Exists(Assessment.objects.filter(person=OuterRef("pk"))))
        .exclude(Exists(BudgetDecision.objects.filter(person=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )


class AbandonedDrafts:
    code = "abandoned-drafts"
    title = "Unsent self-assessments"

    def period(self) -> str:
        return plural(retention_days(), "day")

    def rule(self) -> str:
        days = plural(retention_days(), "day")
        return (
            f"A self-assessment that was never sent is deleted, with its answers, when nothing "
            f"has been saved in it for {days}. The person, and whoever started it for them, are "
            f"emailed {plural(warning_days(), 'day')} before; saving any answer starts the "
            f"{days} again. A person’s record left with nothing else in it loses the name and "
            f"who acts for them."
        )

    def apply(self, *, now: datetime.datetime, tally: Tally) -> None:
        for draft in drafts_to_warn(now).select_related("person__user", "started_by"):
            if draft_warn(draft=draft, now=now):
                tally.warned += 1
        with transaction.atomic():
            tally.held = drafts_past_period(now).filter(person_id__in=held_person_ids()).count()
            # Locked and checked again: an answer saved this minute keeps its draft.
            doomed = list(
                drafts_to_delete(now).select_for_update(of=("self",)).values_list("pk", "person_id")
            )
            draft_ids = [draft_id for draft_id, _ in doomed]
            answers_delete(assessment_ids=draft_ids)
            Assessment.objects.filter(pk__in=draft_ids).delete()
            tally.deleted = len(draft_ids)
            emptied = people_left_with_nothing({person_id for _, person_id in doomed})
            tally.anonymised = people_anonymise(person_ids=emptied, now=now)

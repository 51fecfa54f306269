"""The nightly retention run, and placing and releasing legal holds.

`retention_run` applies each kind of record on the schedule in turn, each committing its own
work, and writes a report of counts only. One run at a time: a second run started while one is
going does nothing.
"""

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.people.models import Person
from ras.retention.kinds import KINDS, RetentionKind, Tally
from ras.retention.models import LegalHold, RetentionReportLine, RetentionRun, RunState

logger = logging.getLogger(__name__)

# An arbitrary constant naming the retention run's PostgreSQL advisory lock.
RUN_LOCK_KEY = 7_390_001
REASON_MAX_LENGTH = 2_000


class HoldRefused(Exception):
    """Placing or releasing a hold was refused; `messages` say why. Nothing was changed."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


@contextmanager
def _run_lock() -> Iterator[bool]:
    """Holds a session advisory lock while a run goes on; yields False when another run has it.

    A worker that dies loses its connection, and with it the lock, so a lost run never blocks the
    next night's.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK_KEY])
        (locked,) = cursor.fetchone()
    try:
        yield bool(locked)
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])


def _apply(kind: RetentionKind, run: RetentionRun, position: int) -> RetentionReportLine:
    now = run.started_at
    line = RetentionReportLine(
        run=run,
        position=position,
        kind=kind.code,
        title=kind.title,
        rule=kind.rule(),
        period=kind.period(),
    )
    tally = Tally()
    try:
        kind.apply(now=now, tally=tally)
    except Exception as error:  # one kind failing must not stop the others
        logger.exception("The retention step %s failed.", kind.code)
        line.succeeded = False
        line.failure = (
            f"This step stopped ({type(error).__name__}). What it had not finished was undone; "
            "it is tried again on the next run."
        )[:200]
    line.deleted_count = tally.deleted
    line.anonymised_count = tally.anonymised
    line.held_count = tally.held
    line.warned_count = tally.warned
    line.accounts_closed_count = tally.accounts_closed
    line.save()
    return line


def retention_run(*, kinds: Sequence[RetentionKind] = KINDS) -> RetentionRun | None:
    """Applies every kind on the schedule as of now and records the count-only report.

    Returns the run, or None when another run is going on. Safe to run twice: the second run
    finds nothing more to warn, delete or anonymise.
    """
    with _run_lock() as locked:
        if not locked:
            return None
        started_at = timezone.now()
        # Under the lock, a run still marked as running was lost with its worker.
        RetentionRun.objects.filter(state=RunState.RUNNING).update(
            state=RunState.STOPPED, finished_at=started_at
        )
        run = RetentionRun.objects.create(started_at=started_at)
        for position, kind in enumerate(kinds, start=1):
            _apply(kind, run, position)
        run.finished_at = timezone.now()
        run.state = RunState.FINISHED
        run.save(update_fields=["finished_at", "state"])
        return run


def _check_administrator(actor: User) -> None:
    if not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied("Only an administrator can place or release a legal hold.")


def _clean_reason(reason: str, *, missing: str) -> str:
    text = reason.strip()
    if not text:
        raise HoldRefused([missing])
    if len(text) > REASON_MAX_LENGTH:
        raise HoldRefused([f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer"])
    return text


@transaction.atomic
def legal_hold_place(*, person_public_id: str, reason: str, actor: User) -> LegalHold:
    """Puts a person's records under a legal hold: no retention kind touches them until released.

    Raises PermissionDenied unless `actor` is an administrator, and HoldRefused when the reason
    is empty or too long, the person is not found (or already anonymised), or already held.
    """
    _check_administrator(actor)
    text = _clean_reason(reason, missing="Enter the reason for the legal hold")
    person = (
        Person.objects.select_for_update()
        .filter(public_id=person_public_id, anonymised_at__isnull=True)
        .first()
    )
    if person is None:
        raise HoldRefused(["We could not find that person. Search for them again."])
    if LegalHold.objects.filter(person=person, released_at__isnull=True).exists():
        raise HoldRefused([f"{person.full_name}’s records are already under a legal hold."])
    try:
        with transaction.atomic():
            return LegalHold.objects.create(
                person=person, reason=text, placed_by=actor, placed_at=timezone.now()
            )
    except IntegrityError as clash:
        raise HoldRefused(
            [f"{person.full_name}’s records are already under a legal hold."]
        ) from clash


@transaction.atomic
def legal_hold_release(*, hold_public_id: str, reason: str, actor: User) -> LegalHold:
    """Releases a hold with a reason: the person's records follow the schedule again from the next
    run. Raises PermissionDenied unless `actor` is an administrator, HoldRefused when the reason is
    missing or the hold was already released, and LegalHold.DoesNotExist for an unknown hold."""
    _check_administrator(actor)
    text = _clean_reason(reason, missing="Enter the reason for releasing the legal hold")
    hold = LegalHold.objects.select_related("person").get(public_id=hold_public_id)
    now = timezone.now()
    released = LegalHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(
        released_at=now, released_by=actor, release_reason=text
    )
    if not released:
        raise HoldRefused(["This legal hold has already been released."])
    hold.refresh_from_db()
    return hold

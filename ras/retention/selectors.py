"""Reads for retention: who is under a legal hold, the runs and their reports, and the holds."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ras.people.models import Person
from ras.retention.models import LegalHold, RetentionReportLine, RetentionRun

PEOPLE_FOUND_AT_MOST = 25
RUNS_LISTED = 60
RELEASED_HOLDS_LISTED = 50


def held_person_ids() -> "QuerySet[LegalHold, int]":
    """The ids of people with a legal hold in force, as a subquery for the retention kinds."""
    return LegalHold.objects.filter(released_at__isnull=True).values_list("person_id", flat=True)


def holds_in_force() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(released_at__isnull=True).select_related("person", "placed_by")


def holds_released() -> QuerySet[LegalHold]:
    return (
        LegalHold.objects.filter(released_at__isnull=False)
        .select_related("person", "placed_by", "released_by")
        .order_by("-released_at")[:RELEASED_HOLDS_LISTED]
    )


def people_to_hold(search: str) -> list[Person]:
    """People whose name contains `search`, or whose assessment has that reference; at most 25.

    Anonymised people hold nothing a hold could keep, so they are never found.
    """
    text = search.strip()
    if not text:
        return []
    return list(
        Person.objects.filter(anonymised_at__isnull=True)
        .filter(Q(full_name__icontains=text) | Q(assessments__reference__iexact=text))
        .distinct()
        .prefetch_related("assessments")
        .order_by("full_name", "created_at")[:PEOPLE_FOUND_AT_MOST]
    )


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A run and its counts added up over every kind of record."""

    run: RetentionRun
    deleted: int
    anonymised: int
    held: int
    warned: int
    failed: bool


def run_summary(run: RetentionRun, lines: list[RetentionReportLine]) -> RunSummary:
    return RunSummary(
        run=run,
        deleted=sum(line.deleted_count for line in lines),
        anonymised=sum(line.anonymised_count for line in lines),
        held=sum(line.held_count for line in lines),
        warned=sum(line.warned_count for line in lines),
        failed=any(not line.succeeded for line in lines),
    )


def runs_list() -> list[RunSummary]:
    """The latest runs, the latest first, with their counts."""
    runs = RetentionRun.objects.prefetch_related("lines")[:RUNS_LISTED]
    return [run_summary(run, list(run.lines.all())) for run in runs]


def run_report(run: RetentionRun) -> list[RetentionReportLine]:
    return list(run.lines.order_by("position"))

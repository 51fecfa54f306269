"""Closed cases: anonymised when nothing has happened on any of a person's records for N years.

The service records no "case closed" event, so a case is closed by inactivity: no assessment
started, saved or sent, no decision made or moved, no review task, no panel hearing, no sign-in to
the person's own account, and the person's record itself older than CLOSED_CASE_RETENTION_YEARS.
A live case is reviewed at least every year (Care Act s.27), so years of silence mean the service
has ended. Anonymised rather than deleted: the figures stay for equity and open data.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from questionnaires.models import Assessment
from ras.people.models import Person
from ras.retention.anonymising import (
    accounts_close,
    case_records_strip,
    people_anonymise,
    quiet_representatives,
)
from ras.retention.kinds.base import Tally, plural
from ras.retention.selectors import held_person_ids
from reviews.models import BudgetDecision, BudgetProposal, DecisionEvent, PanelAgendaItem


def retention_years() -> int:
    return int(settings.CLOSED_CASE_RETENTION_YEARS)


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    """The same date and time `years` earlier; 29 February becomes the 28th."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def quiet_since(now: datetime.datetime) -> datetime.datetime:
    """The cut-off: nothing on a closed case's records since then."""
    return years_before(now, retention_years())


def closed_cases(now: datetime.datetime) -> QuerySet[Person]:
    """People not yet anonymised with no activity on any of their records since the cut-off."""
    since = quiet_since(now)
    assessments = Assessment.objects.filter(person=OuterRef("pk")).filter(
        Q(started_at__gte=since) | Q(last_saved_at__gte=since) | Q(submitted_at__gte=since)
    )
    decisions = BudgetDecision.objects.filter(person=OuterRef("pk")).filter(
        Q(created_at__gte=since)
        | Q(state_changed_at__gte=since)
        | Q(signed_off_at__gte=since)
        | Q(emergency_confirmed_at__gte=since)
    )
    events = DecisionEvent.objects.filter(decision__person=OuterRef("pk"), at__gte=since)
    review_tasks = BudgetProposal.objects.filter(decision__person=OuterRef("pk")).filter(
        Q(created_at__gte=since) | Q(resolved_at__gte=since)
    )
    hearings = PanelAgendaItem.objects.filter(decision__person=OuterRef("pk")).filter(
        Q(added_at__gte=since) | Q(meeting__held_on__gte=since.date())
    )
    return (
        Person.objects.filter(anonymised_at__isnull=True, created_at__lt=since)
        .exclude(user__last_login__gte=since)
        .exclude(Exists(assessments))
        .exclude(Exists(decisions))
        .exclude(Exists(events))
        .exclude(Exists(review_tasks))
        .exclude(Exists(hearings))
    )


class ClosedCases:
    code = "closed-cases"
    title = "Closed cases"

    def period(self) -> str:
        return plural(retention_years(), "year")

    def rule(self) -> str:
        years = plural(retention_years(), "year")
        return (
            f"A person’s case is closed when nothing has happened on any of their records for "
            f"{years}: no assessment, decision, review task, panel hearing or sign-in. It is then "
            "anonymised: the name, who acts for them, their own account, every answer and all "
            "written reasons and notes are removed. The account of someone who acted for them is "
            f"closed too if it has not been used for {years} and is there for nobody else. The "
            "figures stay (points, carer level, client group, amounts, dates, decisions and "
            "reason codes), so equity figures and open data still add up."
        )

    def apply(self, *, now: datetime.datetime, tally: Tally) -> None:
        with transaction.atomic():
            closed = closed_cases(now)
            tally.held = closed.filter(pk__in=held_person_ids()).count()
            # Locked and checked again, so a case that comes back to life this minute is kept.
            people = list(
                closed.exclude(pk__in=held_person_ids())
                .select_for_update(of=("self",))
                .values_list("pk", "user_id")
            )
            person_ids = [person_id for person_id, _ in people]
            own_accounts = [user_id for _, user_id in people if user_id is not None]
            representatives = quiet_representatives(person_ids=person_ids, since=quiet_since(now))
            tally.anonymised = people_anonymise(person_ids=person_ids, now=now)
            case_records_strip(person_ids=person_ids)
            tally.accounts_closed = accounts_close(user_ids=[*own_accounts, *representatives])

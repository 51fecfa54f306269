"""Demonstration history: a few thousand past cases, so the equity, variation, timeliness and
open-data pages have a story to tell. Safe to rerun: nothing is added once the history is there.

The assessments, their answers and indicative budgets are written set-based by the synthetic
case writer (`reviews.synthetic_cases`, COPY into the tables); this module then decides every
case as the council's staff would have, over the last 24 months (ADR 0021):

- about 70% agreed at the indicative budget by the social worker;
- about 10% varied within the social worker's delegated authority (increases only: a reduction
  needs a manager), with reason codes;
- about 20% outside the RAS: referred to a team manager (some sent on to panel, a few declined
  and then agreed at the indicative) or straight to panel, with reason codes and reasons;
- a few outliers far from their peers (a very large package agreed at panel, or much less where
  another service meets the needs);
- the most recent cases still open (waiting for the worker, a manager or panel).

Each step is one DecisionEvent written once with its final values (events are append-only), at
a time that follows the case: the decision days after submission, managers and panels later.
"""

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from allocations.models import AllocationTableVersion, TableStatus
from questionnaires.loading import questionnaire_load
from questionnaires.management.commands.load_questionnaire import DEFAULT_FILE
from questionnaires.models import Assessment, Perspective
from ras.accounts.models import Team, User
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from reviews.models import BudgetDecision, DecisionEvent, PanelAgendaItem, PanelMeeting
from reviews.synthetic_cases import cases_generate
from reviews.workflow import Action, State

# Every historical assessment's reference starts with this: how a rerun knows it is loaded.
REFERENCE_PREFIX = "DH-"
YEARS = 2
ANSWERED_CASES = 200  # with answer rows; a social worker checked every other one
TEAM_NAMES = ("North locality", "South locality", "Learning disability team")
EXTRA_STAFF = (
    # email, name, team
    ("north.worker@example.org", "Jo Evans", "North locality"),
    ("south.worker@example.org", "Priya Shah", "South locality"),
    ("ld.worker@example.org", "Tom Reid", "Learning disability team"),
)
# How likely a worker's view differs from the person's answer, by domain: the figure of the
# domains that most often differ then has a clear top.
WORKER_DIFFERS = {
    "staying-safe": 0.35,
    "making-decisions-and-managing-money": 0.3,
    "mental-wellbeing": 0.25,
    "relationships": 0.15,
    "community-and-leisure": 0.1,
    "home-and-daily-living": 0.08,
    "personal-care": 0.05,
}
WORKER_DIFFERS_ELSEWHERE = 0.03
WITHIN_AUTHORITY_REASONS = ("rural-travel", "cultural-or-language", "night-support")
MANAGER_REASONS = ("health-not-captured", "carer-breakdown-risk", "night-support")
REDUCTION_REASONS = ("lower-cost-option", "other-service-meets-need")
PANEL_REASONS = ("two-carers-needed", "behaviour-that-challenges", "health-not-captured")
OPEN_DAYS = 21  # cases submitted this recently may still be open


@dataclass(slots=True)
class Case:
    assessment_id: int
    person_id: int
    budget_id: int
    client_group_code: str
    indicative_annual_pence: int
    submitted_at: datetime.datetime


@dataclass(slots=True)
class Step:
    action: Action
    from_state: State
    to_state: State
    actor: User
    at: datetime.datetime
    amount_before_pence: int | None
    amount_after_pence: int | None
    reason_codes: tuple[str, ...] = ()
    reasons: str = ""
    meeting_on: datetime.date | None = None  # panel steps: the meeting that decided


@dataclass(slots=True)
class Story:
    state: State
    steps: list[Step] = field(default_factory=list)
    requested_annual_pence: int | None = None
    final_annual_pence: int | None = None
    signed_off_by: User | None = None


def _staff(social_workers: Sequence[User]) -> dict[str, list[User]]:
    """The three teams and their workers: the demo workers plus a few more (demo accounts)."""
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in TEAM_NAMES}
    members: dict[str, list[User]] = {name: [] for name in TEAM_NAMES}
    for worker in social_workers:
        if worker.team_id is None:
            worker.team = teams["North locality"]
            worker.save(update_fields=["team"])
        members[worker.team.name if worker.team else "North locality"].append(worker)
    for email, full_name, team_name in EXTRA_STAFF:
        user = User.objects.filter(email=email).first() or user_create(
            email=email, full_name=full_name, roles=[Role.SOCIAL_WORKER], is_demo=True
        )
        if user.team_id != teams[team_name].pk:
            user.team = teams[team_name]
            user.save(update_fields=["team"])
        if user not in members[team_name]:
            members[team_name].append(user)
    return members


def _tables() -> dict[str, AllocationTableVersion]:
    """The published table of each client group in force today (the demo tables)."""
    today = timezone.localdate()
    tables: dict[str, AllocationTableVersion] = {}
    published = AllocationTableVersion.objects.filter(
        status=TableStatus.PUBLISHED, effective_from__lte=today
    ).select_related("client_group")
    for version in published.order_by("effective_from"):
        tables[version.client_group.code] = version  # the latest effective date wins
    return tables


def _moment(rng: random.Random, day: datetime.datetime, days_later: float) -> datetime.datetime:
    """A working-hours moment `days_later` days after `day`."""
    date = (day + datetime.timedelta(days=days_later)).date()
    while date.weekday() >= 5:
        date += datetime.timedelta(days=1)
    return datetime.datetime.combine(
        date, datetime.time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=datetime.UTC
    )


def _pounds(pence: float) -> int:
    """`pence` rounded to whole pounds, as workers write amounts."""
    return max(0, round(pence / 100) * 100)


def _next_panel(after: datetime.datetime) -> datetime.date:
    """The first Thursday panel at least three days after `after`."""
    date = after.date() + datetime.timedelta(days=3)
    return date + datetime.timedelta(days=(3 - date.weekday()) % 7)


def _story(
    rng: random.Random,
    case: Case,
    worker: User,
    *,
    manager: User,
    panel_member: User,
    now: datetime.datetime,
    generous: bool,
) -> Story:
    indicative = case.indicative_annual_pence
    story = Story(state=State.INDICATIVE)
    decided_at = _moment(rng, case.submitted_at, min(40.0, rng.lognormvariate(1.7, 0.6)))
    draw = rng.random()
    varied_share = 0.15 if generous else 0.08

    def step(
        action: Action,
        to_state: State,
        actor: User,
        at: datetime.datetime,
        after: int | None,
        reason_codes: tuple[str, ...] = (),
        reasons: str = "",
        meeting_on: datetime.date | None = None,
    ) -> bool:
        """Adds the step if it has happened by now; False once the case is still waiting."""
        if at > now:
            return False
        before = story.final_annual_pence or story.requested_annual_pence or indicative
        story.steps.append(
            Step(
                action,
                story.state,
                to_state,
                actor,
                at,
                before,
                after,
                reason_codes,
                reasons,
                meeting_on,
            )
        )
        story.state = to_state
        if action in (Action.REFER_TO_MANAGER, Action.REFER_TO_PANEL):
            story.requested_annual_pence = after
        elif to_state in (State.AGREED, State.VARIED):
            story.final_annual_pence = after
            story.signed_off_by = actor
        return True

    if draw < 0.70 or (draw < 0.70 + varied_share and indicative == 0):
        step(Action.AGREE, State.AGREED, worker, decided_at, indicative)
        return story
    if draw < 0.70 + varied_share:
        increase = min(indicative * rng.uniform(0.02, 0.10), 200_000)
        code = rng.choice(WITHIN_AUTHORITY_REASONS)
        step(
            Action.VARY,
            State.VARIED,
            worker,
            decided_at,
            _pounds(indicative + increase),
            (code,),
            "Agreed with the person: the questionnaire misses part of the cost.",
        )
        return story
    outlier = rng.random() < 0.08
    if draw < 0.91 or (outlier and rng.random() < 0.3):
        # A manager: an increase beyond the worker's authority, or any reduction.
        if outlier:
            request = _pounds(indicative * rng.uniform(0.3, 0.5))
            codes: tuple[str, ...] = ("other-service-meets-need",)
            reasons = "Day services and health funding already meet most of these needs."
        elif rng.random() < 0.25:
            request = _pounds(indicative * rng.uniform(0.8, 0.95))
            codes = (rng.choice(REDUCTION_REASONS),)
            reasons = "A lower-cost way meets the same needs, agreed with the person."
        else:
            request = _pounds(indicative * rng.uniform(1.11, 1.25))
            codes = (rng.choice(MANAGER_REASONS),)
            reasons = "Needs the questionnaire does not capture; costed with the person."
        if not step(
            Action.REFER_TO_MANAGER,
            State.AWAITING_MANAGER,
            worker,
            decided_at,
            request,
            codes,
            reasons,
        ):
            return story
        managed_at = _moment(rng, decided_at, rng.uniform(1, 9))
        outcome = rng.random()
        if outcome < 0.06:
            if step(
                Action.MANAGER_DECLINE,
                State.DECLINED,
                manager,
                managed_at,
                None,
                codes,
                "The indicative budget meets these needs.",
            ):
                step(Action.AGREE, State.AGREED, worker, _moment(rng, managed_at, 2), indicative)
            return story
        if outcome < 0.16 and request > indicative:
            if not step(
                Action.MANAGER_SEND_TO_PANEL,
                State.AWAITING_PANEL,
                manager,
                managed_at,
                request,
                codes,
                "Beyond what a manager should agree alone.",
            ):
                return story
            _panel(rng, step, panel_member, managed_at, request, codes)
            return story
        step(Action.MANAGER_APPROVE, State.VARIED, manager, managed_at, request, codes, reasons)
        return story
    # Straight to panel: a large package, costed line by line.
    factor = rng.uniform(2.2, 3.5) if outlier else rng.uniform(1.25, 1.8)
    request = _pounds(max(indicative, 300_000) * factor)
    codes = (rng.choice(PANEL_REASONS), *(("night-support",) if outlier else ()))
    if step(
        Action.REFER_TO_PANEL,
        State.AWAITING_PANEL,
        worker,
        decided_at,
        request,
        codes,
        "Costed support plan attached: needs well beyond the questionnaire.",
    ):
        _panel(rng, step, panel_member, decided_at, request, codes)
    return story


def _panel(
    rng: random.Random,
    step: Callable[..., bool],
    panel_member: User,
    referred_at: datetime.datetime,
    request: int,
    codes: tuple[str, ...],
) -> None:
    """Panel at the next meeting (sometimes deferred a fortnight): agreed as asked, or lower."""
    meeting_on = _next_panel(referred_at)
    at = datetime.datetime.combine(meeting_on, datetime.time(14, 0), tzinfo=datetime.UTC)
    if rng.random() < 0.1:
        if not step(
            Action.PANEL_DEFER,
            State.AWAITING_PANEL,
            panel_member,
            at,
            request,
            codes,
            "Panel asked for the occupational therapist's report.",
            meeting_on,
        ):
            return
        meeting_on += datetime.timedelta(days=14)
        at += datetime.timedelta(days=14)
    if rng.random() < 0.7:
        step(
            Action.PANEL_APPROVE,
            State.VARIED,
            panel_member,
            at,
            request,
            codes,
            "Panel agreed the costed plan.",
            meeting_on,
        )
    else:
        step(
            Action.PANEL_APPROVE_DIFFERENT,
            State.VARIED,
            panel_member,
            at,
            _pounds(request * rng.uniform(0.85, 0.95)),
            codes,
            "Panel agreed a lower amount: fewer night hours.",
            meeting_on,
        )


def _cases(first_id: int, last_id: int) -> list[Case]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, a.person_id, b.id, a.client_group_code, b.indicative_annual_pence,"
            " a.submitted_at FROM questionnaires_assessment AS a"
            " JOIN allocations_indicativebudget AS b ON b.assessment_id = a.id"
            " WHERE a.id BETWEEN %s AND %s ORDER BY a.id",
            [first_id, last_id],
        )
        return [Case(*row) for row in cursor.fetchall()]


def _worker_views(seed: int, first_id: int, last_id: int) -> None:
    """A social worker's view of every other answered case: the person's answer, or the next option
    up (down at the top), more often in some domains than others; one set-based statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO questionnaires_answer (assessment_id, question_id, option_id,"
            " perspective, answered_by_id, answered_at)"
            " SELECT a.assessment_id, a.question_id,"
            "  CASE WHEN NOT q.is_carer_question AND abs(hashtext(%s || ':' || a.assessment_id"
            "   || ':' || a.question_id)) %% 1000 < 1000 * coalesce(w.share, %s)"
            "  THEN coalesce(up.id, down.id, a.option_id) ELSE a.option_id END,"
            "  %s, a.answered_by_id, a.answered_at + interval '2 days'"
            " FROM questionnaires_answer AS a"
            " JOIN questionnaires_question AS q ON q.id = a.question_id"
            " JOIN questionnaires_domain AS d ON d.id = q.domain_id"
            " JOIN questionnaires_option AS o ON o.id = a.option_id"
            " LEFT JOIN questionnaires_option AS up"
            "  ON up.question_id = a.question_id AND up.position = o.position + 1"
            " LEFT JOIN questionnaires_option AS down"
            "  ON down.question_id = a.question_id AND down.position = o.position - 1"
            " LEFT JOIN unnest(%s::text[], %s::float8[]) AS w(code, share) ON w.code = d.code"
            " WHERE a.assessment_id BETWEEN %s AND %s AND a.assessment_id %% 2 = 0"
            " AND a.perspective = %s",
            [
                str(seed),
                WORKER_DIFFERS_ELSEWHERE,
                Perspective.WORKER.value,
                list(WORKER_DIFFERS),
                list(WORKER_DIFFERS.values()),
                first_id,
                last_id,
                Perspective.PERSON.value,
            ],
        )


@transaction.atomic
def demo_history_load(
    *,
    finance_lead: User,
    social_workers: Sequence[User],
    manager: User,
    panel_member: User,
    count: int = 3000,
    seed: int = 20261124,
) -> int:
    """Writes `count` historical cases over the last 24 months; returns how many were written
    (0 when the history is already there). See the module docstring for what a case holds."""
    del finance_lead  # the demo tables are already published by the finance lead
    if Assessment.objects.filter(reference__startswith=REFERENCE_PREFIX).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    members = _staff(social_workers)
    questionnaire = questionnaire_load(DEFAULT_FILE).version
    tables = _tables()
    answered = max(1, min(ANSWERED_CASES, count // 10))
    runs = [
        cases_generate(
            n=answered,
            questionnaire=questionnaire,
            tables=tables,
            staff=members["North locality"][0],
            seed=seed,
            decided_share=0.0,
            with_answers=True,
            years=YEARS,
        ),
        cases_generate(
            n=count - answered,
            questionnaire=questionnaire,
            tables=tables,
            staff=members["North locality"][0],
            seed=seed + 1,
            decided_share=0.0,
            years=YEARS,
        ),
    ]
    with connection.cursor() as cursor:
        # Own references, and starts a few days before submission (people pause and resume).
        cursor.execute(
            "UPDATE questionnaires_assessment SET reference = %s || lpad(id::text, 9, '0'),"
            " started_at = submitted_at - ((id * 7919) %% 9) * interval '1 day'"
            " - interval '35 minutes' WHERE id BETWEEN %s AND %s OR id BETWEEN %s AND %s",
            [
                REFERENCE_PREFIX,
                runs[0].first_assessment_id,
                runs[0].last_assessment_id,
                runs[1].first_assessment_id,
                runs[1].last_assessment_id,
            ],
        )
    _worker_views(seed, runs[0].first_assessment_id, runs[0].last_assessment_id)
    cases = [
        case for run in runs for case in _cases(run.first_assessment_id, run.last_assessment_id)
    ]
    _decide(rng, cases, members, manager=manager, panel_member=panel_member)
    return len(cases)


def _decide(
    rng: random.Random,
    cases: Sequence[Case],
    members: dict[str, list[User]],
    *,
    manager: User,
    panel_member: User,
) -> None:
    now = timezone.now()
    today = timezone.localdate()
    stories: list[tuple[Case, User, Story]] = []
    for case in cases:
        if case.client_group_code == "learning-disabilities" and rng.random() < 0.85:
            team = "Learning disability team"
        else:
            team = rng.choice(("North locality", "South locality"))
        worker = rng.choice(members[team])
        story = _story(
            rng,
            case,
            worker,
            manager=manager,
            panel_member=panel_member,
            now=now,
            generous=team == "South locality",
        )
        stories.append((case, worker, story))
    decisions = []
    for case, worker, story in stories:
        signed = story.steps[-1].at if story.final_annual_pence is not None else None
        due = None
        overdue_since = None
        if signed is not None:
            due = signed.date() + datetime.timedelta(days=365)
            if due < today:
                if rng.random() < 0.85:
                    due += datetime.timedelta(days=365)  # reviewed on time
                else:
                    overdue_since = due + datetime.timedelta(days=1)
        decisions.append(
            BudgetDecision(
                person_id=case.person_id,
                assessment_id=case.assessment_id,
                indicative_budget_id=case.budget_id,
                social_worker=worker,
                state=story.state,
                state_changed_at=story.steps[-1].at if story.steps else case.submitted_at,
                indicative_annual_pence=case.indicative_annual_pence,
                requested_annual_pence=story.requested_annual_pence,
                requested_by=worker if story.requested_annual_pence is not None else None,
                final_annual_pence=story.final_annual_pence,
                signed_off_by=story.signed_off_by,
                signed_off_at=signed,
                next_review_due=due,
                review_overdue_since=overdue_since,
            )
        )
    BudgetDecision.objects.bulk_create(decisions, batch_size=2_000)
    events = []
    agenda: list[tuple[BudgetDecision, datetime.date, int, User, datetime.datetime]] = []
    for decision, (_case, worker, story) in zip(decisions, stories, strict=True):
        for step in story.steps:
            events.append(
                DecisionEvent(
                    decision=decision,
                    action=step.action,
                    from_state=step.from_state,
                    to_state=step.to_state,
                    actor=step.actor,
                    at=step.at,
                    amount_before_pence=step.amount_before_pence,
                    amount_after_pence=step.amount_after_pence,
                    reason_codes=list(step.reason_codes),
                    reasons=step.reasons,
                )
            )
            if step.meeting_on is not None:
                referred = next(s.at for s in story.steps if s.to_state == State.AWAITING_PANEL)
                agenda.append((decision, step.meeting_on, len(events) - 1, worker, referred))
        if story.state == State.AWAITING_PANEL:
            referred = next(s.at for s in story.steps if s.to_state == State.AWAITING_PANEL)
            heard = [s.meeting_on for s in story.steps if s.meeting_on is not None]
            held_on = heard[-1] + datetime.timedelta(days=14) if heard else _next_panel(referred)
            agenda.append((decision, held_on, -1, worker, referred))
    DecisionEvent.objects.bulk_create(events, batch_size=5_000)
    _panels(agenda, events, manager=manager, panel_member=panel_member)
    with connection.cursor() as cursor:
        # Opened when the assessment was submitted (created_at is set on insert otherwise).
        cursor.execute(
            "UPDATE reviews_budgetdecision AS d SET created_at = a.submitted_at"
            " FROM questionnaires_assessment AS a"
            " WHERE a.id = d.assessment_id AND d.id = ANY(%s)",
            [[decision.pk for decision in decisions]],
        )


def _panels(
    agenda: Sequence[tuple[BudgetDecision, datetime.date, int, User, datetime.datetime]],
    events: Sequence[DecisionEvent],
    *,
    manager: User,
    panel_member: User,
) -> None:
    """Weekly panel meetings with their agendas; each decided item points at its outcome."""
    meetings: dict[datetime.date, PanelMeeting] = {}
    for held_on in sorted({item[1] for item in agenda}):
        meetings[held_on] = PanelMeeting.objects.create(
            held_on=held_on, title="Resource allocation panel", created_by=manager
        )
    PanelMeeting.members.through.objects.bulk_create(
        PanelMeeting.members.through(panelmeeting_id=meeting.pk, user_id=panel_member.pk)
        for meeting in meetings.values()
    )
    items = PanelAgendaItem.objects.bulk_create(
        PanelAgendaItem(
            meeting=meetings[held_on],
            decision=decision,
            added_by=worker,
            outcome=events[index] if index >= 0 else None,
        )
        for decision, held_on, index, worker, _referred in agenda
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reviews_panelagendaitem AS i SET added_at = v.added_at"
            " FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, added_at) WHERE i.id = v.id",
            [[item.pk for item in items], [item_agenda[4] for item_agenda in agenda]],
        )

"""Reads for the person's own pages: the budget decisions a person (or someone acting for them)
may see, and each decision told in plain words.

Deny by default: a service user sees the decisions about themselves, a representative those about
the people they act for, and nobody else sees any here (staff have their own pages). Every
sentence is written for the person reading it: "your" budget for the person themself, "Sam’s"
budget for someone acting for Sam.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from allocations.engine import format_pounds, rhu
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.people.models import Person, Representation
from reviews.models import BudgetDecision, DecisionEvent, PanelAgendaItem, ReasonCode
from reviews.workflow import FINAL_STATES, WHO_MAY, Action, Actor, State, next_state

PERSON_ROLES = (Role.SERVICE_USER, Role.REPRESENTATIVE)
WEEKS_IN_YEAR = 52

# A short label for each state, as the person's pages tag it.
PERSON_STATE_TAGS: dict[State, str] = {
    State.INDICATIVE: "Being checked",
    State.AGREED: "Agreed",
    State.VARIED: "Agreed",
    State.AWAITING_MANAGER: "With a manager",
    State.AWAITING_PANEL: "With the panel",
    State.DECLINED: "Turned down",
    State.RETURNED: "Answers to check",
    State.CHALLENGED: "Being looked at again",
    State.EMERGENCY: "Emergency budget",
}

# What each action did, in words the timeline reads as "<who> <words>".
PERSON_ACTION_WORDS: dict[Action, str] = {
    Action.AGREE: "agreed the budget worked out from the assessment as the final budget",
    Action.VARY: "agreed a different amount from the budget worked out from the assessment",
    Action.REFER_TO_MANAGER: "asked a team manager to agree a different amount",
    Action.REFER_TO_PANEL: "asked the panel to agree a different amount",
    Action.RETURN_TO_PERSON: "asked for the answers in the assessment to be checked and changed",
    Action.RESUBMIT: "sent the changed answers to the social worker",
    Action.MANAGER_APPROVE: "agreed the amount asked for",
    Action.MANAGER_DECLINE: "turned down the amount asked for",
    Action.MANAGER_SEND_TO_PANEL: "asked the panel to decide",
    Action.MANAGER_RETURN: "sent the request back to the social worker to think again",
    Action.PANEL_APPROVE: "agreed the amount asked for, at a panel meeting",
    Action.PANEL_APPROVE_DIFFERENT: "agreed a different amount, at a panel meeting",
    Action.PANEL_DECLINE: "turned down the amount asked for, at a panel meeting",
    Action.PANEL_DEFER: "put off the decision to a later panel meeting",
    Action.CHALLENGE: "asked us to look again at the decision",
    Action.CONFIRM_EMERGENCY: "confirmed the emergency budget",
    Action.START_REVIEW: "started a review of the budget",
    Action.RECORD_EMERGENCY: "set up an emergency budget because support was needed at once",
}

STAFF_ROLE_WORDS: dict[Actor, str] = {
    Actor.WORKER: "social worker",
    Actor.MANAGER: "team manager",
    Actor.PANEL: "panel member",
}


# Who may see what


def person_visibility(user: User) -> Q:
    """The decisions `user` may see as the person or their representative, as a filter.

    The person's own only with the service user role, and those of the people they act for only
    with the representative role, as for assessments; anyone else matches nothing.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    roles = set(user.roles)
    visible = Q(pk__in=[])
    if Role.SERVICE_USER in roles:
        visible |= Q(person__user=user)
    if Role.REPRESENTATIVE in roles:
        visible |= Q(person__in=Representation.objects.filter(representative=user).values("person"))
    return visible


def decisions_visible_to_person(user: User) -> QuerySet[BudgetDecision]:
    """The budget decisions about `user` or the people they act for, the latest change first."""
    return (
        BudgetDecision.objects.filter(person_visibility(user))
        .select_related("person", "assessment", "reopened_assessment", "signed_off_by")
        .order_by("-state_changed_at", "-pk")
    )


def decision_for_person(user: User, decision_id: int) -> BudgetDecision:
    """One decision `user` may see as the person or their representative.

    Raises BudgetDecision.DoesNotExist for any other (the page answers 404: no hint it exists).
    """
    return decisions_visible_to_person(user).get(pk=decision_id)


def acts_for(user: User, person: Person) -> bool:
    """Whether `user` is the person or one of their representatives (what the services check)."""
    if person.user_id == user.pk:
        return True
    return Representation.objects.filter(person=person, representative=user).exists()


# The list page


@dataclass(frozen=True, slots=True)
class DecisionSummary:
    decision_id: int
    title: str
    state: State
    tag: str
    headline: str
    changed_at: datetime.datetime
    amount_label: str
    amount_pence: int | None


@dataclass(frozen=True, slots=True)
class PersonBudgets:
    """One person's decisions, as the person themself or a representative sees them."""

    person: Person
    is_you: bool
    relationship: str
    decisions: tuple[DecisionSummary, ...]


def budgets_by_person(user: User, *, today: datetime.date) -> list[PersonBudgets]:
    """A section for the user themself (service users) and one for each person they act for
    (representatives, by name), each with its decisions, the latest change first."""
    roles = set(user.roles)
    people: list[tuple[Person, bool, str]] = []
    if Role.SERVICE_USER in roles:
        own = Person.objects.filter(user=user).first()
        if own is not None:
            people.append((own, True, ""))
    if Role.REPRESENTATIVE in roles:
        people.extend(
            (representation.person, False, representation.relationship)
            for representation in Representation.objects.filter(representative=user)
            .select_related("person")
            .order_by("person__full_name", "person__pk")
            if representation.person.user_id != user.pk
        )
    by_person: dict[int, list[BudgetDecision]] = {}
    for decision in decisions_visible_to_person(user):
        by_person.setdefault(decision.person_id, []).append(decision)
    return [
        PersonBudgets(
            person=person,
            is_you=is_you,
            relationship=relationship,
            decisions=tuple(
                _summary(decision, is_you=is_you, today=today)
                for decision in by_person.get(person.pk, [])
            ),
        )
        for person, is_you, relationship in people
    ]


def decision_title(decision: BudgetDecision) -> str:
    if decision.assessment is not None:
        return f"Budget from assessment {decision.assessment.reference}"
    if decision.state == State.EMERGENCY or decision.emergency_confirm_by is not None:
        return "Emergency budget"
    return "Budget"


def _summary(decision: BudgetDecision, *, is_you: bool, today: datetime.date) -> DecisionSummary:
    state = State(decision.state)
    if decision.final_annual_pence is not None:
        amount_label, amount = "Budget", decision.final_annual_pence
    elif decision.indicative_annual_pence is not None:
        amount_label, amount = "Indicative budget", decision.indicative_annual_pence
    else:
        amount_label, amount = "", None
    return DecisionSummary(
        decision_id=decision.pk,
        title=decision_title(decision),
        state=state,
        tag=PERSON_STATE_TAGS[state],
        headline=state_in_plain_words(decision, is_you=is_you, today=today).headline,
        changed_at=decision.state_changed_at,
        amount_label=amount_label,
        amount_pence=amount,
    )


# One decision, in plain words


@dataclass(frozen=True, slots=True)
class PlainState:
    """Where a decision is: a headline, and what it means and what happens next."""

    state: State
    tag: str
    headline: str
    next_steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Voice:
    """Words for the person: "your" budget to them, "Sam’s" budget to someone acting for Sam."""

    whose: str  # "your" or "Sam’s", in the middle of a sentence
    their: str  # "your" or "their", when the person was already named
    them: str  # "you" or "Sam"

    @property
    def whose_capital(self) -> str:
        return self.whose[:1].upper() + self.whose[1:]


def _voice(decision: BudgetDecision, *, is_you: bool) -> _Voice:
    if is_you:
        return _Voice(whose="your", their="your", them="you")
    name = decision.person.full_name
    return _Voice(whose=f"{name}’s", their="their", them=name)


def panel_date(decision: BudgetDecision, *, today: datetime.date) -> datetime.date | None:
    """The date of the panel meeting that will decide, or of the last one that has not yet
    recorded a decision; None when the case is on no agenda."""
    pending = sorted(
        PanelAgendaItem.objects.filter(decision=decision, outcome=None)
        .select_related("meeting")
        .values_list("meeting__held_on", flat=True)
    )
    coming = [held_on for held_on in pending if held_on >= today]
    if coming:
        return coming[0]
    return pending[-1] if pending else None


def state_in_plain_words(
    decision: BudgetDecision, *, is_you: bool, today: datetime.date
) -> PlainState:
    """What the decision's state means for the person and what happens next, in their words."""
    voice = _voice(decision, is_you=is_you)
    state = State(decision.state)
    headline, steps = _STATE_WORDS[state](decision, voice, today)
    return PlainState(
        state=state, tag=PERSON_STATE_TAGS[state], headline=headline, next_steps=tuple(steps)
    )


def _review_step(decision: BudgetDecision, voice: _Voice) -> list[str]:
    if decision.next_review_due is None:
        return []
    return [
        f"We will review the budget with {voice.them} by {decision.next_review_due:%-d %B %Y}, "
        "and then at least once a year."
    ]


Words = tuple[str, list[str]]
LOOK_AGAIN = "If you disagree with this decision, you can ask us to look at it again."


def _indicative(decision: BudgetDecision, voice: _Voice, today: datetime.date) -> Words:
    steps = [
        f"{voice.whose_capital} social worker will check the assessment with {voice.them}. "
        "Then they will agree the budget, or ask for a different amount if it does not meet "
        f"{voice.their} needs."
    ]
    if decision.final_annual_pence is not None:
        steps.append(
            "The budget agreed before stays in place until they decide. We will tell you what "
            "they decide."
        )
    return f"{voice.whose_capital} social worker is looking at {voice.their} budget", steps


def _agreed(decision: BudgetDecision, voice: _Voice, today: datetime.date) -> Words:
    return f"{voice.whose_capital} budget is agreed", [
        "The budget worked out from the assessment was agreed as the final budget.",
        *_review_step(decision, voice),
        LOOK_AGAIN,
    ]


def _varied(decision: BudgetDecision, voice: _Voice, today: datetime.date) -> Words:
    return f"{voice.whose_capital} budget is agreed at a different amount", [
        "The final budget is different from the budget worked out from the assessment. "
        "The reasons are below.",
        *_review_step(decision, voice),
        LOOK_AGAIN,
    ]


def _asked_for(decision: BudgetDecision) -> str:
    requested = decision.requested_annual_pence
    return "" if requested is None else f" of {format_pounds(requested)} a year"


def _is_request_for_more(decision: BudgetDecision) -> bool:
    requested = decision.requested_annual_pence
    indicative = decision.indicative_annual_pence
    return requested is None or indicative is None or requested > indicative


def _awaiting_manager(decision: BudgetDecision, voice: _Voice, today: datetime.date) -> Words:
    headline = (
        "A manager is checking a request for more"
        if _is_request_for_more(decision)
        else f"A manager is checking a change to {voice.whose} budget"
    )
    return headline, [
        f"{voice.whose_capital} social worker asked for a budget{_asked_for(decision)}. "
        "A team manager will decide. We will tell you what they decide, and why.",
    ]


def _awaiting_panel(decision: BudgetDecision, voice: _Voice, today: datetime.date) -> Words:
    asked = (
        f"The panel is a group of senior staff who decide larger or unusual budgets. "
        f"It will look at the request for a budget{_asked_for(decision)}."
    )
    held_on = panel_date(decision, today=today)
    if held_on is None:
        return "The panel will decide", [asked, "The date of the meeting will show here."]
    if held_on >= today:
        return f"The panel will decide on {held_on:%-d %B %Y}", [
            asked,
            "We will tell you what it decides, and why.",
        ]
    return f"The panel met on {held_on:%-d %B %Y}", [
        asked,
        "We will tell you what it decided, and why, when it has been written down.",
    ]


def _declined(decision: BudgetDecision, voice: _Voice, today: datetime.date) -> Words:
    steps = [
        f"{voice.whose_capital} social worker will talk to {voice.them} about what happens next.",
    ]
    if decision.final_annual_pence is not None:
        steps.append("The budget agreed before stays in place.")
    return "A request for a different amount was turned down", [*steps, LOOK_AGAIN]


def _returned(decision: BudgetDecision, voice: _Voice, today: datetime.date) -> Words:
    reopened = decision.reopened_assessment
    if reopened is not None and reopened.is_submitted:
        step = (
            "The changed answers are ready. Send them to the social worker, who will look at "
            "the new budget they give."
        )
    else:
        step = (
            "Change any answers that need it, then send the assessment again. The answers "
            "given before are kept as they were."
        )
    return f"{voice.whose_capital} social worker asked for the answers to be checked", [step]


def _challenged(decision: BudgetDecision, voice: _Voice, today: datetime.date) -> Words:
    steps = ["A social worker will look at the budget again and get in touch."]
    if decision.final_annual_pence is not None:
        steps.append("The budget agreed before stays in place while we look again.")
    return "We are looking again at the decision", steps


def _emergency(decision: BudgetDecision, voice: _Voice, today: datetime.date) -> Words:
    confirmed = decision.emergency_confirmed_at
    confirmation = (
        f"A manager confirmed it on {confirmed:%-d %B %Y}."
        if confirmed is not None
        else "A manager will confirm it."
    )
    return f"{voice.whose_capital} emergency budget is in place", [
        f"We set up support at once because it was needed urgently. {confirmation}",
        f"A social worker will do a full assessment with {voice.them} later, and the budget "
        "will be worked out again from it.",
    ]


_STATE_WORDS = {
    State.INDICATIVE: _indicative,
    State.AGREED: _agreed,
    State.VARIED: _varied,
    State.AWAITING_MANAGER: _awaiting_manager,
    State.AWAITING_PANEL: _awaiting_panel,
    State.DECLINED: _declined,
    State.RETURNED: _returned,
    State.CHALLENGED: _challenged,
    State.EMERGENCY: _emergency,
}


# The decisions made, in plain words


@dataclass(frozen=True, slots=True)
class PersonTimelineEntry:
    at: datetime.datetime
    who: str
    role: str
    what: str
    amount_before_pence: int | None
    amount_after_pence: int | None
    reason_labels: tuple[str, ...]
    reasons: str

    @property
    def amount_changed(self) -> bool:
        return self.amount_before_pence is not None and (
            self.amount_before_pence != self.amount_after_pence
        )


def person_timeline(decision: BudgetDecision, user: User) -> list[PersonTimelineEntry]:
    """Every decision about the budget, oldest first: who (name and role), when, what, the
    amounts before and after, the reason labels and the written reasons."""
    events = list(
        DecisionEvent.objects.filter(decision=decision).select_related("actor").order_by("at", "id")
    )
    labels = _reason_labels({code for event in events for code in event.reason_codes})
    return [
        PersonTimelineEntry(
            at=event.at,
            who=_who(event, decision, user),
            role=_role(event, decision, user),
            what=PERSON_ACTION_WORDS[Action(event.action)],
            amount_before_pence=event.amount_before_pence,
            amount_after_pence=event.amount_after_pence,
            reason_labels=tuple(labels.get(code, code) for code in event.reason_codes),
            reasons=event.reasons,
        )
        for event in events
    ]


def _reason_labels(codes: set[str]) -> dict[str, str]:
    return dict(ReasonCode.objects.filter(code__in=codes).values_list("code", "label"))


def _who(event: DecisionEvent, decision: BudgetDecision, user: User) -> str:
    return "You" if event.actor_id == user.pk else str(event.actor)


def _role(event: DecisionEvent, decision: BudgetDecision, user: User) -> str:
    """The role the actor decided in, from the workflow: staff by their role; on the person's
    side, the person themself or someone acting for them."""
    actor_kind = WHO_MAY[Action(event.action)]
    if actor_kind in STAFF_ROLE_WORDS:
        return STAFF_ROLE_WORDS[actor_kind]
    if event.actor_id == user.pk:
        return ""
    if event.actor_id == decision.person.user_id:
        return "the person the budget is for"
    return f"acting for {decision.person.full_name}"


# Money


@dataclass(frozen=True, slots=True)
class FinalAmount:
    """The final budget split into what the council pays and what the person pays (Care Act
    s.26). `contribution_pence` is None until staff enter it from the financial assessment."""

    annual_pence: int
    contribution_pence: int | None
    council_pays_pence: int | None
    signed_off_by: str
    signed_off_at: datetime.datetime
    in_force_while_deciding: bool

    @property
    def weekly_pence(self) -> int:
        """The budget a week: a year's budget / 52, rounded half up to the penny."""
        return rhu(self.annual_pence, WEEKS_IN_YEAR)


def final_amount(decision: BudgetDecision) -> FinalAmount | None:
    """The final budget a named person signed off, or None while there is none."""
    if (
        decision.final_annual_pence is None
        or decision.signed_off_at is None
        or decision.signed_off_by is None
    ):
        return None
    contribution = decision.contribution_annual_pence
    return FinalAmount(
        annual_pence=decision.final_annual_pence,
        contribution_pence=contribution,
        council_pays_pence=(
            None if contribution is None else decision.final_annual_pence - contribution
        ),
        signed_off_by=str(decision.signed_off_by),
        signed_off_at=decision.signed_off_at,
        in_force_while_deciding=State(decision.state) not in (*FINAL_STATES, State.EMERGENCY),
    )


# What the person can do


@dataclass(frozen=True, slots=True)
class PersonActions:
    challenge: bool
    continue_answers: bool
    send_changed_answers: bool


def person_actions(decision: BudgetDecision) -> PersonActions:
    """What the person (or their representative) may do now, from the workflow table: ask us to
    look again at a final or declined decision; change and send answers returned to them."""
    state = State(decision.state)
    reopened = decision.reopened_assessment
    returned = state is State.RETURNED and reopened is not None
    return PersonActions(
        challenge=next_state(state, Action.CHALLENGE) is not None,
        continue_answers=returned and reopened is not None and not reopened.is_submitted,
        send_changed_answers=returned and reopened is not None and reopened.is_submitted,
    )

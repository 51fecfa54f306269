"""Every view that shows a person's records to staff writes an access audit row: this walks every
URL of the project.

A view showing a person's records is found two ways, so a new view cannot slip through: by the
mark `records_access` leaves on it, and by a route parameter that identifies a person's record
(an assessment's public id, a decision, a review task, a panel meeting...). Every route with
such a parameter must be recorded, for every method it answers; and every recorded route is
opened here, as a user who may see it, with the rows it writes checked one by one.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from questionnaires.models import Answer, Assessment
from ras.accounts.models import User
from ras.audit.models import AccessEvent, AccessKind
from ras.audit.recording import recorded_kind
from ras.people.models import Person
from reviews.models import BudgetDecision, DecisionEvent
from tests.audit.conftest import Records
from tests.url_walk import Route, project_routes

pytestmark = pytest.mark.django_db

ROUTES = project_routes()

# Route parameters that identify a person's record, or a page holding people's records.
PERSON_RECORD_PARAMETERS = frozenset(
    {"public_id", "decision_id", "person_id", "event_id", "proposal_id", "meeting_id", "item_id"}
)
# Account pages name an account or a session by its opaque id: they show how someone signs in,
# not their care records, and what administrators do there is kept as an AccountAction (ADR 0026).
# Django admin holds no model of a person's records (tested below).
NOT_PERSONS_RECORDS = frozenset({"admin", "accounts"})
# The decisions API's router names its decision `pk`.
PERSON_RECORD_PARAMETERS_BY_NAMESPACE = {"decisions-api": frozenset({"pk"})}


def identifies_a_persons_record(route: Route) -> bool:
    names = PERSON_RECORD_PARAMETERS | PERSON_RECORD_PARAMETERS_BY_NAMESPACE.get(
        route.namespace, frozenset()
    )
    return bool(route.parameters & names)


def is_recorded(route: Route) -> bool:
    return any(recorded_kind(view) is not None for view in route.views.values())


RECORDED = {route.name: route for route in ROUTES if is_recorded(route)}


@dataclass(frozen=True)
class Visit:
    """Who opens a recorded route in the walk, on whose records, and the status expected.

    Only 2xx pages show a record; a POST-only route answers a GET with 405 and a route that
    only sends the user on answers 302: those must write nothing.
    """

    user: str
    record: str = ""  # "sams", "idas", "nias" or "" for a list
    status: int = 200


SW, TM, PANEL, REP, FINANCE = (
    "social_worker",
    "team_manager",
    "panel_member",
    "representative",
    "finance_lead",
)
POST_ONLY = 405

WALK: dict[str, Visit] = {
    # The caseload and the case pages
    "cases:caseload": Visit(SW),
    "cases:take": Visit(SW, "sams", POST_ONLY),
    "cases:detail": Visit(SW, "sams"),
    "cases:outcome": Visit(SW, "idas"),
    "cases:agree": Visit(SW, "sams"),
    "cases:vary": Visit(SW, "sams"),
    "cases:outside-ras": Visit(SW, "sams"),
    "cases:return": Visit(SW, "sams"),
    "cases:start-review": Visit(SW, "idas"),
    "cases:contribution": Visit(SW, "idas"),
    # The person's own pages, opened by the representative acting for Ida
    "your-budget:decision": Visit(REP, "idas"),
    "your-budget:challenge": Visit(REP, "idas"),
    "your-budget:send-changed-answers": Visit(REP, "idas", POST_ONLY),
    # Managers and panels
    "managers:queue": Visit(TM),
    "managers:decision": Visit(TM, "sams"),
    "managers:approve": Visit(TM, "sams", POST_ONLY),
    "managers:decline": Visit(TM, "sams", POST_ONLY),
    "managers:send-to-panel": Visit(TM, "sams", POST_ONLY),
    "managers:return": Visit(TM, "sams", POST_ONLY),
    "managers:confirm-emergency": Visit(TM, "sams", POST_ONLY),
    "panels:meetings": Visit(PANEL),
    "panels:meeting": Visit(PANEL, "meeting"),
    "panels:agenda-add": Visit(PANEL, "meeting", POST_ONLY),
    "panels:minutes": Visit(PANEL, "meeting"),
    "panels:approve": Visit(PANEL, "meeting", POST_ONLY),
    "panels:approve-different": Visit(PANEL, "meeting", POST_ONLY),
    "panels:decline": Visit(PANEL, "meeting", POST_ONLY),
    "panels:defer": Visit(PANEL, "meeting", POST_ONLY),
    # Review tasks from a new table
    "proposals:list": Visit(SW),
    "proposals:keep": Visit(SW, "sams"),
    "proposals:start-review": Visit(SW, "sams", POST_ONLY),
    # Figures that list cases, and their downloads
    "equity:dashboard": Visit(TM),
    "equity:bands-csv": Visit(TM),
    "equity:bands-xlsx": Visit(TM),
    "equity:outliers-csv": Visit(TM),
    "equity:outliers-xlsx": Visit(TM),
    "recalculations:results": Visit(FINANCE),
    "recalculations:results-csv": Visit(FINANCE),
    "recalculations:results-xlsx": Visit(FINANCE),
    # Assessments: the staff pages, and the journey a worker fills in with a person
    "staff-assessments:list": Visit(SW),
    "staff-assessments:detail": Visit(SW, "sams"),
    "staff-assessments:question": Visit(SW, "sams"),
    "saq:resume": Visit(SW, "nias", 302),
    "saq:client-group": Visit(SW, "nias"),
    "saq:task-list": Visit(SW, "nias"),
    "saq:question": Visit(SW, "nias"),
    "saq:check": Visit(SW, "nias"),
    "saq:come-back-later": Visit(SW, "nias"),
    "assessment-budget:submit": Visit(SW, "nias", POST_ONLY),
    "assessment-budget:confirmation": Visit(SW, "sams"),
    "letters:indicative-budget": Visit(SW, "sams"),
    # The person's own copy of everything held (subject access)
    "subject-access:person": Visit(SW, "sams"),
    "subject-access:download": Visit(SW, "sams", POST_ONLY),
    "your-records:download": Visit(REP, "idas", POST_ONLY),
    # The APIs
    "decisions-api:decision-list": Visit(SW),
    "decisions-api:decision-detail": Visit(SW, "sams"),
    "decisions-api:decision-transition": Visit(SW, "sams", POST_ONLY),
    "decisions-api:decision-contribution": Visit(SW, "sams", POST_ONLY),
    "assessments-api:assessment-list": Visit(SW),
    "assessments-api:assessment-detail": Visit(SW, "sams"),
    "assessments-api:assessment-answer": Visit(SW, "nias", POST_ONLY),
    "assessments-api:assessment-answers": Visit(SW, "nias", POST_ONLY),
    "assessments-api:assessment-submit": Visit(SW, "nias", POST_ONLY),
}


def test_every_route_naming_a_persons_record_is_recorded_for_every_method():
    unrecorded = [
        (route.name, method)
        for route in ROUTES
        if route.namespace not in NOT_PERSONS_RECORDS and identifies_a_persons_record(route)
        for method, view in route.views.items()
        if recorded_kind(view) is None
    ]
    assert unrecorded == []


def test_the_walk_covers_every_recorded_route():
    assert set(RECORDED) == set(WALK)


def test_django_admin_shows_no_persons_records():
    """Admin is left out of the walk because no model of a person's records is in it."""
    personal = {Person, Assessment, Answer, BudgetDecision, DecisionEvent}
    for model in admin.site._registry:
        forward = [*model._meta.fields, *model._meta.many_to_many]
        related = {field.related_model for field in forward}
        assert model not in personal
        assert not related & personal, model


# Routes whose `public_id` is the person's own opaque id, not an assessment's.
PEOPLE_BY_PUBLIC_ID = frozenset({"subject-access", "your-records"})


def _kwargs(route: Route, visit: Visit, records: Records) -> dict[str, Any]:
    decision = records.idas if visit.record == "idas" else records.sams
    assessment = {
        "sams": records.sams.assessment,
        "idas": records.idas.assessment,
        "nias": records.nias_assessment,
    }.get(visit.record)
    person = decision.person if route.namespace in PEOPLE_BY_PUBLIC_ID else None
    values: dict[str, Any] = {
        "public_id": person.public_id if person else assessment.public_id if assessment else None,
        "decision_id": decision.pk,
        "event_id": records.idas_request.pk,
        "meeting_id": records.meeting.pk,
        "item_id": records.sams_item.pk,
        "proposal_id": records.proposal.pk,
        "code": "washing",
        "question_code": "washing",
        "pk": records.run.pk if route.namespace == "recalculations" else decision.pk,
    }
    return {name: values[name] for name in route.parameters}


def _people_shown(visit: Visit, records: Records) -> list[int | None]:
    people: dict[str, list[int | None]] = {
        "": [None],
        "sams": [records.sams.person_id],
        "idas": [records.idas.person_id],
        "nias": [records.nias_assessment.person_id],
        "meeting": [records.sams.person_id, records.idas.person_id],
    }
    return people[visit.record]


@pytest.mark.parametrize("url_name", sorted(WALK))
def test_each_recorded_view_writes_a_row_for_each_person_it_shows(
    url_name: str, records: Records, client_for, request: pytest.FixtureRequest
):
    route = RECORDED[url_name]
    visit = WALK[url_name]
    user: User = request.getfixturevalue(visit.user)
    url = reverse(url_name, kwargs=_kwargs(route, visit, records))
    before = set(AccessEvent.objects.values_list("pk", flat=True))

    response = client_for(user).get(url)
    response.getvalue()  # a download's file is read to its end, as a browser would

    assert response.status_code == visit.status, url
    written = AccessEvent.objects.exclude(pk__in=before).order_by("pk")
    if visit.status != 200:
        assert not written.exists()
        return
    kind = recorded_kind(route.views["get"])
    assert kind is not None
    assert sorted(written.values_list("person_id", flat=True), key=str) == sorted(
        _people_shown(visit, records), key=str
    )
    for row in written:
        assert (row.user, row.kind, row.url_name) == (user, kind, url_name)
        assert row.user_name == user.full_name
        assert row.ip_address == "127.0.0.1"


def test_a_staff_list_writes_one_row_naming_nobody(records: Records, client_for, social_worker):
    """The caseload names people but holds none of their records: one row says the list was
    seen, by whom and when; the cases opened from it are recorded as they are opened."""
    client_for(social_worker).get(reverse("cases:caseload"), {"page": "1"})
    row = AccessEvent.objects.get()
    assert (row.kind, row.person, row.reference, row.url_name) == (
        AccessKind.LIST,
        None,
        "",
        "cases:caseload",
    )


def test_a_panel_meeting_records_everyone_whose_papers_it_shows(
    records: Records, client_for, panel_member
):
    assert records.sams.assessment is not None
    assert records.idas.assessment is not None
    client_for(panel_member).get(reverse("panels:meeting", args=[records.meeting.pk]))
    assert set(AccessEvent.objects.values_list("person_id", "reference")) == {
        (
            records.sams.person_id,
            f"Decision {records.sams.pk}, assessment {records.sams.assessment.reference}",
        ),
        (
            records.idas.person_id,
            f"Decision {records.idas.pk}, assessment {records.idas.assessment.reference}",
        ),
    }

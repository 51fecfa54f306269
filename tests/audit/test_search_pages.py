"""The administrators' access audit pages: "who looked at Mrs X's record last month?" answered
from the application, names searched for by POST only, refusals, bad input and the CSV file."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse

from ras.accounts.roles import Role
from ras.audit.models import AccessEvent, AccessKind
from tests.audit.conftest import Records
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SEARCH = reverse("audit:search")
FIND_PERSON = reverse("audit:find-person")
FIND_STAFF = reverse("audit:find-staff")
DOWNLOAD = reverse("audit:download")


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=datetime.UTC)


def look_at(client_for, user, url: str, when: datetime.datetime) -> None:
    """`user` opens `url` at `when`, signing in then, as sessions last 30 minutes."""
    with time_machine.travel(when, tick=False):
        assert client_for(user).get(url).status_code == 200


@pytest.fixture
def looked(records: Records, client_for, social_worker, team_manager, panel_member) -> Records:
    """Sam's case was looked at: by Wendy on 15 September and at 00:30 on 1 October (London
    time, still 30 September in UTC) and on 20 October; by Mo on 31 October; by Pat in
    November. Wendy also looked at Ida's case in October."""
    sams = reverse("cases:detail", args=[records.sams.pk])
    wendy, mo, pat = social_worker, team_manager, panel_member
    look_at(client_for, wendy, sams, utc(2026, 9, 15, 10))
    look_at(client_for, wendy, sams, utc(2026, 9, 30, 23, 30))
    look_at(client_for, wendy, sams, utc(2026, 10, 20, 14))
    look_at(client_for, mo, sams, utc(2026, 10, 31, 16))
    look_at(client_for, pat, sams, utc(2026, 11, 2, 9))
    look_at(
        client_for, wendy, reverse("cases:detail", args=[records.idas.pk]), utc(2026, 10, 21, 9)
    )
    return records


def links(response) -> list[str]:
    return re.findall(r'href="([^"]+)"', response.content.decode())


def test_the_administrators_home_leads_to_the_audit(client_for, administrator):
    assert SEARCH in links(client_for(administrator).get(reverse("accounts:home")))


def test_who_looked_at_a_persons_record_last_month(looked, client_for, administrator):
    client = client_for(administrator)
    found = client.post(FIND_PERSON, {"person-search": "sam service"})
    assert found.status_code == 200
    person_link = f"{SEARCH}?person={looked.sams.person.public_id}"
    assert person_link in links(found)

    response = client.get(
        SEARCH,
        {
            "person": str(looked.sams.person.public_id),
            "date_from": "1/10/2026",
            "date_to": "31/10/2026",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Who looked at Sam Service-User’s records" in page
    assert "3 views from 1 October 2026 to 31 October 2026" in page
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page, re.DOTALL)[1:]
    assert ["Mo Manager" in rows[0], "Wendy Worker" in rows[1], "Wendy Worker" in rows[2]] == [
        True,
        True,
        True,
    ]
    assert "31 Oct 2026" in rows[0]
    assert "1 Oct 2026" in rows[2]  # 00:30 in London
    assert "Case: Decision" in rows[0]
    assert "127.0.0.1" in rows[0]
    assert "Pat Panel" not in page


def test_a_name_searched_for_never_reaches_an_address(looked, client_for, administrator):
    found = client_for(administrator).post(FIND_PERSON, {"person-search": "Sam Service-User"})
    assert found.status_code == 200  # not a redirect: the answer is the page itself
    assert all("Sam" not in link for link in links(found))


@pytest.mark.parametrize("how", ["reference", "decision", "opaque id"])
def test_a_person_is_found_by_a_reference_their_records_were_seen_under(
    looked, client_for, administrator, how
):
    sams = looked.sams
    search = {
        "reference": sams.assessment.reference.lower(),
        "decision": str(sams.pk),
        "opaque id": str(sams.person.public_id),
    }[how]
    found = client_for(administrator).post(FIND_PERSON, {"person-search": search})
    assert f"{SEARCH}?person={sams.person.public_id}" in links(found)
    assert f"{SEARCH}?person={looked.idas.person.public_id}" not in links(found)


def test_nobody_matching_says_so(looked, client_for, administrator):
    found = client_for(administrator).post(FIND_PERSON, {"person-search": "Zebedee"})
    assert "Nobody matches your search" in found.content.decode()


def test_what_a_member_of_staff_looked_at(looked, client_for, administrator, social_worker):
    client = client_for(administrator)
    found = client.post(FIND_STAFF, {"staff-search": "WENDY@example"})
    staff_link = f"{SEARCH}?staff={social_worker.pk}"
    assert staff_link in links(found)
    page = client.get(SEARCH, {"staff": social_worker.pk}).content.decode()
    assert "Records Wendy Worker looked at" in page
    assert "4 views, newest first" in page
    assert page.count("Sam Service-User</td>") == 0  # names sit beside their links
    assert page.count("Ida Represented") >= 1


def test_a_search_with_nothing_typed_says_what_to_enter(client_for, administrator):
    response = client_for(administrator).post(FIND_PERSON, {"person-search": "  "})
    assert response.status_code == 400
    assert "Enter a name, an assessment reference or a decision number" in response.content.decode()
    assert not AccessEvent.objects.exists()


def test_dates_the_wrong_way_round_are_an_error(looked, client_for, administrator):
    response = client_for(administrator).get(
        SEARCH,
        {"person": looked.sams.person.public_id, "date_from": "31/10/2026", "date_to": "1/10/2026"},
    )
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.content.decode()


def test_a_date_that_is_not_a_date_is_an_error(looked, client_for, administrator):
    response = client_for(administrator).get(
        SEARCH, {"person": looked.sams.person.public_id, "date_from": "last month"}
    )
    assert response.status_code == 400
    assert "Enter the start date as day/month/year" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"staff": "abc"}, {"person": "not-a-uuid"}, {"date_from": "1/10/2026"}],
)
def test_a_tampered_search_is_refused_and_shows_the_search_forms(client_for, administrator, query):
    response = client_for(administrator).get(SEARCH, query)
    assert response.status_code == 400
    assert "Find a person" in response.content.decode()


def test_someone_nobody_has_is_not_found(client_for, administrator):
    missing = "3f6a1f4e-0000-4000-8000-000000000000"
    assert client_for(administrator).get(SEARCH, {"person": missing}).status_code == 404
    assert client_for(administrator).get(SEARCH, {"staff": 999_999}).status_code == 404


@pytest.mark.parametrize("role", ["team_manager", "service_user", "social_worker", "finance_lead"])
def test_only_administrators_may_search_the_audit(looked, client_for, role, request):
    client = client_for(request.getfixturevalue(role))
    person = {"person": str(looked.sams.person.public_id)}
    assert client.get(SEARCH).status_code == 403
    assert client.get(SEARCH, person).status_code == 403
    assert client.get(DOWNLOAD, person).status_code == 403
    assert client.post(FIND_PERSON, {"person-search": "Sam"}).status_code == 403
    assert client.post(FIND_STAFF, {"staff-search": "Wendy"}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_looking_at_the_audit_is_itself_recorded(looked, client_for, administrator):
    before = set(AccessEvent.objects.values_list("pk", flat=True))
    client_for(administrator).get(SEARCH, {"person": looked.sams.person.public_id})
    row = AccessEvent.objects.exclude(pk__in=before).get()
    assert (row.user, row.kind, row.person, row.url_name) == (
        administrator,
        AccessKind.AUDIT,
        looked.sams.person,
        "audit:search",
    )


def test_a_long_history_is_shown_fifty_views_a_page(records, client_for, administrator):
    wendy = make_user(Role.SOCIAL_WORKER, "wes@example.org", "Wes Colleague")
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user=wendy,
            user_name="Wes Colleague",
            user_roles="Social worker",
            kind=AccessKind.CASE,
            person=records.sams.person,
            reference=f"Decision {records.sams.pk}",
            url_name="cases:detail",
        )
        for _ in range(51)
    )
    client = client_for(administrator)
    first = client.get(SEARCH, {"person": records.sams.person.public_id}).content.decode()
    assert "51 views, page 1 of 2" in first
    next_page = f"?person={records.sams.person.public_id}&amp;page=2"
    assert next_page in first
    second = client.get(SEARCH, {"person": records.sams.person.public_id, "page": 2})
    # The first page's look is itself a view of Sam's records now.
    assert "52 views, page 2 of 2" in second.content.decode()


def test_the_views_download_as_a_formula_safe_csv(records, client_for, administrator):
    mischief = make_user(Role.SOCIAL_WORKER, "eve@example.org", '=HYPERLINK("http://x")')
    client_for(mischief).get(reverse("cases:detail", args=[records.sams.pk]))
    response = client_for(administrator).get(DOWNLOAD, {"person": records.sams.person.public_id})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    header, row = csv.reader(io.StringIO(response.content.decode()))
    assert header[:4] == ["When", "Who", "Their roles", "What"]
    assert row[1] == '\'=HYPERLINK("http://x")'
    assert row[4:6] == ["Sam Service-User", str(records.sams.person.public_id)]
    assert row[6].startswith(f"Decision {records.sams.pk}, assessment ")
    downloaded = AccessEvent.objects.filter(url_name="audit:download").get()
    assert (downloaded.user, downloaded.person) == (administrator, records.sams.person)

"""What a view of a person's records writes to the access audit, and what it never writes.

Recorded: a member of staff, or a representative, shown someone's records (a page or file, or a
form shown again with its errors). Not recorded: a person seeing their own records, a refusal,
a redirect. A row says who, when, what and from where; never an answer, a reason or a name.
"""

import pytest
from django.urls import reverse

from ras.accounts.roles import Role
from ras.audit.models import AccessEvent, AccessKind
from ras.people.models import Person
from tests.audit.conftest import Records
from tests.conftest import make_user
from tests.questionnaires.conftest import FULL_ANSWERS
from tests.reviews.person_cast import agree

pytestmark = pytest.mark.django_db

CHROME_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def case_url(records: Records) -> str:
    return reverse("cases:detail", args=[records.sams.pk])


def test_a_case_page_records_who_when_what_and_from_where(records, client_for, social_worker):
    client_for(social_worker).get(
        case_url(records), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT=CHROME_ON_WINDOWS
    )
    row = AccessEvent.objects.get()
    assert row.user == social_worker
    assert row.user_name == "Wendy Worker"
    assert row.user_roles == "Social worker"
    assert row.kind == AccessKind.CASE
    assert row.person == records.sams.person
    assert row.reference == (
        f"Decision {records.sams.pk}, assessment {records.sams.assessment.reference}"
    )
    assert row.url_name == "cases:detail"
    assert row.ip_address == "203.0.113.9"
    assert row.user_agent == "Chrome 131 on Windows"


def test_the_address_is_the_connections_not_a_header_anyone_can_write(
    records, client_for, social_worker
):
    client_for(social_worker).get(
        case_url(records), REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    assert AccessEvent.objects.get().ip_address == "203.0.113.9"


def test_the_roles_are_kept_as_they_were_when_the_user_looked(records, client_for, social_worker):
    client_for(social_worker).get(case_url(records))
    social_worker.groups.clear()
    assert AccessEvent.objects.get().user_roles == "Social worker"


def test_a_query_string_is_never_kept(records, client_for, team_manager):
    client_for(team_manager).get(reverse("cases:caseload"), {"page": "2", "q": "Sam"})
    assert AccessEvent.objects.get().url_name == "cases:caseload"
    assert not AccessEvent.objects.filter(reference__icontains="Sam").exists()


def test_rows_never_hold_answers_reasons_or_names(records, client_for, social_worker):
    """Every page of Sam's and Ida's records, then every text the rows hold, checked."""
    client = client_for(social_worker)
    for url in (
        case_url(records),
        reverse("cases:detail", args=[records.idas.pk]),
        reverse("cases:outcome", args=[records.idas.pk, records.idas_request.pk]),
        reverse("staff-assessments:detail", args=[records.sams.assessment.public_id]),
        reverse("letters:indicative-budget", args=[records.sams.assessment.public_id]),
        reverse("decisions-api:decision-detail", args=[records.idas.pk]),
        reverse("assessments-api:assessment-detail", args=[records.sams.assessment.public_id]),
    ):
        assert client.get(url).status_code == 200, url
    forbidden = {
        "Sam Service-User",
        "Ida Represented",
        "Needs a check at night",  # Ida's reasons
        *FULL_ANSWERS,  # question codes
        *FULL_ANSWERS.values(),  # the options chosen
        "substantial",
    }
    texts = AccessEvent.objects.values_list(
        "user_name", "user_roles", "kind", "reference", "url_name", "user_agent"
    )
    assert len(texts) == 7
    for row in texts:
        for text in row:
            assert not any(word.lower() in text.lower() for word in forbidden), text


def test_a_person_seeing_their_own_records_is_not_recorded(records, client_for, service_user):
    """Sam's own budget page, his assessment's confirmation and his letter."""
    client = client_for(service_user)
    agree(records.sams, make_user(Role.SOCIAL_WORKER, "wes@example.org", "Wes Colleague"))
    public_id = records.sams.assessment.public_id
    for url in (
        reverse("your-budget:decision", args=[records.sams.pk]),
        reverse("assessment-budget:confirmation", args=[public_id]),
        reverse("letters:indicative-budget", args=[public_id]),
        reverse("assessments-api:assessment-detail", args=[public_id]),
        reverse("assessments-api:assessment-list"),
        reverse("decisions-api:decision-list"),
    ):
        assert client.get(url).status_code == 200, url
    assert not AccessEvent.objects.exists()


def test_a_representative_seeing_the_persons_records_is_recorded(
    records, client_for, representative
):
    client_for(representative).get(reverse("your-budget:decision", args=[records.idas.pk]))
    row = AccessEvent.objects.get()
    assert (row.user, row.person, row.kind) == (representative, records.idas.person, "budget")


def test_a_representatives_own_lists_are_not_recorded(records, client_for, representative):
    """Their lists hold only the people they act for; each record opened is recorded."""
    client = client_for(representative)
    assert client.get(reverse("assessments-api:assessment-list")).status_code == 200
    assert client.get(reverse("decisions-api:decision-list")).status_code == 200
    assert not AccessEvent.objects.exists()


def test_a_refused_user_is_not_recorded(records, client_for, finance_lead, second_service_user):
    assert client_for(finance_lead).get(case_url(records)).status_code == 403
    stranger = client_for(second_service_user)
    assert stranger.get(reverse("your-budget:decision", args=[records.sams.pk])).status_code == 404
    assert not AccessEvent.objects.exists()


def test_a_case_that_does_not_exist_records_nothing(records, client_for, social_worker):
    assert client_for(social_worker).get("/cases/999999/").status_code == 404
    assert not AccessEvent.objects.exists()


def test_a_form_shown_again_with_its_errors_is_recorded(records, client_for, social_worker):
    """The vary page, sent with no amount, shows the case again with the error."""
    response = client_for(social_worker).post(
        reverse("cases:vary", args=[records.sams.pk]),
        {"seen_state": "indicative", "amount": "", "reasons": ""},
    )
    assert response.status_code == 400
    row = AccessEvent.objects.get()
    assert (row.person, row.url_name) == (records.sams.person, "cases:vary")


def test_an_action_that_redirects_records_nothing_until_the_page_is_shown(
    records, client_for, social_worker
):
    client = client_for(social_worker)
    response = client.post(
        reverse("cases:agree", args=[records.sams.pk]), {"seen_state": "indicative"}
    )
    assert response.status_code == 302
    assert not AccessEvent.objects.exists()
    client.get(response["Location"])
    assert AccessEvent.objects.get().url_name == "cases:detail"


def test_taking_a_case_through_the_api_records_the_case_it_shows(
    submitted_assessment, client_for, social_worker
):
    response = client_for(social_worker).post(
        reverse("decisions-api:decision-open"),
        {"assessment": str(submitted_assessment.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 201
    row = AccessEvent.objects.get()
    assert (row.person, row.kind, row.reference) == (
        submitted_assessment.person,
        AccessKind.CASE,
        f"Decision {response.json()['id']}, assessment {submitted_assessment.reference}",
    )


def test_an_emergency_for_someone_known_records_their_case(records, client_for, social_worker):
    person = Person.objects.get(pk=records.nias_assessment.person_id)
    response = client_for(social_worker).post(
        reverse("decisions-api:decision-emergency"),
        {"person_id": str(person.public_id), "amount_pence": 100_000, "reasons": "Crisis"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert AccessEvent.objects.get().person == person


def test_a_service_user_sees_nothing_recorded_for_an_assessment_they_fill_in(
    assessment, client_for, service_user
):
    client = client_for(service_user)
    public_id = assessment.public_id
    for name in ("saq:task-list", "saq:check", "saq:come-back-later"):
        assert client.get(reverse(name, args=[public_id])).status_code == 200, name
    assert not AccessEvent.objects.exists()

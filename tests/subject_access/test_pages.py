"""Who may download a person's copy, and how: staff from the person's page, the person (or
someone acting for them) from their own. Deny by default; a person the user may not copy answers
404 with no hint they exist; a tampered id changes nothing.

The cast is in tests/subject_access/conftest.py: Sam's case went to a panel meeting Pat sits on;
Dana acts for Sam; Rita acts for Ida, whose case went to no panel. Every social worker and team
manager may see every case today (ADR 0010), so the staff member with no access to a person is
a panel member whose agendas do not hold the person's case.
"""

import io
import json
import uuid
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ras.accounts.roles import Role
from ras.audit.models import AccessEvent, AccessKind
from ras.people.models import Person
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NOT_STAFF_HERE = ["service_user", "representative", "finance_lead"]


def person_url(person: Person) -> str:
    return reverse("subject-access:person", args=[person.public_id])


def staff_download_url(person: Person) -> str:
    return reverse("subject-access:download", args=[person.public_id])


def own_download_url(person: Person) -> str:
    return reverse("your-records:download", args=[person.public_id])


def copy_of(response) -> Any:
    """The data.json of a downloaded zip."""
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return json.loads(archive.read("data.json"))


def assert_is_the_copy_of(response, person: Person) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="records-{person.public_id}.zip"'
    )
    assert response["Cache-Control"] == "no-store"
    assert copy_of(response)["person"]["public_id"] == str(person.public_id)


# Staff


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "administrator"])
def test_staff_who_may_see_the_case_download_everything_held(
    request, client_for, cast, role
) -> None:
    response = client_for(request.getfixturevalue(role)).post(staff_download_url(cast.sam))
    assert_is_the_copy_of(response, cast.sam)


def test_the_file_name_never_carries_the_persons_name(client_for, social_worker, cast) -> None:
    disposition = client_for(social_worker).post(staff_download_url(cast.sam))[
        "Content-Disposition"
    ]
    assert "Sam" not in disposition
    assert "Service-User" not in disposition


def test_a_panel_member_downloads_the_copy_of_a_case_on_their_agenda(
    client_for, panel_member, cast
) -> None:
    response = client_for(panel_member).post(staff_download_url(cast.sam))
    assert_is_the_copy_of(response, cast.sam)


def test_a_panel_member_is_refused_a_person_whose_case_is_on_none_of_their_agendas(
    client_for, panel_member, cast
) -> None:
    """Staff with no access to the person are refused as if the person did not exist."""
    client = client_for(panel_member)
    assert client.get(person_url(cast.ida)).status_code == 404
    assert client.post(staff_download_url(cast.ida)).status_code == 404


def test_a_panel_member_on_no_panel_sees_nobody(client_for, cast) -> None:
    outsider = make_user(Role.PANEL_MEMBER, "percy@example.org", "Percy Panel")
    assert client_for(outsider).post(staff_download_url(cast.sam)).status_code == 404


@pytest.mark.parametrize("role", NOT_STAFF_HERE)
def test_anyone_else_is_refused_the_staff_pages(request, client_for, cast, role) -> None:
    """Finance leads see figures, not people; the person's side has its own page."""
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("subject-access:find")).status_code == 403
    assert client.get(person_url(cast.sam)).status_code == 403
    assert client.post(staff_download_url(cast.sam)).status_code == 403


def test_someone_signed_out_is_sent_to_sign_in(client, cast) -> None:
    url = person_url(cast.sam)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign-in')}?next={url}"
    assert client.post(staff_download_url(cast.sam)).status_code == 302


def test_the_download_is_a_post_never_a_link(client_for, social_worker, cast) -> None:
    assert client_for(social_worker).get(staff_download_url(cast.sam)).status_code == 405


def test_a_download_without_the_forms_token_is_refused(social_worker, cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(social_worker)
    response = client.post(staff_download_url(cast.sam))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_person_is_not_found_and_nothing_changes(client_for, social_worker, cast):
    people = Person.objects.count()
    client = client_for(social_worker)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/subject-access/{unknown}/").status_code == 404
    response = client.post(f"/subject-access/{unknown}/download/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert Person.objects.count() == people


@pytest.mark.parametrize("tampered", ["1", "not-a-uuid", f"{uuid.uuid4()}x", "../../1"])
def test_a_tampered_id_is_not_found(client_for, social_worker, cast, tampered) -> None:
    client = client_for(social_worker)
    assert client.get(f"/subject-access/{tampered}/").status_code == 404
    assert client.post(f"/subject-access/{tampered}/download/").status_code == 404
    assert client.post(f"/your-records/{tampered}/download/").status_code == 404


def test_the_persons_page_says_what_is_held_and_offers_the_download(
    client_for, social_worker, cast
) -> None:
    response = client_for(social_worker).get(person_url(cast.sam))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Everything we hold about Sam Service-User" in page
    assert str(cast.sam.public_id) in page
    assert "sam@example.org" in page
    assert "Dana Daughter (my father)" in page
    assert "Steps taken on decisions, with reasons" in page
    assert f'action="{staff_download_url(cast.sam)}"' in page
    assert "csrfmiddlewaretoken" in page
    assert "Download everything we hold about this person" in page


def test_the_case_page_leads_to_the_persons_records(client_for, social_worker, cast) -> None:
    page = client_for(social_worker).get(reverse("cases:detail", args=[cast.sam_decision.pk]))
    assert person_url(cast.sam) in page.content.decode()


def test_a_panel_member_without_the_case_gets_neither_the_case_nor_the_records(
    client_for, panel_member, cast
) -> None:
    client = client_for(panel_member)
    assert client.get(reverse("cases:detail", args=[cast.ida_decision.pk])).status_code == 404
    assert client.get(person_url(cast.ida)).status_code == 404


def find(client: Client, query: str):
    return client.post(reverse("subject-access:find"), {"query": query})


def test_staff_find_the_person_by_reference_or_name(client_for, administrator, cast) -> None:
    client = client_for(administrator)
    assert client.get(reverse("subject-access:find")).status_code == 200
    for query in (cast.sam_assessment.reference.lower(), "service-user", str(cast.sam.public_id)):
        page = find(client, query).content.decode()
        assert person_url(cast.sam) in page, query
        assert person_url(cast.ida) not in page, query


def test_finding_nobody_says_so(client_for, administrator, cast) -> None:
    page = find(client_for(administrator), "Nobody By This Name").content.decode()
    assert "Nobody found" in page


def test_an_empty_search_is_an_error(client_for, administrator, cast) -> None:
    response = find(client_for(administrator), "   ")
    assert response.status_code == 400
    assert "Enter a self-assessment reference or a name" in response.content.decode()


def test_a_panel_member_finds_only_the_people_on_their_agendas(
    client_for, panel_member, cast
) -> None:
    client = client_for(panel_member)
    assert "Nobody found" in find(client, cast.ida_assessment.reference).content.decode()
    assert person_url(cast.sam) in find(client, "Sam").content.decode()


def test_the_administrators_home_leads_to_subject_access(client_for, administrator) -> None:
    page = client_for(administrator).get(reverse("accounts:home")).content.decode()
    assert reverse("subject-access:find") in page


# The person and those acting for them


def test_the_person_downloads_everything_held_about_them(client_for, service_user, cast) -> None:
    response = client_for(service_user).post(own_download_url(cast.sam))
    assert_is_the_copy_of(response, cast.sam)


def test_a_representative_downloads_the_copy_of_the_person_they_act_for(client_for, cast) -> None:
    response = client_for(cast.dana).post(own_download_url(cast.sam))
    assert_is_the_copy_of(response, cast.sam)


def test_a_second_service_user_cannot_download_someone_elses_copy(
    client_for, second_service_user, cast
) -> None:
    assert client_for(second_service_user).post(own_download_url(cast.sam)).status_code == 404


def test_a_representative_cannot_download_the_copy_of_someone_they_do_not_act_for(
    client_for, representative, cast
) -> None:
    """Rita acts for Ida, not for Sam."""
    assert client_for(representative).post(own_download_url(cast.sam)).status_code == 404
    assert_is_the_copy_of(client_for(representative).post(own_download_url(cast.ida)), cast.ida)


def test_the_person_cannot_use_the_staff_pages(client_for, service_user, cast) -> None:
    assert client_for(service_user).post(staff_download_url(cast.sam)).status_code == 403


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "administrator"])
def test_staff_use_their_own_pages_not_the_persons(request, client_for, cast, role) -> None:
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("your-records:list")).status_code == 403
    assert client.post(own_download_url(cast.sam)).status_code == 403


def test_the_persons_own_download_is_a_post(client_for, service_user, cast) -> None:
    assert client_for(service_user).get(own_download_url(cast.sam)).status_code == 405


def test_the_persons_page_offers_their_own_copy(client_for, service_user, cast) -> None:
    page = client_for(service_user).get(reverse("your-records:list")).content.decode()
    assert "Download a copy of everything we hold about you" in page
    assert f'action="{own_download_url(cast.sam)}"' in page
    assert "Ida" not in page


def test_a_representative_sees_a_download_for_each_person_they_act_for(client_for, cast) -> None:
    page = client_for(cast.dana).get(reverse("your-records:list")).content.decode()
    assert "Download a copy of everything we hold about Sam Service-User" in page
    assert f'action="{own_download_url(cast.sam)}"' in page


def test_someone_with_no_records_is_told_so(client_for, second_service_user) -> None:
    page = client_for(second_service_user).get(reverse("your-records:list")).content.decode()
    assert "We do not hold any records about your care and support yet" in page
    assert "/download/" not in page


def test_the_budget_page_leads_to_the_persons_copy(client_for, service_user, cast) -> None:
    page = client_for(service_user).get(reverse("your-budget:budgets")).content.decode()
    assert reverse("your-records:list") in page
    assert "Download a copy of everything we hold about you" in page


def test_each_copy_handed_to_someone_else_is_in_the_access_audit(
    cast, client_for, social_worker, service_user, representative
) -> None:
    """Staff and a representative are recorded; the person downloading their own copy is not."""
    client_for(social_worker).post(staff_download_url(cast.sam))
    client_for(service_user).post(own_download_url(cast.sam))
    client_for(representative).post(own_download_url(cast.ida))

    assert list(AccessEvent.objects.order_by("pk").values_list("user", "kind", "person")) == [
        (social_worker.pk, AccessKind.SUBJECT_ACCESS, cast.sam.pk),
        (representative.pk, AccessKind.SUBJECT_ACCESS, cast.ida.pk),
    ]

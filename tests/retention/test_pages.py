"""The administrators' pages: retention runs with their reports, and legal holds."""

import uuid

import pytest
from django.urls import reverse

from ras.retention.models import LegalHold, RetentionRun
from tests.retention.conftest import NOW, days, run_at, saved_days_ago

pytestmark = pytest.mark.django_db

OTHER_ROLES = [
    "service_user",
    "representative",
    "social_worker",
    "team_manager",
    "finance_lead",
    "panel_member",
]


@pytest.fixture
def run(assessment) -> RetentionRun:
    saved_days_ago(assessment, 91)
    run_at(NOW - days(7))
    return run_at(NOW)


@pytest.fixture
def hold(assessment, administrator) -> LegalHold:
    return LegalHold.objects.create(
        person=assessment.person, reason="Claim 2027/14", placed_by=administrator, placed_at=NOW
    )


def page_urls(run: RetentionRun, hold: LegalHold) -> list[str]:
    return [
        reverse("retention:runs"),
        reverse("retention:run", kwargs={"run_id": run.pk}),
        reverse("retention:holds"),
        reverse("retention:hold-new"),
        reverse("retention:hold-release", kwargs={"hold_id": hold.public_id}),
    ]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused_every_page(role, request, client_for, run, hold) -> None:
    client = client_for(request.getfixturevalue(role))
    for url in page_urls(run, hold):
        assert client.get(url).status_code == 403, url
        assert (
            client.post(url, {"reason": "x", "action": "search", "search": "Sam"}).status_code
            == 403
        )
    assert LegalHold.objects.get(pk=hold.pk).is_in_force


def test_anonymous_visitors_are_sent_to_sign_in(client, run, hold) -> None:
    for url in page_urls(run, hold):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_the_runs_page_says_what_was_deleted_and_by_which_rule(
    client_for, administrator, run
) -> None:
    page = client_for(administrator).get(reverse("retention:runs")).content.decode()
    assert "What the retention schedule deleted, and why" in page
    assert reverse("retention:run", kwargs={"run_id": run.pk}) in page
    assert "nothing has been saved in it for 90 days" in page
    assert "Sam Service-User" not in page


def test_a_runs_report_gives_the_rule_period_and_counts_and_no_names(
    client_for, administrator, run
) -> None:
    response = client_for(administrator).get(reverse("retention:run", kwargs={"run_id": run.pk}))
    page = response.content.decode()
    assert "Unsent self-assessments" in page
    assert "Closed cases" in page
    assert "90 days" in page
    assert "8 years" in page
    assert "Sign-in accounts closed" in page
    assert "Sam Service-User" not in page
    drafts = run.lines.get(kind="abandoned-drafts")
    assert drafts.deleted_count == 1


def test_an_unknown_run_is_not_found(client_for, administrator) -> None:
    assert (
        client_for(administrator).get(reverse("retention:run", kwargs={"run_id": 999})).status_code
        == 404
    )


def test_the_holds_page_lists_holds_in_force(client_for, administrator, hold) -> None:
    page = client_for(administrator).get(reverse("retention:holds")).content.decode()
    assert "Sam Service-User" in page
    assert "Claim 2027/14" in page
    assert reverse("retention:hold-release", kwargs={"hold_id": hold.public_id}) in page


def test_an_administrator_finds_a_person_and_places_a_hold(
    client_for, administrator, assessment
) -> None:
    client = client_for(administrator)
    found = client.post(reverse("retention:hold-new"), {"action": "search", "search": "service"})
    assert str(assessment.person.public_id) in found.content.decode()
    by_reference = client.post(
        reverse("retention:hold-new"), {"action": "search", "search": assessment.reference}
    )
    assert str(assessment.person.public_id) in by_reference.content.decode()
    response = client.post(
        reverse("retention:hold-new"),
        {
            "action": "place",
            "search": "service",
            "person": str(assessment.person.public_id),
            "reason": "Ombudsman complaint 24 001 234",
        },
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.person, hold.reason, hold.placed_by) == (
        assessment.person,
        "Ombudsman complaint 24 001 234",
        administrator,
    )


def test_a_search_with_no_match_says_so(client_for, administrator, assessment) -> None:
    response = client_for(administrator).post(
        reverse("retention:hold-new"), {"action": "search", "search": "Nobody-by-this-name"}
    )
    assert "No one found" in response.content.decode()


def test_an_empty_search_is_an_error(client_for, administrator) -> None:
    response = client_for(administrator).post(
        reverse("retention:hold-new"), {"action": "search", "search": ""}
    )
    assert response.status_code == 400
    assert "Enter a name or an assessment reference" in response.content.decode()


@pytest.mark.parametrize("tampered", [str(uuid.uuid4()), "not-an-id", "1"])
def test_a_tampered_person_id_is_a_clear_error_and_changes_nothing(
    client_for, administrator, assessment, tampered
) -> None:
    response = client_for(administrator).post(
        reverse("retention:hold-new"),
        {"action": "place", "search": "service", "person": tampered, "reason": "A claim"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "We could not find that person. Search for them again." in page
    assert not LegalHold.objects.exists()


def test_a_hold_without_a_reason_is_an_error(client_for, administrator, assessment) -> None:
    response = client_for(administrator).post(
        reverse("retention:hold-new"),
        {"action": "place", "search": "service", "person": str(assessment.person.public_id)},
    )
    assert response.status_code == 400
    assert "Enter the reason for the legal hold" in response.content.decode()
    assert not LegalHold.objects.exists()


def test_an_administrator_releases_a_hold_with_a_reason(client_for, administrator, hold) -> None:
    url = reverse("retention:hold-release", kwargs={"hold_id": hold.public_id})
    client = client_for(administrator)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert LegalHold.objects.get(pk=hold.pk).is_in_force
    assert client.post(url, {"reason": "Claim settled"}).status_code == 302
    released = LegalHold.objects.get(pk=hold.pk)
    assert (released.release_reason, released.released_by) == ("Claim settled", administrator)
    again = client.post(url, {"reason": "Once more"})
    assert again.status_code == 400
    assert "already been released" in again.content.decode()
    assert LegalHold.objects.get(pk=hold.pk).release_reason == "Claim settled"


def test_an_unknown_hold_is_not_found(client_for, administrator) -> None:
    url = reverse("retention:hold-release", kwargs={"hold_id": uuid.uuid4()})
    assert client_for(administrator).post(url, {"reason": "x"}).status_code == 404


def test_the_administrators_home_links_to_both_pages(client_for, administrator) -> None:
    page = client_for(administrator).get(reverse("accounts:home")).content.decode()
    assert reverse("retention:runs") in page
    assert reverse("retention:holds") in page

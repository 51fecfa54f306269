"""Nothing shown to a signed-in user is stored by a browser or a proxy; public pages seen by
anonymous visitors are left as they were."""

import pytest
from django.urls import reverse

from tests.audit.conftest import (  # noqa: F401 - fixtures
    Records,
    assessment,
    decision,
    older_people,
    published_version,
    questionnaire,
    records,
    submitted_assessment,
)

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_a_persons_case_page_is_never_stored(records: Records, client_for, social_worker):
    response = client_for(social_worker).get(reverse("cases:detail", args=[records.sams.pk]))
    assert response.status_code == 200
    assert no_store(response)
    assert "private" in response["Cache-Control"]


def test_a_persons_own_budget_page_is_never_stored(records: Records, client_for, service_user):
    response = client_for(service_user).get(reverse("your-budget:decision", args=[records.sams.pk]))
    assert response.status_code == 200
    assert no_store(response)


@pytest.mark.parametrize(
    "url_name", ["equity:outliers-csv", "equity:outliers-xlsx", "equity:bands-csv"]
)
def test_an_export_is_never_stored(url_name, client_for, team_manager):
    response = client_for(team_manager).get(reverse(url_name))
    assert response.status_code == 200
    assert no_store(response)


def test_a_letter_is_never_stored(records: Records, client_for, social_worker):
    assert records.sams.assessment is not None
    url = reverse("letters:indicative-budget", args=[records.sams.assessment.public_id])
    response = client_for(social_worker).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"  # the letter's own header is kept as it is


def test_an_error_page_for_a_signed_in_user_is_never_stored(client_for, social_worker):
    response = client_for(social_worker).get("/cases/999999/")
    assert response.status_code == 404
    assert no_store(response)


def test_a_public_page_seen_by_someone_signed_in_is_not_stored_either(client_for, service_user):
    assert no_store(client_for(service_user).get(reverse("transparency:index")))


@pytest.mark.parametrize(
    "url_name",
    [
        "start",
        "transparency:index",
        "transparency:download-csv",
        "open-data:index",
        "open-data:download-csv",
        "transparency:calculator",
    ],
)
def test_public_pages_for_anonymous_visitors_are_unaffected(url_name, client, older_people):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert not no_store(response)
    assert "private" not in response.get("Cache-Control", "")

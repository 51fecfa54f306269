import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ras.accounts.models import User
from ras.accounts.roles import ROLE_HOMES, Role
from ras.accounts.services import user_create
from tests.conftest import ClientFactory

pytestmark = pytest.mark.django_db


def test_the_start_page_says_what_the_service_does_for_each_kind_of_user() -> None:
    page = Client().get(reverse("start")).content.decode()
    assert "<title>Find out your personal budget for care and support – " in page
    for audience in ("People who need support", "Social workers", "Finance leads"):
        assert audience in page
    assert "Northbrook Council" in page
    assert "GDS Transport" not in page


def test_home_needs_a_signed_in_person() -> None:
    response = Client().get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("role", list(Role))
def test_each_role_home_lists_what_that_role_can_do(role: Role, client_for: ClientFactory) -> None:
    user = user_create(email="person@example.org", full_name="A Person", roles=[role])
    page = client_for(user).get(reverse("accounts:home")).content.decode()
    assert f'<h2 class="govuk-heading-m" id="role-1">{role.value}</h2>' in page
    for task in ROLE_HOMES[role].can_do:
        assert f'href="{reverse(task.url_name)}">{escape(task.text)}</a>' in page


def test_a_person_with_two_roles_sees_both(client_for: ClientFactory) -> None:
    user = user_create(
        email="both@example.org",
        full_name="Two Hats",
        roles=[Role.SOCIAL_WORKER, Role.PANEL_MEMBER],
    )
    page = client_for(user).get(reverse("accounts:home")).content.decode()
    assert "Social worker</h2>" in page
    assert "Panel member</h2>" in page
    assert "Finance lead</h2>" not in page


def test_django_admin_opens_for_administrators(
    administrator: User, client_for: ClientFactory
) -> None:
    assert client_for(administrator).get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "role", [role for role in Role if role is not Role.ADMINISTRATOR], ids=lambda role: role.name
)
def test_django_admin_is_closed_to_everyone_else(role: Role, client_for: ClientFactory) -> None:
    user = user_create(email="someone@example.org", full_name="Someone", roles=[role])
    user.is_staff = True  # even a wrongly ticked "staff" box does not open it
    user.save()
    response = client_for(user).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_unknown_address_gets_the_councils_not_found_page() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/reviews/delegatedauthority/",
        "/admin/reviews/reasoncode/",
        "/admin/allocations/clientgroup/add/",
    ],
)
def test_administrators_edit_authority_reasons_and_client_groups(
    path: str, administrator: User, client_for: ClientFactory
) -> None:
    assert client_for(administrator).get(path).status_code == 200


def test_other_staff_hold_no_admin_permissions(social_worker: User, finance_lead: User) -> None:
    for user in (social_worker, finance_lead):
        assert not user.has_perm("reviews.change_delegatedauthority")

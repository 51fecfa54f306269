"""The one door: a staff member signed in with a password only is refused everywhere, except the
pages on the allow-list. Every URL pattern of `ras.urls` is walked, so a new page is covered the
day it is added."""

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from ras.accounts.middleware import (
    OPEN_BEFORE_SECOND_STEP_NAMESPACES,
    OPEN_BEFORE_SECOND_STEP_VIEWS,
)
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from tests.accounts.two_step_helpers import password_only_client
from tests.conftest import PASSWORD, authenticator_app_for

pytestmark = pytest.mark.django_db

DUMMY_BY_CONVERTER = {
    "int": "1",
    "uuid": "00000000-0000-4000-8000-000000000001",
    "slug": "x",
    "str": "x",
    "path": "x",
}
REGEX_CANDIDATES = ("1", DUMMY_BY_CONVERTER["uuid"], "x", "accounts")
SECOND_STEP_PAGES = (reverse("accounts:two-step"), reverse("accounts:two-step-set-up"))


def test_the_allow_list_is_the_sign_in_pages_and_what_is_public_anyway() -> None:
    assert {
        "start",
        "healthz",
        "accounts:sign-in",
        "accounts:sign-out",
        "accounts:signed-out",
        "accounts:two-step",
        "accounts:two-step-recovery",
        "accounts:two-step-set-up",
    } == OPEN_BEFORE_SECOND_STEP_VIEWS
    assert {"transparency", "open-data", "open-data-api"} == OPEN_BEFORE_SECOND_STEP_NAMESPACES


@pytest.mark.parametrize("with_app", [True, False], ids=["app set up", "no app yet"])
def test_a_staff_member_without_the_second_step_is_refused_everywhere(with_app: bool) -> None:
    """Every role's pages, Django admin and the API, asked by an administrator who also holds
    every other staff role, so no view's own role check can be what refuses them."""
    user = user_create(
        email="all.roles@example.org",
        full_name="All Roles",
        roles=[role for role in Role if role.is_staff_role],
        password=PASSWORD,
    )
    if with_app:
        authenticator_app_for(user)
    client = password_only_client(user)
    checked = 0
    for path, view_name in every_url():
        for method in ("get", "post"):
            if is_open_before_second_step(view_name):
                # Open pages answer for themselves (a post could be signing out); the second-step
                # pages send a person to the right one of them.
                if method == "get" and not str(view_name).startswith("accounts:two-step"):
                    assert not redirected_to_second_step(client.get(path)), path
                continue
            response = getattr(client, method)(path)
            checked += 1
            if path.startswith("/api/"):
                assert response.status_code == 403, (method, path, response.status_code)
                assert response["Content-Type"] == "application/json", (method, path)
                assert "Finish signing in first" in response.json()["detail"]
            else:
                assert redirected_to_second_step(response), (method, path, response.status_code)
                expected = "accounts:two-step" if with_app else "accounts:two-step-set-up"
                assert response["Location"].startswith(reverse(expected)), (method, path)
    assert checked > 200  # the walk really walked


def test_a_page_asked_for_comes_back_after_the_second_step(social_worker: User) -> None:
    authenticator_app_for(social_worker)
    response = password_only_client(social_worker).get("/cases/?page=2")
    assert response["Location"] == f"{reverse('accounts:two-step')}?next=%2Fcases%2F%3Fpage%3D2"


def test_the_public_pages_stay_open_before_the_second_step(social_worker: User) -> None:
    client = password_only_client(social_worker)
    for url in (
        reverse("start"),
        reverse("transparency:index"),
        reverse("open-data:index"),
        reverse("open-data-api:list"),
    ):
        assert client.get(url).status_code == 200, url


def test_static_files_are_served_before_the_second_step(social_worker: User) -> None:
    response = password_only_client(social_worker).get("/static/favicon.svg")
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)  # type: ignore[attr-defined]
    response.close()


def test_signing_out_works_before_the_second_step(social_worker: User) -> None:
    client = password_only_client(social_worker)
    response = client.post(reverse("accounts:sign-out"))
    assert response["Location"] == reverse("accounts:signed-out")
    assert "_auth_user_id" not in client.session


def test_an_administrator_without_a_role_flag_but_superuser_needs_the_second_step() -> None:
    user = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root")
    response = password_only_client(user).get("/admin/")
    assert redirected_to_second_step(response)


def test_people_who_need_no_second_step_are_let_through(service_user: User) -> None:
    client = password_only_client(service_user)
    assert client.get(reverse("your-budget:budgets")).status_code == 200
    assert client.get(reverse("api:client-group-list")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in_not_to_the_second_step() -> None:
    response = Client().get("/cases/")
    assert response["Location"].startswith(reverse("accounts:sign-in"))


# Walking the URL patterns.


def every_url() -> Iterator[tuple[str, str | None]]:
    """A concrete path for each URL pattern of the project, and the view name it should match."""
    for parts, name in _patterns(get_resolver(), []):
        path = "/" + "".join(_concrete(part) for part in parts)
        match = resolve(path)
        if name is not None:
            assert match.view_name == name, (path, name, match.view_name)
        yield path, match.view_name


def is_open_before_second_step(view_name: str | None) -> bool:
    if view_name is None:
        return False
    namespace = view_name.rpartition(":")[0]
    return (
        view_name in OPEN_BEFORE_SECOND_STEP_VIEWS
        or namespace in OPEN_BEFORE_SECOND_STEP_NAMESPACES
    )


def redirected_to_second_step(response: object) -> bool:
    location = getattr(response, "headers", {}).get("Location", "")
    return bool(
        getattr(response, "status_code", None) == 302 and location.startswith(SECOND_STEP_PAGES)
    )


def _patterns(
    resolver: URLResolver, parts: list[str], namespace: str = ""
) -> Iterator[tuple[list[str], str | None]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _patterns(entry, [*parts, str(entry.pattern)], inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield [*parts, str(entry.pattern)], name


ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _concrete(pattern: str) -> str:
    """A path piece matching `pattern`: a route (`<int:pk>/`) or a regex (`^(?P<pk>[0-9]+)/$`)."""
    if not pattern.startswith("^") and "(?P<" not in pattern:
        return ROUTE_PARAMETER.sub(
            lambda match: DUMMY_BY_CONVERTER[match["converter"] or "str"], pattern
        )
    body = pattern.removeprefix("^").removesuffix("$")
    out, i = [], 0
    while i < len(body):
        if body.startswith("(?P<", i):
            name_end = body.index(">", i)
            depth, j = 1, name_end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(body[j], 0) if body[j - 1] != "\\" else 0
                j += 1
            group = body[name_end + 1 : j - 1]
            out.append(next(c for c in REGEX_CANDIDATES if re.fullmatch(group, c)))
            i = j
        else:
            out.append(body[i])
            i += 1
    return "".join(out).replace("\\", "")


def test_the_url_walk_covers_routes_regexes_and_namespaces() -> None:
    walked = dict(every_url())
    assert "/cases/1/" in walked
    assert walked["/cases/1/"] == "cases:detail"
    assert f"/self-assessment/{DUMMY_BY_CONVERTER['uuid']}/tasks/" in walked
    assert walked["/api/decisions/1/transition/"] == "decisions-api:decision-transition"
    assert walked["/admin/accounts/"] == "admin:app_list"
    assert uuid.UUID(DUMMY_BY_CONVERTER["uuid"])

"""No personal data in addresses: a person's name, email address, NHS number or date of birth
never appears in a route, and no form that sends its fields in the address (a GET form) asks for
one. Addresses are kept in browser histories, proxies and server logs; records are found by
opaque ids (an assessment's public id, a decision's number) instead."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import user_create
from tests.audit.conftest import (  # noqa: F401 - fixtures
    assessment,
    decision,
    older_people,
    published_version,
    questionnaire,
    records,
    submitted_assessment,
)
from tests.conftest import PASSWORD, PROJECT_ROOT
from tests.url_walk import project_routes

PERSONAL = re.compile(
    r"(?:^|[_-])(?:(?:full|first|last|given|family|user)[_-]?)?(?:name|names|surname|forename"
    r"|e?[_-]?mail|email[_-]?address|nhs(?:[_-]?(?:number|no))?|dob|date[_-]?of[_-]?birth"
    r"|birth[_-]?date|birthday|postcode|address|phone|telephone|mobile|ni[_-]?number)(?:$|[_-])",
    re.IGNORECASE,
)
# Django admin's own route parameter: the name of a model, not of anyone.
NOT_PERSONAL = {"model_name"}
TEMPLATES = PROJECT_ROOT / "templates"


def is_personal(name: str) -> bool:
    return name not in NOT_PERSONAL and bool(PERSONAL.search(name))


@pytest.mark.parametrize("name", ["full_name", "name", "email", "nhs_number", "date_of_birth"])
def test_the_check_knows_a_personal_field_when_it_sees_one(name):
    assert is_personal(name)


@pytest.mark.parametrize("name", ["public_id", "decision_id", "person", "date_from", "page"])
def test_the_check_lets_opaque_ids_and_filters_through(name):
    assert not is_personal(name)


def test_no_route_carries_personal_data():
    personal = [
        (route.name, parameter)
        for route in project_routes()
        for parameter in route.parameters
        if is_personal(parameter)
    ]
    assert personal == []


class _GetForms(HTMLParser):
    """The names of the fields of every form that sends them in the address."""

    def __init__(self) -> None:
        super().__init__()
        self.in_get_form = False
        self.field_names: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.in_get_form = (attributes.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self.in_get_form:
            self.field_names.append(attributes.get("name") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_get_form = False


def get_form_fields(html: str) -> list[str]:
    parser = _GetForms()
    parser.feed(html)
    return parser.field_names


def test_get_forms_in_templates_ask_for_nothing_personal():
    """Fields named in the template itself, and the form fields it names (`form.x`)."""
    found = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text()
        for form in re.finditer(r"<form\b([^>]*)>(.*?)</form>", text, re.DOTALL):
            method = re.search(r'method="(\w+)"', form.group(1))
            if method is not None and method.group(1).lower() == "post":
                continue
            names = re.findall(r'name="([\w-]+)"', form.group(2))
            names += re.findall(r"\bform\.(\w+)", form.group(2))
            found += [(str(template.relative_to(TEMPLATES)), n) for n in names if is_personal(n)]
    assert found == []


def test_no_link_in_a_template_puts_personal_data_in_its_query():
    found = [
        (str(template.relative_to(TEMPLATES)), name)
        for template in sorted(TEMPLATES.rglob("*.html"))
        for name in re.findall(r"[?&](?:amp;)?([\w-]+)=", template.read_text())
        if is_personal(name)
    ]
    assert found == []


@pytest.fixture
def everyone(db: None) -> User:
    """One account holding every staff role, to see every staff page."""
    return user_create(
        email="all.roles@example.org",
        full_name="Al Roles",
        roles=[role for role in Role if role.is_staff_role],
        password=PASSWORD,
    )


@pytest.mark.django_db
def test_get_forms_on_every_page_without_parameters_ask_for_nothing_personal(
    records, client_for, everyone: User
):
    """Pages drawn with real records, so forms built from Django form classes are seen too."""
    client = client_for(everyone)
    checked = []
    for route in project_routes():
        if route.parameters or "get" not in route.views or route.namespace == "admin":
            continue
        response = client.get(reverse(route.name, kwargs=route.defaults or None))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        checked.append(route.name)
        personal = [
            name for name in get_form_fields(response.content.decode()) if is_personal(name)
        ]
        assert personal == [], route.name
    assert {"equity:dashboard", "figures:variations", "cases:caseload", "audit:search"} <= set(
        checked
    )


def test_the_checks_read_the_real_templates():
    assert (TEMPLATES / "base.html").exists()
    assert len(list(TEMPLATES.rglob("*.html"))) > 50

"""The API reference page at /api/docs/: every operation of the schema on it, as open as the
schema itself, and laid out so that headings and tables make sense to a screen reader."""

import html
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ras.accounts.models import User
from ras.api_reference.reading import api_reference_read
from ras.api_reference.views import api_reference
from tests.accounts.two_step_helpers import password_only_client

pytestmark = pytest.mark.django_db

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def schema(client: Client) -> dict[str, Any]:
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return dict(response.json())


@pytest.fixture
def page_html(client: Client) -> str:
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def operation_html(page_html: str, method: str, path: str) -> str:
    """The part of the page about one operation: from its heading to the end of its section."""
    heading = f">{method.upper()} <code>{html.escape(path)}</code></h3>"
    assert page_html.count(heading) == 1, f"{method.upper()} {path} is not on the page once"
    start = page_html.index(heading)
    return page_html[start : page_html.index("</section>", start)]


def words(fragment: str) -> str:
    """The text of some HTML, tags taken out and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_every_operation_of_the_schema_is_on_the_page_with_its_responses(
    schema: dict[str, Any], page_html: str
) -> None:
    checked = 0
    for path, path_item in schema["paths"].items():
        for method in HTTP_METHODS:
            if method not in path_item:
                continue
            operation = path_item[method]
            section = operation_html(page_html, method, path)
            text = words(section)
            if operation.get("summary"):
                assert operation["summary"] in text, (method, path)
            for parameter in operation.get("parameters", []):
                assert f"<code>{parameter['name']}</code></th>" in section, (method, path)
            for status, response in operation["responses"].items():
                assert f'<th scope="row" class="govuk-table__header">{status}</th>' in section, (
                    method,
                    path,
                    status,
                )
                description = response["description"].replace("`", "")
                if description and not re.search(r"^\s*\* ", description, re.MULTILINE):
                    assert " ".join(description.split()) in text, (method, path, status)
            checked += 1
    assert checked >= 25  # the walk really walked
    assert page_html.count('<h3 class="govuk-heading-m"') == checked  # and nothing else


def test_a_request_body_lists_its_fields_and_a_response_its_fields(page_html: str) -> None:
    section = operation_html(page_html, "put", "/api/table-versions/{id}/")
    assert "Send an object as <code>application/json</code>, with these fields." in section
    for field in ("label", "bands[].min_points", "bands[].max_points", "edit_number", "reason"):
        assert f"<code>{field}</code></th>" in section
    assert "Fields of the 200 response" in section
    assert "Fields of the 409 response" in section
    assert "The version is not a draft, or someone saved it after you read it." in words(section)
    assert "You must be signed in to use this." in section


def test_the_equity_figures_say_their_last_modified_header(
    schema: dict[str, Any], page_html: str
) -> None:
    """The header the equity API sends with snapshot figures is in the schema and on the page."""
    for path in ("/api/equity/bands/", "/api/equity/outliers/"):
        ok = schema["paths"][path]["get"]["responses"]["200"]
        assert "Last-Modified" in ok["headers"]
        parameters = schema["paths"][path]["get"].get("parameters", [])
        assert "Last-Modified" not in [parameter["name"] for parameter in parameters]
    assert "Headers of the 200 response" in page_html
    assert "<code>Last-Modified</code>" in page_html


def test_an_operation_open_to_anyone_says_so(page_html: str) -> None:
    section = operation_html(page_html, "post", "/api/table-versions/{id}/price/")
    assert "Anyone can use this, signed in or not." in section


def test_the_page_is_made_from_the_same_schema_the_schema_endpoint_serves(
    schema: dict[str, Any],
) -> None:
    assert api_reference() == api_reference_read(schema)


def test_the_page_says_how_to_sign_in_and_where_to_download_the_schema(page_html: str) -> None:
    text = words(page_html)
    assert "the API uses the same sign-in as this website" in text
    assert "must also take the second sign-in step" in text
    assert "send the value of the csrftoken cookie in an X-CSRFToken header" in text
    assert f'href="{reverse("api-schema")}?format=json" download' in page_html
    assert f'href="{reverse("api-schema")}?format=yaml" download' in page_html


@pytest.mark.parametrize("schema_format", ["json", "yaml"])
def test_the_download_links_answer_with_the_schema(client: Client, schema_format: str) -> None:
    response = client.get(reverse("api-schema"), {"format": schema_format})
    assert response.status_code == 200
    assert "openapi" in response["Content-Type"]
    assert "Council RAS API" in response.content.decode()


def test_the_page_is_as_open_as_the_schema(
    client: Client, client_for, service_user: User, social_worker: User, finance_lead: User
) -> None:
    """Anyone may read both today (drf-spectacular's SERVE_PERMISSIONS: AllowAny); a member of
    staff who has not taken the second sign-in step is refused both, by the same door."""
    clients = {
        "anonymous": client,
        "service user": client_for(service_user),
        "social worker": client_for(social_worker),
        "finance lead, password only": password_only_client(finance_lead),
    }
    answers = {
        who: (
            visitor.get(reverse("api-schema")).status_code,
            visitor.get(reverse("api-docs")).status_code,
        )
        for who, visitor in clients.items()
    }
    assert answers == {
        "anonymous": (200, 200),
        "service user": (200, 200),
        "social worker": (200, 200),
        "finance lead, password only": (403, 403),
    }


def test_the_page_is_not_an_operation_of_the_schema(schema: dict[str, Any]) -> None:
    assert "/api/docs/" not in schema["paths"]


class Outline(HTMLParser):
    """Heading levels in order, and every table's caption and header cells."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tables = 0
        self.captions = 0
        self.header_cells_without_scope = 0
        self.inline_styles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and attributes.get("scope") not in ("col", "row"):
            self.header_cells_without_scope += 1
        if tag == "style" or "style" in attributes:
            self.inline_styles += 1


def test_headings_go_down_one_level_at_a_time(page_html: str) -> None:
    outline = Outline()
    outline.feed(page_html)
    assert outline.headings.count(1) == 1
    assert outline.headings[0] == 1
    skips = [
        (before, after)
        for before, after in zip(outline.headings, outline.headings[1:], strict=False)
        if after > before + 1
    ]
    assert skips == []


def test_every_table_has_a_caption_and_its_header_cells_a_scope(page_html: str) -> None:
    outline = Outline()
    outline.feed(page_html)
    assert outline.tables > 50
    assert outline.captions == outline.tables
    assert outline.header_cells_without_scope == 0


def test_the_page_needs_no_inline_style_so_the_content_security_policy_holds(
    client: Client,
) -> None:
    response = client.get(reverse("api-docs"))
    assert "style-src 'self'" in response["Content-Security-Policy"]
    outline = Outline()
    outline.feed(response.content.decode())
    assert outline.inline_styles == 0

"""The API reference page in a real browser: anyone reads it, it passes axe with every part open,
and the strict Content Security Policy refuses nothing on it."""

import json

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import check_accessibility

pytestmark = pytest.mark.browser

COUNCIL_TITLE_SUFFIX = " – Care and support budgets – Northbrook Council"


def test_anyone_reads_the_api_reference_and_it_is_accessible(
    page: Page, live_server: LiveServer
) -> None:
    refused: list[str] = []

    def note_refusals(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", note_refusals)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page).to_have_title("API reference" + COUNCIL_TITLE_SUFFIX)
    expect(page.get_by_role("heading", level=1)).to_have_text("API reference")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    contents = page.get_by_role("navigation", name="Contents")
    contents.get_by_role("link", name="PUT /api/table-versions/{id}/").click()
    heading = page.get_by_role("heading", level=3, name="PUT /api/table-versions/{id}/")
    expect(heading).to_be_in_viewport()
    operation = page.locator("section[aria-labelledby='table-versions-update']")
    fields = operation.get_by_role("table", name="Request body fields of PUT")
    expect(fields.get_by_role("row", name="bands[].max_points")).to_contain_text("integer, or null")
    responses = operation.get_by_role("table", name="Responses of PUT /api/table-versions/{id}/")
    expect(responses.get_by_role("row", name="409")).to_contain_text("not a draft")

    # axe checks only what is shown: open every response's fields first.
    for summary in page.locator("details.govuk-details > summary").all():
        summary.click()
    expect(page.locator("details.govuk-details:not([open])")).to_have_count(0)
    check_accessibility(page, "api-docs")
    assert refused == []


def test_the_schema_downloads_from_the_api_reference(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/api/docs/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the schema as JSON").click()
    download = download_info.value
    assert download.suggested_filename == "Council RAS API.json"
    with open(download.path(), encoding="utf-8") as schema_file:
        schema = json.load(schema_file)
    assert schema["info"]["title"] == "Council RAS API"
    assert "/api/table-versions/{id}/" in schema["paths"]

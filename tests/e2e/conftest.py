"""Browser tests: Playwright drives Debian's Chromium against the live test server."""

import json
import os
import re
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from ras.accounts.models import User
from ras.accounts.two_step_selectors import second_factor_required
from ras.celery import app as celery_app
from tests.conftest import PASSWORD, PROJECT_ROOT, authenticator_app_for, totp_code

# Playwright's synchronous API runs an event loop in the test thread; the ORM calls the tests
# make from that thread are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTEFACTS = PROJECT_ROOT / "test-artefacts" / "screenshots"
AXE_SOURCE = (PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError(
            "Debian's chromium is not installed: run `make test`, which installs it."
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def tasks_run_in_the_server_process() -> Iterator[None]:
    """Tasks the pages start (emails, mostly) run at once in the live server's thread, for
    modules that mark themselves with it; the modules that test workers start real ones."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def check_accessibility(page: Page, name: str) -> None:
    """Saves a screenshot of the page, then runs axe-core with the WCAG 2.2 AA rules on it.

    Fails with every violation listed when there is any. axe is evaluated through the DevTools
    protocol, so the page's own Content Security Policy stays as strict as it is in service.
    """
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)
    page.evaluate(AXE_SOURCE)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA_TAGS
    )
    violations = [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "where": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in results["violations"]
    ]
    assert violations == [], f"{name}: {json.dumps(violations, indent=2)}"


def sign_in(page: Page, live_server: LiveServer, user: User, next_path: str = "") -> None:
    """Signs the user in through the sign-in page, as a person would.

    For a person who needs two-step sign-in (all staff) it then enters the code their
    authenticator app would show, setting one up for them first if they have none.
    """
    device = authenticator_app_for(user) if second_factor_required(user) else None
    query = f"?next={next_path}" if next_path else ""
    page.goto(f"{live_server.url}/accounts/sign-in/{query}")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if device is not None:
        expect(page).to_have_url(re.compile(r"/accounts/two-step/"))
        page.get_by_label("Code", exact=True).fill(totp_code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/(sign-in|two-step)/"))

"""Benchmark of the self-assessment journey: people answering every question and submitting.

Run from the project root with ``python -m bench.journey`` (``--people 20`` for a quicker run).
It drops and recreates a database of its own (``ras_bench`` on the local PostgreSQL), migrates
it, publishes the council's questionnaire and the demonstration tables, creates the service-user
accounts, and starts gunicorn (2 sync workers) on a free port of 127.0.0.1.

For each level of ``--concurrency`` (2 and 10 by default) a fresh set of ``--people`` people
first signs in (the password check is deliberately slow, so it is kept out of the timed part),
then, that many at a time, each starts a self-assessment from the start page, chooses who the
support is for, answers every question (opening each page and posting its form, with the CSRF
token and the answers revision the page carries) and sends it. The pages are followed as a
person would, by their links and forms, so the benchmark needs no URL but the start page's.

It times "save an answer" (the POST of one question), "submit" (the POST of the declaration) and,
in the same run and under the same load, the site's start page (the floor: a page that reads
nothing but the session and the signed-in user), and writes medians and 95th percentiles to
``bench/results/journey.md``. Any response that is not 2xx or 3xx counts as an error. It talks to
127.0.0.1 only and gives up after ``--time-limit`` seconds.
"""

import argparse
import http.client
import io
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS_PATH = PROJECT_ROOT / "bench" / "results" / "journey.md"
COUNCIL_SAQ = PROJECT_ROOT / "questionnaires" / "data" / "saq-v1.yaml"
STAND_IN_SAQ = PROJECT_ROOT / "tests" / "questionnaires" / "data" / "mini-saq.yaml"
HOST = "127.0.0.1"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
PASSWORD = "bench-journey-password-2026"  # noqa: S105 - the benchmark's throwaway accounts
SIGN_IN_PATH = "/accounts/sign-in/"
JOURNEY_START_PATH = "/self-assessment/"
FLOOR_PATH = "/"
QUESTION_PATH_PART = "/questions/"
REQUEST_TIMEOUT_SECONDS = 30.0
# To read a question and choose an answer, for comparing the load with real people's.
SECONDS_PER_REAL_ANSWER = 15
SERVER_START_SECONDS = 60.0

SAVE = "save an answer (POST)"
SUBMIT = "submit (POST)"
FLOOR = "the floor: start page (GET)"
OPEN_QUESTION = "open a question (GET)"
SIGN_IN = "sign in (POST, untimed phase)"
TARGET_P95_MS = {SAVE: 50.0, SUBMIT: 150.0}
REPORTED = (FLOOR, OPEN_QUESTION, SAVE, SUBMIT)


class JourneyFailed(Exception):
    """A person could not go on: an error response, or a page the benchmark did not expect."""


class OutOfTime(Exception):
    """The run's time limit passed."""


# --- The pages, read as a person's browser would ------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, str, bool]] = field(default_factory=list)  # name, type, value, ✓
    buttons: list[str] = field(default_factory=list)

    def radio_values(self, name: str) -> list[str]:
        return [value for n, kind, value, _ in self.fields if n == name and kind == "radio"]

    def has(self, name: str) -> bool:
        return any(n == name for n, *_ in self.fields)

    def filled(self, **choices: str) -> dict[str, str]:
        """The values the form would send: hidden and text fields, ticked boxes, and choices."""
        values: dict[str, str] = {}
        for name, kind, value, checked in self.fields:
            if kind in ("submit", "button", "image", "reset") or (kind == "radio" and not checked):
                continue
            # A tick box, such as a declaration's, is ticked: the person accepts it.
            values.setdefault(name, (value or "on") if kind == "checkbox" else value)
        values.update(choices)
        return values


@dataclass
class Page:
    forms: list[Form] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # href, text

    def form_with(self, name: str) -> Form | None:
        return next((form for form in self.forms if form.has(name)), None)

    def link_to(self, text: str) -> str | None:
        wanted = text.lower()
        return next((href for href, words in self.links if wanted in words.lower()), None)


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._form: Form | None = None
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(attributes.get("action", ""), attributes.get("method", "get").lower())
            self.page.forms.append(self._form)
        elif tag == "input" and self._form is not None and attributes.get("name"):
            self._form.fields.append(
                (
                    attributes["name"],
                    attributes.get("type", "text").lower(),
                    attributes.get("value", ""),
                    "checked" in attributes,
                )
            )
        elif tag == "button" and self._form is not None:
            self._form.buttons.append(attributes.get("name", ""))
        elif tag == "a" and "href" in attributes:
            self._link = (attributes["href"], [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "a" and self._link is not None:
            href, words = self._link
            self.page.links.append((href, " ".join("".join(words).split())))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link[1].append(data)


def read_page(html: str) -> Page:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


# --- One person's browser: cookies, no automatic redirects, one connection per request ----------


@dataclass(frozen=True, slots=True)
class Response:
    method: str
    status: int
    location: str
    body: str
    url: str
    elapsed_ms: float


class Timings:
    """Milliseconds per measure and errors per kind, shared by every person's thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.milliseconds: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.requests = 0

    def count_request(self) -> None:
        with self._lock:
            self.requests += 1

    def record(self, measure: str, milliseconds: float) -> None:
        with self._lock:
            self.milliseconds[measure].append(milliseconds)

    def error(self, kind: str) -> None:
        with self._lock:
            self.errors[kind] += 1


class Browser:
    def __init__(self, port: int, timings: Timings, deadline: float) -> None:
        self.port = port
        self.timings = timings
        self.deadline = deadline
        self.cookies: dict[str, str] = {}

    def _absolute_path(self, url: str, base: str) -> str:
        absolute = urlsplit(urljoin(f"http://{HOST}:{self.port}{base}", url))
        if absolute.hostname not in LOCAL_HOSTS or absolute.scheme != "http":
            raise JourneyFailed(f"refused to leave {HOST}: {url}")
        return absolute.path + (f"?{absolute.query}" if absolute.query else "")

    def request(
        self,
        method: str,
        url: str,
        *,
        base: str = "/",
        form: dict[str, str] | None = None,
        measure: str | None = None,
    ) -> Response:
        if time.monotonic() > self.deadline:
            raise OutOfTime
        path = self._absolute_path(url, base)
        body = urlencode(form).encode() if form is not None else None
        headers = {"Host": f"{HOST}:{self.port}", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT_SECONDS)
        self.timings.count_request()
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            content = raw.read()
            elapsed_ms = (time.perf_counter() - started) * 1000
            for header in raw.msg.get_all("Set-Cookie") or []:
                self._keep_cookies(header)
            response = Response(
                method,
                raw.status,
                raw.getheader("Location", ""),
                content.decode("utf-8", "replace"),
                path,
                elapsed_ms,
            )
        except (OSError, http.client.HTTPException) as failure:
            self.timings.error(f"{measure or method}: {type(failure).__name__}")
            raise JourneyFailed(f"{method} {path}: {failure}") from failure
        finally:
            connection.close()
        if not 200 <= response.status < 400:
            self.timings.error(f"{measure or method + ' ' + path}: HTTP {response.status}")
            raise JourneyFailed(f"{method} {path} answered {response.status}")
        if measure is not None:
            self.timings.record(measure, elapsed_ms)
        return response

    def _keep_cookies(self, header: str) -> None:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, url: str, *, measure: str | None = None) -> Response:
        """GET `url`, following redirects (each with a plain GET), up to ten of them."""
        response = self.request("GET", url, measure=measure)
        for _ in range(10):
            if response.status not in (301, 302, 303, 307, 308):
                return response
            response = self.request("GET", response.location, base=response.url)
        raise JourneyFailed(f"too many redirects from {url}")

    def submit(self, page_url: str, form: Form, values: dict[str, str], measure: str) -> Response:
        """POST a form as the page had it; time the POST alone, then follow where it sends us."""
        if form.method != "post":
            raise JourneyFailed(f"expected a POST form on {page_url}")
        action = form.action or page_url
        response = self.request("POST", action, base=page_url, form=values, measure=measure)
        if response.status in (301, 302, 303):
            return self.get(self._absolute_path(response.location, response.url))
        return response


# --- A person's journey ---------------------------------------------------------------------------


@dataclass
class Person:
    number: int
    email: str
    browser: Browser
    rng: random.Random


def sign_in(person: Person) -> None:
    page = person.browser.get(SIGN_IN_PATH)
    form = read_page(page.body).form_with("password")
    if form is None:
        raise JourneyFailed("the sign-in page has no password field")
    values = form.filled(username=person.email, password=PASSWORD)
    response = person.browser.request(
        "POST", form.action or page.url, base=page.url, form=values, measure=SIGN_IN
    )
    if response.status != 302:
        raise JourneyFailed(f"sign-in refused for {person.email}")


def start_assessment(person: Person) -> Response:
    """From the journey's start page, follow "Start now" to the first form of the journey."""
    start = person.browser.get(JOURNEY_START_PATH)
    href = read_page(start.body).link_to("Start now")
    if href is None:
        raise JourneyFailed(f"no 'Start now' link on {JOURNEY_START_PATH}")
    return person.browser.get(href)


def journey(person: Person, question_count: int) -> None:
    """Answer every question, then send the self-assessment; raise JourneyFailed if stuck."""
    browser = person.browser
    response = start_assessment(person)
    answered: set[str] = set()
    for _ in range(3 * question_count + 20):
        page = read_page(response.body)
        path = urlsplit(response.url).path
        if (question := page.form_with("answers_revision")) is not None:
            if response.method == "GET":
                browser.timings.record(OPEN_QUESTION, response.elapsed_ms)
            option = person.rng.choice(question.radio_values("option"))
            response = browser.submit(response.url, question, question.filled(option=option), SAVE)
            answered.add(path)
            browser.get(FLOOR_PATH, measure=FLOOR)
        elif (group := page.form_with("client_group")) is not None:
            choice = person.rng.choice(group.radio_values("client_group"))
            response = browser.submit(
                response.url, group, group.filled(client_group=choice), "choose who it is for"
            )
        elif (who := page.form_with("filling_in_for")) is not None:
            response = browser.submit(
                response.url, who, who.filled(filling_in_for="myself"), "choose who fills it in"
            )
        elif (declaration := _declaration_form(page)) is not None:
            response = browser.submit(response.url, declaration, declaration.filled(), SUBMIT)
            if "£" not in response.body:
                raise JourneyFailed(f"no budget shown after sending, on {response.url}")
            return
        elif (next_question := _next_task(page, answered)) is not None:
            response = browser.get(next_question)
        elif (check := _check_link(page)) is not None:
            response = browser.get(check)
        else:
            raise JourneyFailed(f"did not know what to do on {response.url}")
    raise JourneyFailed("the journey went on longer than the questionnaire allows")


def _declaration_form(page: Page) -> Form | None:
    """The check page's "Accept and send" form (the sign-out form is on every page too)."""
    for form in page.forms:
        action = urlsplit(form.action).path
        sends = any(word in action for word in ("submit", "send")) and "sign-out" not in action
        if form.method == "post" and sends and not form.has("option"):
            return form
    return None


def _check_link(page: Page) -> str | None:
    """The task list's way on to "Check your answers", once every task is done."""
    for href, words in page.links:
        if "check" in urlsplit(href).path or "check your answers" in words.lower():
            return href
    return None


def _next_task(page: Page, answered: set[str]) -> str | None:
    for href, _words in page.links:
        path = urlsplit(href).path
        if QUESTION_PATH_PART in path and path not in answered and "return=" not in href:
            return href
    return None


def one_person(person: Person, question_count: int) -> bool:
    """One person's whole journey; False (with the error counted) if it could not finish."""
    try:
        journey(person, question_count)
    except JourneyFailed as failure:
        person.browser.timings.error(f"journey not finished: {str(failure)[:60]}")
        return False
    except OutOfTime:
        return False
    return True


# --- The database, the accounts and the server --------------------------------------------------


def checked_local(url: str) -> str:
    host = urlsplit(url).hostname
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"The benchmark only talks to {HOST}; {url} points at {host}.")
    return url


def database_recreate(server_url: str, name: str) -> None:
    """Drop the benchmark's own database (whoever is connected) and create it empty."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def questionnaire_file(chosen: Path | None, directory: Path) -> Path:
    """The council's SAQ; until it exists, the tests' small one published under the SAQ's code."""
    if chosen is not None:
        return chosen
    if COUNCIL_SAQ.exists():
        return COUNCIL_SAQ
    import yaml

    stand_in = yaml.safe_load(STAND_IN_SAQ.read_text(encoding="utf-8"))
    stand_in["code"] = "saq"
    copy = directory / "stand-in-saq.yaml"
    copy.write_text(yaml.safe_dump(stand_in, sort_keys=False), encoding="utf-8")
    return copy


@dataclass(frozen=True, slots=True)
class Prepared:
    questionnaire: str
    source: str
    question_count: int
    emails: tuple[str, ...]


def prepare(accounts: int, questionnaire: Path) -> Prepared:
    """Migrate, publish the questionnaire and the demonstration tables, create the accounts."""
    import django
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    django.setup()
    from questionnaires.loading import questionnaire_load
    from questionnaires.models import Question
    from ras.accounts.models import User
    from ras.accounts.roles import Role
    from ras.accounts.services import user_create

    call_command("migrate", verbosity=0)
    version = questionnaire_load(questionnaire).version
    call_command("load_demo_data", stdout=io.StringIO())
    emails = tuple(f"bench-person-{number:04d}@example.org" for number in range(1, accounts + 1))
    for number, email in enumerate(emails, start=1):
        user_create(email=email, full_name=f"Bench Person {number}", roles=[Role.SERVICE_USER])
    # One hash for every account: hashing a hundred passwords would only time the hasher.
    User.objects.filter(email__in=emails).update(password=make_password(PASSWORD))
    source = (
        str(questionnaire.relative_to(PROJECT_ROOT))
        if questionnaire.is_relative_to(PROJECT_ROOT)
        else f"{STAND_IN_SAQ.relative_to(PROJECT_ROOT)}, published under the SAQ's code"
    )
    return Prepared(
        questionnaire=str(version),
        source=source,
        question_count=Question.objects.filter(version=version).count(),
        emails=emails,
    )


def submitted_counts(emails: Sequence[str]) -> tuple[int, int]:
    """How many of the people's assessments were sent, and how many were priced."""
    from django.db import connections

    from allocations.models import IndicativeBudget
    from questionnaires.models import Assessment, AssessmentStatus

    submitted = Assessment.objects.filter(
        person__user__email__in=emails, status=AssessmentStatus.SUBMITTED
    )
    priced = IndicativeBudget.objects.filter(assessment__in=submitted)
    counts = submitted.count(), priced.count()
    connections.close_all()
    return counts


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(port: int, workers: int, environment: dict[str, str], log: Path) -> Iterator[None]:
    """gunicorn serving the project on 127.0.0.1:`port` until the block ends."""
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "ras.wsgi",
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--timeout", "60",
    ]  # fmt: skip
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 - our own virtualenv's gunicorn
            command, cwd=PROJECT_ROOT, env=environment, stdout=log_file, stderr=log_file
        )
        try:
            wait_until_serving(port, server)
            yield
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_until_serving(port: int, server: subprocess.Popen[bytes]) -> None:
    give_up = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < give_up:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting; see its log.")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", FLOOR_PATH, headers={"Host": f"{HOST}:{port}"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within {SERVER_START_SECONDS}s.")


# --- The run and the report ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Level:
    """One run of every simulated person, `concurrency` of them at a time."""

    concurrency: int
    people: int
    timings: Timings
    finished: int
    journey_seconds: float
    # Every request of the journeys (after the sign-ins), timed or not.
    journey_requests: int
    out_of_time: bool
    submitted: int
    priced: int

    @property
    def requests_per_second(self) -> float:
        return self.journey_requests / self.journey_seconds if self.journey_seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.timings.errors.values())


@dataclass(frozen=True, slots=True)
class Run:
    workers: int
    questionnaire: str
    source: str
    question_count: int
    started_at: datetime
    database: str
    levels: tuple[Level, ...]
    # The 1-minute load average before the run began: other work sharing the machine.
    load_before: float


def run_level(
    port: int,
    emails: Sequence[str],
    question_count: int,
    concurrency: int,
    deadline: float,
) -> Level:
    """Sign everyone in (untimed), then run every journey, `concurrency` people at a time."""
    timings = Timings()
    people = [
        Person(number, email, Browser(port, timings, deadline), random.Random(number))
        for number, email in enumerate(emails, start=1)
    ]
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        signed_in = list(pool.map(_sign_in_quietly, people))
        requests_before = timings.requests
        started = time.perf_counter()
        futures = [
            pool.submit(one_person, person, question_count)
            for person, ok in zip(people, signed_in, strict=True)
            if ok
        ]
        done, not_done = wait(futures, timeout=max(0.0, deadline - time.monotonic()) + 5)
        journey_seconds = time.perf_counter() - started
        for future in not_done:
            future.cancel()
    submitted, priced = submitted_counts(emails)
    return Level(
        concurrency=concurrency,
        people=len(people),
        timings=timings,
        finished=sum(1 for future in done if future.result()),
        journey_seconds=journey_seconds,
        journey_requests=timings.requests - requests_before,
        out_of_time=time.monotonic() > deadline or bool(not_done),
        submitted=submitted,
        priced=priced,
    )


def _sign_in_quietly(person: Person) -> bool:
    try:
        sign_in(person)
    except JourneyFailed as failure:
        person.browser.timings.error(f"sign-in failed: {str(failure)[:60]}")
        return False
    except OutOfTime:
        return False
    return True


def percentile(values: Sequence[float], share: float) -> float:
    """The `share` (0 to 1) percentile, interpolated between the nearest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def level_report(level: Level, workers: int) -> list[str]:
    milliseconds = level.timings.milliseconds
    floor_values = milliseconds.get(FLOOR, [])
    floor_median = statistics.median(floor_values) if floor_values else float("nan")
    floor_p95 = percentile(floor_values, 0.95) if floor_values else float("nan")
    queue = level.concurrency / workers
    lines = [
        f"## {level.concurrency} people at a time",
        "",
        f"{level.people} people, {level.concurrency} at a time with no pause between pages "
        f"({queue:g} request{'s' if queue != 1 else ''} per gunicorn worker at any moment). "
        f"{level.finished} of {level.people} journeys finished in {level.journey_seconds:.1f} s, "
        f"{level.requests_per_second:.0f} requests a second; {level.submitted} "
        f"assessments sent and {level.priced} priced in the database; "
        f"{level.error_count} error{'s' if level.error_count != 1 else ''}.",
        "",
        "| measure | requests | median ms | 95th percentile ms | median × floor | "
        "95th percentile × floor | aim (95th percentile) |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for measure in REPORTED:
        values = milliseconds.get(measure, [])
        if not values:
            lines.append(f"| {measure} | 0 | – | – | – | – | |")
            continue
        median, p95 = statistics.median(values), percentile(values, 0.95)
        aim = TARGET_P95_MS.get(measure)
        aim_text = "" if aim is None else f"under {aim:.0f} ms: {'met' if p95 < aim else 'NOT met'}"
        lines.append(
            f"| {measure} | {len(values):,} | {median:.1f} | {p95:.1f} | "
            f"{median / floor_median:.1f} | {p95 / floor_p95:.1f} | {aim_text} |"
        )
    lines.append("")
    if level.timings.errors:
        lines += ["| error | count |", "|---|---:|"]
        lines += [f"| {kind} | {count} |" for kind, count in sorted(level.timings.errors.items())]
        lines.append("")
    if level.out_of_time:
        lines += ["**The run reached its time limit: these figures cover part of it.**", ""]
    saves_per_second = len(milliseconds.get(SAVE, [])) / level.journey_seconds
    lines += [
        f"Answers were saved at {saves_per_second:.0f} a second: as many as about "
        f"{saves_per_second * SECONDS_PER_REAL_ANSWER:,.0f} people would save, each taking "
        f"{SECONDS_PER_REAL_ANSWER} seconds to read a question and choose an answer.",
        "",
    ]
    return lines


def report(run: Run) -> str:
    lines = [
        "# Self-assessment journey benchmark",
        "",
        "Produced by `python -m bench.journey`: simulated people sign in, start a self-assessment,",
        "choose who the support is for, answer every question (opening each page, then posting",
        "its form with the CSRF token and the answers revision) and send it, against gunicorn and",
        "PostgreSQL on this machine. The floor is the site's start page, fetched by the same",
        "people with the same cookies after each saved answer, so it carries the same load.",
        "Times are measured by the client, from opening the connection to the last byte of the",
        "response (a redirect is not followed inside a timing). Signing in is done before the",
        "timed part: its deliberately slow password check would only time the hasher.",
        "",
        "| what | value |",
        "|---|---|",
        f"| date (UTC) | {run.started_at.strftime('%Y-%m-%d %H:%M')} |",
        f"| machine | {platform.system()} {platform.machine()}, {os.cpu_count()} cores "
        f"({cpu_model()}); the simulated people run on the same machine |",
        f"| server | gunicorn, {run.workers} sync workers, `ras.settings.local` with DEBUG off, "
        f"{run.database} |",
        f"| questionnaire | {run.questionnaire}: {run.question_count} questions (`{run.source}`) |",
        f"| load average just before the run (1 minute) | {run.load_before:.2f} on "
        f"{os.cpu_count()} cores: other work sharing the machine slows every figure, the floor "
        "included |",
        "",
    ]
    for level in run.levels:
        lines += level_report(level, run.workers)
    lines += [
        "## Reading the figures",
        "",
        "With no more people at a time than gunicorn workers, a time is the server's own work.",
        "With more, each request also waits for a free worker, which adds as much to the floor as",
        "to a save, so the ratios fall towards 1 while the times grow. The people here never",
        "pause between pages, so a few of them load the server like many real people.",
        "",
    ]
    return "\n".join(lines)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown processor"


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    connection.close()
    return f"PostgreSQL {row[0].split()[0]}" if row else "PostgreSQL"


def concurrency_levels(text: str) -> tuple[int, ...]:
    try:
        levels = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            "give whole numbers separated by commas, like 2,10"
        ) from None
    if not levels or min(levels) < 1:
        raise argparse.ArgumentTypeError("each level must be 1 or more")
    return levels


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=100, help="simulated people at each level")
    parser.add_argument(
        "--concurrency",
        type=concurrency_levels,
        default=(2, 10),
        help="people at the same time; several levels run one after the other (default 2,10)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds before giving up")
    parser.add_argument("--database", default="ras_bench", help="database dropped and recreated")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="the local PostgreSQL server, without a database name",
    )
    parser.add_argument("--questionnaire", type=Path, help="questionnaire YAML (the SAQ if unset)")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH, help="markdown file to write")
    arguments = parser.parse_args(argv)
    if min(arguments.people, arguments.workers) < 1:
        parser.error("--people and --workers must be 1 or more")
    if arguments.database in ("ras", "postgres", "template0", "template1"):
        parser.error("choose a database of the benchmark's own: it is dropped on every run")

    deadline = time.monotonic() + arguments.time_limit
    started_at = datetime.now(tz=UTC)
    load_before = os.getloadavg()[0]
    server_url = checked_local(arguments.postgres.rstrip("/"))
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ras.settings.local",
        "DATABASE_URL": f"{server_url}/{arguments.database}",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(environment)

    levels: list[Level] = []
    work = Path(tempfile.mkdtemp(prefix="ras-bench-journey-"))
    try:
        print(f"Preparing database {arguments.database} ...", flush=True)
        database_recreate(server_url, arguments.database)
        accounts = arguments.people * len(arguments.concurrency)
        prepared = prepare(accounts, questionnaire_file(arguments.questionnaire, work))
        database = postgres_version()
        port = free_port()
        with gunicorn(port, arguments.workers, environment, work / "gunicorn.log"):
            for index, concurrency in enumerate(arguments.concurrency):
                print(f"{arguments.people} people, {concurrency} at a time ...", flush=True)
                emails = prepared.emails[index * arguments.people : (index + 1) * arguments.people]
                levels.append(
                    run_level(port, emails, prepared.question_count, concurrency, deadline)
                )
    except BaseException:
        log = work / "gunicorn.log"
        if log.exists():
            print(log.read_text()[-4000:], file=sys.stderr)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)

    run = Run(
        workers=arguments.workers,
        questionnaire=prepared.questionnaire,
        source=prepared.source,
        question_count=prepared.question_count,
        started_at=started_at,
        database=database,
        levels=tuple(levels),
        load_before=load_before,
    )
    text = report(run)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(text, encoding="utf-8")
    print(text)
    failed = any(
        level.error_count or level.finished < level.people or level.out_of_time for level in levels
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the equity figures at a national scale, against a plain COUNT(*) of the same rows.

Run from the project root::

    python -m bench.equity --cases 1000000

It drops and recreates its own database (``ras_bench_equity`` on the local server), migrates it,
writes ``--cases`` historical cases with ``reviews.synthetic_cases`` (every one decided: agreed
at the indicative or varied), shares them between ``--teams`` teams of one social worker each,
adds one decision event a case set-based (the event that set the final amount) and a referral to
a manager for four in five varied cases (the cases "outside the RAS"), then times, ``--rounds``
times each (after one warm-up round), in the same run:

- ``SELECT count(*)`` over the decided budgets joined to their assessments (the floor);
- the precomputed figures' build: what the Celery job `reviews.refresh_figures` does (claim a
  run, work out every figure into a snapshot, swap it in), in the benchmark's own process;
- the pages as the server makes them, reading the snapshot (Django's test client, signed in as
  a finance lead: form, selectors, template): the dashboard with no filters, for one team and
  one financial year, and its bands and outliers CSVs; the variations and timeliness pages with
  no filters and for one client group, team and financial year, and the figures API for the
  same; the open data page and CSV;
- the part of the build that works out the variations and timeliness figures of every scope
  (run again in a transaction that is rolled back);
- the dashboard, the variations and the timeliness pages for dates the snapshot does not hold
  (worked out live, as the pages say), and the live selectors the snapshot replaces, for
  comparison.

The median of the rounds is reported with its ratio to the COUNT(*), in bench/results/equity.md.
"""

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

RESULTS_PATH = Path(__file__).resolve().parent / "results" / "equity.md"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
AIM_SECONDS = 1.0

COUNT_SQL = """
SELECT count(*)
  FROM reviews_budgetdecision d
  JOIN questionnaires_assessment a ON a.id = d.assessment_id
 WHERE d.state = ANY(ARRAY['agreed', 'varied'])
   AND d.final_annual_pence IS NOT NULL
   AND a.total_points IS NOT NULL
"""
# One event a decision (what set the final amount) and a referral for every fifth one, as the
# workflow writes them; the generator writes decisions without their events.
EVENTS_SQL = """
INSERT INTO reviews_decisionevent (decision_id, action, from_state, to_state, actor_id, at,
                                   amount_before_pence, amount_after_pence, reason_codes, reasons)
SELECT d.id, 'refer_to_manager', 'indicative', 'awaiting_manager', d.signed_off_by_id,
       d.signed_off_at - interval '3 days', d.indicative_annual_pence, d.final_annual_pence,
       ARRAY['health-not-captured'], 'Needs the questionnaire does not capture.'
  FROM reviews_budgetdecision d WHERE d.state = 'varied' AND d.id % 5 <> 0
UNION ALL
SELECT d.id,
       CASE WHEN d.state = 'agreed' THEN 'agree'
            WHEN d.id % 5 = 0 THEN 'vary' ELSE 'manager_approve' END,
       CASE WHEN d.state = 'agreed' OR d.id % 5 = 0 THEN 'indicative' ELSE 'awaiting_manager' END,
       d.state, d.signed_off_by_id, d.signed_off_at, d.indicative_annual_pence,
       d.final_annual_pence,
       CASE WHEN d.state = 'agreed' THEN ARRAY[]::text[] ELSE ARRAY['rural-travel'] END,
       CASE WHEN d.state = 'agreed' THEN '' ELSE 'Costs more where the person lives.' END
  FROM reviews_budgetdecision d
"""


# Every decision goes to one of the teams' workers, in turn by id.
TEAMS_SQL = """
UPDATE reviews_budgetdecision
   SET social_worker_id = (%(workers)s::bigint[])[1 + id %% cardinality(%(workers)s::bigint[])]
"""


def database_recreate(server_url: str, name: str) -> None:
    """Drop the benchmark's own database (whoever is connected) and create it empty."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def timed(rounds: int, work: Callable[[], object]) -> tuple[float, list[float]]:
    """The median and every round's seconds of `work`, after one untimed warm-up round (which
    compiles templates and fills caches, as a running server already has)."""
    work()
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1_000_000, help="historical decided cases")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each query")
    parser.add_argument("--teams", type=int, default=8, help="teams sharing the cases")
    parser.add_argument("--database", default="ras_bench_equity", help="dropped and recreated")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="the local PostgreSQL server, without a database name",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_PATH, help="markdown file to write")
    arguments = parser.parse_args(argv)
    if arguments.database in ("ras", "postgres", "template0", "template1"):
        parser.error("choose a database of the benchmark's own: it is dropped on every run")
    server_url = arguments.postgres.rstrip("/")
    if not any(f"@{host}" in server_url or f"//{host}" in server_url for host in LOCAL_HOSTS):
        parser.error("the benchmark only talks to a PostgreSQL on this machine")

    started_at = datetime.now(tz=UTC)
    load_before = os.getloadavg()[0]
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "ras.settings.test",
            "DATABASE_URL": f"{server_url}/{arguments.database}",
            "LOG_LEVEL": "WARNING",
        }
    )
    print(f"Preparing database {arguments.database} ...", flush=True)
    database_recreate(server_url, arguments.database)

    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from ras.accounts.models import Team, User
    from ras.accounts.roles import Role
    from ras.accounts.services import user_create
    from reviews.equity import EquityFilters, equity_bands, equity_dots, equity_outliers
    from reviews.equity_snapshot import financial_year, financial_year_start
    from reviews.figure_scopes import figure_scopes_snapshot_fill
    from reviews.figures_snapshot import (
        BUILD_WORK_MEM,
        figures_snapshot_build,
        figures_snapshot_claim,
    )
    from reviews.models import FigureScopeSnapshot, FiguresSnapshot, SnapshotState
    from reviews.synthetic_cases import cases_generate, reference_data_ensure
    from reviews.timeliness import timeliness_figures
    from reviews.variation_figures import FigureFilters, variation_figures

    call_command("migrate", verbosity=0)
    questionnaire, tables, staff = reference_data_ensure()
    print(f"Writing {arguments.cases:,} decided cases ...", flush=True)
    made = cases_generate(
        n=arguments.cases,
        questionnaire=questionnaire,
        tables=tables,
        staff=staff,
        decided_share=1.0,
        years=3,
        check_foreign_keys=False,
        rebuild_indexes=arguments.cases >= 100_000,
    )
    load_started = time.perf_counter()
    workers = []
    for number in range(1, arguments.teams + 1):
        worker = user_create(
            email=f"bench.worker.{number}@example.org",
            full_name=f"Bench Worker {number}",
            roles=[Role.SOCIAL_WORKER],
        )
        worker.team = Team.objects.create(name=f"Locality {number}")
        worker.save(update_fields=["team"])
        workers.append(worker.pk)
    with connection.cursor() as cursor:
        cursor.execute(TEAMS_SQL, {"workers": workers})
        cursor.execute(EVENTS_SQL)
        event_count = cursor.rowcount
        cursor.execute(
            "VACUUM (ANALYZE) questionnaires_assessment, allocations_indicativebudget,"
            " reviews_budgetdecision, reviews_decisionevent"
        )
    events_seconds = time.perf_counter() - load_started

    def count_rows() -> int:
        with connection.cursor() as cursor:
            cursor.execute(COUNT_SQL)
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    finance_lead = User.objects.get(email="bench.finance@example.org")
    client = Client()
    client.force_login(finance_lead)
    # Staff sign in in two steps: the finance lead has an authenticator app and has taken it.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=finance_lead, name="Bench app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    def fetch(address: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(address)
            if response.status_code != 200:
                raise SystemExit(f"{address} answered {response.status_code}")

        return get

    def build() -> None:
        claimed = figures_snapshot_claim(snapshot_id=None)
        if claimed is None:
            raise SystemExit("A figures run is already under way in this database.")
        figures_snapshot_build(snapshot_id=claimed.pk)

    class RolledBack(Exception):
        """Undoes the figures worked out again, leaving the snapshot as the build wrote it."""

    def scopes_fill() -> None:
        snapshot = FiguresSnapshot.objects.filter(state=SnapshotState.COMPLETE).latest("as_at")
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL jit = off")
                    cursor.execute(f"SET LOCAL work_mem = '{BUILD_WORK_MEM}'")
                FigureScopeSnapshot.objects.filter(snapshot=snapshot).delete()
                figure_scopes_snapshot_fill(snapshot_id=snapshot.pk, today=timezone.localdate())
                raise RolledBack
        except RolledBack:
            pass

    everyone = EquityFilters()
    rows = count_rows()
    outliers = len(equity_outliers(everyone))
    team = Team.objects.order_by("name").first()
    year = financial_year(financial_year_start(timezone.localdate()))
    one_team_this_year = (
        f"/equity/?team={team.pk if team else ''}&signed_off_from={year.first_day}"
        f"&signed_off_to={year.last_day}"
    )
    other_dates = "/equity/?signed_off_from=2000-01-01"
    one_scope = (
        f"?client_group=older-people&team={team.pk if team else ''}"
        f"&date_from={year.first_day}&date_to={year.last_day}"
    )
    figures_other_dates = "?date_from=2000-01-01"
    measured: list[tuple[str, float, list[float]]] = []
    for name, work in (
        ("`COUNT(*)` of the decided budgets (floor)", count_rows),
        ("snapshot build: the Celery job's work, every figure", build),
        ("page `/equity/` (server time, from the snapshot)", fetch("/equity/")),
        (f"page `/equity/`, one team, {year.label}", fetch(one_team_this_year)),
        ("CSV `/equity/bands.csv` (server time)", fetch("/equity/bands.csv")),
        ("CSV `/equity/outliers.csv` (server time)", fetch("/equity/outliers.csv")),
        ("page `/figures/variations/` (no filters)", fetch("/figures/variations/")),
        ("page `/figures/timeliness/` (no filters)", fetch("/figures/timeliness/")),
        (
            f"page `/figures/variations/`, one client group, team and {year.label}",
            fetch(f"/figures/variations/{one_scope}"),
        ),
        (
            f"page `/figures/timeliness/`, one client group, team and {year.label}",
            fetch(f"/figures/timeliness/{one_scope}"),
        ),
        ("API `/api/figures/variations/` (no filters)", fetch("/api/figures/variations/")),
        ("API `/api/figures/timeliness/` (no filters)", fetch("/api/figures/timeliness/")),
        ("API variations, the same one scope", fetch(f"/api/figures/variations/{one_scope}")),
        ("API timeliness, the same one scope", fetch(f"/api/figures/timeliness/{one_scope}")),
        ("build, variations and timeliness of every scope only", scopes_fill),
        ("page `/open-data/`", fetch("/open-data/")),
        ("CSV `/open-data/personal-budgets.csv`", fetch("/open-data/personal-budgets.csv")),
        ("page `/equity/` for other dates (worked out live)", fetch(other_dates)),
        ("live `equity_bands` (what the snapshot replaces)", lambda: equity_bands(everyone)),
        ("live `equity_outliers`", lambda: equity_outliers(everyone)),
        ("live `equity_dots`", lambda: equity_dots(everyone)),
        (
            "page `/figures/variations/` for other dates (worked out live)",
            fetch(f"/figures/variations/{figures_other_dates}"),
        ),
        (
            "page `/figures/timeliness/` for other dates (worked out live)",
            fetch(f"/figures/timeliness/{figures_other_dates}"),
        ),
        ("live `variation_figures`, no filters", lambda: variation_figures(FigureFilters())),
        (
            "live `timeliness_figures`, no filters",
            lambda: timeliness_figures(FigureFilters(), today=timezone.localdate()),
        ),
    ):
        print(f"Timing {name} ...", flush=True)
        median, seconds = timed(arguments.rounds, work)
        measured.append((name, median, seconds))
        print(f"  median {median:.3f} s", flush=True)
    snapshot = FiguresSnapshot.objects.filter(state=SnapshotState.COMPLETE).latest("as_at")

    floor = measured[0][1]
    lines = [
        "# Equity figures at a national scale",
        "",
        f"Run {started_at:%Y-%m-%d %H:%M} UTC with `python -m bench.equity --cases "
        f"{arguments.cases}`: {os.cpu_count()} cores, load average {load_before:.1f} at the"
        f" start and {os.getloadavg()[0]:.1f} at the end (other work shared the machine).",
        "",
        f"Data: {made.cases:,} historical cases over three years and four client groups, every"
        f" one decided ({rows:,} decided budgets: about 70% agreed at the indicative, 30% varied"
        f" by -15% to +30%), written by `reviews.synthetic_cases` in {made.seconds:.0f} s; shared"
        f" between {arguments.teams} teams; then {event_count:,} decision events (one a case,"
        f" plus a referral to a manager for four in five varied cases) in {events_seconds:.0f} s."
        f" {outliers:,} people are outliers. A snapshot holds"
        f" {snapshot.scopes.count()} scopes of the dashboard (all teams and each team, all dates"
        f" and each financial year) and"
        f" {FigureScopeSnapshot.objects.filter(snapshot=snapshot).count() // 2} scopes of the"
        " variations and timeliness pages (all and each client group, team and financial year).",
        "",
        f"Median of {arguments.rounds} rounds after one warm-up, all client groups; the ratio is"
        " to the `COUNT(*)` of the same rows in the same run.",
        "",
        "| what | median (s) | x COUNT(*) | rounds (s) |",
        "|---|---:|---:|---|",
    ]
    lines += [
        f"| {name} | {median:.3f} | {median / floor:.1f} | "
        f"{', '.join(f'{second:.3f}' for second in seconds)} |"
        for name, median, seconds in measured
    ]
    page_seconds = next(median for name, median, _ in measured if name.startswith("page"))
    build_seconds = next(median for name, median, _ in measured if name.startswith("snapshot"))
    verdict = "meets" if page_seconds < AIM_SECONDS else "misses"
    lines += [
        "",
        f"The page {verdict} the aim of under {AIM_SECONDS:.0f} s at this scale"
        f" ({page_seconds:.2f} s from the snapshot); the snapshot behind it takes"
        f" {build_seconds:.0f} s to build ({build_seconds / floor:.0f} x COUNT(*)), once every"
        f" {settings.FIGURES_REFRESH_MINUTES} minutes.",
        "",
    ]
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

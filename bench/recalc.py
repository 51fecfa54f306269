"""Benchmark of a recalculation run through real Celery workers, against a hand-written floor.

Run from the project root with ``python -m bench.recalc`` (``--cases 100000`` for a quicker run).
It drops and recreates a database of its own (``ras_bench_recalc`` on the local PostgreSQL),
migrates it, and writes with ``reviews.synthetic_cases`` ``--cases`` historical older people's
cases and ``--county-cases`` learning disability cases (a large county's caseload). For each group
it makes the draft a finance lead would: the published table with band 3 raised by 5%.

Two real ``celery worker`` processes (one pool process each, as on a two-core machine) are started
on the benchmark database, a Redis database of its own and a queue of their own. Each round then
times, with the results table emptied and a checkpoint taken before each step:

- the run end to end: from calling ``recalculation_start`` (the scope query, the chunks, the
  tasks queued) to the moment the last chunk marked the run completed;
- the floor: one hand-written ``INSERT ... SELECT`` that prices the same cases in SQL (the bands
  and reductions written into the statement) and writes the same results into the same table,
  next to the run's, for another run id; the two sets of results are then checked identical.

It reports cases per second for both, their ratio, and the peak memory (``VmHWM``) of each worker
process and its pool process, in ``bench/results/recalc.md``.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from allocations.models import AllocationTableVersion, RecalculationRun
    from ras.accounts.models import User

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS_PATH = PROJECT_ROOT / "bench" / "results" / "recalc.md"
LOCAL_HOSTS = ("127.0.0.1", "localhost")
WORKERS = 2
TARGET_SECONDS = {1_000_000: 15.0, 20_000: 2.0}
TARGET_FLOOR_RATIO = 1.5
TARGET_WORKER_MB = 500
POLL_SECONDS = 0.01
HOW_IT_IS_TUNED = (
    "## How the run is tuned",
    "",
    "- Each task prices a contiguous range of assessment ids (not a list of ids); the scope is",
    "  numbered and cut into ranges by one query when the run starts.",
    "- The engine prices each distinct (total points, carer level) pair of a chunk once (a few",
    "  hundred for 20,000 cases); one `INSERT ... SELECT` joins the chunk's assessments to the",
    "  priced pairs (`unnest` of arrays) and writes every result. No row passes through Python,",
    "  so `COPY`, which would need them there, is not used.",
    "- Inside each chunk's transaction `jit` and nested-loop joins are off: the planner",
    "  underestimates the join with the pairs and would otherwise look each budget up one by",
    "  one (about a third slower a chunk, measured on this data).",
    "- Results have no database foreign keys. Django still indexes their run and assessment",
    "  columns one by one; the unique (run, assessment) index serves reads by run, and without",
    "  the two single-column indexes both the run and the floor write faster (the lean rows).",
    "- Twenty chunks of 50,000 leave one worker idle at the end more often than fifty of 20,000.",
    "- The machine is shared: timings move with other work on it (see the load average).",
)
RUN_TIME_LIMIT_SECONDS = 600


@dataclass(frozen=True, slots=True)
class Timed:
    seconds: float
    cases: int

    @property
    def per_second(self) -> float:
        return self.cases / self.seconds


@dataclass(frozen=True, slots=True)
class Round:
    run: Timed
    floor: Timed
    start_seconds: float  # recalculation_start: scope, chunks, tasks queued
    chunks: int


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    client_group_code: str
    cases: int
    chunk_size: int
    indexes: str  # "as migrated" or "lean"
    rounds: list[Round]


def database_recreate(server_url: str, name: str) -> None:
    """Drop the benchmark's own database (whoever is connected) and create it empty."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def band_three_raised(
    published: "AllocationTableVersion", finance_lead: "User"
) -> "AllocationTableVersion":
    """The draft of the issue's story: the published table with band 3 raised by 5%."""
    from allocations import engine
    from allocations.services import table_draft_create, table_draft_save

    draft = table_draft_create(
        client_group=published.client_group,
        actor=finance_lead,
        label="Band 3 up 5%",
        clone_from=published,
    )
    bands = [
        engine.Band(band.min_points, band.max_points, band.base_pence, band.per_point_pence)
        for band in published.bands.order_by("position")
    ]
    third = bands[2]
    bands[2] = engine.Band(
        third.min_points,
        third.max_points,
        engine.rhu(third.base_pence * 105, 100),
        engine.rhu(third.per_point_pence * 105, 100),
    )
    return table_draft_save(
        version=draft,
        actor=finance_lead,
        label=draft.label,
        bands=bands,
        carer_reductions_bp={r.carer_level: r.reduction_bp for r in draft.carer_reductions.all()},
        expected_edit_number=draft.edit_number,
        reason="Band 3 up 5%",
    )


@contextmanager
def celery_workers(count: int, environment: dict[str, str], queue: str) -> Iterator[list[int]]:
    """`count` real worker processes (one pool process each); yields their process ids."""
    from kombu import Queue

    from ras.celery import app

    processes = []
    try:
        for number in range(count):
            command = [
                sys.executable, "-m", "celery", "-A", "ras", "worker", "--queues", queue,
                "--concurrency", "1", "--loglevel", "WARNING",
                "--hostname", f"{queue}-{number}@%h", "--without-mingle", "--without-gossip",
            ]  # fmt: skip
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own virtualenv's celery
                    command,
                    cwd=PROJECT_ROOT,
                    env=environment,
                    stdout=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        for number, process in enumerate(processes):
            deadline = time.monotonic() + 60
            destination = [f"{queue}-{number}@{os.uname().nodename}"]
            while not app.control.ping(destination=destination, timeout=0.5):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("A Celery worker did not start.")
        yield [process.pid for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        with app.connection_for_write() as broker:
            Queue(queue).bind(broker.default_channel).delete()


def peak_memory_mb(pid: int) -> tuple[float, list[float]]:
    """Peak resident memory (VmHWM) of a process and of each of its children, in MB."""

    def vm_hwm(process_id: int) -> float:
        status = Path(f"/proc/{process_id}/status").read_text(encoding="utf-8")
        line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024

    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(vm_hwm(int(stat.parent.name)))
    return vm_hwm(pid), children


def results_empty() -> None:
    """Empties the results table and writes out dirty pages, so each step starts alike."""
    from django.db import connection

    from allocations.models import RecalculationResult

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {RecalculationResult._meta.db_table}")
        cursor.execute("CHECKPOINT")


def checkpoint() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def timed_run(
    version: "AllocationTableVersion", finance_lead: "User"
) -> tuple[Timed, float, "RecalculationRun"]:
    """A run started as the start page starts it, timed until the last chunk completed it."""
    from django.utils import timezone

    from allocations.models import RunState
    from allocations.recalculation.services import RunScope, recalculation_start

    started_at = timezone.now()
    started = time.perf_counter()
    run = recalculation_start(
        table_version=version,
        actor=finance_lead,
        scope=RunScope(submitted_from=None, submitted_to=None, decided_only=False),
        request_token=uuid.uuid4(),
    )
    start_seconds = time.perf_counter() - started
    deadline = time.monotonic() + RUN_TIME_LIMIT_SECONDS
    while run.state not in (RunState.COMPLETED, RunState.FAILED, RunState.CANCELLED):
        if time.monotonic() > deadline:
            raise SystemExit(f"Run {run.pk} did not finish in {RUN_TIME_LIMIT_SECONDS} s.")
        time.sleep(POLL_SECONDS)
        run.refresh_from_db()
    if run.state != RunState.COMPLETED or run.finished_at is None:
        raise SystemExit(f"Run {run.pk} ended {run.state}: {run.failure}")
    seconds = (run.finished_at - started_at).total_seconds()
    return Timed(seconds, run.done_count), start_seconds, run


def floor_sql(version: "AllocationTableVersion") -> str:
    """The hand-written statement: the version's bands and reductions as CASE expressions."""
    from allocations.recalculation.decided import decided_budgets_sql

    bands = list(version.bands.order_by("-min_points"))
    full_needs = " ".join(
        f"WHEN a.total_points >= {band.min_points} THEN "
        f"{band.base_pence} + (a.total_points - {band.min_points})::bigint * {band.per_point_pence}"
        for band in bands
    )
    reductions = " ".join(
        f"WHEN '{r.carer_level.replace(chr(39), chr(39) * 2)}' THEN {r.reduction_bp}"
        for r in version.carer_reductions.all()
    )
    decided, _params = decided_budgets_sql()
    return (
        "INSERT INTO allocations_recalculationresult (run_id, assessment_id, total_points,"  # noqa: S608 - the table's own figures
        " carer_level, full_needs_annual_pence, indicative_annual_pence,"
        " original_indicative_annual_pence, final_annual_pence, difference_pence)"
        " SELECT %s, id, total_points, carer_level, full_needs,"
        " full_needs - (full_needs * reduction_bp + 5000) / 10000, original, final,"
        " full_needs - (full_needs * reduction_bp + 5000) / 10000 - original"
        " FROM (SELECT a.id, a.total_points, a.carer_level,"
        f" CASE {full_needs} END AS full_needs,"
        f" CASE a.carer_level {reductions} END AS reduction_bp,"
        " b.indicative_annual_pence AS original, d.final_annual_pence AS final"
        " FROM questionnaires_assessment AS a"
        " LEFT JOIN allocations_indicativebudget AS b ON b.assessment_id = a.id"
        f" LEFT JOIN ({decided}) AS d ON d.assessment_id = a.id"
        " WHERE a.status = 'submitted' AND a.client_group_code = %s"
        " AND a.total_points IS NOT NULL) AS priced"
        " ON CONFLICT (run_id, assessment_id) DO NOTHING"
    )


def timed_floor(
    version: "AllocationTableVersion", finance_lead: "User", celery_run: "RecalculationRun"
) -> Timed:
    """The floor, written for a run of its own, then checked against the Celery run's results."""
    from django.db import connection, transaction

    from allocations.models import RecalculationRun, RunState
    from allocations.recalculation.decided import decided_budgets_sql

    floor_run = RecalculationRun.objects.create(
        table_version=version,
        started_by=finance_lead,
        request_token=uuid.uuid4(),
        state=RunState.COMPLETED,
        chunk_size=0,
    )
    sql = floor_sql(version)
    _decided, decided_params = decided_budgets_sql()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, [floor_run.pk, *decided_params, version.client_group.code])
        written: int = cursor.rowcount
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM ("
            " (SELECT assessment_id, total_points, carer_level, full_needs_annual_pence,"
            "  indicative_annual_pence, original_indicative_annual_pence, final_annual_pence,"
            "  difference_pence FROM allocations_recalculationresult WHERE run_id = %s"
            "  EXCEPT SELECT assessment_id, total_points, carer_level, full_needs_annual_pence,"
            "  indicative_annual_pence, original_indicative_annual_pence, final_annual_pence,"
            "  difference_pence FROM allocations_recalculationresult WHERE run_id = %s)"
            " UNION ALL"
            " (SELECT assessment_id, total_points, carer_level, full_needs_annual_pence,"
            "  indicative_annual_pence, original_indicative_annual_pence, final_annual_pence,"
            "  difference_pence FROM allocations_recalculationresult WHERE run_id = %s"
            "  EXCEPT SELECT assessment_id, total_points, carer_level, full_needs_annual_pence,"
            "  indicative_annual_pence, original_indicative_annual_pence, final_annual_pence,"
            "  difference_pence FROM allocations_recalculationresult WHERE run_id = %s)"
            ") AS differences",
            [celery_run.pk, floor_run.pk, floor_run.pk, celery_run.pk],
        )
        row = cursor.fetchone()
    if row is None or row[0] != 0 or written != celery_run.done_count:
        raise SystemExit(
            f"The floor's results differ from the run's: {row[0] if row else '?'} rows differ, "
            f"{written:,} written against {celery_run.done_count:,}."
        )
    return Timed(seconds, written)


def scenario_run(
    name: str,
    version: "AllocationTableVersion",
    finance_lead: "User",
    cases: int,
    rounds: int,
    chunk_size: int,
    indexes: str,
) -> Scenario:
    from django.conf import settings

    settings.RECALCULATION_CHUNK_SIZE = chunk_size  # read by recalculation_start, here
    measured = []
    for number in range(1, rounds + 1):
        results_empty()
        run, start_seconds, celery_run = timed_run(version, finance_lead)
        checkpoint()
        floor = timed_floor(version, finance_lead, celery_run)
        measured.append(Round(run, floor, start_seconds, celery_run.chunks.count()))
        print(
            f"  {name}, chunks of {chunk_size:,}, indexes {indexes}, round {number}: "
            f"run {run.seconds:.2f} s ({run.per_second:,.0f}/s), "
            f"floor {floor.seconds:.2f} s ({floor.per_second:,.0f}/s)",
            flush=True,
        )
    return Scenario(name, version.client_group.code, cases, chunk_size, indexes, measured)


def result_indexes_describe(*, lean: bool) -> str:
    """The results table's indexes, after dropping the single-column ones when `lean`.

    The unique (run, assessment) index already serves every read by run; the run and assessment
    columns have no database foreign key, but Django still indexes them one by one.
    """
    from django.db import connection

    from allocations.models import RecalculationResult

    table = RecalculationResult._meta.db_table
    with connection.cursor() as cursor:
        if lean:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE "
                "'%%UNIQUE%%' AND (indexname LIKE %s OR indexname LIKE %s)",
                [table, f"{table}_run_id_%", f"{table}_assessment_id_%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname", [table]
        )
        definitions = [
            ("unique " if " UNIQUE " in row[0] else "") + row[0].split(" USING btree ")[-1]
            for row in cursor.fetchall()
        ]
    described = ", ".join(f"`{definition}`" for definition in definitions)
    return f"{len(definitions)}: {described}"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def report(
    scenarios: Sequence[Scenario],
    memory: Sequence[tuple[float, list[float]]],
    *,
    generation: str,
    result_indexes: Sequence[tuple[str, str]],
    command: str,
    started_at: datetime,
    load: tuple[float, float],
) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    server = row[0] if row else "?"
    lines = [
        "# Recalculation run benchmark",
        "",
        "Produced by `python -m bench.recalc`: a run of a draft (the published table with band 3",
        "raised by 5%) over every historical case of a client group, through two real Celery",
        "worker processes (one pool process each) and Redis, timed end to end from",
        "`recalculation_start` to the run marked completed by its last chunk. The floor is one",
        "hand-written `INSERT ... SELECT` pricing the same cases in SQL into the same results",
        "table, next to the run's results; they were checked identical, row for row. The results",
        "table is emptied before each round and a checkpoint taken before each timed step.",
        "",
        "| what | value |",
        "|---|---|",
        f"| command | `{command}` |",
        f"| date (UTC) | {started_at:%Y-%m-%d %H:%M} |",
        f"| machine | {platform.system()} {platform.machine()}, {os.cpu_count()} cores |",
        f"| load average before / after | {load[0]:.2f} / {load[1]:.2f} |",
        f"| Python / PostgreSQL | {platform.python_version()} / {server} |",
        f"| workers | {WORKERS} `celery worker` processes, `--concurrency 1` each |",
        f"| data | {generation} |",
        *(
            f"| results table indexes ({label}) | {described} |"
            for label, described in result_indexes
        ),
        "",
        "| scenario | results indexes | chunk size | round | run end to end | run cases/s "
        "| floor | floor cases/s | run ÷ floor | start (scope, chunks, queue) | chunks |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in scenarios:
        for number, measured in enumerate(scenario.rounds, start=1):
            lines.append(
                f"| {scenario.name} | {scenario.indexes} | {scenario.chunk_size:,} | {number} "
                f"| {measured.run.seconds:.2f} s "
                f"| {measured.run.per_second:,.0f} | {measured.floor.seconds:.2f} s "
                f"| {measured.floor.per_second:,.0f} "
                f"| {measured.run.seconds / measured.floor.seconds:.2f} "
                f"| {measured.start_seconds:.2f} s | {measured.chunks} |"
            )
    lines += [
        "",
        "| worker | peak memory (VmHWM): main process | pool process |",
        "|---|---:|---:|",
    ]
    for number, (main, children) in enumerate(memory, start=1):
        pool = ", ".join(f"{mb:.0f} MB" for mb in children) or "-"
        lines.append(f"| {number} | {main:.0f} MB | {pool} |")
    lines += ["", "## Against the aims", ""]
    for scenario in scenarios:
        run_seconds = median([r.run.seconds for r in scenario.rounds])
        floor_seconds = median([r.floor.seconds for r in scenario.rounds])
        ratio = run_seconds / floor_seconds
        target = TARGET_SECONDS.get(scenario.cases)
        aim = (
            f"aim under {target:g} s: {'met' if run_seconds < target else 'NOT met'}"
            if target
            else "no aim for this size"
        )
        lines.append(
            f"- {scenario.name}, results indexes {scenario.indexes}, chunks of "
            f"{scenario.chunk_size:,}, medians: the run took "
            f"{run_seconds:.2f} s ({scenario.cases / run_seconds:,.0f} cases/s; {aim}); the "
            f"floor {floor_seconds:.2f} s ({scenario.cases / floor_seconds:,.0f} cases/s); "
            f"the run took {ratio:.2f} times the floor (aim within {TARGET_FLOOR_RATIO}x: "
            f"{'met' if ratio <= TARGET_FLOOR_RATIO else 'NOT met'})."
        )
    worst = max(main + sum(children) for main, children in memory)
    lines.append(
        f"- Worker memory: at most {worst:.0f} MB for a worker and its pool process together "
        f"(aim under {TARGET_WORKER_MB} MB each: "
        f"{'met' if worst < TARGET_WORKER_MB else 'NOT met'})."
    )
    lines += ["", *HOW_IT_IS_TUNED]
    return "\n".join(lines) + "\n"


def chunk_sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(int(part) for part in text.split(",") if part.strip())
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give chunk sizes of 1 or more, separated by commas")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1_000_000, help="older people's cases")
    parser.add_argument(
        "--county-cases", type=int, default=20_000, help="learning disability cases (0: none)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each scenario")
    parser.add_argument(
        "--chunk-sizes",
        type=chunk_sizes,
        default=(20_000,),
        help="assessment ids a task; several (20000,50000) run each scenario with each",
    )
    parser.add_argument("--database", default="ras_bench_recalc", help="dropped and recreated")
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="the local PostgreSQL server, without a database name",
    )
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/13", help="a Redis database of its own"
    )
    parser.add_argument(
        "--lean-comparison",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="then drop the results table's single-column indexes and time the largest again",
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
    queue = f"bench-recalc-{uuid.uuid4().hex[:8]}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ras.settings.test",
        "DATABASE_URL": f"{server_url}/{arguments.database}",
        "TEST_REDIS_URL": arguments.redis,
        "CELERY_QUEUE": queue,
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(environment)
    print(f"Preparing database {arguments.database} ...", flush=True)
    database_recreate(server_url, arguments.database)

    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from reviews.synthetic_cases import cases_generate, reference_data_ensure

    call_command("migrate", verbosity=0)
    questionnaire, tables, staff = reference_data_ensure()
    from ras.accounts.models import User

    finance_lead = User.objects.get(email="bench.finance@example.org")
    generated = []
    for code, count in (
        ("older-people", arguments.cases),
        ("learning-disabilities", arguments.county_cases),
    ):
        if count < 1:
            continue
        print(f"Writing {count:,} {code} cases ...", flush=True)
        made = cases_generate(
            n=count,
            questionnaire=questionnaire,
            tables={code: tables[code]},
            staff=staff,
            check_foreign_keys=False,
            rebuild_indexes=count >= 100_000,
        )
        generated.append(f"{made.cases:,} {code} cases in {made.seconds:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) questionnaires_assessment, allocations_indicativebudget,"
            " reviews_budgetdecision"
        )
    result_indexes = [("as migrated", result_indexes_describe(lean=False))]

    scenarios_to_run = [
        (f"{arguments.cases:,} cases (national)", "older-people", arguments.cases),
        (f"{arguments.county_cases:,} cases (large county)", "learning-disabilities",
         arguments.county_cases),
    ]  # fmt: skip
    drafts = {
        code: band_three_raised(tables[code], finance_lead)
        for _name, code, count in scenarios_to_run
        if count > 0
    }
    scenarios = []
    print("Starting two Celery workers ...", flush=True)
    with celery_workers(WORKERS, environment, queue) as pids:
        for name, code, count in scenarios_to_run:
            for chunk_size in arguments.chunk_sizes if count > 0 else ():
                scenarios.append(
                    scenario_run(
                        name,
                        drafts[code],
                        finance_lead,
                        count,
                        arguments.rounds,
                        chunk_size,
                        "as migrated",
                    )
                )
        if arguments.lean_comparison and arguments.cases > 0:
            result_indexes.append(("lean", result_indexes_describe(lean=True)))
            name, code, count = scenarios_to_run[0]
            scenarios.append(
                scenario_run(
                    name,
                    drafts[code],
                    finance_lead,
                    count,
                    arguments.rounds,
                    arguments.chunk_sizes[0],
                    "lean",
                )
            )
        memory = [peak_memory_mb(pid) for pid in pids]
    text = report(
        scenarios,
        memory,
        generation="; ".join(generated) + " (reviews.synthetic_cases, COPY)",
        result_indexes=result_indexes,
        command=" ".join(["python -m bench.recalc", *(argv if argv is not None else sys.argv[1:])]),
        started_at=started_at,
        load=(load_before, os.getloadavg()[0]),
    )
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

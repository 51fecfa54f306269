"""Synthetic historical assessments for load tests, written straight into the tables with COPY.

Used by the benchmarks (``python -m bench.gen_cases`` is its command line), by the demonstration
history and by tests of bulk recalculation. The database must be migrated. The council's
questionnaire, a published table for each client group (the demonstration tables) and two staff
accounts are added when missing (`reference_data_ensure`), then ``n`` cases are written, each as:

- a person;
- a submitted assessment of the questionnaire, spread over the client groups of the ``tables``
  given, submitted between 9 am and 5 pm (UTC) on a day within the last ``years`` years (ids
  rise with the submission date, as in real life), with its total points, domain points and
  carer level stored as submission stores them;
- its indicative budget, priced by the engine with the client group's published table;
- for ``decided_share`` of the cases (60% by default) a decided final budget signed off by a
  staff member: agreed at the indicative amount, or varied from it by -15% to +30%.

Answers are realistic: each case is one of a few thousand answer profiles per client group, drawn
question by question from a severity that differs by client group and domain, and the totals come
from the questionnaire's own points. One row per answer is written only with ``with_answers``
(30 rows a case: meant for small runs); bulk work reads the stored totals (ADR 0013).

Everything is written in one transaction. ``load_strategy`` loads as a bulk loader does when it
can: as a superuser it skips the foreign-key triggers (the rows are consistent by construction;
``check_foreign_keys`` keeps them), and when the new cases at least double the table it builds
the indexes that back no constraint again after the COPY instead of row by row.
"""

import datetime
import json
import random
import secrets
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from allocations import engine
from allocations.demo import demo_tables_load
from allocations.models import AllocationTableVersion, TableStatus
from allocations.selectors import engine_table
from questionnaires.loading import questionnaire_load
from questionnaires.management.commands.load_questionnaire import DEFAULT_FILE
from questionnaires.models import Question, QuestionnaireVersion
from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import user_create

# Share of long-term cases by client group, roughly as English councils report them.
CLIENT_GROUP_WEIGHTS = {
    "older-people": 55,
    "learning-disabilities": 20,
    "physical-disabilities": 15,
    "mental-health": 10,
}
# How heavily each client group's needs fall on each domain (1.0 = as the overall severity).
DOMAIN_WEIGHTS = {
    "older-people": {
        "personal-care": 1.2,
        "home-and-daily-living": 1.2,
        "physical-health": 1.2,
        "work-learning-and-volunteering": 0.3,
        "mental-wellbeing": 0.7,
    },
    "learning-disabilities": {
        "making-decisions-and-managing-money": 1.4,
        "staying-safe": 1.3,
        "work-learning-and-volunteering": 1.2,
        "community-and-leisure": 1.2,
        "personal-care": 0.8,
    },
    "physical-disabilities": {
        "personal-care": 1.3,
        "home-and-daily-living": 1.3,
        "community-and-leisure": 1.1,
        "making-decisions-and-managing-money": 0.4,
        "staying-safe": 0.6,
    },
    "mental-health": {
        "mental-wellbeing": 1.5,
        "relationships": 1.3,
        "staying-safe": 1.2,
        "personal-care": 0.5,
        "physical-health": 0.7,
    },
}
# (alpha, beta) of the severity each client group's cases are drawn from (mean alpha/(alpha+beta)).
SEVERITY = {
    "older-people": (2.4, 2.6),
    "learning-disabilities": (2.2, 2.4),
    "physical-disabilities": (2.0, 2.6),
    "mental-health": (1.8, 2.8),
}
CARER_LEVEL_WEIGHTS = {"none": 35, "some": 30, "substantial": 22, "most": 13}
PROFILES_PER_GROUP = 2_000
VARIED_SHARE = 0.3  # of decided budgets; the rest are agreed at the indicative amount
FIRST_NAMES = ("Alex", "Sam", "Jo", "Pat", "Chris", "Mo", "Ruth", "Amir", "Ewa", "Kofi", "Li")
LAST_NAMES = ("Smith", "Jones", "Patel", "Brown", "Khan", "Taylor", "Nowak", "Evans", "Okafor")
COPY_BLOCK_ROWS = 20_000
ANALYZE_FROM_CASES = 10_000
BULK_TABLES = (
    "people_person",
    "questionnaires_assessment",
    "allocations_indicativebudget",
    "reviews_budgetdecision",
)


@dataclass(frozen=True, slots=True)
class QuestionOptions:
    question_id: int
    domain_code: str
    is_carer_question: bool
    # (option id, points, carer level) in the questionnaire's order: least help first.
    options: tuple[tuple[int, int, str], ...]


@dataclass(frozen=True, slots=True)
class Profile:
    """One realistic set of answers, with what every case answering it needs written."""

    assessment_columns: str  # client group code, total points, carer level, domain points
    budget_columns: str  # client group ... steps, as in the indicative budget COPY
    indicative_annual_pence: int
    answers: tuple[tuple[int, int], ...]  # (question id, option id)


@dataclass(frozen=True, slots=True)
class Generated:
    cases: int
    decided: int
    first_assessment_id: int
    last_assessment_id: int
    answers: int
    seconds: float
    phase_seconds: Mapping[str, float]


def copy_text(value: str) -> str:
    """`value` escaped for PostgreSQL's COPY text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def questionnaire_options(questionnaire: QuestionnaireVersion) -> list[QuestionOptions]:

    questions = Question.objects.filter(version=questionnaire).select_related("domain")
    return [
        QuestionOptions(
            question_id=question.pk,
            domain_code=question.domain.code,
            is_carer_question=question.is_carer_question,
            options=tuple(
                (option.pk, option.points, option.carer_level)
                for option in question.options.order_by("position")
            ),
        )
        for question in questions.order_by("position")
    ]


def answer_profiles(
    rng: random.Random,
    questions: Sequence[QuestionOptions],
    client_group_code: str,
    count: int,
) -> list[tuple[tuple[tuple[int, int], ...], dict[str, int], int, str]]:
    """`count` sets of answers: (answers, domain points, total points, carer level) each.

    Each set has a severity from 0 to 1 drawn for the client group; each question's answer is
    the option nearest that severity (weighted by the domain) with some noise, so answers within
    one person hang together as they do in real assessments.
    """
    alpha, beta = SEVERITY[client_group_code]
    weights = DOMAIN_WEIGHTS[client_group_code]
    carer_levels = list(CARER_LEVEL_WEIGHTS)
    carer_weights = list(CARER_LEVEL_WEIGHTS.values())
    profiles = []
    for _ in range(count):
        severity = rng.betavariate(alpha, beta)
        carer_level = rng.choices(carer_levels, carer_weights)[0]
        answers: list[tuple[int, int]] = []
        domain_points: dict[str, int] = {}
        for question in questions:
            if question.is_carer_question:
                option = next(
                    (o for o in question.options if o[2] == carer_level), question.options[0]
                )
                answers.append((question.question_id, option[0]))
                continue
            top = len(question.options) - 1
            mean = severity * weights.get(question.domain_code, 1.0) * top
            index = min(top, max(0, round(rng.gauss(mean, 0.9))))
            option_id, points, _ = question.options[index]
            answers.append((question.question_id, option_id))
            domain_points[question.domain_code] = (
                domain_points.get(question.domain_code, 0) + points
            )
        profiles.append((tuple(answers), domain_points, sum(domain_points.values()), carer_level))
    return profiles


def priced_profiles(
    rng: random.Random,
    questions: Sequence[QuestionOptions],
    table_version: AllocationTableVersion,
    count: int,
) -> list[Profile]:
    """Answer profiles of the table's client group, each priced once by the engine."""

    table = engine_table(table_version)
    group = table_version.client_group
    profiles = []
    for answers, domain_points, total_points, carer_level in answer_profiles(
        rng, questions, group.code, count
    ):
        result = engine.price(table, total_points, carer_level)
        pairs = [[code, points] for code, points in domain_points.items()]
        budget = (
            group.pk,
            table_version.pk,
            total_points,
            carer_level,
            result.band_index,
            "t" if result.above_table else "f",
            result.full_needs_annual_pence,
            result.carer_reduction_bp,
            result.carer_adjustment_pence,
            result.indicative_annual_pence,
            result.indicative_weekly_pence,
            copy_text(json.dumps(pairs)),
            copy_text(json.dumps(list(result.steps), ensure_ascii=False)),
        )
        profiles.append(
            Profile(
                assessment_columns=(
                    f"{group.code}\t{total_points}\t{carer_level}\t"
                    f"{copy_text(json.dumps(domain_points))}"
                ),
                budget_columns="\t".join(str(value) for value in budget),
                indicative_annual_pence=result.indicative_annual_pence,
                answers=answers,
            )
        )
    return profiles


def reserve_ids(cursor: CursorWrapper, table: str, count: int) -> int:
    """The first of `count` consecutive ids now reserved in `table`'s sequence.

    The table is locked against other writers until the transaction ends, so nobody takes an id
    between reading the sequence and moving it on.
    """
    cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
        "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
        [table, table, count],
    )
    row = cursor.fetchone()
    assert row is not None  # noqa: S101 - setval always returns a row
    return int(row[0]) - count + 1


def indexes_drop(cursor: CursorWrapper, tables: Sequence[str]) -> list[str]:
    """Drops the indexes of `tables` that back no constraint; returns how to build them again.

    Building an index once over all the rows is about twice as fast as keeping it up to date row
    by row during a COPY (pg_restore loads data the same way). Run it in the COPY's transaction,
    so that nothing outside ever sees a table without its indexes.
    """
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index AS i"
        " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)",
        [list(tables)],
    )
    indexes: list[tuple[str, str]] = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes]


def copy_rows(cursor: CursorWrapper, statement: str, lines: Iterator[str]) -> int:
    """Streams `lines` (COPY text rows, each ending in a newline) into `statement`."""
    written = 0
    block: list[str] = []
    with cursor.copy(statement) as copy:
        for line in lines:
            block.append(line)
            if len(block) == COPY_BLOCK_ROWS:
                copy.write("".join(block))
                written += len(block)
                block.clear()
        if block:
            copy.write("".join(block))
            written += len(block)
    return written


def cases_generate(
    *,
    n: int,
    questionnaire: QuestionnaireVersion,
    tables: Mapping[str, AllocationTableVersion],
    staff: User,
    seed: int = 1,
    decided_share: float = 0.6,
    with_answers: bool = False,
    years: int = 3,
    last_day: datetime.date | None = None,
    check_foreign_keys: bool = True,
    rebuild_indexes: bool = False,
) -> Generated:
    """Writes `n` historical cases over the client groups of `tables` (code -> published table).

    Uses Django's database connection and writes everything in one transaction (a savepoint when
    called inside one), so a failure leaves nothing behind. See the module docstring for the data.
    """

    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - repeatable synthetic data, not secrets
    last_day = last_day or datetime.datetime.now(tz=datetime.UTC).date() - datetime.timedelta(1)
    first_day = last_day - datetime.timedelta(days=365 * years - 1)
    day_count = (last_day - first_day).days + 1
    days = [
        (first_day + datetime.timedelta(days=offset)).isoformat()
        for offset in range(day_count + 400)
    ]
    minutes = [f" {hour:02d}:{minute:02d}:00+00" for hour in range(9, 17) for minute in range(60)]

    questions = questionnaire_options(questionnaire)
    codes = [code for code in CLIENT_GROUP_WEIGHTS if code in tables]
    per_group = max(1, min(PROFILES_PER_GROUP, n))
    profiles = {code: priced_profiles(rng, questions, tables[code], per_group) for code in codes}

    group_of_case = rng.choices(codes, [CLIENT_GROUP_WEIGHTS[code] for code in codes], k=n)
    profile_index = rng.choices(range(per_group), k=n)
    case_profiles = [
        profiles[code][index] for code, index in zip(group_of_case, profile_index, strict=True)
    ]
    day_of_case = sorted(rng.choices(range(day_count), k=n))
    minute_of_case = rng.choices(range(len(minutes)), k=n)
    decided = [rng.random() < decided_share for _ in range(n)]
    # Two public ids a case (the person's and the assessment's), time-ordered like UUID version
    # 7: the assessment id first, then random bits, so each unique index grows at its end.
    random_hex = secrets.token_hex(18 * n)

    def public_id(case: int, kind: int) -> str:
        bits = random_hex[36 * case + 18 * kind : 36 * case + 18 * kind + 18]
        return f"{2 * (first_assessment + case) + kind:012x}7{bits[:3]}8{bits[3:]}"

    staff_id = staff.pk
    status = "in_progress" if with_answers else "submitted"

    with transaction.atomic(), connection.cursor() as cursor:
        if not check_foreign_keys:
            cursor.execute("SET LOCAL session_replication_role = replica")
        rebuild = indexes_drop(cursor, BULK_TABLES) if rebuild_indexes else []
        first_person = reserve_ids(cursor, "people_person", n)
        first_assessment = reserve_ids(cursor, "questionnaires_assessment", n)
        first_budget = reserve_ids(cursor, "allocations_indicativebudget", n)

        def submitted_at(case: int) -> str:
            return days[day_of_case[case]] + minutes[minute_of_case[case]]

        def people() -> Iterator[str]:
            for case in range(n):
                name = f"{FIRST_NAMES[case % 11]} {LAST_NAMES[case % 9]} {case}"
                yield (
                    f"{first_person + case}\t{public_id(case, 0)}\t{name}\t{submitted_at(case)}\n"
                )

        constant = f"{status}\t1\t\t{staff_id}\t{staff_id}\t{questionnaire.pk}\n"

        def assessments() -> Iterator[str]:
            for case in range(n):
                moment = submitted_at(case)
                yield (
                    f"{first_assessment + case}\t{first_person + case}\t"
                    f"{public_id(case, 1)}\tSX-{first_assessment + case:09d}\t"
                    f"{days[day_of_case[case]]} 08:30:00+00\t{moment}\t{moment}\t"
                    f"{case_profiles[case].assessment_columns}\t{constant}"
                )

        def budgets() -> Iterator[str]:
            for case in range(n):
                yield (
                    f"{first_budget + case}\t{first_assessment + case}\t"
                    f"{days[day_of_case[case]]}\t{case_profiles[case].budget_columns}\t"
                    f"{submitted_at(case)}\n"
                )

        def decisions() -> Iterator[str]:
            for case in range(n):
                if not decided[case]:
                    continue
                indicative = case_profiles[case].indicative_annual_pence
                if rng.random() < VARIED_SHARE:
                    state = "varied"
                    variation = rng.uniform(-0.15, 0.30)
                    final = max(0, round(indicative * (1 + variation) / 100) * 100)
                else:
                    state, final = "agreed", indicative
                signed_day = min(day_of_case[case] + rng.randint(3, 28), day_count - 1)
                signed = days[signed_day] + minutes[minute_of_case[case]]
                yield (
                    f"{first_person + case}\t{first_assessment + case}\t{first_budget + case}\t"
                    f"{staff_id}\t{state}\t{signed}\t{indicative}\t{final}\t{staff_id}\t{signed}\t"
                    f"{days[signed_day + 365]}\t{submitted_at(case)}\n"
                )

        def answers() -> Iterator[str]:
            for case in range(n):
                moment = submitted_at(case)
                assessment_id = first_assessment + case
                for question_id, option_id in case_profiles[case].answers:
                    yield (
                        f"{assessment_id}\t{question_id}\t{option_id}\tperson\t{staff_id}\t"
                        f"{moment}\n"
                    )

        phases: dict[str, float] = {"prepare": time.perf_counter() - started}

        def lap(name: str) -> None:
            phases[name] = time.perf_counter() - started - sum(phases.values())

        copy_rows(
            cursor, "COPY people_person (id, public_id, full_name, created_at) FROM STDIN", people()
        )
        lap("people")
        copy_rows(
            cursor,
            "COPY questionnaires_assessment (id, person_id, public_id, reference, started_at,"
            " last_saved_at, submitted_at, client_group_code, total_points, carer_level,"
            " domain_points, status, answers_revision, resume_question_code, started_by_id,"
            " submitted_by_id, questionnaire_version_id) FROM STDIN",
            assessments(),
        )
        lap("assessments")
        answer_count = 0
        if with_answers:
            answer_count = copy_rows(
                cursor,
                "COPY questionnaires_answer (assessment_id, question_id, option_id, perspective,"
                " answered_by_id, answered_at) FROM STDIN",
                answers(),
            )
            # Submitted once answered, as the journey does: submitted answers cannot change.
            cursor.execute(
                "UPDATE questionnaires_assessment SET status = 'submitted', answers_revision = %s"
                " WHERE id BETWEEN %s AND %s",
                [len(questions), first_assessment, first_assessment + n - 1],
            )
            lap("answers")
        copy_rows(
            cursor,
            "COPY allocations_indicativebudget (id, assessment_id, priced_on, client_group_id,"
            " table_version_id, total_points, carer_level, band_position, above_table,"
            " full_needs_annual_pence, carer_reduction_bp, carer_adjustment_pence,"
            " indicative_annual_pence, indicative_weekly_pence, domain_points, steps, created_at)"
            " FROM STDIN",
            budgets(),
        )
        lap("indicative budgets")
        decided_count = copy_rows(
            cursor,
            "COPY reviews_budgetdecision (person_id, assessment_id, indicative_budget_id,"
            " social_worker_id, state, state_changed_at, indicative_annual_pence,"
            " final_annual_pence, signed_off_by_id, signed_off_at, next_review_due, created_at)"
            " FROM STDIN",
            decisions(),
        )
        lap("decisions")
        for definition in rebuild:
            cursor.execute(definition)
        lap("indexes")
        cursor.execute("SET LOCAL session_replication_role = origin")
        if n >= ANALYZE_FROM_CASES:
            # Fresh statistics, so the very next query plans for the new rows.
            for table in BULK_TABLES:
                cursor.execute(f"ANALYZE {table}")
        lap("analyze")
    lap("commit (foreign key checks)")
    return Generated(
        cases=n,
        decided=decided_count,
        first_assessment_id=first_assessment,
        last_assessment_id=first_assessment + n - 1,
        answers=answer_count,
        seconds=time.perf_counter() - started,
        phase_seconds=phases,
    )


def reference_data_ensure() -> tuple[QuestionnaireVersion, dict[str, AllocationTableVersion], User]:
    """The council's questionnaire, a published table per client group, and a staff member who
    signs off decisions: whatever is missing is added (the demonstration tables)."""

    def account(email: str, full_name: str, role: Role) -> User:
        existing = User.objects.filter(email=email).first()
        return existing or user_create(email=email, full_name=full_name, roles=[role])

    questionnaire = questionnaire_load(DEFAULT_FILE).version
    finance_lead = account("bench.finance@example.org", "Bench Finance Lead", Role.FINANCE_LEAD)
    staff = account("bench.worker@example.org", "Bench Social Worker", Role.SOCIAL_WORKER)
    published = AllocationTableVersion.objects.filter(status=TableStatus.PUBLISHED)
    if {version.client_group.code for version in published} < set(CLIENT_GROUP_WEIGHTS):
        demo_tables_load(finance_lead=finance_lead, today=timezone.localdate())
    tables: dict[str, AllocationTableVersion] = {}
    for version in published.select_related("client_group").order_by("effective_from"):
        tables[version.client_group.code] = version  # the latest effective date wins
    return questionnaire, tables, staff


def load_strategy(n: int, *, check_foreign_keys: bool) -> tuple[bool, bool]:
    """Whether to check foreign keys and whether to build indexes again, for `n` new cases.

    The rows are consistent by construction, so a superuser skips the foreign-key triggers
    (``session_replication_role = replica``, as ``pg_restore --disable-triggers`` does) unless
    asked to check them. Indexes are rebuilt when the new cases at least double the table.
    """

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),"
            " (SELECT greatest(reltuples, 0) FROM pg_class"
            "  WHERE oid = 'questionnaires_assessment'::regclass)"
        )
        row = cursor.fetchone()
    is_superuser, existing = (bool(row[0]), float(row[1])) if row else (False, 0.0)
    return check_foreign_keys or not is_superuser, n >= existing

"""Benchmark of the pure pricing engine: how many cases one core prices per second.

Run from the project root with ``python -m bench.engine`` (``--n 100000`` for a quicker run).
It prices random ``(total points, carer level)`` pairs drawn with a fixed seed against a realistic
table, times a baseline loop that only adds up the points in the same run, and writes
``bench/results/engine.md``.
"""

import argparse
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from allocations.engine import Band, TableVersion, indicative_amounts, price, price_many

TARGET_PRICES_PER_SECOND = 500_000
HIGHEST_TOTAL_POINTS = 160
RESULTS_PATH = Path(__file__).resolve().parent / "results" / "engine.md"

Cases = Sequence[tuple[int, str]]


def realistic_table() -> TableVersion:
    """Five bands, about £250 to £300 a year per point, and four carer levels."""
    return TableVersion.from_mapping(
        [
            Band(min_points=0, max_points=29, base_pence=0, per_point_pence=25_000),
            Band(min_points=30, max_points=59, base_pence=750_000, per_point_pence=26_500),
            Band(min_points=60, max_points=89, base_pence=1_545_000, per_point_pence=28_000),
            Band(min_points=90, max_points=119, base_pence=2_385_000, per_point_pence=29_000),
            Band(min_points=120, max_points=None, base_pence=3_255_000, per_point_pence=30_000),
        ],
        {"none": 0, "some": 1_000, "substantial": 2_500, "most": 4_000},
    )


def random_cases(table: TableVersion, count: int, seed: int) -> list[tuple[int, str]]:
    """``count`` pairs of a total from 0 to 160 points and one of the table's carer levels."""
    rng = random.Random(seed)
    totals = rng.choices(range(HIGHEST_TOTAL_POINTS + 1), k=count)
    levels = rng.choices(table.carer_levels, k=count)
    return list(zip(totals, levels, strict=True))


def sum_points(table: TableVersion, cases: Cases) -> int:
    """The baseline: the cost of looping over the cases and touching each one."""
    total = 0
    for total_points, _carer_level in cases:
        total += total_points
    return total


def sum_prices(table: TableVersion, cases: Cases) -> int:
    """Price every case with ``price`` and add up the indicative annual amounts."""
    total = 0
    for total_points, carer_level in cases:
        total += price(table, total_points, carer_level).indicative_annual_pence
    return total


def sum_amounts(table: TableVersion, cases: Cases) -> int:
    """Price every case with ``indicative_amounts`` and add up the indicative annual amounts."""
    total = 0
    for total_points, carer_level in cases:
        total += indicative_amounts(table, total_points, carer_level)[2]
    return total


def sum_distinct_prices(table: TableVersion, cases: Cases) -> int:
    """Price each distinct pair once with ``price_many``, then add up every case from those."""
    results = price_many(table, cases)
    return sum(results[case].indicative_annual_pence for case in cases)


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    items_per_second: float
    checksum: int


def best_timing(
    name: str,
    loop: Callable[[TableVersion, Cases], int],
    table: TableVersion,
    cases: Cases,
    repeat: int,
) -> Timing:
    """Run ``loop`` ``repeat`` times and keep the fastest run, the least disturbed by others."""
    fastest_seconds = float("inf")
    checksum = 0
    for _ in range(repeat):
        started = time.perf_counter()
        checksum = loop(table, cases)
        fastest_seconds = min(fastest_seconds, time.perf_counter() - started)
    return Timing(name, len(cases) / fastest_seconds, checksum)


def report(timings: list[Timing], count: int, seed: int, repeat: int) -> str:
    """The results as a small markdown document."""
    baseline, priced = timings[0], timings[1]
    verdict = "met" if priced.items_per_second >= TARGET_PRICES_PER_SECOND else "NOT met"
    lines = [
        "# Pricing engine benchmark",
        "",
        "Produced by `python -m bench.engine`; prices random `(total points, carer level)` pairs",
        "(0 to 160 points, four carer levels, fixed seed) against a five-band table on one core.",
        "",
        "| what | value |",
        "|---|---|",
        f"| date (UTC) | {datetime.now(tz=UTC).strftime('%Y-%m-%d %H:%M')} |",
        f"| Python | {platform.python_implementation()} {platform.python_version()} |",
        f"| machine | {platform.system()} {platform.machine()}, {os.cpu_count()} cores |",
        f"| cases | {count:,} (seed {seed}), best of {repeat} runs |",
        "",
        "| loop | items/second | time per item, × baseline | checksum |",
        "|---|---:|---:|---:|",
    ]
    for timing in timings:
        slowdown = baseline.items_per_second / timing.items_per_second
        lines.append(
            f"| {timing.name} | {timing.items_per_second:,.0f} | {slowdown:.1f} | "
            f"{timing.checksum:,} |"
        )
    lines += [
        "",
        f"`price()` ran at {priced.items_per_second:,.0f} prices/second: the target of "
        f"{TARGET_PRICES_PER_SECOND:,} prices/second on one core is {verdict}. The baseline loop "
        f"ran {baseline.items_per_second / priced.items_per_second:.1f} times as fast as pricing.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1_000_000, help="number of cases to price")
    parser.add_argument("--seed", type=int, default=20_240_401, help="seed for the random cases")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each loop; best is kept")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH, help="markdown file to write")
    arguments = parser.parse_args(argv)
    if arguments.n < 1 or arguments.repeat < 1:
        parser.error("--n and --repeat must be 1 or more")

    table = realistic_table()
    cases = random_cases(table, arguments.n, arguments.seed)
    loops: list[tuple[str, Callable[[TableVersion, Cases], int]]] = [
        ("baseline: add up the points", sum_points),
        ("`price()`", sum_prices),
        ("`indicative_amounts()`", sum_amounts),
        ("`price_many()` over distinct pairs", sum_distinct_prices),
    ]
    timings = [best_timing(name, loop, table, cases, arguments.repeat) for name, loop in loops]
    if len({timing.checksum for timing in timings[1:]}) != 1:
        print("The pricing loops disagree about the total; see the checksums.", file=sys.stderr)
        return 1

    text = report(timings, arguments.n, arguments.seed, arguments.repeat)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

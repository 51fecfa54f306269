"""The command line of the synthetic case writer (`reviews.synthetic_cases`): writes historical
assessments for load tests straight into the tables with COPY.

Run from the project root::

    python -m bench.gen_cases --n 1000000 --database-url postgres://postgres@127.0.0.1:5432/ras_x

The database must be migrated; what is written, and how, is described in
`reviews/synthetic_cases.py`.
"""

import argparse
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, required=True, help="how many cases to write")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a migrated database (default: $DATABASE_URL)",
    )
    parser.add_argument(
        "--client-group",
        action="append",
        help="only these client groups (repeat for several; default: all four)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed for the answers and amounts")
    parser.add_argument("--decided-share", type=float, default=0.6, help="share with a decision")
    parser.add_argument("--years", type=int, default=3, help="years of submissions")
    parser.add_argument(
        "--with-answers", action="store_true", help="also one row per answer (small runs only)"
    )
    parser.add_argument(
        "--check-foreign-keys",
        action="store_true",
        help="check every foreign key while loading (about a third slower for a million)",
    )
    arguments = parser.parse_args(argv)
    if arguments.n < 1 or not arguments.database_url:
        parser.error("--n must be 1 or more, and a database URL is needed")
    os.environ["DATABASE_URL"] = arguments.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ras.settings.local")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from reviews.synthetic_cases import (
        CLIENT_GROUP_WEIGHTS,
        cases_generate,
        load_strategy,
        reference_data_ensure,
    )

    unknown = sorted(set(arguments.client_group or ()) - set(CLIENT_GROUP_WEIGHTS))
    if unknown:
        known = ", ".join(sorted(CLIENT_GROUP_WEIGHTS))
        parser.error(f"no such client group: {', '.join(unknown)} (the groups are {known})")
    questionnaire, tables, staff = reference_data_ensure()
    if arguments.client_group:
        tables = {code: tables[code] for code in arguments.client_group}
    check_foreign_keys, rebuild_indexes = load_strategy(
        arguments.n, check_foreign_keys=arguments.check_foreign_keys
    )
    generated = cases_generate(
        n=arguments.n,
        questionnaire=questionnaire,
        tables=tables,
        staff=staff,
        seed=arguments.seed,
        decided_share=arguments.decided_share,
        with_answers=arguments.with_answers,
        years=arguments.years,
        check_foreign_keys=check_foreign_keys,
        rebuild_indexes=rebuild_indexes,
    )
    print(
        f"Wrote {generated.cases:,} cases (assessment ids {generated.first_assessment_id:,} to "
        f"{generated.last_assessment_id:,}), {generated.decided:,} decided budgets and "
        f"{generated.answers:,} answers in {generated.seconds:.1f} s "
        f"({generated.cases / generated.seconds:,.0f} cases/s)."
    )
    print(", ".join(f"{name} {seconds:.1f} s" for name, seconds in generated.phase_seconds.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

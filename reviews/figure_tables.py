"""The tables of the variations and timeliness pages, laid out from their figures.

Shared by the pages and their downloads; the figures come from the snapshot or are worked out
now (`reviews.figure_scopes`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ras.exports import Cell
from reviews.timeliness import TimelinessFigures
from reviews.variation_figures import VariationFigures

# Kinds of column: how a cell is shown on the page (exports keep the raw integer).
TEXT, COUNT, PENCE, BP, NUMBER = "text", "count", "pence", "bp", "number"
EXPORT_SUFFIX = {PENCE: " (pence)", BP: " (basis points)"}


@dataclass(frozen=True, slots=True)
class Column:
    heading: str
    kind: str

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


@dataclass(frozen=True, slots=True)
class FigureTable:
    slug: str
    title: str
    caption: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]

    @property
    def cells(self) -> list[list[tuple[Column, Any]]]:
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]

    def export_header(self) -> list[str]:
        return [column.heading + EXPORT_SUFFIX.get(column.kind, "") for column in self.columns]

    def export_rows(self) -> list[list[Cell]]:
        return [[None if cell is None else _cell(cell) for cell in row] for row in self.rows]


def _cell(value: Any) -> Cell:
    return value if isinstance(value, int | str) else str(value)


def variation_tables(figures: VariationFigures) -> list[FigureTable]:
    shares = figures.routes
    size = figures.size
    routes = FigureTable(
        "routes",
        "How cases were decided",
        "Decided cases by the way their final budget was set.",
        [Column("Route", TEXT), Column("Cases", COUNT), Column("Share", BP)],
        [
            ["Agreed at the indicative budget", shares.at_indicative, shares.at_indicative_bp],
            ["Varied within authority", shares.within_authority, shares.within_authority_bp],
            ["Outside the RAS", shares.outside, shares.outside_bp],
            ["All decided cases", shares.decided, 10_000 if shares.decided else None],
        ],
    )
    sizes = FigureTable(
        "sizes",
        "Size of variations",
        f"Final budget less indicative budget, over the {size.varied} cases where they differ.",
        [Column("Measure", TEXT), Column("Amount a year", PENCE), Column("Of the indicative", BP)],
        [
            ["Lower quartile", size.lower_quartile_pence, size.lower_quartile_bp],
            ["Median", size.median_pence, size.median_bp],
            ["Upper quartile", size.upper_quartile_pence, size.upper_quartile_bp],
        ],
    )
    breakdown_columns = [
        Column("Decided", COUNT),
        Column("At the indicative", COUNT),
        Column("Varied within authority", COUNT),
        Column("Outside the RAS", COUNT),
        Column("Share outside", BP),
        Column("Median variation", PENCE),
        Column("Median variation of the indicative", BP),
    ]
    breakdowns = [
        FigureTable(
            f"by-{slug.replace('_', '-')}",
            title,
            caption,
            [Column(heading, TEXT), *breakdown_columns],
            [
                [
                    row.label,
                    row.decided,
                    row.at_indicative,
                    row.within_authority,
                    row.outside,
                    row.outside_bp,
                    row.median_variation_pence,
                    row.median_variation_bp,
                ]
                for row in rows
            ],
        )
        for slug, rows, title, heading, caption in (
            (
                "reason",
                figures.by_reason,
                "By reason",
                "Reason",
                "A case with several reasons counts under each. Medians over varied cases.",
            ),
            (
                "team",
                figures.by_team,
                "By team",
                "Team",
                "The social worker's team. Medians over varied cases.",
            ),
            (
                "client_group",
                figures.by_client_group,
                "By client group",
                "Client group",
                "Medians over varied cases.",
            ),
        )
    ]
    domains = FigureTable(
        "domains",
        "Where the worker's view differs from the person's answers",
        "Over decided cases whose assessment has a worker's view; most differences first.",
        [
            Column("Domain", TEXT),
            Column("Answers that differ", COUNT),
            Column("Assessments that differ", COUNT),
            Column("Assessments with a worker's view", COUNT),
            Column("Share that differ", BP),
        ],
        [
            [
                row.domain_title,
                row.differing_answers,
                row.assessments_differing,
                row.assessments_with_worker_view,
                row.share_bp,
            ]
            for row in figures.domains
        ],
    )
    return [routes, sizes, *breakdowns, domains]


def timeliness_tables(figures: TimelinessFigures) -> list[FigureTable]:
    tables = []
    for measure_figures in figures.measures:
        measure = measure_figures.measure
        for by, heading, rows in (
            ("month", "Month", measure_figures.by_month),
            ("team", "Team", measure_figures.by_team),
        ):
            tables.append(
                FigureTable(
                    f"{measure.slug}-by-{by}",
                    f"{measure.title}, by {heading.lower()}",
                    f"In {measure.unit}; the month is when the wait ended.",
                    [
                        Column(heading, TEXT),
                        Column("Cases", COUNT),
                        Column(f"Median ({measure.unit})", NUMBER),
                        Column(f"90th percentile ({measure.unit})", NUMBER),
                    ],
                    [[row.label, row.cases, row.median, row.percentile_90] for row in rows],
                )
            )
    tables.append(
        FigureTable(
            "overdue-reviews",
            "Reviews overdue, by team",
            "Decided cases whose review was due before today.",
            [
                Column("Team", TEXT),
                Column("Overdue", COUNT),
                Column("Median (days overdue)", NUMBER),
                Column("90th percentile (days overdue)", NUMBER),
            ],
            [
                [row.label, row.overdue, row.median_days_overdue, row.percentile_90_days_overdue]
                for row in figures.overdue
            ],
        )
    )
    return tables

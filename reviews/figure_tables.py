"""The tables of the variations and timeliness pages, worked out from the figures' selectors.

Shared by the pages, their downloads and the precomputed snapshot of the unfiltered figures
(`reviews.figures_snapshot`), which stores each table as it is here and gives it back the same.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ras.exports import Cell
from reviews.models import FiguresSnapshot, FigureTableSnapshot, SnapshotState
from reviews.timeliness import MEASURES, overdue_reviews, timeliness
from reviews.variation_figures import (
    FigureFilters,
    domain_differences,
    route_shares,
    variation_breakdown,
    variation_size,
)

VARIATIONS, TIMELINESS = "variations", "timeliness"
FIGURE_PAGES = (VARIATIONS, TIMELINESS)

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


def variation_tables(filters: FigureFilters) -> list[FigureTable]:
    shares = route_shares(filters)
    size = variation_size(filters)
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
                for row in variation_breakdown(filters, by=slug)
            ],
        )
        for slug, title, heading, caption in (
            (
                "reason",
                "By reason",
                "Reason",
                "A case with several reasons counts under each. Medians over varied cases.",
            ),
            ("team", "By team", "Team", "The social worker's team. Medians over varied cases."),
            ("client_group", "By client group", "Client group", "Medians over varied cases."),
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
            for row in domain_differences(filters)
        ],
    )
    return [routes, sizes, *breakdowns, domains]


def timeliness_tables(filters: FigureFilters, *, today: datetime.date) -> list[FigureTable]:
    tables = []
    for measure in MEASURES:
        for by, heading in (("month", "Month"), ("team", "Team")):
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
                    [
                        [row.label, row.cases, row.median, row.percentile_90]
                        for row in timeliness(measure, filters, by=by)
                    ],
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
                for row in overdue_reviews(filters, today=today)
            ],
        )
    )
    return tables


def figure_tables(page: str, filters: FigureFilters, *, today: datetime.date) -> list[FigureTable]:
    """The tables of `page` ("variations" or "timeliness") for `filters`, worked out now."""
    if page == VARIATIONS:
        return variation_tables(filters)
    return timeliness_tables(filters, today=today)


def figure_tables_snapshot_fill(*, snapshot_id: int, today: datetime.date) -> None:
    """Stores every table of both pages with no filters in snapshot `snapshot_id`, inside the
    caller's transaction."""
    FigureTableSnapshot.objects.bulk_create(
        FigureTableSnapshot(
            snapshot_id=snapshot_id,
            page=page,
            position=position,
            slug=table.slug,
            title=table.title,
            caption=table.caption,
            columns=[[column.heading, column.kind] for column in table.columns],
            rows=[list(row) for row in table.rows],
        )
        for page in FIGURE_PAGES
        for position, table in enumerate(figure_tables(page, FigureFilters(), today=today))
    )


def _decoded(value: Any, kind: str) -> Any:
    """JSON keeps a Decimal as text: a number column gets it back as a Decimal."""
    return Decimal(value) if kind == NUMBER and value is not None else value


def figure_tables_snapshot_read(snapshot: FiguresSnapshot, page: str) -> list[FigureTable]:
    """The tables of `page` with no filters, as the snapshot holds them."""
    tables = []
    stored_tables = FigureTableSnapshot.objects.filter(snapshot=snapshot, page=page)
    for stored in stored_tables.order_by("position"):
        columns = [Column(heading, kind) for heading, kind in stored.columns]
        rows = [
            [_decoded(value, column.kind) for column, value in zip(columns, row, strict=True)]
            for row in stored.rows
        ]
        tables.append(FigureTable(stored.slug, stored.title, stored.caption, columns, rows))
    return tables


def figure_tables_snapshot_latest(page: str, *, today: datetime.date) -> FiguresSnapshot | None:
    """The newest complete snapshot that can stand for `page` with no filters today. Reviews
    overdue count from the day the figures were worked out, so timeliness needs today's."""
    snapshots = FiguresSnapshot.objects.filter(state=SnapshotState.COMPLETE)
    if page == TIMELINESS:
        snapshots = snapshots.filter(figures_date=today)
    return snapshots.order_by("-as_at", "-id").first()

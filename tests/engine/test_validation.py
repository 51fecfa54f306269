"""Table validation: every problem is found, and said in words a finance lead understands."""

from collections.abc import Iterable, Mapping

from allocations.engine import Band, TableProblem, TableVersion, validate_table

LEVELS = ("none", "some", "substantial", "most")
REDUCTIONS = {"none": 0, "some": 1_000, "substantial": 2_500, "most": 4_000}
GOOD_BANDS = (
    Band(0, 29, 0, 28_000),
    Band(30, 59, 840_000, 22_200),
    Band(60, 89, 1_500_000, 25_000),
    Band(90, None, 2_250_000, 27_500),
)


def problems_with(
    bands: Iterable[Band],
    reductions: Mapping[str, int] | None = None,
    levels: Iterable[str] = LEVELS,
) -> list[TableProblem]:
    table = TableVersion.from_mapping(bands, REDUCTIONS if reductions is None else reductions)
    return validate_table(table, levels)


def messages_of(problems: list[TableProblem]) -> list[str]:
    return [problem.message for problem in problems]


def test_a_good_table_has_no_problems():
    assert problems_with(GOOD_BANDS) == []


def test_a_closed_top_band_is_allowed():
    assert problems_with((*GOOD_BANDS[:3], Band(90, 119, 2_250_000, 27_500))) == []


def test_a_table_without_bands_is_reported():
    assert problems_with(()) == [
        TableProblem(
            code="no_bands",
            message="The table has no bands; it needs at least one band starting at 0 points.",
            field="bands",
        )
    ]


def test_a_first_band_that_does_not_start_at_zero_is_reported():
    problems = problems_with((Band(5, 29, 0, 28_000), *GOOD_BANDS[1:]))

    assert problems == [
        TableProblem(
            code="first_band_not_at_zero",
            message="Band 1 starts at 5 points but must start at 0.",
            band_number=1,
            field="min_points",
        )
    ]


def test_a_gap_between_bands_names_the_points_that_belong_to_no_band():
    bands = (*GOOD_BANDS[:2], Band(61, 89, 1_500_000, 25_000), GOOD_BANDS[3])

    assert problems_with(bands) == [
        TableProblem(
            code="gap",
            message="Band 3 starts at 61 but band 2 ends at 59: point 60 belongs to no band.",
            band_number=3,
            field="min_points",
        )
    ]


def test_a_wider_gap_names_the_range_of_points():
    bands = (*GOOD_BANDS[:2], Band(63, 89, 1_500_000, 25_000), GOOD_BANDS[3])

    assert messages_of(problems_with(bands)) == [
        "Band 3 starts at 63 but band 2 ends at 59: points 60 to 62 belong to no band."
    ]


def test_an_overlap_between_bands_names_the_points_in_both():
    bands = (*GOOD_BANDS[:2], Band(55, 89, 1_500_000, 25_000), GOOD_BANDS[3])

    assert problems_with(bands) == [
        TableProblem(
            code="overlap",
            message="Band 3 starts at 55 but band 2 ends at 59: points 55 to 59 are in both bands.",
            band_number=3,
            field="min_points",
        )
    ]


def test_an_overlap_of_one_point_is_worded_for_one_point():
    bands = (*GOOD_BANDS[:2], Band(59, 89, 1_500_000, 25_000), GOOD_BANDS[3])

    assert messages_of(problems_with(bands)) == [
        "Band 3 starts at 59 but band 2 ends at 59: point 59 is in both bands."
    ]


def test_a_band_inside_the_band_before_is_compared_with_the_band_that_reaches_furthest():
    bands = (Band(0, 59, 0, 28_000), Band(30, 40, 840_000, 22_200), Band(41, None, 0, 0))

    assert messages_of(problems_with(bands)) == [
        "Band 2 starts at 30 but band 1 ends at 59: points 30 to 40 are in both bands.",
        "Band 3 starts at 41 but band 1 ends at 59: points 41 to 59 are in both bands.",
    ]


def test_bands_listed_out_of_order_are_reported():
    bands = (Band(0, 29, 0, 0), Band(60, 89, 0, 0), Band(30, 59, 0, 0), Band(90, None, 0, 0))

    assert messages_of(problems_with(bands)) == [
        "Band 3 starts at 30 points, not after band 2 (which starts at 60); "
        "list bands from the fewest points to the most."
    ]


def test_a_band_that_ends_before_it_starts_is_reported():
    bands = (*GOOD_BANDS[:2], Band(60, 50, 1_500_000, 25_000), Band(51, None, 0, 0))

    problems = problems_with(bands)

    assert problems[0] == TableProblem(
        code="ends_before_start",
        message="Band 3 ends at 50 points, before it starts at 60 points.",
        band_number=3,
        field="max_points",
    )


def test_an_open_ended_band_that_is_not_last_is_reported():
    bands = (GOOD_BANDS[0], Band(30, None, 840_000, 22_200), *GOOD_BANDS[2:])

    assert problems_with(bands) == [
        TableProblem(
            code="open_band_not_last",
            message=(
                "Band 2 has no upper limit but is not the last band; "
                "only the last band may be open-ended."
            ),
            band_number=2,
            field="max_points",
        )
    ]


def test_negative_money_is_reported_for_base_and_per_point_amounts():
    bands = (GOOD_BANDS[0], Band(30, 59, -1_000, -5), *GOOD_BANDS[2:])

    assert problems_with(bands) == [
        TableProblem(
            code="negative_money",
            message="Band 2 has a base amount of -£10.00; it must be £0.00 or more.",
            band_number=2,
            field="base_pence",
        ),
        TableProblem(
            code="negative_money",
            message="Band 2 has -£0.05 per point; it must be £0.00 or more.",
            band_number=2,
            field="per_point_pence",
        ),
    ]


def test_negative_points_are_reported():
    bands = (Band(-10, 29, 0, 0), Band(30, None, 0, 0))

    assert problems_with(bands) == [
        TableProblem(
            code="negative_points",
            message="Band 1 starts at -10 points; points cannot be below 0.",
            band_number=1,
            field="min_points",
        )
    ]


def test_negative_points_in_a_later_band_are_reported_with_what_follows_from_them():
    bands = (Band(0, 29, 0, 0), Band(-5, None, 0, 0))

    assert messages_of(problems_with(bands)) == [
        "Band 2 starts at -5 points; points cannot be below 0.",
        "Band 2 starts at -5 points, not after band 1 (which starts at 0); "
        "list bands from the fewest points to the most.",
    ]


def test_a_lowest_band_listed_out_of_order_is_named_when_it_does_not_start_at_zero():
    bands = (Band(30, None, 0, 0), Band(5, 29, 0, 0))

    assert messages_of(problems_with(bands)) == [
        "Band 1 has no upper limit but is not the last band; only the last band may be open-ended.",
        "Band 2 starts at 5 points, not after band 1 (which starts at 30); "
        "list bands from the fewest points to the most.",
        "The lowest band, band 2, starts at 5 points but must start at 0.",
    ]


def test_a_reduction_above_100_percent_is_reported_as_a_percentage():
    reductions = {**REDUCTIONS, "most": 12_000}

    assert problems_with(GOOD_BANDS, reductions) == [
        TableProblem(
            code="reduction_out_of_range",
            message=(
                "The reduction for carer level 'most' is 120.00%; it must be between 0% and 100%."
            ),
            field="carer_reductions",
            carer_level="most",
        )
    ]


def test_a_negative_reduction_is_reported():
    reductions = {**REDUCTIONS, "none": -250}

    assert messages_of(problems_with(GOOD_BANDS, reductions)) == [
        "The reduction for carer level 'none' is -2.50%; it must be between 0% and 100%."
    ]


def test_a_carer_level_of_the_questionnaire_without_a_reduction_is_reported():
    reductions = {"none": 0, "some": 1_000, "substantial": 2_500}

    assert problems_with(GOOD_BANDS, reductions) == [
        TableProblem(
            code="missing_reduction",
            message=(
                "Carer level 'most' is in the questionnaire but the table has no reduction for it."
            ),
            field="carer_reductions",
            carer_level="most",
        )
    ]


def test_a_reduction_for_a_level_the_questionnaire_does_not_have_is_reported():
    reductions = {**REDUCTIONS, "lots": 5_000}

    assert problems_with(GOOD_BANDS, reductions) == [
        TableProblem(
            code="unknown_carer_level",
            message=(
                "The table has a reduction for carer level 'lots', "
                "which the questionnaire does not have."
            ),
            field="carer_reductions",
            carer_level="lots",
        )
    ]


def test_a_level_given_two_reductions_is_reported_once():
    table = TableVersion(
        bands=GOOD_BANDS,
        carer_reductions_bp=(("none", 0), ("some", 1_000), ("some", 1_500), ("some", 2_000)),
    )

    assert messages_of(validate_table(table, ["none", "some"])) == [
        "Carer level 'some' has more than one reduction; give it exactly one."
    ]


def test_every_problem_is_reported_not_just_the_first():
    bands = (
        Band(5, 29, -1, 0),
        Band(31, None, 0, 0),
        Band(55, 89, 0, 0),
        Band(90, 80, 0, 0),
    )
    reductions = {"none": 0, "most": 12_000, "lots": 100}

    problems = problems_with(bands, reductions, levels=["none", "some", "most"])

    assert [(problem.band_number, problem.code) for problem in problems] == [
        (1, "negative_money"),
        (1, "first_band_not_at_zero"),
        (2, "open_band_not_last"),
        (2, "gap"),
        (4, "ends_before_start"),
        (None, "reduction_out_of_range"),
        (None, "missing_reduction"),
        (None, "unknown_carer_level"),
    ]


def test_questionnaire_levels_listed_twice_are_checked_once():
    reductions = {"none": 0}

    assert messages_of(problems_with(GOOD_BANDS, reductions, levels=["none", "some", "some"])) == [
        "Carer level 'some' is in the questionnaire but the table has no reduction for it."
    ]

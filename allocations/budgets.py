"""Pricing submitted assessments: the indicative budget, kept with the table that priced it."""

import datetime

from django.db import transaction
from django.utils import timezone

from allocations import engine
from allocations.models import ClientGroup, IndicativeBudget
from allocations.selectors import engine_table, table_in_force
from questionnaires.models import Assessment
from questionnaires.scoring import Score
from questionnaires.selectors import assessment_score
from questionnaires.services import assessment_submit
from ras.accounts.models import User


def scored_assessment(score: Score) -> engine.ScoredAssessment:
    """The engine's view of a score: every scored answer, and the carer level."""
    return engine.ScoredAssessment(
        answers=tuple(
            engine.ScoredAnswer(
                domain_code=answer.domain_code,
                question_code=answer.question_code,
                option_code=answer.option_code,
                option_label=answer.option_label,
                points=answer.points,
                domain_label=answer.domain_title,
                question_text=answer.question_text,
            )
            for answer in score.answers
            if not answer.is_carer_question
        ),
        carer_level=score.carer_level,
    )


def assessment_price(*, assessment: Assessment, on_date: datetime.date) -> IndicativeBudget | None:
    """Prices a submitted assessment with the table in force on `on_date` for its client group.

    Returns the stored budget (the one already stored, if it was priced before), or None when the
    client group has no table in force that day: the case is then priced by a person.
    """
    existing = IndicativeBudget.objects.filter(assessment=assessment).first()
    if existing is not None:
        return existing
    client_group = ClientGroup.objects.get(code=assessment.client_group_code)
    version = table_in_force(client_group=client_group, on_date=on_date)
    if version is None:
        return None
    result = engine.price_assessment(
        engine_table(version), scored_assessment(assessment_score(assessment))
    )
    return IndicativeBudget.objects.create(
        assessment=assessment,
        client_group=client_group,
        table_version=version,
        priced_on=on_date,
        total_points=result.total_points,
        carer_level=result.carer_level,
        band_position=result.band_index,
        above_table=result.above_table,
        full_needs_annual_pence=result.full_needs_annual_pence,
        carer_reduction_bp=result.carer_reduction_bp,
        carer_adjustment_pence=result.carer_adjustment_pence,
        indicative_annual_pence=result.indicative_annual_pence,
        indicative_weekly_pence=result.indicative_weekly_pence,
        domain_points=[list(pair) for pair in result.domain_points],
        steps=list(result.steps),
    )


@transaction.atomic
def assessment_submit_and_price(
    *, assessment: Assessment, actor: User
) -> tuple[Assessment, IndicativeBudget | None]:
    """Submits an assessment and prices it at once, on the day it was submitted.

    Submitting again returns the same submission and budget. Raises what `assessment_submit`
    raises (MissingAnswers, PermissionDenied), with nothing changed.
    """
    submitted = assessment_submit(assessment=assessment, actor=actor)
    assert submitted.submitted_at is not None  # noqa: S101 - set by assessment_submit
    on_date = timezone.localdate(submitted.submitted_at)
    return submitted, assessment_price(assessment=submitted, on_date=on_date)

"""What every page of the journey shares: who may use it, and the session timeout warning.

Deny by default: service users and representatives start assessments and list their own; the
pages of one assessment are also open to social workers, who fill one in with a person (an
assisted assessment). Each of those pages reads the assessment through `assessment_for`, so
anybody else gets 404 with no hint it exists.
"""

import uuid
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from questionnaires.models import Assessment
from questionnaires.selectors import assessment_for
from ras.accounts.models import User
from ras.accounts.permissions import role_required
from ras.accounts.roles import Role

STARTING_ROLES = (Role.SERVICE_USER, Role.REPRESENTATIVE)
JOURNEY_ROLES = (*STARTING_ROLES, Role.SOCIAL_WORKER)
# Starting an assessment and "your assessments": for the person and those acting for them.
starting_page = role_required(*STARTING_ROLES)
# The pages of one assessment, which `assessment_for` then limits to those who may see it.
journey_page = role_required(*JOURNEY_ROLES)

# The warning shows this long before the session ends (WCAG 2.2.1 asks for at least 20 seconds).
MINIMUM_SESSION_WARNING_SECONDS = 20


def journey_user(request: HttpRequest) -> User:
    return cast(User, request.user)


def journey_assessment(request: HttpRequest, public_id: uuid.UUID) -> Assessment:
    """The assessment if this person may see it; 404 otherwise."""
    return assessment_for(journey_user(request), public_id)


def is_for_someone_else(assessment: Assessment, user: User) -> bool:
    return assessment.person.user_id != user.pk


def session_timeout_settings() -> dict[str, int]:
    """Seconds until an idle session ends, and how long before that the warning shows."""
    timeout_seconds = int(settings.SESSION_COOKIE_AGE)
    warning_seconds = int(settings.SAQ_SESSION_WARNING_SECONDS)
    warning_seconds = max(MINIMUM_SESSION_WARNING_SECONDS, min(warning_seconds, timeout_seconds))
    return {"timeout_seconds": timeout_seconds, "warning_seconds": warning_seconds}


def assessments_url(user: User, assessment: Assessment | None) -> str | None:
    """Where the person's list of assessments is: theirs, or a social worker's page of the case."""
    if any(user.has_role(role) for role in STARTING_ROLES):
        return reverse("saq:mine")
    if assessment is None:
        return None
    return reverse("staff-assessments:detail", kwargs={"public_id": assessment.public_id})


def render_journey_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """Renders a signed-in journey page with what its session timeout warning needs."""
    assessment = context.get("assessment")
    return render(
        request,
        template,
        {
            **context,
            "session_timeout": session_timeout_settings(),
            "assessments_url": assessments_url(
                journey_user(request), assessment if isinstance(assessment, Assessment) else None
            ),
        },
        status=status,
    )


def confirmation_url(assessment: Assessment) -> str:
    # The confirmation page prices money, so it lives with the allocations; only its name is used.
    return reverse("assessment-budget:confirmation", kwargs={"public_id": assessment.public_id})

"""Leaving and coming back: "come back later", staying signed in, and being signed out safely.

Sessions end after a spell of doing nothing (SESSION_COOKIE_AGE). Journey pages warn before that
and let the person stay signed in with one button (WCAG 2.2.1). No answer can be lost when a
session ends: each one was saved when "Save and continue" was pressed.
"""

import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from questionnaires.audit_subjects import assessment_subject
from questionnaires.views.journey import (
    JOURNEY_ROLES,
    journey_assessment,
    journey_page,
    journey_user,
    render_journey_page,
)
from questionnaires.views.starting import draft_retention_days, kept_until
from ras.audit.models import AccessKind
from ras.audit.recording import records_access


@records_access(AccessKind.ASSESSMENT, subjects=assessment_subject)
@journey_page
def come_back_later(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """How to come back, and how long an unsent self-assessment is kept."""
    assessment = journey_assessment(request, public_id)
    return render_journey_page(
        request,
        "questionnaires/come_back_later.html",
        {
            "assessment": assessment,
            "retention_days": draft_retention_days(),
            "kept_until": kept_until(assessment),
        },
    )


@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Stay signed in: any request refreshes the session (it is saved on every request).

    401 when the session has already ended, so the page can say the person was signed out.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    if not any(journey_user(request).has_role(role) for role in JOURNEY_ROLES):
        return HttpResponse(status=403)
    return HttpResponse(status=204)


@require_http_methods(["GET", "POST"])
def timed_out(request: HttpRequest) -> HttpResponse:
    """POST (from the warning, when time has run out) signs out; GET says what happened."""
    if request.method == "POST":
        logout(request)
        return HttpResponse(status=204)
    idle_minutes = max(1, int(settings.SESSION_COOKIE_AGE) // 60)
    return render(request, "questionnaires/timed_out.html", {"idle_minutes": idle_minutes})

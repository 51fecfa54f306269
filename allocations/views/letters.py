"""Letters people can download and keep: the indicative budget as a tagged PDF.

Who may download one is exactly who may see the assessment (`assessment_for`): the person, a
representative acting for them, and case staff. Anyone else gets 404, with no hint it exists.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from allocations.letters import (
    indicative_budget_for_letter,
    indicative_budget_letter_pdf,
    letter_file_name,
)
from questionnaires.audit_subjects import assessment_subject
from questionnaires.selectors import assessment_for
from ras.accounts.models import User
from ras.audit.models import AccessKind
from ras.audit.recording import records_access


@records_access(AccessKind.LETTER, subjects=assessment_subject)
@require_GET
@login_required
def indicative_budget(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The indicative budget letter of one assessment, as a PDF download."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required lets only signed-in users in
    assessment = assessment_for(user, public_id)
    budget = indicative_budget_for_letter(assessment)
    if budget is None:
        raise Http404("This assessment has no indicative budget yet")
    return HttpResponse(
        indicative_budget_letter_pdf(budget),
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=letter_file_name(budget)
            ),
            # A budget letter holds health and money details: never kept by a browser or proxy.
            "Cache-Control": "no-store",
        },
    )

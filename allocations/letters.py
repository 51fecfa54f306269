"""Letters: an indicative budget as a tagged, accessible PDF (PDF/UA-1) the person can keep.

The letter carries the same explanation as the confirmation page, read from the stored budget by
`allocations.explanations.budget_explanation`: nothing here works out money again.
"""

import datetime
from collections.abc import Sequence
from pathlib import Path

import weasyprint  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

from allocations.explanations import budget_explanation
from allocations.models import IndicativeBudget
from questionnaires.models import Assessment

LETTER_TEMPLATE = "letters/indicative_budget.html"
LETTER_STYLESHEET = "letters/letter.css"
PDF_VARIANT = "pdf/ua-1"


def _fetcher_refusing_everything() -> URLFetcher:
    # The stylesheet is handed over as text and the fonts are the system's, so a letter never
    # needs to fetch anything: allowing no protocol keeps any text in it from reaching the network.
    return URLFetcher(allowed_protocols=frozenset())


def indicative_budget_for_letter(assessment: Assessment) -> IndicativeBudget | None:
    """The stored budget of an assessment, with what its letter reads, or None if not priced."""
    return (
        IndicativeBudget.objects.select_related(
            "assessment__person",
            "assessment__questionnaire_version",
            "client_group",
            "table_version",
        )
        .filter(assessment=assessment)
        .first()
    )


def letter_file_name(budget: IndicativeBudget) -> str:
    """The download's file name: the reference only, never the person's name."""
    return f"indicative-budget-{budget.assessment.reference}.pdf"


def _stylesheet_text(name: str) -> str:
    found = finders.find(name)
    if not isinstance(found, str):
        raise FileNotFoundError(f"The stylesheet {name} is missing")
    return Path(found).read_text(encoding="utf-8")


def council_letterhead() -> dict[str, object]:
    """What heads every document the council sends: its name, the service, address and contacts."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "address_lines": settings.COUNCIL_ADDRESS_LINES,
        "contact_phone": settings.COUNCIL_CONTACT_PHONE,
        "contact_email": settings.COUNCIL_CONTACT_EMAIL,
        "contact_hours": settings.COUNCIL_CONTACT_HOURS,
    }


def tagged_pdf(html: str, *, stylesheets: Sequence[str] = (LETTER_STYLESHEET,)) -> bytes:
    """`html` drawn as a tagged PDF/UA-1 document with these static stylesheets (by their static
    names), fetching nothing. The title, language and structure tags come from the HTML."""
    fetcher = _fetcher_refusing_everything()
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    styles = [
        weasyprint.CSS(string=_stylesheet_text(name), url_fetcher=fetcher) for name in stylesheets
    ]
    pdf: bytes = document.write_pdf(stylesheets=styles, pdf_variant=PDF_VARIANT)
    return pdf


def indicative_budget_letter_html(
    budget: IndicativeBudget, *, letter_date: datetime.date | None = None
) -> str:
    """The letter as HTML, ready for WeasyPrint (never served as a page)."""
    assessment = budget.assessment
    submitted_on = timezone.localdate(assessment.submitted_at) if assessment.submitted_at else None
    return render_to_string(
        LETTER_TEMPLATE,
        {
            "explanation": budget_explanation(budget),
            "person_name": assessment.person.full_name,
            "reference": assessment.reference,
            "letter_date": letter_date or timezone.localdate(),
            "submitted_on": submitted_on,
            "priced_on": budget.priced_on,
            **council_letterhead(),
        },
    )


def indicative_budget_letter_pdf(
    budget: IndicativeBudget, *, letter_date: datetime.date | None = None
) -> bytes:
    """The indicative budget letter as a tagged PDF/UA-1 document, in British English.

    `letter_date` is the date printed on the letter (today, in the council's time zone, if not
    given). The document's title, language (en-GB) and structure tags come from the template.
    """
    return tagged_pdf(indicative_budget_letter_html(budget, letter_date=letter_date))

"""A panel meeting's minutes as a tagged, accessible PDF (PDF/UA-1) in British English.

The minutes read the same agenda as the meeting page (`reviews.panel_selectors.meeting_agenda`):
the meeting, its members, and for each case its reference, the amounts, the decision with its
reasons, who recorded it and how long the case waited for panel. Cases are named by their
assessment reference only: minutes are passed around, so they carry no names of the people the
cases are about.
"""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from allocations.letters import tagged_pdf
from reviews.models import PanelMeeting
from reviews.panel_selectors import meeting_agenda

MINUTES_TEMPLATE = "reviews/minutes.html"


def minutes_file_name(meeting: PanelMeeting) -> str:
    """`panel-minutes-2026-12-01-7.pdf`: the date and the meeting's number, nothing personal."""
    return f"panel-minutes-{meeting.held_on:%Y-%m-%d}-{meeting.pk}.pdf"


def meeting_minutes_html(meeting: PanelMeeting, *, today: datetime.date | None = None) -> str:
    """The minutes as HTML, ready for WeasyPrint (never served as a page). `today` is when the
    minutes are drawn up: a case the panel has not decided yet has waited until then."""
    drawn_up_on = today or timezone.localdate()
    return render_to_string(
        MINUTES_TEMPLATE,
        {
            "agenda": meeting_agenda(meeting, today=drawn_up_on),
            "meeting": meeting,
            "drawn_up_on": drawn_up_on,
            "council_name": settings.COUNCIL_NAME,
            "service_name": settings.SERVICE_NAME,
        },
    )


def meeting_minutes_pdf(meeting: PanelMeeting, *, today: datetime.date | None = None) -> bytes:
    """The minutes as a tagged PDF/UA-1 document, fetching nothing: its title, language (en-GB),
    structure tags and styles come from the template."""
    return tagged_pdf(meeting_minutes_html(meeting, today=today), stylesheets=())

"""The email warning that an unsent self-assessment will be deleted.

It goes to the person's own account and to whoever started the assessment for them. Like every
email of the service, it holds no answers or health details: a reference, dates and a link.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import formats, timezone

from questionnaires.models import Assessment

DRAFT_WARNING_SUBJECT = "Your unfinished self-assessment will be deleted soon"


def draft_warning_recipients(draft: Assessment) -> list[str]:
    """The person's own account, and whoever started the draft, when their accounts are open."""
    accounts = [draft.person.user, draft.started_by]
    addresses: list[str] = []
    for account in accounts:
        if account is not None and account.is_active and account.email not in addresses:
            addresses.append(account.email)
    return addresses


def draft_warning_body(*, draft: Assessment, delete_on: datetime.date) -> str:
    days = settings.SAQ_DRAFT_RETENTION_DAYS
    last_saved = formats.date_format(timezone.localdate(draft.last_saved_at), "j F Y")
    resume_url = settings.SITE_URL + reverse("saq:resume", kwargs={"public_id": draft.public_id})
    return (
        "Hello,\n\n"
        f"A self-assessment with the reference {draft.reference} has not been sent to us, and "
        f"nothing has been saved in it since {last_saved}.\n\n"
        f"We keep unfinished self-assessments for {days} days after the last saved answer. "
        f"We will delete this one, with its answers, from "
        f"{formats.date_format(delete_on, 'j F Y')}.\n\n"
        f"To keep it, sign in and carry on where you stopped:\n{resume_url}\n\n"
        f"Saving any answer keeps it for another {days} days. If you do not need it any more, "
        "you do not need to do anything.\n\n"
        f"{settings.COUNCIL_NAME}\n"
    )


def draft_warning_send(*, draft: Assessment, delete_on: datetime.date) -> int:
    """Sends the warning, one email each so nobody sees another's address; returns how many were
    sent (none when nobody has an account)."""
    body = draft_warning_body(draft=draft, delete_on=delete_on)
    return send_mass_mail(
        [
            (DRAFT_WARNING_SUBJECT, body, settings.RETENTION_EMAIL_FROM, [address])
            for address in draft_warning_recipients(draft)
        ],
        fail_silently=False,
    )

"""Emails telling people that how they sign in has changed, so someone else's change is noticed.

Sent once the change is committed. They say what changed and when, and whom to call if it was not
them; they hold no codes and no links to act on, so a copy of one is no use to anyone else.
"""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import dateformat, timezone

from ras.accounts.models import User

logger = logging.getLogger(__name__)

SUBJECT = "How you sign in has changed"


def sign_in_change_notice(user: User, change: str) -> tuple[str, str]:
    """(subject, body) of the email about `change` ("two-step sign-in was turned off")."""
    now = timezone.localtime()
    moment = f"{dateformat.format(now, 'j F Y')} at {dateformat.format(now, 'g:i')}"
    moment += "am" if now.hour < 12 else "pm"
    body = (
        f"Hello {user.full_name or user.email},\n\n"
        f"On {moment}, {change} on your {settings.SERVICE_NAME} account.\n\n"
        "If this was not you, contact us straight away: "
        f"{settings.COUNCIL_CONTACT_PHONE} or {settings.COUNCIL_CONTACT_EMAIL}.\n\n"
        f"{settings.COUNCIL_NAME}"
    )
    return SUBJECT, body


def sign_in_change_notify(user: User, change: str) -> None:
    """Emails the account holder about `change` once the transaction commits."""
    subject, body = sign_in_change_notice(user, change)

    def send() -> None:
        try:
            send_mail(subject, body, settings.REVIEWS_EMAIL_FROM, [user.email])
        except (SMTPException, OSError):
            # The change stands; the failure is logged for the service desk, without the body.
            logger.exception("Could not send a sign-in change notice to account %s", user.pk)

    transaction.on_commit(send)

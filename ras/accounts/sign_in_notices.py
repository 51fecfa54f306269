"""Emails telling people that how they sign in has changed, so someone else's change is noticed.

Sent by a Celery task once the change is committed (`ras.accounts.tasks`), so no page waits for
the mail server. They say what changed and when, and whom to call if it was not them; they hold no
codes and no links to act on, so a copy of one is no use to anyone else.
"""

import datetime
import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.utils import dateformat, timezone

from ras.accounts.models import User

logger = logging.getLogger(__name__)

SUBJECT = "How you sign in has changed"


def sign_in_change_notice(
    user: User, change: str, *, changed_at: datetime.datetime
) -> tuple[str, str]:
    """(subject, body) of the email about `change` ("two-step sign-in was turned off")."""
    local = timezone.localtime(changed_at)
    moment = f"{dateformat.format(local, 'j F Y')} at {dateformat.format(local, 'g:i')}"
    moment += "am" if local.hour < 12 else "pm"
    body = (
        f"Hello {user.full_name or user.email},\n\n"
        f"On {moment}, {change} on your {settings.SERVICE_NAME} account.\n\n"
        "If this was not you, contact us straight away: "
        f"{settings.COUNCIL_CONTACT_PHONE} or {settings.COUNCIL_CONTACT_EMAIL}.\n\n"
        f"{settings.COUNCIL_NAME}"
    )
    return SUBJECT, body


def sign_in_change_send(*, user_id: int, change: str, changed_at: datetime.datetime) -> int:
    """Emails the account holder about `change`; returns how many emails were sent (0 when the
    account is gone or the mail server refused: the change stands, and the failure is logged for
    the service desk without the body)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return 0
    subject, body = sign_in_change_notice(user, change, changed_at=changed_at)
    try:
        send_mail(subject, body, settings.REVIEWS_EMAIL_FROM, [user.email])
    except (SMTPException, OSError):
        logger.exception("Could not send a sign-in change notice to account %s", user.pk)
        return 0
    return 1

"""Emails about decisions: to the person (and anyone acting for them) and the social worker.

The body never holds health details or amounts, only a link to sign in and read the decision.
"""

from django.conf import settings
from django.core.mail import send_mass_mail

from reviews.models import DecisionEvent

SUBJECT = "News about your care and support budget"
STAFF_SUBJECT = "A budget decision has changed"


def decision_event_emails(event: DecisionEvent) -> list[tuple[str, str, str, list[str]]]:
    """(subject, body, from, [to]) for each person to tell about an event; never the actor."""
    decision = event.decision
    person_addresses = [
        representation.representative.email
        for representation in decision.person.representations.select_related("representative")
    ]
    if decision.person.user is not None:
        person_addresses.append(decision.person.user.email)
    person_body = (
        "Hello,\n\nThere is news about a care and support budget. "
        f"Sign in to read it: {settings.SITE_URL}/your-budget/\n\n{settings.COUNCIL_NAME}"
    )
    staff_body = (
        "Hello,\n\nA decision you work on has changed. "
        f"Sign in to see it: {settings.SITE_URL}/cases/\n"
    )
    emails = []
    recipients = [address for address in person_addresses if address != event.actor.email]
    if recipients:
        emails.append((SUBJECT, person_body, settings.REVIEWS_EMAIL_FROM, recipients))
    worker = decision.social_worker
    if worker is not None and worker.pk != event.actor_id:
        emails.append((STAFF_SUBJECT, staff_body, settings.REVIEWS_EMAIL_FROM, [worker.email]))
    return emails


def notify(event_id: int) -> int:
    """Sends the emails for one event; returns how many were sent."""
    event = DecisionEvent.objects.select_related("decision__person__user", "actor").get(pk=event_id)
    return send_mass_mail(decision_event_emails(event), fail_silently=False)

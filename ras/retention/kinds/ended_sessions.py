"""Sessions that have ended: a session row (and the record of where it signed in from) is deleted
once it has expired, 30 minutes after its last request at most. Signing out deletes it at once.
"""

import datetime

from django.contrib.sessions.models import Session
from django.db import transaction

from ras.retention.kinds.base import Tally


class EndedSessions:
    code = "ended-sessions"
    title = "Sessions that have ended"

    def period(self) -> str:
        return "until the session ends"

    def rule(self) -> str:
        return (
            "A signed-in session, with where and in which browser it signed in, is deleted "
            "the night after it ended."
        )

    def apply(self, *, now: datetime.datetime, tally: Tally) -> None:
        with transaction.atomic():
            # Each session's AccountSession goes with it.
            _, deleted = Session.objects.filter(expire_date__lt=now).delete()
        tally.deleted += deleted.get(Session._meta.label, 0)

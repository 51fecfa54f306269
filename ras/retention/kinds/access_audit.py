"""The access audit: each record of someone looking at a person's records is deleted once it is
AUDIT_RETENTION_DAYS old. The audit table's trigger refuses deleting anything younger, whoever asks.
"""

import datetime

from django.conf import settings
from django.db import transaction

from ras.audit.services import access_events_delete_expired, access_events_expired
from ras.retention.kinds.base import Tally, plural
from ras.retention.selectors import held_person_ids


class AccessAudit:
    code = "access-audit"
    title = "Records of who looked at people’s records"

    def period(self) -> str:
        return plural(int(settings.AUDIT_RETENTION_DAYS), "day")

    def rule(self) -> str:
        return (
            "Each record of a member of staff or a representative looking at someone’s records is "
            f"deleted {self.period()} after it was made, unless the person is under a legal hold."
        )

    def apply(self, *, now: datetime.datetime, tally: Tally) -> None:
        # The database's clock decides what has expired, as the audit table's trigger does.
        with transaction.atomic():
            tally.held += access_events_expired().filter(person_id__in=held_person_ids()).count()
            tally.deleted += access_events_delete_expired(keeping_people=held_person_ids())

"""Records of signing in: each sign-in, and each failed attempt, is deleted once it is
SIGN_IN_RETENTION_DAYS old. They are about accounts, not people's care records, so a legal hold
on a person does not keep them.
"""

import datetime

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction

from ras.retention.kinds.base import Tally, plural


class SignIns:
    code = "sign-ins"
    title = "Records of signing in"

    def period(self) -> str:
        return plural(int(settings.SIGN_IN_RETENTION_DAYS), "day")

    def rule(self) -> str:
        return (
            "Each record of someone signing in, or failing to, is deleted "
            f"{self.period()} after it was made."
        )

    def apply(self, *, now: datetime.datetime, tally: Tally) -> None:
        cutoff = now - datetime.timedelta(days=int(settings.SIGN_IN_RETENTION_DAYS))
        with transaction.atomic():
            signed_in, _ = AccessLog.objects.filter(attempt_time__lt=cutoff).delete()
            failed, _ = AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
        tally.deleted += signed_in + failed

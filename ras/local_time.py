"""Days as the council counts them: in its own time zone (settings.TIME_ZONE)."""

import datetime

from django.utils import timezone


def local_day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the council's time zone, as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

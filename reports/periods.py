"""The dashboard's default period: the current one, or the latest with data when the current
one has none yet (early January, or a new deployment with past records imported)."""

import datetime

from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from hazards.models import Hazard

from .figures import period_bounds
from .models import Period
from .selectors import default_year


def year_with_data(user: User, period: str, today: datetime.date) -> int:
    """The start year of the latest ``period`` up to ``today`` in which a hazard of the
    user's scope was reported: the current one (``selectors.default_year``) when it has
    any, else the one of the latest hazard before it; the current one when there is none.
    One query."""
    current = default_year(period, today)
    start, _end = period_bounds(current, period)
    latest = Hazard.objects.visible_to(user).aggregate(last=Max("reported_at"))["last"]
    if latest is None:
        return current
    day = timezone.localdate(latest)
    if day >= start:
        return current
    return default_year(period, day) if period == Period.SCHOOL else day.year

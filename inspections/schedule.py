"""The inspection calendar: a month's inspections by day with overdue ones flagged, shared
by the web page and ``GET /api/v1/inspections/calendar/``. Dates on the Beijing calendar."""

import datetime
from itertools import groupby
from operator import attrgetter

from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.years import FIRST_YEAR, LAST_YEAR

from .models import Inspection


def check_year(field: str, day: datetime.date) -> None:
    """Raise DomainError (400, ``field``) when ``day`` lies outside FIRST_YEAR–LAST_YEAR."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        message = _("日期须在 %(first)d 年至 %(last)d 年之间。") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
        raise DomainError(message, field_errors={field: [message]})


def month_start(params, today) -> datetime.date:
    """The first day of the month named by ``year`` and ``month`` in ``params`` (either
    defaults to ``today``'s). Raises ValueError for anything else than 2000–2100 / 1–12."""
    year = int(params.get("year") or today.year)
    month = int(params.get("month") or today.month)
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise ValueError(year, month)
    return datetime.date(year, month, 1)


OVERDUE_SHOWN = 50  # the oldest overdue ones; the inspection list (?overdue=true) has all


def calendar_context(user, first):
    """``days``: [(date, [inspection, …]), …] of the month, each inspection with
    ``is_overdue``; ``overdue``: the oldest OVERDUE_SHOWN overdue inspections in scope and
    ``overdue_total`` their number; prev/next month."""
    visible = Inspection.objects.visible_to(user).select_related("school", "inspecting_school")
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    month = list(visible.filter(date__gte=first, date__lt=after).order_by("date", "id"))
    overdue = list(visible.overdue().order_by("date", "id")[:OVERDUE_SHOWN])
    overdue_total = len(overdue) if len(overdue) < OVERDUE_SHOWN else visible.overdue().count()
    late = set(visible.overdue().filter(pk__in=[i.pk for i in month]).values_list("pk", flat=True))
    late |= {i.pk for i in overdue}
    for inspection in month + overdue:
        inspection.is_overdue = inspection.pk in late
    days = [(day, list(rows)) for day, rows in groupby(month, key=attrgetter("date"))]
    return {
        "first": first,
        "days": days,
        "overdue": overdue,
        "overdue_total": overdue_total,
        "previous": (first - datetime.timedelta(days=1)).replace(day=1),
        "next": after,
    }

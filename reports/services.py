"""Yearly statistics: compute the figures (reports/figures.py) and store them.

``rollup_statistics`` writes one ``YearlyStatistic`` row per school and, when run for all
schools, one bureau-wide row (``school`` empty); re-running replaces the rows.
"""

import datetime
from collections.abc import Collection

from django.db import transaction
from django.utils import timezone

from .figures import compute_figures
from .models import Period, YearlyStatistic


def rollup_statistics(
    *,
    year: int,
    period: str,
    school_ids: Collection[int] | None = None,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Compute the figures of ``year`` and ``period`` ("calendar" or "school") and store
    them. ``school_ids`` limits the schools (None: all, and then the bureau-wide row is
    stored too; a partial total is not the bureau's). ``today`` (a Beijing date; default:
    the clock's) dates the current figures (open, overdue). Returns the totals: figure key →
    int (money in yuan). Raises ValueError for an unknown period."""
    total, by_school = compute_figures(year, period, school_ids, today=today)
    now = timezone.now()
    rows = [
        YearlyStatistic(
            school_id=school_id, year=year, period=period, figures=figures, computed_at=now
        )
        for school_id, figures in by_school.items()
    ]
    with transaction.atomic():
        # One upsert for all schools (the unique school/year/period decides insert or update).
        YearlyStatistic.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["school", "year", "period"],
            update_fields=["figures", "computed_at"],
        )
        if school_ids is None:
            # The bureau row's uniqueness is a partial index (school empty), which an upsert
            # cannot name: a plain update-or-create.
            YearlyStatistic.objects.update_or_create(
                school=None,
                year=year,
                period=period,
                defaults={"figures": total, "computed_at": now},
            )
    return total


def current_year(today: datetime.date | None = None) -> int:
    """The calendar year of ``today`` (default: today in Asia/Shanghai)."""
    return (today or timezone.localdate()).year


def current_school_year(today: datetime.date | None = None) -> int:
    """The year in which the school year containing ``today`` began (1 September)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def periods_to_refresh(today: datetime.date | None = None) -> list:
    """(year, period) pairs the nightly roll-up refreshes: the current calendar and school
    year, plus the period just ended during its first month, because records of its last
    days are often entered late."""
    today = today or timezone.localdate()
    pairs = [(current_year(today), Period.CALENDAR), (current_school_year(today), Period.SCHOOL)]
    if today.month == 1:
        pairs.append((today.year - 1, Period.CALENDAR))
    if today.month == 9:
        pairs.append((today.year - 1, Period.SCHOOL))
    return pairs

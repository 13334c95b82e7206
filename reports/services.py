"""Yearly statistics: compute the figures (reports/figures.py) and store them.

``rollup_statistics`` writes one ``YearlyStatistic`` row per school and, when run for all
schools, one bureau-wide row (``school`` empty); re-running replaces the rows.
"""

import datetime
import json
from collections.abc import Collection

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from drills.selectors import SchoolCompliance, dashboard_summary, drill_gaps
from hazards.models import Hazard
from inspections.coverage import term_bounds, uncovered_schools
from schools.models import School

from .charts import STORED_KEYS, TOP_SCHOOLS, close_series, overdue_by_school
from .figures import drill_statistics, figures_and_compliance, found_counts, period_bounds
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
    stored too, with its ``details``: the monthly chart and the drill statistics; a partial
    total is not the bureau's). ``today`` (a Beijing date; default: the clock's) dates the
    current figures (open, overdue). Returns the totals: figure key → int (money in yuan).
    Raises ValueError for an unknown period. A fixed number of queries whatever the number
    of schools: the grouped queries of ``figures.compute_figures``, one upsert of the school rows,
    and for the bureau the reads of ``bureau_details`` and its row."""
    today = today or timezone.localdate()
    total, by_school, compliance = figures_and_compliance(year, period, school_ids, today=today)
    details = (
        None
        if school_ids is not None
        else bureau_details(year, period, by_school, today, compliance=compliance)
    )
    now = timezone.now()
    with transaction.atomic():
        _store_school_rows(year, period, by_school, now)
        if details is not None:
            _store_bureau_row(year, period, total, details, now)
    return total


# One statement for all schools: the rows go to PostgreSQL as one JSON document (a
# parameter per row, or Django's UNNEST of the JSON texts, costs more in the driver than
# the whole upsert in the server); the unique school/year/period decides insert or update.
UPSERT_SQL = """
    INSERT INTO {table} (school_id, year, period, figures, details, computed_at)
    SELECT (r->>0)::bigint, %s, %s, r->1, '{{}}'::jsonb, %s
    FROM jsonb_array_elements(%s::jsonb) AS r
    ON CONFLICT (school_id, year, period)
    DO UPDATE SET figures = EXCLUDED.figures, computed_at = EXCLUDED.computed_at
"""


def _store_school_rows(
    year: int, period: str, by_school: dict[int, dict[str, int]], now: datetime.datetime
) -> None:
    if connection.vendor != "postgresql":  # SQLite, the embedded default: one bulk upsert
        YearlyStatistic.objects.bulk_create(
            [
                YearlyStatistic(
                    school_id=sid, year=year, period=period, figures=fig, computed_at=now
                )
                for sid, fig in by_school.items()
            ],
            update_conflicts=True,
            unique_fields=["school", "year", "period"],
            update_fields=["figures", "computed_at"],
        )
        return
    document = json.dumps([[sid, fig] for sid, fig in by_school.items()])
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(YearlyStatistic._meta.db_table)
        cursor.execute(UPSERT_SQL.format(table=table), [year, period, now, document])


def bureau_details(
    year: int,
    period: str,
    by_school: dict[int, dict[str, int]],
    today: datetime.date,
    *,
    compliance: dict[int, SchoolCompliance] | None = None,
) -> dict:
    """The bureau row's ``details`` (``DETAIL_KEYS``): ``months`` (hazards found and closed
    per month of the period, all active schools), ``drill_statistics`` (per school type),
    ``drill_gaps`` (the dashboard card on ``today``: {"day", "missed", "open"}) and the
    dashboard's charts of the period (``charts.STORED_KEYS``: ``by_category``, counted with
    ``months`` by ``figures.found_counts``, and ``close_time``). ``compliance``: the period's
    drill compliance of all active schools (``figures.figures_and_compliance``'s), which
    gives the gaps card when its range holds the card's (the current periods: their
    refresh runs every ten minutes). Four queries (three more for the gaps card of a past
    period); for the current calendar year four more: ``now`` (``current_figures``)."""
    start, end = period_bounds(year, period)
    if compliance is not None and start < today.replace(day=1) and today < end:
        gaps = drill_gaps(compliance, today)  # the same cells dashboard_summary would work out
    else:
        gaps = dashboard_summary(School.objects.active(), today)
    months, by_category = found_counts(Hazard.objects.all(), start, end)
    details = {
        "drill_gaps": {"day": today.isoformat(), **gaps},
        "months": months,
        "drill_statistics": drill_statistics(
            by_school, year=year, period=period, schools=School.objects.active()
        ),
        "by_category": by_category,
        "close_time": close_series(None, start, end),
    }
    if (year, period) == (current_year(today), Period.CALENDAR):
        details["now"] = current_figures(today)
    return details


def current_figures(today: datetime.date) -> dict:
    """The bureau's current hazard figures on ``today`` (Beijing date), whatever the
    period, as the bureau dashboard shows them: {"day": ISO date, "at": ISO time (aware),
    "open": int, "overdue": int, "overdue_schools": [{"school", "school__name", "n"}] (the
    ``charts.TOP_SCHOOLS`` schools with the most overdue hazards, ``charts.overdue_by_school``),
    "uncovered_schools": int (schools no leader or cadre inspected this term,
    ``inspections.coverage.uncovered_schools``)}. Stored in the current calendar year's
    bureau row by the ten-minute refresh, so the dashboard does not count a province's open
    hazards on every request (docs/decisions.md "The bureau's current figures are stored
    too"). Four queries."""
    hazards = Hazard.objects.all()
    return {
        "day": today.isoformat(),
        "at": timezone.now().isoformat(),
        **hazards.open().queue_counts(today),
        "overdue_schools": list(overdue_by_school(hazards, today)[:TOP_SCHOOLS]),
        "uncovered_schools": uncovered_schools(term_bounds(today)).count(),
    }


# What a complete bureau row's ``details`` holds; a row stored before a key was added is
# rolled up again when read (``stored.bureau_figures``).
DETAIL_KEYS = frozenset({"drill_gaps", "months", "drill_statistics", *STORED_KEYS})


def _store_bureau_row(
    year: int, period: str, figures: dict[str, int], details: dict, now: datetime.datetime
) -> None:
    # The bureau row's uniqueness is a partial index (school empty), which an upsert
    # cannot name: update, else create; a concurrent creator wins and we update after it.
    values = {"figures": figures, "details": details, "computed_at": now}
    bureau = YearlyStatistic.objects.filter(school=None, year=year, period=period)
    if bureau.update(**values):
        return
    try:
        with transaction.atomic():
            YearlyStatistic.objects.create(school=None, year=year, period=period, **values)
    except IntegrityError:
        bureau.update(**values)


def current_year(today: datetime.date | None = None) -> int:
    """The calendar year of ``today`` (default: today in Asia/Shanghai)."""
    return (today or timezone.localdate()).year


def current_school_year(today: datetime.date | None = None) -> int:
    """The year in which the school year containing ``today`` began (1 September)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


def current_periods(today: datetime.date) -> list:
    """(year, period) pairs whose period contains ``today``: the current calendar year and
    school year, which the short refresh keeps current."""
    return [(current_year(today), Period.CALENDAR), (current_school_year(today), Period.SCHOOL)]


def periods_to_refresh(today: datetime.date | None = None) -> list:
    """(year, period) pairs the nightly roll-up refreshes: the current calendar and school
    year, plus the period just ended during its first month, because records of its last
    days are often entered late."""
    today = today or timezone.localdate()
    pairs = current_periods(today)
    if today.month == 1:
        pairs.append((today.year - 1, Period.CALENDAR))
    if today.month == 9:
        pairs.append((today.year - 1, Period.SCHOOL))
    return pairs

"""Analytics of where and why hazards recur, computed in the database.

Every function takes the user's school scope (``school_ids``: a list of ids, or None for
the whole bureau) and its period, runs a constant number of queries (grouped aggregates,
window functions, PostgreSQL's ``percentile_cont`` for medians) and returns plain rows:
lists of dicts whose keys are the series' ``columns`` (``risks.series``). Durations are in
days (one decimal), rates in per cent (one decimal), times on the Beijing calendar.

Recurrence and stage times use window functions and ordered-set aggregates written in
PostgreSQL's SQL; on another database (the SQLite of the local demo) they return no rows and
``supported()`` is False, which the pages say.
"""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractMonth, ExtractYear, TruncMonth
from django.utils import timezone

from hazards.models import Hazard, HazardEvent, HazardQuerySet
from schools.models import School

from .models import Grade, RiskPoint, RiskPolicy
from .services import add_months

TZ = "Asia/Shanghai"
# The risk score's weights (docs/decisions.md "Risk register", the score's formula).
SCORE_WEIGHTS = {
    "open_major": 10,
    "overdue": 5,
    "recurrences": 3,
    "red_points": 4,
    "missed_checks": 2,
}
WATCH_THRESHOLD = 25  # a school with this score or more is on the "schools to watch" list
WATCH_LIMIT = 10
RECURRENCE_LOOKBACK_MONTHS = 12  # the score counts recurrences reported in the last year


def supported() -> bool:
    """Whether the window-function series (recurrence, stage times) can run here."""
    return connection.vendor == "postgresql"


def _scoped(queryset, school_ids, field="school_id"):
    return queryset if school_ids is None else queryset.filter(**{f"{field}__in": school_ids})


def _scope_sql(school_ids, column="h.school_id"):
    """(SQL condition, params) restricting ``column`` to ``school_ids``."""
    if school_ids is None:
        return "TRUE", []
    return f"{column} = ANY(%s)", [list(school_ids)]


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _fetch(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _days(seconds) -> float | None:
    return None if seconds is None else round(float(seconds) / 86400, 1)


# --- recurrence ----------------------------------------------------------------------------

_RECURRENCE_SQL = """
WITH ordered AS (
    SELECT h.id, h.school_id, h.category, btrim(h.location) AS place, h.reported_at,
           LAG(h.id) OVER w AS previous_id,
           LAG(h.closed_at) OVER w AS previous_closed_at
    FROM {hazard} h
    WHERE h.status <> 'dismissed' AND btrim(h.location) <> '' AND h.reported_at < %s
      AND {scope}
    WINDOW w AS (PARTITION BY h.school_id, h.category, lower(btrim(h.location)) COLLATE "C"
                 ORDER BY h.reported_at, h.id)
)
SELECT o.id, o.school_id, s.name AS school, o.category, o.place, o.reported_at,
       o.previous_id, o.previous_closed_at
FROM ordered o JOIN {school} s ON s.id = o.school_id
WHERE o.previous_closed_at IS NOT NULL
  AND o.reported_at > o.previous_closed_at
  AND o.reported_at <= ((o.previous_closed_at AT TIME ZONE %s)
                        + make_interval(months => %s)) AT TIME ZONE %s
  AND o.reported_at >= %s AND o.reported_at < %s
ORDER BY o.reported_at, o.id
"""


def recurrences(school_ids, *, months: int, start: datetime.date, end: datetime.date) -> list[dict]:
    """Hazards reported from ``start`` to before ``end`` that recur: the previous hazard
    (by report time) of the same school, category and place (location, trimmed, case
    ignored; dismissed hazards and those without a location left out) was closed before
    this one was reported, and at most ``months`` calendar months before (Beijing time).
    One query. Rows: id, school_id, school, category, place, reported_at, previous_id,
    previous_closed_at, days_after_close."""
    if not supported():
        return []
    scope, params = _scope_sql(school_ids)
    sql = _RECURRENCE_SQL.format(
        hazard=Hazard._meta.db_table, school=School._meta.db_table, scope=scope
    )
    end_at = _day_start(end)
    rows = _fetch(sql, [end_at, *params, TZ, months, TZ, _day_start(start), end_at])
    for row in rows:
        row["days_after_close"] = _days(
            (row["reported_at"] - row["previous_closed_at"]).total_seconds()
        )
    return rows


def recurrence_counts(school_ids, *, months, start, end) -> dict[int, int]:
    """school id → number of recurrences (``recurrences``) in [start, end). One query."""
    counts: dict[int, int] = defaultdict(int)
    for row in recurrences(school_ids, months=months, start=start, end=end):
        counts[row["school_id"]] += 1
    return dict(counts)


# --- hot spots ---------------------------------------------------------------------------


def hot_spots(school_ids, *, year: int) -> list[dict]:
    """Hazards found (not dismissed) in ``year`` by school × category × month of report
    (Beijing). One query. Rows: school_id, school, category, month (1–12), hazards."""
    start, end = _day_start(datetime.date(year, 1, 1)), _day_start(datetime.date(year + 1, 1, 1))
    rows = (
        _scoped(Hazard.objects.found(), school_ids)
        .filter(reported_at__gte=start, reported_at__lt=end)
        .annotate(month=ExtractMonth("reported_at"))
        .values("school_id", "school__name", "category", "month")
        .annotate(hazards=Count("id"))
        .order_by("school__code", "school_id", "category", "month")
    )
    return [{**row, "school": row.pop("school__name")} for row in rows]


def heat_map(rows: list[dict], limit: int = 30) -> dict:
    """``hot_spots`` rows as a grid for the page: the ``limit`` busiest (school, category)
    pairs, each with 12 month cells {"count", "level" 0–4}."""
    pairs: dict = {}
    for row in rows:
        key = (row["school"], row["category"])
        pairs.setdefault(key, [0] * 12)[row["month"] - 1] += row["hazards"]
    top = sorted(pairs.items(), key=lambda kv: (-sum(kv[1]), kv[0]))[:limit]
    peak = max((max(cells) for _key, cells in top), default=0) or 1
    labels = dict(Hazard.Category.choices)
    return {
        "rows": [
            {
                "school": school,
                "category": labels.get(category, category),
                "total": sum(cells),
                "cells": [
                    {"count": c, "level": 0 if not c else 1 + min(3, 4 * c // (peak + 1))}
                    for c in cells
                ],
            }
            for (school, category), cells in top
        ],
        "months": list(range(1, 13)),
    }


# --- stage times -------------------------------------------------------------------------

DIMENSIONS = {"school": "s.name", "category": "h.category", "level": "h.level"}

_STAGES_SQL = """
WITH closed AS (
    SELECT h.id FROM {hazard} h
    WHERE h.status = 'closed' AND h.closed_at >= %s AND h.closed_at < %s AND {scope}
), steps AS (
    SELECT h.id AS hazard_id, 'reported' AS state, h.reported_at AS at, 0 AS seq
    FROM {hazard} h JOIN closed c ON c.id = h.id
    UNION ALL
    SELECT e.hazard_id, e.to_status, e.created_at, e.id
    FROM {event} e JOIN closed c ON c.id = e.hazard_id
    WHERE e.to_status <> ''
), spans AS (
    SELECT hazard_id, state,
           GREATEST(EXTRACT(EPOCH FROM LEAD(at) OVER w - at), 0) AS seconds
    FROM steps
    WINDOW w AS (PARTITION BY hazard_id ORDER BY at, seq)
), per_hazard AS (
    SELECT hazard_id,
           SUM(seconds) FILTER (WHERE state = 'reported') AS reported,
           SUM(seconds) FILTER (WHERE state = 'rectifying') AS rectifying,
           SUM(seconds) FILTER (WHERE state = 'verifying') AS verifying
    FROM spans GROUP BY hazard_id
)
SELECT {dimension} AS "group", COUNT(*) AS hazards,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.reported) AS reported_median,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.rectifying) AS rectifying_median,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.verifying) AS verifying_median,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY EXTRACT(EPOCH FROM h.closed_at - h.reported_at)) AS close_median,
       AVG(EXTRACT(EPOCH FROM h.closed_at - h.reported_at)) AS close_mean
FROM per_hazard p JOIN {hazard} h ON h.id = p.hazard_id JOIN {school} s ON s.id = h.school_id
GROUP BY {dimension}
ORDER BY {dimension}
"""

STAGE_KEYS = (
    "reported_median",
    "rectifying_median",
    "verifying_median",
    "close_median",
    "close_mean",
)


def stage_times(
    school_ids, *, start: datetime.date, end: datetime.date, by: str = "school"
) -> list[dict]:
    """For hazards closed from ``start`` to before ``end``, grouped ``by`` school, category
    or level: how many, the median days in each open state (查 reported, 改 rectifying, 督
    verifying; a state entered twice counts both visits, as ``hazards.timeline``) and the
    median and mean days from report to close. One query. Rows: group, hazards and the
    ``STAGE_KEYS`` in days."""
    if not supported():
        return []
    scope, params = _scope_sql(school_ids)
    sql = _STAGES_SQL.format(
        hazard=Hazard._meta.db_table,
        event=HazardEvent._meta.db_table,
        school=School._meta.db_table,
        scope=scope,
        dimension=DIMENSIONS[by],
    )
    rows = _fetch(sql, [_day_start(start), _day_start(end), *params])
    labels = {"category": dict(Hazard.Category.choices), "level": dict(Hazard.Level.choices)}.get(
        by, {}
    )
    for row in rows:
        row["group"] = str(labels.get(row["group"], row["group"]))
        row.update({key: _days(row[key]) for key in STAGE_KEYS})
    return rows


_CLOSE_TREND_SQL = """
SELECT date_trunc('month', h.closed_at AT TIME ZONE %s)::date AS month, COUNT(*) AS hazards,
       percentile_cont(0.5) WITHIN GROUP (
           ORDER BY EXTRACT(EPOCH FROM h.closed_at - h.reported_at)) AS close_median
FROM {hazard} h
WHERE h.status = 'closed' AND h.closed_at >= %s AND h.closed_at < %s AND {scope}
GROUP BY 1 ORDER BY 1
"""


def close_trend(school_ids, *, start: datetime.date, end: datetime.date) -> list[dict]:
    """Median days from report to close by month of close (Beijing). One query. Rows:
    month (first day), hazards, close_median."""
    if not supported():
        return []
    scope, params = _scope_sql(school_ids)
    sql = _CLOSE_TREND_SQL.format(hazard=Hazard._meta.db_table, scope=scope)
    rows = _fetch(sql, [TZ, _day_start(start), _day_start(end), *params])
    for row in rows:
        row["close_median"] = _days(row["close_median"])
    return rows


# --- overdue rate and year over year -----------------------------------------------------


def late_q() -> Q:
    """Closed after its deadline (Beijing date), or still open with the deadline passed."""
    return Q(status=Hazard.Status.CLOSED, closed_at__date__gt=F("deadline")) | Q(
        HazardQuerySet.assigned_q()
    )


def overdue_rate(school_ids, *, year: int, today: datetime.date) -> list[dict]:
    """Of the hazards whose deadline fell in each month of ``year`` and before ``today``,
    how many were closed late or are still not closed (rate in per cent). One query.
    Rows: month (first day), due, late, rate."""
    rows = (
        _scoped(Hazard.objects.found(), school_ids)
        .filter(deadline__year=year, deadline__lt=today)
        .annotate(month=TruncMonth("deadline"))
        .values("month")
        .annotate(due=Count("id"), late=Count("id", filter=late_q()))
        .order_by("month")
    )
    return [
        {**row, "rate": round(100 * row["late"] / row["due"], 1) if row["due"] else 0.0}
        for row in rows
    ]


def year_over_year(school_ids, *, years: int, today: datetime.date) -> list[dict]:
    """Hazards found (not dismissed) and of them major, by year and month of report, for
    the ``years`` years up to ``today``'s. One query. Rows: year, month, found, major."""
    first = datetime.date(today.year - years + 1, 1, 1)
    rows = (
        _scoped(Hazard.objects.found(), school_ids)
        .filter(reported_at__gte=_day_start(first), reported_at__lt=_day_start(today))
        .annotate(year=ExtractYear("reported_at"), month=ExtractMonth("reported_at"))
        .values("year", "month")
        .annotate(found=Count("id"), major=Count("id", filter=HazardQuerySet.major_q()))
        .order_by("year", "month")
    )
    return list(rows)


# --- the per-school risk score and the schools to watch ----------------------------------


def school_scores(
    school_ids, *, today: datetime.date, policy: RiskPolicy | None = None
) -> list[dict]:
    """Each active school's risk score on ``today``:

        score = 10 × open major hazards + 5 × overdue hazards + 3 × recurrences in the last
                12 months + 4 × red (重大) risk points + 2 × risk points overdue for a check

    (``SCORE_WEIGHTS``; docs/decisions.md). Five queries whatever the number of schools
    (policy, schools, hazards, recurrences, risk points).
    Rows, highest score first: school_id, school, the five components, score."""
    policy = policy or RiskPolicy.current()
    schools = _scoped(School.objects.active(), school_ids, "id").values_list("id", "name")
    hazards = {
        row["school_id"]: row
        for row in _scoped(Hazard.objects.all(), school_ids)
        .values("school_id")
        .annotate(
            open_major=Count("id", filter=HazardQuerySet.open_q() & HazardQuerySet.major_q()),
            overdue=Count("id", filter=HazardQuerySet.overdue_q(today)),
        )
    }
    recurring = recurrence_counts(
        school_ids,
        months=policy.recurrence_months,
        start=add_months(today, -RECURRENCE_LOOKBACK_MONTHS),
        end=today + datetime.timedelta(days=1),
    )
    points = {
        row["school_id"]: row
        for row in _scoped(RiskPoint.objects.active(), school_ids)
        .with_last_check()
        .values("school_id")
        .annotate(
            red_points=Count("id", filter=Q(grade=Grade.MAJOR)),
            missed_checks=Count("id", filter=RiskPoint.objects.check_overdue_q(policy, today)),
        )
    }
    rows = []
    for school_id, name in schools:
        parts = {
            "open_major": hazards.get(school_id, {}).get("open_major", 0),
            "overdue": hazards.get(school_id, {}).get("overdue", 0),
            "recurrences": recurring.get(school_id, 0),
            "red_points": points.get(school_id, {}).get("red_points", 0),
            "missed_checks": points.get(school_id, {}).get("missed_checks", 0),
        }
        score = sum(SCORE_WEIGHTS[key] * value for key, value in parts.items())
        rows.append({"school_id": school_id, "school": name, **parts, "score": score})
    rows.sort(key=lambda row: (-row["score"], row["school"]))
    return rows


def schools_to_watch(school_ids, *, today: datetime.date) -> list[dict]:
    """The schools whose score (``school_scores``) is ``WATCH_THRESHOLD`` or more, highest
    first, at most ``WATCH_LIMIT``, each with ``reasons``: (component key, count) of its
    non-zero components, heaviest first."""
    watched = []
    for row in school_scores(school_ids, today=today):
        if row["score"] < WATCH_THRESHOLD or len(watched) == WATCH_LIMIT:
            break
        reasons = [(key, row[key]) for key in SCORE_WEIGHTS if row[key]]
        reasons.sort(key=lambda kv: -SCORE_WEIGHTS[kv[0]] * kv[1])
        watched.append({**row, "reasons": reasons})
    return watched


def grade_counts(points) -> dict[str, int]:
    """grade → number of ``points`` (a RiskPoint queryset) in it. One query."""
    counts = dict(points.values("grade").annotate(n=Count("id")).values_list("grade", "n"))
    return {grade: counts.get(grade, 0) for grade in Grade.values}

"""The dashboard's charts where a split or a trend says more than a number: hazards found
and closed by month, found by category, the median days to close by month of closing, and
the schools with the most overdue hazards.

``dashboard_charts(user, year=, period=, today=, by_month=)`` → {name: chart}; each chart is
{"id", "title", "kind" ("bar" | "line"), "horizontal", "labels": [str], "series":
[{"label", "values": [number | None]}], "links": [URL | None] (one per label: the records
behind it), "rows": the table's [{"label", "url", "values"}], "data_id"}, drawn by
``static/js/charts.js`` and shown as a table (``templates/reports/includes/chart.html``).
Each chart is one grouped query whose rows are bounded (12 months, 12 categories,
``TOP_SCHOOLS`` schools), whatever the number of schools.
"""

import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from accounts.models import User
from hazards.models import Hazard, HazardQuerySet
from risks.analytics import close_trend

from .figure_links import FOUND, list_url
from .figures import period_bounds

TOP_SCHOOLS = 10


def _months(start: datetime.date) -> list[datetime.date]:
    """The first days of the 12 months from ``start``."""
    months = [start.month - 1 + i for i in range(12)]
    return [datetime.date(start.year + m // 12, m % 12 + 1, 1) for m in months]


def month_name(day: datetime.date) -> str:
    """'一月' / 'January': the month's name in the active language."""
    return str(MONTHS[day.month])


def dashboard_charts(
    user: User, *, year: int, period: str, today: datetime.date, by_month: dict | None = None
) -> dict[str, dict[str, Any]]:
    """The dashboard's charts for ``user``'s scope in ``year`` and ``period`` on ``today``;
    ``by_month`` is the dashboard's hazards found and closed per month
    (``selectors.hazards_by_month``), reshaped here so it has its table too. Three queries."""
    start, end = period_bounds(year, period)
    hazards = Hazard.objects.visible_to(user)
    charts = {}
    if by_month:
        charts["by_month"] = found_and_closed(by_month, start)
    charts["by_category"] = by_category(hazards, start, end)
    charts["close_time"] = close_time(user.school_ids(), start, end)
    charts["overdue_schools"] = overdue_schools(hazards, today)
    for chart in charts.values():
        chart["data_id"] = f"{chart['id']}-data"
        chart["rows"] = [
            {"label": label, "url": url, "values": [s["values"][i] for s in chart["series"]]}
            for i, (label, url) in enumerate(zip(chart["labels"], chart["links"], strict=True))
        ]
    return charts


def _period_dates(start, end):
    last = end - datetime.timedelta(days=1)
    return [("reported_after", start.isoformat()), ("reported_before", last.isoformat())]


def found_and_closed(by_month: dict, start: datetime.date) -> dict[str, Any]:
    """``selectors.hazards_by_month``'s dict as a chart, months by name."""
    return {
        "id": "chart-by-month",
        "title": _("各月发现与销号隐患"),
        "kind": "bar",
        "horizontal": False,
        "labels": [month_name(m) for m in _months(start)],
        "series": [
            {"label": by_month["found_label"], "values": by_month["found"]},
            {"label": by_month["closed_label"], "values": by_month["closed"]},
        ],
        "links": [None] * 12,
    }


def by_category(
    hazards: HazardQuerySet, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Hazards found (``found()``) from ``start`` to before ``end`` per category, most first;
    each row links to the ledger filtered so. One grouped query (≤ 12 rows)."""
    rows = (
        hazards.reported_between(*_aware(start, end))
        .found()
        .values("category")
        .annotate(n=Count("id"))
        .order_by("-n", "category")
    )
    labels = dict(Hazard.Category.choices)
    dates = _period_dates(start, end)
    status = [("status", s) for s in FOUND]
    return {
        "id": "chart-by-category",
        "title": _("各类别发现隐患"),
        "kind": "bar",
        "horizontal": True,
        "labels": [str(labels.get(r["category"], r["category"])) for r in rows],
        "series": [{"label": _("发现隐患"), "values": [r["n"] for r in rows]}],
        "links": [
            list_url("hazard-list", [("category", r["category"]), *status, *dates]) for r in rows
        ],  # fmt: skip
    }


def close_time(school_ids, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """The median days from report to close of hazards closed in each month of the period
    (``risks.analytics.close_trend``; PostgreSQL only: elsewhere no values). One query."""
    rows = {row["month"]: row for row in close_trend(school_ids, start=start, end=end)}
    months = _months(start)
    return {
        "id": "chart-close-time",
        "title": _("销号用时中位数（按销号月份）"),
        "kind": "line",
        "horizontal": False,
        "labels": [month_name(m) for m in months],
        "series": [
            {"label": _("中位数（天）"), "values": [_get(rows, m, "close_median") for m in months]},
            {"label": _("销号隐患（条）"), "values": [_get(rows, m, "hazards", 0) for m in months]},
        ],
        "links": [None] * 12,
    }


def _get(rows, month, key, default=None):
    return rows.get(month, {}).get(key, default)


def overdue_schools(
    hazards: HazardQuerySet, today: datetime.date, limit: int = TOP_SCHOOLS
) -> dict[str, Any]:
    """The ``limit`` schools with the most hazards overdue on ``today`` (now, whatever the
    period), most first; each row links to the school's overdue hazards. One grouped
    query."""
    rows = list(
        hazards.overdue(today)
        .values("school", "school__name")
        .annotate(n=Count("id"))
        .order_by("-n", "school__name")[:limit]
    )
    return {
        "id": "chart-overdue-schools",
        "title": _("逾期隐患最多的学校（当前）"),
        "kind": "bar",
        "horizontal": True,
        "labels": [r["school__name"] for r in rows],
        "series": [{"label": _("逾期隐患"), "values": [r["n"] for r in rows]}],
        "links": [
            list_url("hazard-list", [("school", r["school"]), ("overdue", "true")]) for r in rows
        ],  # fmt: skip
    }


def _aware(start: datetime.date, end: datetime.date):
    """The Beijing midnights starting ``start`` and ``end``."""
    return tuple(
        timezone.make_aware(datetime.datetime.combine(d, datetime.time.min)) for d in (start, end)
    )

"""The dashboard's charts where a split or a trend says more than a number: hazards found
and closed by month, found by category, the median days to close by month of closing, and
the schools with the most overdue hazards.

``dashboard_charts(user, year=, period=, today=, by_month=)`` → {name: chart}; each chart is
{"id", "title", "kind" ("bar" | "line"), "horizontal", "labels": [str], "series":
[{"label", "values": [number | None]}], "links": [URL | None] (one per label: the records
behind it), "rows": the table's [{"label", "url", "values"}], "data_id"}, drawn by
``static/js/charts.js`` and shown as a table (``templates/reports/includes/chart.html``).

The bureau's charts of the period follow the stored figures (issue 13): the roll-up
(``services.bureau_details``) stores the counts by category and the close-time series in
the bureau row's ``details`` (``STORED_KEYS``), refreshed every ten minutes, and the
dashboard reads them there; a narrower scope (a school, a user's few schools) counts them
live, one grouped query each. The schools with the most overdue hazards are a current
figure: the bureau's is stored by the same refresh with its open and overdue counts
(``services.current_figures``) and read on the day it was counted; a narrower scope's is
counted by one query that the partial index of assigned hazards by deadline
(``hazard_active_deadline``) answers: only overdue hazards are read.
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
# The bureau row's chart counts (services.bureau_details): ``category_counts`` (from
# ``figures.found_counts``) and ``close_series``.
STORED_KEYS = frozenset({"by_category", "close_time"})


def _months(start: datetime.date) -> list[datetime.date]:
    """The first days of the 12 months from ``start``."""
    months = [start.month - 1 + i for i in range(12)]
    return [datetime.date(start.year + m // 12, m % 12 + 1, 1) for m in months]


def month_name(day: datetime.date) -> str:
    """'一月' / 'January': the month's name in the active language."""
    return str(MONTHS[day.month])


def dashboard_charts(
    user: User,
    *,
    year: int,
    period: str,
    today: datetime.date,
    by_month: dict | None = None,
    stored: dict | None = None,
    overdue: list[dict] | None = None,
) -> dict[str, dict[str, Any]]:
    """The dashboard's charts for ``user``'s scope in ``year`` and ``period`` on ``today``;
    ``by_month`` is the dashboard's hazards found and closed per month
    (``selectors.hazards_by_month``), reshaped here so it has its table too; ``stored``
    the bureau row's ``details`` (``STORED_KEYS``), read instead of counting;
    ``overdue`` the bureau's stored ``overdue_by_school`` rows of ``today``
    (``services.current_figures``), read instead of counting. Three queries, none with
    ``stored`` and ``overdue``."""
    start, end = period_bounds(year, period)
    hazards = Hazard.objects.visible_to(user)
    stored = stored if stored and stored.keys() >= STORED_KEYS else None
    counts = stored or {
        "by_category": category_counts(hazards, start, end),
        "close_time": close_series(user.school_ids(), start, end),
    }
    charts = {}
    if by_month:
        charts["by_month"] = found_and_closed(by_month, start)
    charts["by_category"] = by_category(counts["by_category"], start, end)
    charts["close_time"] = close_time(counts["close_time"], start)
    if overdue is None:
        overdue = list(overdue_by_school(hazards, today)[:TOP_SCHOOLS])
    charts["overdue_schools"] = overdue_schools(overdue)
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


def category_counts(
    hazards: HazardQuerySet, start: datetime.date, end: datetime.date
) -> list[list]:
    """[[category, hazards]] of ``hazards`` found (``found()``) from ``start`` to before
    ``end``, most first (then by category). One grouped query (≤ 12 rows)."""
    rows = (
        hazards.reported_between(*_aware(start, end))
        .found()
        .values("category")
        .annotate(n=Count("id"))
        .order_by("-n", "category")
    )
    return [[r["category"], r["n"]] for r in rows]


def by_category(counts: list[list], start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """``category_counts`` as a chart; each row links to the ledger filtered so."""
    labels = dict(Hazard.Category.choices)
    dates = _period_dates(start, end)
    status = [("status", s) for s in FOUND]
    return {
        "id": "chart-by-category",
        "title": _("各类别发现隐患"),
        "kind": "bar",
        "horizontal": True,
        "labels": [str(labels.get(category, category)) for category, _n in counts],
        "series": [{"label": _("发现隐患"), "values": [n for _category, n in counts]}],
        "links": [
            list_url("hazard-list", [("category", category), *status, *dates])
            for category, _n in counts
        ],
    }


def close_series(school_ids, start: datetime.date, end: datetime.date) -> dict[str, list]:
    """{"median": [days | None], "hazards": [int]} per month of the period: the median days
    from report to close of the hazards closed that month, and how many
    (``risks.analytics.close_trend``; PostgreSQL only: elsewhere no values). One query."""
    rows = {row["month"]: row for row in close_trend(school_ids, start=start, end=end)}
    months = _months(start)
    return {
        "median": [rows.get(m, {}).get("close_median") for m in months],
        "hazards": [rows.get(m, {}).get("hazards", 0) for m in months],
    }


def close_time(series: dict[str, list], start: datetime.date) -> dict[str, Any]:
    """``close_series`` as a chart, months by name."""
    return {
        "id": "chart-close-time",
        "title": _("销号用时中位数（按销号月份）"),
        "kind": "line",
        "horizontal": False,
        "labels": [month_name(m) for m in _months(start)],
        "series": [
            {"label": _("中位数（天）"), "values": series["median"]},
            {"label": _("销号隐患（条）"), "values": series["hazards"]},
        ],
        "links": [None] * 12,
    }


def overdue_schools(rows: list[dict]) -> dict[str, Any]:
    """The schools with the most overdue hazards (``overdue_by_school``'s first rows) as a
    chart; each row links to the school's overdue hazards."""
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


def overdue_by_school(hazards: HazardQuerySet, today: datetime.date):
    """[{"school", "school__name", "n"}]: hazards overdue on ``today`` (now, whatever the
    period) per school, most first (then by name); a queryset, to slice. One grouped query
    over the overdue hazards only: the partial index of assigned hazards by deadline
    (``hazard_active_deadline``) finds them (tests/hazards/test_indexes.py EXPLAINs it)."""
    return (
        hazards.overdue(today)
        .values("school", "school__name")
        .annotate(n=Count("id"))
        .order_by("-n", "school__name")
    )


def _aware(start: datetime.date, end: datetime.date):
    """The Beijing midnights starting ``start`` and ``end``."""
    return tuple(
        timezone.make_aware(datetime.datetime.combine(d, datetime.time.min)) for d in (start, end)
    )

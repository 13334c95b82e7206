"""The analytics series as tables: each series' title, columns and how its rows are
computed (``risks.analytics``), shared by the analytics page, its Excel exports and the API
(``/api/v1/risk-analytics/<key>/``), so the three always show the same numbers.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from hazards.models import Hazard

from . import analytics
from .models import RiskPolicy


@dataclass(frozen=True)
class Params:
    """What a series is asked for: ``year`` (calendar year of the period), ``today`` (a
    Beijing date, the end of everything "so far"), ``by`` (stage times' grouping)."""

    year: int
    today: datetime.date
    by: str = "school"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return min(datetime.date(self.year + 1, 1, 1), self.today + datetime.timedelta(days=1))


@dataclass(frozen=True)
class Series:
    key: str
    title: object
    columns: list  # [(row key, label)]
    compute: Callable[[list[int] | None, Params], list[dict]]
    needs_postgres: bool = False


def _recurrence(ids, p):
    months = RiskPolicy.current().recurrence_months
    return analytics.recurrences(ids, months=months, start=p.start, end=p.end)


SERIES = {
    s.key: s
    for s in [
        Series(
            "school-scores",
            _("学校风险评分"),
            [
                ("school", _("学校")),
                ("open_major", _("未销号重大隐患")),
                ("overdue", _("逾期隐患")),
                ("recurrences", _("近12个月复发")),
                ("red_points", _("红色风险点")),
                ("missed_checks", _("应检未检风险点")),
                ("score", _("风险评分")),
            ],
            lambda ids, p: analytics.school_scores(ids, today=p.today),
        ),
        Series(
            "recurrence",
            _("复发隐患"),
            [
                ("reported_at", _("登记时间")),
                ("school", _("学校")),
                ("category", _("类别")),
                ("place", _("位置")),
                ("id", _("隐患编号")),
                ("previous_id", _("上次隐患编号")),
                ("days_after_close", _("距上次销号（天）")),
            ],
            _recurrence,
            needs_postgres=True,
        ),
        Series(
            "hot-spots",
            _("隐患热点（学校×类别×月份）"),
            [
                ("school", _("学校")),
                ("category", _("类别")),
                ("month", _("月份")),
                ("hazards", _("隐患数")),
            ],
            lambda ids, p: analytics.hot_spots(ids, year=p.year),
        ),
        Series(
            "stage-times",
            _("各环节用时中位数（天）"),
            [
                ("group", _("分组")),
                ("hazards", _("已销号隐患")),
                ("reported_median", _("查（待交办）")),
                ("rectifying_median", _("改（整改中）")),
                ("verifying_median", _("督（验收中）")),
                ("close_median", _("销号用时中位数")),
                ("close_mean", _("销号用时平均数")),
            ],
            lambda ids, p: analytics.stage_times(ids, start=p.start, end=p.end, by=p.by),
            needs_postgres=True,
        ),
        Series(
            "close-trend",
            _("销号用时趋势（按销号月份）"),
            [
                ("month", _("月份")),
                ("hazards", _("已销号隐患")),
                ("close_median", _("销号用时中位数（天）")),
            ],
            lambda ids, p: analytics.close_trend(ids, start=p.start, end=p.end),
            needs_postgres=True,
        ),
        Series(
            "overdue-rate",
            _("逾期率（按整改期限月份）"),
            [
                ("month", _("月份")),
                ("due", _("到期隐患")),
                ("late", _("逾期（含逾期后销号）")),
                ("rate", _("逾期率（%）")),
            ],
            lambda ids, p: analytics.overdue_rate(ids, year=p.year, today=p.today),
        ),
        Series(
            "year-over-year",
            _("同比（按登记年份、月份）"),
            [
                ("year", _("年份")),
                ("month", _("月份")),
                ("found", _("发现隐患")),
                ("major", _("其中重大隐患")),
            ],
            lambda ids, p: analytics.year_over_year(ids, years=3, today=p.today),
        ),
    ]
}

CATEGORY_LABELS = dict(Hazard.Category.choices)


def cache_seconds() -> int:
    """How long a computed series is reused (``RISK_ANALYTICS_CACHE_SECONDS``, default 600):
    the series scan a year of the ledger, and the bureau's dashboard and analytics page are
    opened many times a day; ten minutes old is fresh enough to guide the work."""
    return getattr(settings, "RISK_ANALYTICS_CACHE_SECONDS", 600)


def cache_key(key: str, school_ids, params: "Params") -> str:
    """The cache entry of series ``key`` in the scope ``school_ids`` (None: the bureau)."""
    scope = "all" if school_ids is None else ",".join(map(str, sorted(school_ids)))
    return f"risks:{key}:{scope}:{params.year}:{params.by}:{params.today}"


def cached_rows(key: str, school_ids, params: "Params", compute) -> list:
    """``compute()`` for series ``key`` in the scope ``school_ids`` (None: the bureau) with
    ``params``, reused from the cache for ``cache_seconds()``."""
    name = cache_key(key, school_ids, params)
    rows = cache.get(name)
    if rows is None:
        rows = compute()
        cache.set(name, rows, cache_seconds())
    return rows


def warm_bureau(today: datetime.date) -> int:
    """Compute every series of the bureau's scope (all schools) for ``today``'s year with the
    page's defaults and store it in the cache, replacing what is there, so the bureau's
    analytics page, its API and the watch list never pay for a cold province-scale scan
    (the beat task runs more often than ``cache_seconds()``). Returns the series count."""
    params = Params(year=today.year, today=today)
    for series in SERIES.values():
        name = cache_key(series.key, None, params)
        cache.set(name, series.compute(None, params), cache_seconds())
    return len(SERIES)


def rows_of(series: "Series", school_ids, params: "Params") -> list[dict]:
    """The rows of ``series`` for the pages, exports and API (cached, ``cached_rows``)."""
    return cached_rows(series.key, school_ids, params, lambda: series.compute(school_ids, params))


def display(key: str, value):
    """A cell as shown in a table or a spreadsheet: category labels, Beijing dates."""
    if key == "category":
        return str(CATEGORY_LABELS.get(value, value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if key == "month" and isinstance(value, datetime.date):
        return value.strftime("%Y-%m")
    return "" if value is None else value


def table(series: Series, rows: list[dict]) -> dict:
    """{"headers": [label…], "rows": [[cell…]…]} for a template or a spreadsheet."""
    keys = [key for key, _label in series.columns]
    return {
        "headers": [str(label) for _key, label in series.columns],
        "rows": [[display(key, row.get(key)) for key in keys] for row in rows],
    }


# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def to_xlsx(series: Series, rows: list[dict]) -> bytes:
    """The series' table as an .xlsx workbook (text cells never run as formulas)."""
    data = table(series, rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(series.title)[:31].replace("/", "-"))
    sheet.append(data["headers"])
    for row in data["rows"]:
        cells = []
        for value in row:
            if isinstance(value, str):
                if value.startswith(FORMULA_PREFIXES):
                    value = "'" + value
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Reads of the reports app that span several apps: the dashboard (工作台) and the bureau's
daily digest. Each function takes what it depends on (the user, the year and period, the
Beijing date ``today``) and returns plain dicts and lists ready to render; none reads the
clock or the request.

Scope is the user's: ``user.school_ids()`` for the figures, ``Hazard.objects.visible_to``
for hazards, so a school officer, teacher or counsellor sees their own school. The year's
figures, the per-school table and the bureau's chart are read from the stored roll-up
(``reports.stored``), never counted again per request; the current queue is counted. A fixed
number of queries, whatever the number of schools and rows.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page
from django.db.models import Count
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.money import format_wan_yuan, format_yuan
from core.pagination import FirstPagePaginator
from drills.selectors import dashboard_summary
from hazards.models import Hazard, HazardQuerySet
from hazards.selectors import investment_by_year
from inspections.coverage import uncovered_count_for
from schools.models import School

from .figures import ARTICLE_KEYS, FIGURES, month_counts, period_bounds, period_months
from .models import Period
from .stored import Stored, bureau_figures, bureau_now, figures_of, page_rows, total_of

MONEY_KEYS = {"fire_remediation_investment_yuan"}
# (figure key, column heading) of the per-school table.
SCHOOL_COLUMNS = [
    ("hazards_found", gettext_lazy("发现隐患")),
    ("hazards_closed", gettext_lazy("已销号")),
    ("hazards_open", gettext_lazy("未销号（当前）")),
    ("hazards_overdue", gettext_lazy("逾期（当前）")),
    ("drills", gettext_lazy("应急演练")),
    ("education_activities", gettext_lazy("安全教育")),
    ("joint_inspections", gettext_lazy("联合检查")),
]
EDUCATION_KEYS = (
    "first_safety_lessons",
    "themed_class_meetings",
    "flag_speeches",
    "thematic_education_activities",
)
MOST_OVERDUE_SHOWN = 10
# Rows of the dashboard's per-school table a page: the bureau's 5,000 schools are paged,
# not rendered at once (docs/decisions.md "Province scale: stored figures"); 20, as a
# page of the ledger is short, so the bureau's page renders in a few milliseconds.
SCHOOLS_PER_PAGE = 20


def default_year(period: str, today: datetime.date) -> int:
    """The current calendar year, or the school year that started last 1 September."""
    if period == Period.SCHOOL and today.month < 9:
        return today.year - 1
    return today.year


def period_label(year: int, period: str) -> str:
    """'2024 年' or '2024–2025 学年'."""
    if period == Period.SCHOOL:
        return _("%(start)d–%(end)d 学年") % {"start": year, "end": year + 1}
    return _("%(year)d 年") % {"year": year}


# --- the dashboard --------------------------------------------------------------------


def dashboard(
    user: User, *, year: int, period: str, today: datetime.date, schools_page: int | str = 1
) -> dict[str, Any]:
    """Everything the dashboard shows for ``user`` in ``year`` and ``period`` on ``today``:

    - ``figures``, ``extra_figures``: [{"key", "label", "value", "display"[, "detail"]}],
      the article's figures then the others (``figure_rows``), read from the stored
      figures (``reports.stored``); ``figures_as_of``: when they were computed (aware);
    - ``school_columns``: [heading]; ``school_rows``: [{"id", "name", "values": [int…]}],
      one page (``schools_page``, a number or its text; ``SCHOOLS_PER_PAGE`` a page) of
      the schools in scope, by code; ``schools_page``: that Django ``Page`` (``paginator.count``:
      the schools in scope);
    - ``scope_label``: "全旗", the school's name or "所辖 n 所学校";
    - ``queue``: {"open", "overdue"} hazards now; ``overdue_schools``: the schools with
      the most overdue hazards [{"school", "school__name", "n"}], or None (then the chart
      counts them); ``queue_as_of``: for the bureau, when the roll-up stored both
      (``stored.bureau_now``, refreshed every ten minutes), else None: counted now;
      ``most_overdue``: the longest overdue hazards (``most_overdue``, counted);
    - ``chart``: hazards found and closed per month (the bureau's stored, else counted for
      the user's hazards: ``figures.month_counts``; ``chart``);
    - ``investment``: remediation investment by year (``investment_rows``);
    - ``uncovered_schools``: schools no leader or cadre inspected this term (bureau
      users; stored with ``queue``: ``uncovered_for``), else None; ``drill_gaps``:
      ``drill_gaps_for``;
    - ``stored_details``: the bureau row's stored series (its charts: ``charts.dashboard_charts``),
      empty for a narrower scope.
    """
    hazards = Hazard.objects.visible_to(user)
    schools = School.objects.visible_to(user).active().values_list("id", "name")
    now = None
    if user.school_ids() is None:
        stored = bureau_figures(year=year, period=period, today=today)
        page = FirstPagePaginator(schools, SCHOOLS_PER_PAGE).get_page(schools_page)
        rows = page_rows(page, year=year, period=period, today=today)
        now = bureau_now(stored, year=year, period=period, today=today)
    else:  # a user's few schools: read once and paged in memory (no count, no second read)
        listed = list(schools)
        by_school, oldest = figures_of(
            [sid for sid, _name in listed], year=year, period=period, today=today
        )
        stored = Stored(total_of(by_school), oldest or timezone.now())
        page = FirstPagePaginator(listed, SCHOOLS_PER_PAGE).get_page(schools_page)
        rows = [{"id": sid, "name": name, "figures": by_school[sid]} for sid, name in page]
    start, end = period_bounds(year, period)
    months = stored.details.get("months") or month_counts(hazards, start, end)
    # Only open hazards can be open or overdue: a status index answers it, not a scan.
    queue = {k: now[k] for k in ("open", "overdue")} if now else hazards.open().queue_counts(today)
    return {
        "figures": figure_rows(stored.total, ARTICLE_KEYS),
        "extra_figures": figure_rows(stored.total, [k for k in FIGURES if k not in ARTICLE_KEYS]),
        "figures_as_of": stored.computed_at,
        "school_columns": [label for _key, label in SCHOOL_COLUMNS],
        "school_rows": school_rows(rows),
        "schools_page": page,
        "scope_label": scope_label(user, page),
        "queue": queue,
        "queue_as_of": now and now["at"],
        "overdue_schools": now and now["overdue_schools"],
        "most_overdue": most_overdue(hazards, today),
        "chart": chart(months, start),
        "investment": investment_rows(user),
        "uncovered_schools": uncovered_for(user, today, now),
        "drill_gaps": stored_drill_gaps(stored.details, today) or drill_gaps_for(user, today),
        "stored_details": stored.details,
    }


def uncovered_for(user: User, today: datetime.date, now: dict | None) -> int | None:
    """``inspections.coverage.uncovered_count_for``, read from the bureau's stored current
    figures ``now`` (``services.current_figures``) when there are some."""
    if now is not None and user.has_perm("inspections.view_coverage"):
        return now["uncovered_schools"]
    return uncovered_count_for(user, today)


def stored_drill_gaps(details: dict, today: datetime.date) -> dict[str, int] | None:
    """The bureau's drill gaps card as the roll-up stored it, if it did so on ``today``
    (the card changes by the day; a refresh stores it every ten minutes); else None."""
    gaps = details.get("drill_gaps")
    if not gaps or gaps.get("day") != today.isoformat():
        return None
    return {"missed": gaps["missed"], "open": gaps["open"]}


def drill_gaps_for(user: User, today: datetime.date) -> dict[str, int]:
    """Schools of the user's scope that missed their last month's (quarter's) evacuation
    drills and that still owe this one's (drills.selectors, the reminders' function)."""
    # A queryset: its queries select the schools by a subquery, not thousands of ids.
    return dashboard_summary(School.objects.visible_to(user).active(), today)


def figure_rows(total: dict[str, int], keys: Iterable[str]) -> list[dict[str, Any]]:
    """[{"key", "label", "value", "display"}] for ``keys`` of ``total``; money in 万元 with
    the exact yuan as ``detail``."""
    rows = []
    for key in keys:
        value = total[key]
        row = {"key": key, "label": FIGURES[key], "value": value, "display": f"{value:,}"}
        if key in MONEY_KEYS:
            row.update(display=format_wan_yuan(value), detail=format_yuan(value))
        rows.append(row)
    return rows


def school_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{"id", "name", "values"}] of [{"id", "name", "figures"}], values in
    ``SCHOOL_COLUMNS`` order (education: the four kinds summed)."""
    out = []
    for row in rows:
        fig = dict(row["figures"])
        fig["education_activities"] = sum(fig[k] for k in EDUCATION_KEYS)
        out.append(
            {"id": row["id"], "name": row["name"], "values": [fig[k] for k, _l in SCHOOL_COLUMNS]}
        )
    return out


def scope_label(user: User, page: Page) -> str:
    """ "全旗" for the bureau, the school's name for one school, else "所辖 n 所学校"."""
    if user.school_ids() is None:
        return _("全旗")
    if page.paginator.count == 1:
        return page.object_list[0][1]
    return _("所辖 %(n)d 所学校") % {"n": page.paginator.count}


def most_overdue(
    hazards: HazardQuerySet, today: datetime.date, limit: int = MOST_OVERDUE_SHOWN
) -> list[Hazard]:
    """The ``limit`` hazards of ``hazards`` overdue longest on ``today``, each with
    ``days_overdue`` (int) set and its school loaded. One query."""
    rows = list(hazards.overdue(today).select_related("school").order_by("deadline", "id")[:limit])
    for hazard in rows:
        hazard.days_overdue = (today - hazard.deadline).days
    return rows


def chart(months: dict[str, list[int]], start: datetime.date) -> dict[str, Any]:
    """The chart's data from ``month_counts``'s {"found", "closed"}: {"labels", "found",
    "closed", "found_label", "closed_label"}."""
    return {
        "labels": [str(MONTHS_3[m.month]).title() for m in period_months(start)],  # Jan / 一月
        "found": months["found"],
        "closed": months["closed"],
        "found_label": _("发现隐患"),
        "closed_label": _("已销号"),
    }


def investment_rows(user: User) -> list[dict[str, Any]]:
    """Remediation investment by calendar year for the user's schools, formatted:
    [{"year", "total", "fire", "total_display", "fire_display", "fire_detail"}], newest
    first. One query."""
    return [
        {
            **row,
            "total_display": format_wan_yuan(row["total"]),
            "fire_display": format_wan_yuan(row["fire"]),
            "fire_detail": format_yuan(row["fire"]),
        }
        for row in investment_by_year(user)
    ]


# --- the bureau's daily digest --------------------------------------------------------


def digest_figures(today: datetime.date) -> dict[str, int]:
    """Counts for the bureau's daily digest, all schools: ``open``, ``overdue`` and
    ``major_open`` hazards on ``today``, and hazards ``reported`` and ``closed`` during
    ``today`` (Asia/Shanghai). One query."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    end = start + datetime.timedelta(days=1)
    q = HazardQuerySet
    return Hazard.objects.aggregate(
        open=Count("id", filter=q.open_q()),
        overdue=Count("id", filter=q.overdue_q(today)),
        major_open=Count("id", filter=q.open_q() & q.major_q()),
        reported=Count("id", filter=q.reported_between_q(start, end)),
        closed=Count("id", filter=q.closed_between_q(start, end)),
    )

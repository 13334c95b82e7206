"""Reads of the reports app that span several apps: the dashboard (工作台) and the bureau's
daily digest. Each function takes what it depends on (the user, the year and period, the
Beijing date ``today``) and returns plain dicts and lists ready to render; none reads the
clock or the request.

Scope is the user's: ``user.school_ids()`` for the figures, ``Hazard.objects.visible_to``
for hazards, so a school officer, teacher or counsellor sees their own school. A fixed
number of queries, whatever the number of rows.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.money import format_wan_yuan, format_yuan
from drills.selectors import dashboard_summary
from hazards.models import Hazard, HazardQuerySet
from hazards.selectors import investment_by_year
from inspections.coverage import uncovered_count_for
from schools.models import School

from .figures import ARTICLE_KEYS, FIGURES, compute_figures, period_bounds
from .models import Period

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


def dashboard(user: User, *, year: int, period: str, today: datetime.date) -> dict[str, Any]:
    """Everything the dashboard shows for ``user`` in ``year`` and ``period`` on ``today``:

    - ``figures``, ``extra_figures``: [{"key", "label", "value", "display"[, "detail"]}],
      the article's figures then the others (``figure_rows``);
    - ``school_columns``: [heading]; ``school_rows``: [{"name", "values": [int…]}], one
      per school in scope, by code;
    - ``scope_label``: "全旗", the school's name or "所辖 n 所学校";
    - ``queue``: {"open", "overdue"} hazards now; ``most_overdue``: the longest overdue
      hazards (``most_overdue``);
    - ``chart``: hazards found and closed per month (``hazards_by_month``);
    - ``investment``: remediation investment by year (``investment_rows``);
    - ``uncovered_schools``: schools no leader or cadre inspected this term (bureau
      users), else None.
    """
    total, by_school = compute_figures(year, period, school_ids=user.school_ids(), today=today)
    hazards = Hazard.objects.visible_to(user)
    rows = school_rows(by_school)
    return {
        "figures": figure_rows(total, ARTICLE_KEYS),
        "extra_figures": figure_rows(total, [k for k in FIGURES if k not in ARTICLE_KEYS]),
        "school_columns": [label for _key, label in SCHOOL_COLUMNS],
        "school_rows": rows,
        "scope_label": scope_label(user, rows),
        "queue": hazards.queue_counts(today),
        "most_overdue": most_overdue(hazards, today),
        "chart": hazards_by_month(hazards, *period_bounds(year, period)),
        "investment": investment_rows(user),
        "uncovered_schools": uncovered_count_for(user, today),
        "drill_gaps": drill_gaps_for(user, today),
    }


def drill_gaps_for(user: User, today: datetime.date) -> dict[str, int]:
    """Schools of the user's scope that missed their last month's (quarter's) evacuation
    drills and that still owe this one's (drills.selectors, the reminders' function)."""
    schools = list(School.objects.visible_to(user).active())
    return dashboard_summary(schools, today)


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


def school_rows(by_school: dict[int, dict[str, int]]) -> list[dict[str, Any]]:
    """[{"name", "values"}] per school of ``by_school`` (school id → figures), in school
    order (by code), values in ``SCHOOL_COLUMNS`` order. One query for the names."""
    rows = []
    for school_id, name in School.objects.filter(id__in=by_school).values_list("id", "name"):
        fig = dict(by_school[school_id])
        fig["education_activities"] = sum(fig[k] for k in EDUCATION_KEYS)
        rows.append({"name": name, "values": [fig[k] for k, _l in SCHOOL_COLUMNS]})
    return rows


def scope_label(user: User, rows: list[dict[str, Any]]) -> str:
    if user.school_ids() is None:
        return _("全旗")
    if len(rows) == 1:
        return rows[0]["name"]
    return _("所辖 %(n)d 所学校") % {"n": len(rows)}


def most_overdue(
    hazards: HazardQuerySet, today: datetime.date, limit: int = MOST_OVERDUE_SHOWN
) -> list[Hazard]:
    """The ``limit`` hazards of ``hazards`` overdue longest on ``today``, each with
    ``days_overdue`` (int) set and its school loaded. One query."""
    rows = list(hazards.overdue(today).select_related("school").order_by("deadline", "id")[:limit])
    for hazard in rows:
        hazard.days_overdue = (today - hazard.deadline).days
    return rows


def hazards_by_month(
    hazards: HazardQuerySet, start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Hazards of active schools found and closed per month from ``start`` to ``end`` (the
    first day after; 12 months): {"labels", "found", "closed", "found_label",
    "closed_label"}, for Chart.js. One grouped query."""
    start_dt = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    end_dt = timezone.make_aware(datetime.datetime.combine(end, datetime.time.min))
    rows = (
        hazards.reported_between(start_dt, end_dt)
        .found()
        .filter(school__is_active=True)
        .annotate(month=TruncMonth("reported_at"))
        .values("month")
        .annotate(found=Count("id"), closed=Count("id", filter=HazardQuerySet.closed_q()))
    )
    by_month = {(r["month"].year, r["month"].month): r for r in rows}
    months = [_add_months(start, i) for i in range(12)]
    return {
        "labels": [str(MONTHS_3[m.month]).title() for m in months],  # Jan / 一月
        "found": [by_month.get((m.year, m.month), {}).get("found", 0) for m in months],
        "closed": [by_month.get((m.year, m.month), {}).get("closed", 0) for m in months],
        "found_label": _("发现隐患"),
        "closed_label": _("已销号"),
    }


def _add_months(day: datetime.date, n: int) -> datetime.date:
    month = day.month - 1 + n
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


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

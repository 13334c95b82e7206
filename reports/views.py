"""The web dashboard (工作台) at /: a year's figures for the user's schools, a per-school
table, the open and overdue hazards and a chart of hazards by month.

Scope is the user's (``user.school_ids()`` for the figures, ``visible_to`` for hazards), so a
school officer, teacher or counsellor sees their own school. A fixed number of queries,
whatever the number of rows.
"""
import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from hazards.models import Hazard
from inspections.coverage import uncovered_count_for
from schools.models import School

from .figures import ARTICLE_KEYS, FIGURES, compute_figures, period_bounds
from .models import Period

FIRST_YEAR = 2000
RECENT_YEARS = 5
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
    "first_safety_lessons", "themed_class_meetings", "flag_speeches", "thematic_education_activities"
)


def format_wan_yuan(value) -> str:
    """54180000 (yuan) → '5418 万元' (at most two decimals)."""
    wan = (Decimal(value) / 10000).quantize(Decimal("0.01")).normalize()
    return _("%(wan)s 万元") % {"wan": f"{wan:f}"}


def format_yuan(value) -> str:
    """54180000 → '54,180,000 元'."""
    return _("%(yuan)s 元") % {"yuan": f"{int(value):,}"}


def default_year(period, today):
    """The current calendar year, or the school year that started last 1 September."""
    if period == Period.SCHOOL and today.month < 9:
        return today.year - 1
    return today.year


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        period, year = self._period_and_year(today)
        total, by_school = compute_figures(year, period, school_ids=user.school_ids())
        start, end = period_bounds(year, period)
        hazards = Hazard.objects.visible_to(user)
        school_rows = self._school_rows(by_school)
        return super().get_context_data(
            year=year,
            period=period,
            period_label=self._period_label(year, period),
            periods=Period.choices,
            years=range(today.year, today.year - RECENT_YEARS, -1),
            figures=self._figure_rows(total, ARTICLE_KEYS),
            extra_figures=self._figure_rows(total, [k for k in FIGURES if k not in ARTICLE_KEYS]),
            school_columns=[label for _key, label in SCHOOL_COLUMNS],
            school_rows=school_rows,
            scope_label=self._scope_label(user, school_rows),
            queue=hazards.aggregate(
                open=Count("id", filter=Q(status__in=Hazard.OPEN_STATUSES)),
                overdue=Count("id", filter=Q(status__in=Hazard.ACTIVE_STATUSES, deadline__lt=today)),
            ),
            most_overdue=self._most_overdue(hazards, today),
            chart=self._chart(hazards, start, end),
            investment=investment_rows(user),
            uncovered_schools=uncovered_count_for(user, today),
            **kwargs,
        )

    def _period_and_year(self, today):
        """Validated ``period`` and ``year`` from the query string; bad values fall back to the
        defaults with a message (never an error page)."""
        period = self.request.GET.get("period", Period.CALENDAR)
        if period not in Period.values:
            messages.warning(self.request, _("统计口径无效，已显示自然年。"))
            period = Period.CALENDAR
        raw = self.request.GET.get("year")
        year = default_year(period, today)
        if raw is not None:
            try:
                year = int(raw)
                if not FIRST_YEAR <= year <= today.year + 1:
                    raise ValueError(raw)
            except ValueError:
                messages.warning(self.request, _("年度“%(year)s”无效，已显示默认年度。") % {"year": raw[:10]})
                year = default_year(period, today)
        return period, year

    @staticmethod
    def _most_overdue(hazards, today, limit=10):
        rows = list(hazards.overdue(today).select_related("school").order_by("deadline", "id")[:limit])
        for hazard in rows:
            hazard.days_overdue = (today - hazard.deadline).days
        return rows

    @staticmethod
    def _scope_label(user, school_rows):
        if user.school_ids() is None:
            return _("全旗")
        if len(school_rows) == 1:
            return school_rows[0]["name"]
        return _("所辖 %(n)d 所学校") % {"n": len(school_rows)}

    @staticmethod
    def _period_label(year, period):
        if period == Period.SCHOOL:
            return _("%(start)d–%(end)d 学年") % {"start": year, "end": year + 1}
        return _("%(year)d 年") % {"year": year}

    @staticmethod
    def _figure_rows(total, keys):
        rows = []
        for key in keys:
            value = total[key]
            row = {"key": key, "label": FIGURES[key], "value": value, "display": f"{value:,}"}
            if key in MONEY_KEYS:
                row.update(display=format_wan_yuan(value), detail=format_yuan(value))
            rows.append(row)
        return rows

    @staticmethod
    def _school_rows(by_school):
        rows = []
        # School order (by code), one query for the names.
        for school_id, name in School.objects.filter(id__in=by_school).values_list("id", "name"):
            fig = dict(by_school[school_id])
            fig["education_activities"] = sum(fig[k] for k in EDUCATION_KEYS)
            rows.append({"name": name, "values": [fig[k] for k, _l in SCHOOL_COLUMNS]})
        return rows

    @staticmethod
    def _chart(hazards, start, end):
        """Hazards found and closed per month of the period: one grouped query."""
        start_dt = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
        end_dt = timezone.make_aware(datetime.datetime.combine(end, datetime.time.min))
        rows = (
            hazards.filter(reported_at__gte=start_dt, reported_at__lt=end_dt, school__is_active=True)
            .exclude(status=Hazard.Status.DISMISSED)
            .annotate(month=TruncMonth("reported_at"))
            .values("month")
            .annotate(found=Count("id"), closed=Count("id", filter=Q(status=Hazard.Status.CLOSED)))
        )
        by_month = {(r["month"].year, r["month"].month): r for r in rows}
        months = [_add_months(start, i) for i in range(12)]
        return {
            "labels": [_("%(month)d月") % {"month": m.month} for m in months],
            "found": [by_month.get((m.year, m.month), {}).get("found", 0) for m in months],
            "closed": [by_month.get((m.year, m.month), {}).get("closed", 0) for m in months],
            "found_label": _("发现隐患"),
            "closed_label": _("已销号"),
        }


def _add_months(day, n):
    month = day.month - 1 + n
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def investment_rows(user):
    """Remediation investment by calendar year for the user's schools (hazards.selectors),
    formatted: [{"year", "total", "fire", "total_display", "fire_display"}], newest first."""
    from hazards.selectors import investment_by_year

    return [
        {**row, "total_display": format_wan_yuan(row["total"]), "fire_display": format_wan_yuan(row["fire"]),
         "fire_detail": format_yuan(row["fire"])}
        for row in investment_by_year(user)
    ]

"""The web dashboard (工作台) at /: a year's figures for the user's schools, a per-school
table, the open and overdue hazards and a chart of hazards by month.

The view reads and checks the query string, asks the clock once and renders
``reports.selectors.dashboard``, which does all the reading (scoped to the user).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from schools.models import School

from . import charts, scorecard, selectors
from .figure_links import figure_links
from .models import Period
from .periods import year_with_data

FIRST_YEAR = 2000
RECENT_YEARS = 5


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        period, year = self._period_and_year(today)
        board = selectors.dashboard(
            self.request.user,
            year=year,
            period=period,
            today=today,
            schools_page=self.request.GET.get("page", 1),  # the school table's page
        )
        links = figure_links(year, period)
        for row in [*board.get("figures", []), *board.get("extra_figures", [])]:
            row["url"] = links.get(row["key"])  # the list whose count is the figure
        for row in board.get("school_rows", []):
            url = reverse("school-scorecard", args=[row["id"]])
            row["url"] = f"{url}?year={year}&period={period}"
        board["charts"] = charts.dashboard_charts(
            self.request.user,
            year=year,
            period=period,
            today=today,
            by_month=board.get("chart"),
            stored=board.get("stored_details"),
            overdue=board.get("overdue_schools"),
        )
        return super().get_context_data(
            year=year,
            period=period,
            period_label=selectors.period_label(year, period),
            periods=Period.choices,
            years=range(today.year, today.year - RECENT_YEARS, -1),
            own_school=scorecard.own_school(self.request.user),
            **board,
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
        if raw is None:
            return period, year_with_data(self.request.user, period, today)
        try:
            year = int(raw)
            if not FIRST_YEAR <= year <= today.year + 1:
                raise ValueError(raw)
        except ValueError:
            messages.warning(
                self.request, _("年度“%(year)s”无效，已显示默认年度。") % {"year": raw[:10]}
            )
            year = year_with_data(self.request.user, period, today)
        return period, year


class ScorecardView(DashboardView):
    """/scorecard/<school id>/?year=&period=: one school of the user's scope (else 404)."""

    template_name = "reports/scorecard.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        period, year = self._period_and_year(today)
        school = get_object_or_404(
            School.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        return TemplateView.get_context_data(
            self,
            year=year,
            period=period,
            period_label=selectors.period_label(year, period),
            periods=Period.choices,
            years=range(today.year, today.year - RECENT_YEARS, -1),
            **scorecard.scorecard(school, year=year, period=period, today=today),
            **kwargs,
        )

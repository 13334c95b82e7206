"""The bureau's view (and a school's): the day's totals over all schools in scope (counted
in SQL), then a page of schools (those needing attention first: students unaccounted for,
patrols missed) with classes reported / total, students unaccounted for at the cut-off,
patrol slots done / missed, compliance; and the term's trend. Counts only: no names, no
phones."""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views.generic import TemplateView

from core.pagination import FirstPagePaginator
from schools.calendar import term_on
from schools.models import School

from ..selectors import (
    KEY_AREA_CHECKS,
    NIGHT_PATROLS,
    attention_first,
    daily_summary,
    daily_totals,
    term_trend,
)

SCHOOLS_PER_PAGE = 50  # as the dashboard's school table
TREND_DAYS = 30
TREND_SPAN = datetime.timedelta(days=45)  # 30 weekdays and a few holidays


class SummaryView(LoginRequiredMixin, TemplateView):
    template_name = "supervision/summary.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not user.has_perm("supervision.view_supervision"):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            day = datetime.date.fromisoformat(self.request.GET.get("date") or str(today))
        except ValueError:
            day = today
        schools = School.objects.visible_to(user).active().order_by("code", "id")
        page = FirstPagePaginator(attention_first(schools, day), SCHOOLS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        rows = daily_summary(page.object_list, day, timezone.now())
        first = schools.first()
        term = term_on(first, day) if first else None
        trend = []
        if term:
            # The page shows the last TREND_DAYS school days: count no further back.
            since = max(term.start_date, day - TREND_SPAN)
            trend = term_trend(schools, since, min(term.end_date, day))[-TREND_DAYS:]
        return super().get_context_data(
            day=day, rows=rows, page=page, totals=daily_totals(schools, day), term=term,
            trend=trend, rule={"checks": KEY_AREA_CHECKS, "nights": NIGHT_PATROLS}, **kwargs,
        )  # fmt: skip

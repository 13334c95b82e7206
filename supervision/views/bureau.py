"""The bureau's view (and a school's): per school and day, classes reported / total,
students unaccounted for at the cut-off, patrol slots done / missed, compliance; and the
term's trend. Counts only: no names, no phones."""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views.generic import TemplateView

from schools.calendar import term_on
from schools.models import School

from ..selectors import daily_summary, term_trend


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
        rows = daily_summary(schools, day)
        first = schools.first()
        term = term_on(first, day) if first else None
        trend = term_trend(schools, term.start_date, min(term.end_date, day)) if term else []
        totals = {
            k: sum(r[k] for r in rows)
            for k in ("classes", "reported", "unaccounted", "slots", "done", "missed")
        }
        return super().get_context_data(
            day=day, rows=rows, totals=totals, term=term, trend=trend[-30:], **kwargs
        )

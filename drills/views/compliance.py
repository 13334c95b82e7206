"""应急演练达标情况: schools × months of a calendar year (a kindergarten's quarter spans
three months), missed cells highlighted, boarding schools' night drills per term, and the
evacuation-time trend; the bureau sees every school, a school its own. The schools come a
page at a time, those that held the fewest drills first, each worked out by
``selectors.drill_compliance`` (the reminders' function); the totals above the table and the
trend cover all of them, counted in SQL (``selectors.compliance_totals``)."""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.pagination import FirstPagePaginator
from schools.models import School

from ..forms import ComplianceFilterForm
from ..selectors import compliance_table, compliance_totals, fewest_drills_first

SCHOOLS_PER_PAGE = 50  # as the dashboard's school table


class ComplianceView(LoginRequiredMixin, TemplateView):
    template_name = "drills/compliance.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        form = ComplianceFilterForm(self.request.GET or None)
        year = (form.is_valid() and form.cleaned_data["year"]) or today.year
        schools = School.objects.visible_to(self.request.user).active()
        page = FirstPagePaginator(fewest_drills_first(schools, year), SCHOOLS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        table = compliance_table(list(page.object_list), year, today=today)
        totals = compliance_totals(schools, year)
        chart = {
            "labels": [_("%(m)s月") % {"m": m} for m in range(1, 13)],
            "median": totals["median_by_month"],
            "target": table["target"],
            "median_label": _("疏散用时中位数（秒）"),
            "target_label": _("目标用时（秒）"),
        }
        return super().get_context_data(
            form=form, year=year, table=table, totals=totals, page=page, chart=chart,
            today=today, seconds=_("秒"), months=[datetime.date(year, m, 1) for m in range(1, 13)],
            **kwargs,
        )  # fmt: skip

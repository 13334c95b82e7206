"""演练计划: the planned drills of the user's schools for a year, a page at a time (a
province plans thousands), each with its status (done, upcoming, missed) from
``selectors.plan_statuses`` — the compliance function, for the page's plans only — and
the form that adds one (``services.plan_drill``); a plan whose day has not passed may be
cancelled (``services.cancel_planned_drill``)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from core.exceptions import DomainError, NotPermitted
from core.pagination import FirstPagePaginator
from core.views import DomainErrorMixin
from schools.forms import RecordFilterForm

from .. import services
from ..forms import PlannedDrillForm
from ..models import PlannedDrill
from ..selectors import plan_statuses

PERM = "drills.record_drill"
PLANS_PER_PAGE = 50


class ScheduleView(LoginRequiredMixin, DomainErrorMixin, FormView):
    template_name = "drills/schedule.html"
    form_class = PlannedDrillForm
    success_message = gettext_lazy("已加入演练计划：%(result)s")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(PERM):
            raise PermissionDenied(_("您没有制定演练计划的权限。"))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        filters = RecordFilterForm(self.request.GET or None, user=user)
        year, school = today.year, None
        if filters.is_valid():
            year = filters.cleaned_data["year"] or year
            school = filters.cleaned_data["school"]
        plans = PlannedDrill.objects.visible_to(user).filter(planned_on__year=year)
        if school:
            plans = plans.filter(school=school)
        plans = plans.select_related("school").order_by("planned_on", "school__code", "id")
        page = FirstPagePaginator(plans, PLANS_PER_PAGE).get_page(self.request.GET.get("page"))
        # A plan's status depends on the earlier plans of its period only, which
        # ``plan_statuses`` reads itself: the page's plans are enough.
        statuses = plan_statuses(page.object_list, today)
        for plan in page.object_list:
            plan.state = statuses[plan.pk].status
        return super().get_context_data(
            plans=page.object_list, page=page, year=year, filter_form=filters, today=today,
            may_plan=user.has_perm(PERM), **kwargs,
        )  # fmt: skip

    def perform(self, form):
        data = dict(form.cleaned_data)
        plan = services.plan_drill(
            data.pop("school"), actor=self.request.user, today=timezone.localdate(), **data
        )
        return f"{plan.planned_on:%Y-%m-%d} {plan.get_drill_type_display()}"

    def get_success_url(self):
        return reverse("drill-schedule")


class ScheduleCancelView(LoginRequiredMixin, View):
    """POST: take a future plan off the schedule."""

    def post(self, request, pk):
        plan = get_object_or_404(PlannedDrill.objects.visible_to(request.user), pk=pk)
        try:
            services.cancel_planned_drill(plan, actor=request.user, today=timezone.localdate())
        except NotPermitted as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已取消该演练计划。"))
        return HttpResponseRedirect(reverse("drill-schedule"))

"""The one page of risk-based planning: ``/risk-plans/schools/<id>/`` shows what would be
made from the school's red and orange risk points (a preview, nothing written); its button
posts to the same address, which calls ``services.generate_for_school`` and returns to the
register with the counts. Out of scope is 404; a person who may not generate gets 403."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from core.views import DomainErrorMixin
from risks.models import RiskPolicy
from schools.models import School

from . import services

PERM = "riskplans.generate_plans"


class GenerateView(LoginRequiredMixin, DomainErrorMixin, FormView):
    template_name = "riskplans/generate.html"
    form_class = forms.Form

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.school = get_object_or_404(
            School.objects.visible_to(request.user), pk=kwargs["school_id"]
        )
        if not request.user.has_perm(PERM, self.school):
            raise PermissionDenied(_("您没有为该校生成风险检查计划的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            school=self.school,
            plan=services.plan_school(self.school, today=today),
            policy=RiskPolicy.current(),
            **kwargs,
        )

    def perform(self, form):
        return services.generate_for_school(
            self.school, actor=self.request.user, today=timezone.localdate()
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        done = getattr(self, "result", None)
        if done is not None:
            messages.success(self.request, result_message(done))
        return response

    def get_success_url(self):
        return reverse("risk-register") + f"?school={self.school.pk}"


def result_message(done: services.Generated) -> str:
    """The sentence the officer reads after pressing the button."""
    if not (done.inspections or done.patrol_created or done.patrol_linked):
        return _("没有需要新生成的内容：红、橙色风险点均已有待完成的自查计划和巡查点位。")
    return _(
        "已生成 %(inspections)d 次自查计划（覆盖 %(points)d 个风险点），新建 %(created)d 个"
        "巡查点位，关联 %(linked)d 个已有巡查点位。"
    ) % {
        "inspections": done.inspections,
        "points": done.points,
        "created": done.patrol_created,
        "linked": done.patrol_linked,
    }

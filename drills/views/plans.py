"""Emergency plans (应急预案): the gaps matrix (schools × required kinds, current or
missing) with the plans of the user's schools, a plan's page (versions, upload, approve),
a new plan, and a version's file behind the checking view."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from core.files import PrivateFileView, private_file_response
from core.views import RecordCreateView
from schools.models import School

from .. import services
from ..forms import PlanForm, PlanVersionForm
from ..models import Drill, EmergencyPlan, PlanVersion
from ..selectors import plan_gaps
from .base import ObjectActionView

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class PlanListView(LoginRequiredMixin, TemplateView):
    """应急预案: which schools lack a current plan of each required kind, and the plans."""

    template_name = "drills/plan_list.html"

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        schools = list(School.objects.visible_to(user).active().order_by("code", "id"))
        plans = (
            EmergencyPlan.objects.visible_to(user).with_versions().order_by("school__code", "kind")
        )
        return super().get_context_data(
            kinds=Drill.DrillType.choices,
            gaps=plan_gaps(schools, today),
            plans=list(plans),
            may_create=user.has_perm("drills.manage_plan"),
            **kwargs,
        )


class PlanCreateView(RecordCreateView):
    template_name = "drills/plan_form.html"
    form_class = PlanForm
    service = services.create_plan
    success_message = gettext_lazy("应急预案已建立，请上传预案文件。")
    create_permission = "drills.manage_plan"

    def get_success_url(self):
        return self.result.get_absolute_url()


class PlanDetailView(LoginRequiredMixin, DetailView):
    template_name = "drills/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return EmergencyPlan.objects.visible_to(self.request.user).with_versions()

    def get_context_data(self, **kwargs):
        plan = self.object
        return super().get_context_data(
            version_form=PlanVersionForm(),
            may_manage=self.request.user.has_perm("drills.manage_plan", plan.school),
            current=plan.current_version,
            **kwargs,
        )


class PlanVersionUploadView(ObjectActionView):
    """POST: a new version (file checked by content; approved at once when dated)."""

    model = EmergencyPlan
    form_class = PlanVersionForm
    success_message = gettext_lazy("预案版本已上传。")

    def perform(self, plan, data):
        services.add_plan_version(plan, actor=self.request.user, today=timezone.localdate(), **data)


class ApproveForm(forms.Form):
    approved_on = forms.DateField(label=gettext_lazy("审批日期"))
    approver = forms.CharField(label=gettext_lazy("审批人"), max_length=50)


class PlanApproveView(ObjectActionView):
    """POST: record the approval of a draft version (``version`` in the URL)."""

    model = EmergencyPlan
    form_class = ApproveForm
    success_message = gettext_lazy("已记录审批，该版本成为现行版本。")

    def perform(self, plan, data):
        version = get_object_or_404(plan.versions, pk=self.kwargs["version"])
        services.approve_plan_version(
            version, actor=self.request.user, today=timezone.localdate(), **data
        )


class PlanVersionFileView(PrivateFileView):
    """GET /drills/plans/versions/<pk>/file/: the version's file, for users who see the
    plan's school; a download with its original name."""

    def get(self, request, **kwargs):
        plans = EmergencyPlan.objects.visible_to(request.user)
        version = get_object_or_404(PlanVersion, plan__in=plans, pk=kwargs["pk"])
        name = (
            version.original_name or f"{version.plan.title}-v{version.number}.{version.file_type}"
        )
        return private_file_response(
            version.file,
            content_type=CONTENT_TYPES[version.file_type],
            filename=name,
            as_attachment=True,
        )

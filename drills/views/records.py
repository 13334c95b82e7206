"""Drill records: list (filter by school and year), record form, detail (evaluation,
problems each one tap to a hazard, photos) and the photo behind the checking view."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView

from core.files import PrivateFileView
from core.views import RecordCreateView, RecordListView

from .. import services
from ..forms import DrillFilterForm, DrillForm, ProblemHazardForm
from ..models import Drill, DrillPhoto, DrillProblem
from .base import ObjectActionView


class DrillListView(RecordListView):
    """应急演练记录: drills of the user's schools, 25 a page, newest first."""

    template_name = "drills/drill_list.html"
    model = Drill
    filter_form_class = DrillFilterForm
    related = ("school", "recorded_by")
    create_permission = "drills.record_drill"


class DrillCreateView(RecordCreateView):
    """登记应急演练 through ``services.record_drill``: bureau roles, school safety officers
    and principals (for their own schools); everybody else 403."""

    template_name = "drills/drill_form.html"
    form_class = DrillForm
    service = services.record_drill
    success_url_name = "drill-list"
    success_message = gettext_lazy("应急演练已登记。")
    create_permission = "drills.record_drill"
    field_aliases = {"signal_at": "signal_time", "completed_at": "completed_time"}

    def get_success_url(self):
        return self.result.get_absolute_url()


class DrillDetailView(LoginRequiredMixin, DetailView):
    """One drill of the user's schools (another school's: 404)."""

    template_name = "drills/drill_detail.html"
    context_object_name = "drill"

    def get_queryset(self):
        return (
            Drill.objects.visible_to(self.request.user)
            .select_related("school", "recorded_by", "plan_version__plan")
            .prefetch_related("problems__hazard", "photos")
        )

    def get_context_data(self, **kwargs):
        drill = self.object
        return super().get_context_data(
            hazard_form=ProblemHazardForm(),
            may_report=self.request.user.has_perm("hazards.report_hazard", drill.school),
            **kwargs,
        )


class ProblemHazardView(ObjectActionView):
    """POST: one problem of the drill becomes a hazard (``services.problem_to_hazard``)."""

    model = Drill
    form_class = ProblemHazardForm
    success_message = gettext_lazy("已转为隐患，进入隐患台账跟踪整改。")

    def perform(self, drill, data):
        problem = get_object_or_404(DrillProblem, drill=drill, pk=self.kwargs["problem"])
        services.problem_to_hazard(problem, actor=self.request.user, category=data["category"])


class DrillPhotoView(PrivateFileView):
    """GET /drills/photos/<uuid>/: a photo of a drill the user may see."""

    def get_file(self):
        drills = Drill.objects.visible_to(self.request.user)
        return get_object_or_404(DrillPhoto, drill__in=drills, uuid=self.kwargs["uuid"]).image

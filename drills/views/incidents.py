"""Incidents (事故/突发事件): the list of the user's schools (the bureau: all), a report
form, an incident's page (timeline, deadlines, names for those allowed) and its actions:
a timeline entry, the written report, closing with a review."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from core.views import RecordCreateView

from .. import services
from ..filters import IncidentFilter
from ..forms import CloseIncidentForm, IncidentActionForm, IncidentForm, WrittenReportForm
from ..models import Incident
from .base import ObjectActionView


class IncidentListView(LoginRequiredMixin, ListView):
    template_name = "drills/incident_list.html"
    context_object_name = "incidents"
    paginate_by = 25

    def get_queryset(self):
        """The user's incidents narrowed by ``IncidentFilter`` from the query string (the
        dashboard's figures link here by level and dates); an invalid filter shows none."""
        incidents = Incident.objects.visible_to(self.request.user).select_related("school")
        self.filterset = IncidentFilter(
            self.request.GET or None, queryset=incidents, request=self.request
        )
        if not self.filterset.is_bound:
            return incidents
        return self.filterset.qs if self.filterset.is_valid() else incidents.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            may_create=self.request.user.has_perm("drills.report_incident"),
            filtered=self.filterset.is_bound,
            **kwargs,
        )


class IncidentCreateView(RecordCreateView):
    template_name = "drills/incident_form.html"
    form_class = IncidentForm
    service = services.report_incident
    success_message = gettext_lazy("事故已报告教体局。")
    create_permission = "drills.report_incident"

    def get_success_url(self):
        return self.result.get_absolute_url()


class IncidentDetailView(LoginRequiredMixin, DetailView):
    template_name = "drills/incident_detail.html"
    context_object_name = "incident"

    def get_queryset(self):
        return (
            Incident.objects.visible_to(self.request.user)
            .select_related("school", "plan", "reported_by")
            .prefetch_related("actions__actor", "people", "hazards", "escalations")
        )

    def get_context_data(self, **kwargs):
        incident, user, now = self.object, self.request.user, timezone.now()
        deadlines = [
            {
                "stage": stage,
                "deadline": deadline,
                "done_at": services.stage_done_at(incident, stage),
                "late": (services.stage_done_at(incident, stage) or now) > deadline,
            }
            for stage, deadline in services.incident_deadlines(incident).items()
        ]
        return super().get_context_data(
            deadlines=deadlines,
            show_names=user.has_perm("drills.view_incident_names", incident),
            may_act=user.has_perm("drills.report_incident", incident.school)
            and incident.status == Incident.Status.OPEN,
            action_form=IncidentActionForm(),
            written_form=WrittenReportForm(),
            close_form=CloseIncidentForm(),
            **kwargs,
        )


class IncidentActionView(ObjectActionView):
    model = Incident
    form_class = IncidentActionForm
    success_message = gettext_lazy("处置记录已添加。")

    def perform(self, incident, data):
        services.add_incident_action(incident, actor=self.request.user, now=timezone.now(), **data)


class IncidentWrittenReportView(ObjectActionView):
    model = Incident
    form_class = WrittenReportForm
    success_message = gettext_lazy("书面报告已提交。")

    def perform(self, incident, data):
        services.submit_written_report(
            incident, actor=self.request.user, text=data["text"], now=timezone.now()
        )


class IncidentCloseView(ObjectActionView):
    model = Incident
    form_class = CloseIncidentForm
    success_message = gettext_lazy("事件已结案。")

    def perform(self, incident, data):
        services.close_incident(incident, actor=self.request.user, now=timezone.now(), **data)

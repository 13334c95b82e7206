"""HTML pages of the hazard ledger (隐患台账): list, detail and the report form. The actions
on one hazard (transitions, mark duplicate, 挂牌督办) are in ``hazards.views.workflow``.

Every page starts from ``Hazard.objects.visible_to(user)`` (out of scope → 404) and every
write is one call to ``hazards.services`` through ``DomainErrorMixin``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from core import keyset
from core.forms import active_filters, enhance_filter_form
from core.sync import BadSyncParameter
from core.views import DomainErrorMixin
from schools.models import School

from .. import refusals, services, timeline
from ..filters import HazardFilter
from ..forms import HazardReportForm
from ..models import Hazard, HazardEvent, HazardPhoto

PAGE_SIZE = 25


class HazardListView(LoginRequiredMixin, TemplateView):
    """隐患台账: the shared ``HazardFilter`` on top, 25 hazards a page: numbered pages within
    a count capped at 10,000, keyset pages beyond it and for the last page
    (``core.keyset``). Invalid filter values show as form errors above an empty list (HTTP
    200); a forged cursor is a 400 with the message above an empty list."""

    template_name = "hazards/hazard_list.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except BadSyncParameter:
            # The rest of the page as without the cursor: the filters, an empty list.
            context = self._context(Hazard.objects.none(), {}, cursor_error=keyset.STALE_LINK)
            return self.render_to_response(context, status=400)

    def get_context_data(self, **kwargs):
        visible = Hazard.objects.visible_to(self.request.user)
        return self._context(visible, self.request.GET, **kwargs)

    def _context(self, queryset, paging, **kwargs):
        queryset = queryset.select_related("school", "responsible")
        filterset = HazardFilter(self.request.GET, queryset=queryset, request=self.request)
        _tidy_filter_form(filterset.form)
        valid = filterset.is_valid()
        hazards = filterset.qs if valid else queryset.none()
        term = filterset.form.cleaned_data.get("q") if valid else ""
        # A search: first walk the ledger order (a common term is in its first rows), and no
        # count (PostgreSQL's estimate of a text search is off by orders of magnitude).
        walk = filterset.filter_queryset(queryset, indexed_search=False) if term else None
        page = keyset.list_page(
            hazards, paging, PAGE_SIZE, "reported_at", walk=walk, count=not term
        )
        filtered = any(v for k, v in self.request.GET.items() if k not in PAGING)
        return super().get_context_data(
            filter=filterset,
            page=page,
            filtered=filtered,
            active_filters=active_filters(filterset.form),
            **kwargs,
        )


PAGING = ("page", "after", "before")


def _tidy_filter_form(form):
    """Status as tick boxes, the other multi-selects searchable (no Ctrl-click), the school
    searched on the server (a province has thousands), the phone's date picker, Bootstrap
    classes, and "all" instead of django-filter's blank choice label "---------"."""
    status = form.fields["status"]
    status.widget = forms.CheckboxSelectMultiple(choices=status.choices)
    form.order_fields(["q", "school", "status", "overdue", "level"])
    enhance_filter_form(form, remote={"school": reverse("school-search")})
    form.fields["school"].empty_label = _("全部学校")
    form.fields["department"].empty_label = _("全部部门")
    # django-filter prepends its own blank choice labelled ``empty_label``.
    form.fields["level"].empty_label = _("全部")
    form.fields["level"].choices = Hazard.Level.choices
    form.fields["overdue"].empty_label = _("全部")
    form.fields["overdue"].choices = [("true", _("已逾期")), ("false", _("未逾期"))]
    return form


class HazardDetailView(LoginRequiredMixin, DetailView):
    """One hazard: its fields, photos, timeline and the transitions the user may do now."""

    template_name = "hazards/hazard_detail.html"
    context_object_name = "hazard"

    def get_queryset(self):
        photos = HazardPhoto.objects.order_by("created_at", "id")
        events = HazardEvent.objects.select_related("actor").prefetch_related(
            Prefetch("photos", photos)
        )
        return (
            Hazard.objects.visible_to(self.request.user)
            .select_related(
                "school", "reported_by", "responsible", "submitted_by", "closed_by", "duplicate_of"
            )
            .prefetch_related(Prefetch("events", events), Prefetch("photos", photos), "duplicates")
        )

    def get_context_data(self, **kwargs):
        hazard, user = self.object, self.request.user
        current = refusals.current_actions(user, hazard)
        return super().get_context_data(
            actions=[action for action in current if action.available],
            unavailable=[action for action in current if not action.available],
            can_mark_duplicate=services.can_transition(user, hazard, "dismiss"),
            can_supervise=services.can_supervise(user, hazard),
            history=timeline.hazard_history(hazard, now=timezone.now()),
            **kwargs,
        )


class ReportPermissionMixin(PermissionRequiredMixin):
    """403 unless the user has ``hazards.report_hazard`` for a school of their scope: the
    first active one (the report forms offer active schools only; the service asks again for
    the chosen one). Report clients and users without a school get 403."""

    permission_required = "hazards.report_hazard"
    permission_denied_message = gettext_lazy("您没有登记隐患的权限。")

    def get_permission_object(self):
        return School.objects.visible_to(self.request.user).active().first()

    def has_permission(self):
        school = self.get_permission_object()
        return school is not None and self.request.user.has_perm(self.permission_required, school)


class HazardCreateView(LoginRequiredMixin, ReportPermissionMixin, DomainErrorMixin, FormView):
    """登记隐患 through ``services.report_hazard`` (``ReportPermissionMixin``)."""

    template_name = "hazards/hazard_form.html"
    form_class = HazardReportForm
    success_message = gettext_lazy("隐患已登记。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.report_hazard(data.pop("school"), actor=self.request.user, **data)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.AlreadyReported as exc:  # a re-sent form: show what the first one made
            return already_reported(self.request, exc.hazard)

    def get_success_url(self):
        return reverse("hazard-detail", args=[self.result.pk])


def already_reported(request, hazard):
    """The answer to a re-sent report form: a note and the hazard the first sending made."""
    messages.info(request, _("该隐患已提交过，未重复登记。"))
    return HttpResponseRedirect(reverse("hazard-detail", args=[hazard.pk]))

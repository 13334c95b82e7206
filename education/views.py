"""HTML pages of safety education activities and counselling sessions.

Who records activities: bureau roles anywhere; school safety officers, principals and
teachers for their own schools (teachers hold most class meetings and flag speeches, so
they record any kind; kept simple on purpose). Counselling pages exist only for counsellors
(``CounsellingSession.objects.visible_to``); everybody else, the bureau included, gets 403
and sees counts on the dashboard.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.files import PrivateFileView
from core.views import RecordCreateView, RecordListView
from core.years import FIRST_YEAR, LAST_YEAR
from schools.calendar import term_on
from schools.forms import RecordFilterForm
from schools.models import School

from . import selectors, services
from .forms import ActivityFilterForm, ActivityForm, CounsellingForm, TrainingForm
from .models import ActivityPhoto, CounsellingSession, EducationActivity, StaffTraining


class ActivityListView(RecordListView):
    """安全教育活动: activities of the user's schools, 25 a page, newest first."""

    template_name = "education/activity_list.html"
    model = EducationActivity
    filter_form_class = ActivityFilterForm
    related = ("school", "recorded_by")
    prefetch = ("photos",)
    create_permission = "education.record_activity"


class ActivityCreateView(RecordCreateView):
    """登记安全教育活动 through ``services.record_activity``; others 403."""

    template_name = "education/activity_form.html"
    form_class = ActivityForm
    service = services.record_activity
    success_url_name = "activity-list"
    success_message = gettext_lazy("安全教育活动已登记。")
    create_permission = "education.record_activity"


class ActivityPhotoView(PrivateFileView):
    """GET /education/activities/photos/<uuid>/: a photo of an activity the user may see
    (``EducationActivity.objects.visible_to``); any other 404."""

    def get_file(self):
        activities = EducationActivity.objects.visible_to(self.request.user)
        photos = ActivityPhoto.objects.filter(activity__in=activities)
        return get_object_or_404(photos, uuid=self.kwargs["uuid"]).image


class CounsellingListView(RecordListView):
    """心理辅导记录: the counsellor's schools only; everybody else 403."""

    template_name = "education/counselling_list.html"
    model = CounsellingSession
    filter_form_class = RecordFilterForm
    related = ("school", "counsellor")
    view_permission = "education.view_counselling"
    create_permission = "education.record_counselling"


class CounsellingCreateView(RecordCreateView):
    """登记心理辅导 through ``services.record_counselling``: counsellors only, else 403."""

    template_name = "education/counselling_form.html"
    form_class = CounsellingForm
    service = services.record_counselling
    success_url_name = "counselling-list"
    success_message = gettext_lazy("心理辅导记录已登记。")
    create_permission = "education.record_counselling"


# --- coverage, compliance, training ------------------------------------------------------


class CoverageView(LoginRequiredMixin, TemplateView):
    """安全教育覆盖: one school's term, each class × each required topic, gaps highlighted,
    with the term's national safety dates. ``?school=ID&term=ID`` (defaults: the first school
    of the user's scope, the current term); a school out of scope is 404."""

    template_name = "education/coverage.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("education.view_coverage"):
            raise PermissionDenied(_("您没有查看此页面的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        schools = School.objects.visible_to(self.request.user).active().order_by("name")
        school = _pick(schools, self.request.GET.get("school")) or schools.first()
        context = {"schools": schools, "school": school, "today": today}
        if school is not None:
            terms = selectors.terms_for(school, today)
            term = next((t for t in terms if str(t.pk) == self.request.GET.get("term")), None)
            term = term or term_on(school, today) or (terms[0] if terms else None)
            context |= {"terms": terms, "term": term}
            if term is not None:
                context |= {
                    "grid": selectors.coverage_grid(school, term),
                    "calendar": selectors.term_calendar(term),
                }
        return super().get_context_data(**context, **kwargs)


def _pick(queryset, value):
    """The row of ``queryset`` with pk ``value`` (a query string); None when empty; 404 when
    it is not a number or not in the queryset (out of scope)."""
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(queryset, pk=value)


class ComplianceView(LoginRequiredMixin, TemplateView):
    """法治副校长与安全培训: per school of the user's scope for ``?year=`` (default this year):
    vice principal, class hours (≥ 4), yearly evaluation; training sessions, hours, staff."""

    template_name = "education/compliance.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.has_perm("education.view_compliance"):
            raise PermissionDenied(_("您没有查看此页面的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        year = _year(self.request.GET.get("year"), timezone.localdate().year)
        schools = list(School.objects.visible_to(self.request.user).active().order_by("name"))
        rows = selectors.compliance(schools, year)
        return super().get_context_data(
            year=year,
            rows=rows,
            people=selectors.training_hours_by_person(schools, year)[:100],
            short=sum(not r["hours_met"] for r in rows),
            **kwargs,
        )


def _year(value, default):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


class TrainingListView(RecordListView):
    """教职工安全培训: the trainings of the user's schools, newest first."""

    template_name = "education/training_list.html"
    model = StaffTraining
    filter_form_class = RecordFilterForm
    related = ("school",)
    create_permission = "education.record_activity"


class TrainingCreateView(RecordCreateView):
    """登记教职工安全培训 through ``services.record_training``."""

    template_name = "education/training_form.html"
    form_class = TrainingForm
    service = services.record_training
    success_url_name = "training-list"
    success_message = gettext_lazy("培训已登记。")
    create_permission = "education.record_activity"

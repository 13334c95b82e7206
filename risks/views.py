"""HTML pages of the risk register under /risks/: the register, a point with its
assessments, checks and hazards, the school's four-colour map, and the analytics with
their Excel exports. Reads start from ``visible_to(user)`` (out of scope is 404); writes
call ``risks.services`` (``DomainErrorMixin`` shows their errors on the form)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.files import PrivateFileView
from core.pagination import FirstPagePaginator
from core.views import DomainErrorMixin
from hazards.models import Hazard
from schools.models import School

from . import analytics, services
from .forms import (
    AssessForm,
    CheckForm,
    LinkForm,
    PlaceForm,
    PointCreateForm,
    PointForm,
    RegisterFilterForm,
    SitePlanForm,
)
from .models import GRADE_COLOURS, GRADE_ORDER, RiskPoint, RiskPolicy, SitePlan
from .reminders import needs_reassessment_links
from .series import SERIES, Params, rows_of, table, to_xlsx

MANAGE = "risks.manage_register"


class RegisterView(LoginRequiredMixin, TemplateView):
    """The register: the user's schools' points, filtered, with counts per grade and the
    next check of each (overdue ones marked)."""

    template_name = "risks/register.html"

    def get_context_data(self, **kwargs):
        user, today, policy = self.request.user, timezone.localdate(), RiskPolicy.current()
        points = RiskPoint.objects.visible_to(user).active().select_related("school")
        form = RegisterFilterForm(self.request.GET or None, user=user)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if data["school"]:
                points = points.filter(school=data["school"])
            if data["grade"]:
                points = points.filter(grade=data["grade"])
            if data["category"]:
                points = points.filter(category=data["category"])
            if data["check_overdue"]:
                points = points.with_last_check().filter(
                    RiskPoint.objects.check_overdue_q(policy, today)
                )
        counts = analytics.grade_counts(points)
        overdue = points.check_overdue(policy, today).count()
        rows = points.with_last_check().order_by("school__code", "name", "id")
        page = FirstPagePaginator(rows, 50).get_page(self.request.GET.get("page"))
        page.object_list = list(page.object_list)
        for point in page.object_list:
            point.next_check = point.check_due(policy)
            point.check_late = point.next_check is not None and point.next_check < today
        schools = School.objects.visible_to(user).active()
        single_school = schools.first() if schools.count() == 1 else None
        chosen = form.cleaned_data.get("school") if form.is_bound and form.is_valid() else None
        # The school whose red and orange points the officer may turn into plans
        # (riskplans, the floor above: reached by its URL, not imported).
        plan_school = chosen or single_school
        return super().get_context_data(
            filter_form=form,
            page=page,
            grades=[(g, GRADE_COLOURS[g], counts[g]) for g in GRADE_ORDER],
            check_overdue_count=overdue,
            may_manage=user.has_perm(MANAGE),
            single_school=single_school,
            plan_school=plan_school if plan_school and user.has_perm(MANAGE, plan_school) else None,
            policy=policy,
            **kwargs,
        )


def _visible_point(request, pk) -> RiskPoint:
    return get_object_or_404(
        RiskPoint.objects.visible_to(request.user).select_related("school", "owner"), pk=pk
    )


class PointDetailView(LoginRequiredMixin, TemplateView):
    template_name = "risks/point_detail.html"

    def get_context_data(self, **kwargs):
        point = _visible_point(self.request, self.kwargs["pk"])
        policy = RiskPolicy.current()
        point.last_checked = (
            point.checks.order_by("-date").values_list("date", flat=True).first()
            or point.created_on
        )
        today = timezone.localdate()
        may_manage = self.request.user.has_perm(MANAGE, point)
        return super().get_context_data(
            point=point,
            colour=GRADE_COLOURS.get(point.grade),
            next_check=point.check_due(policy),
            today=today,
            assessments=point.assessments.select_related("assessed_by")[:20],
            checks=point.checks.select_related("checked_by")[:20],
            links=point.hazard_links.select_related("hazard").order_by("-hazard__reported_at"),
            may_manage=may_manage,
            needs_review=needs_reassessment_links(today).filter(point=point).exists(),
            assess_form=AssessForm(method=policy.method) if may_manage else None,
            check_form=CheckForm(initial={"date": today}) if may_manage else None,
            **kwargs,
        )


class PointActionView(LoginRequiredMixin, DomainErrorMixin, FormView):
    """A form on one point, handed to one service; GET shows the form alone (a phone), the
    detail page posts here too."""

    template_name = "risks/action_form.html"
    heading = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.point = _visible_point(request, kwargs["pk"])
        if not request.user.has_perm(MANAGE, self.point):
            raise PermissionDenied(_("您没有管理该校风险台账的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(point=self.point, heading=self.heading, **kwargs)

    def get_success_url(self):
        return self.point.get_absolute_url()


class PointUpdateView(PointActionView):
    form_class = PointForm
    heading = _("编辑风险点")
    success_message = _("已保存。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.point}

    def form_valid(self, form):
        # The ModelForm must not save itself: the service does.
        return DomainErrorMixin.form_valid(self, form)

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        return services.update_point(self.point, actor=self.request.user, **fields)


class AssessView(PointActionView):
    form_class = AssessForm
    heading = _("风险评价")
    success_message = _("已评价：%(result)s")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "method": RiskPolicy.current().method}

    def perform(self, form):
        data = form.cleaned_data
        assessment = services.assess_point(
            self.point,
            actor=self.request.user,
            today=timezone.localdate(),
            likelihood=data["likelihood"],
            severity=data["severity"],
            exposure=data.get("exposure") or None,
            reason=data["reason"],
            note=data["note"],
        )
        return assessment.get_grade_display()


class CheckView(PointActionView):
    form_class = CheckForm
    heading = _("登记检查")
    success_message = _("已登记检查。")

    def get_initial(self):
        return {"date": timezone.localdate()}

    def perform(self, form):
        return services.record_check(
            self.point, actor=self.request.user, today=timezone.localdate(), **form.cleaned_data
        )


class LinkView(PointActionView):
    form_class = LinkForm
    heading = _("关联隐患")
    success_message = _("已关联隐患。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "point": self.point}

    def perform(self, form):
        return services.link_hazard(
            self.point, actor=self.request.user, hazard=form.cleaned_data["hazard"]
        )


class PointCreateView(LoginRequiredMixin, DomainErrorMixin, FormView):
    template_name = "risks/point_form.html"
    form_class = PointCreateForm
    success_message = _("已添加风险点，请进行风险评价。")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(MANAGE):
            raise PermissionDenied(_("您没有管理风险台账的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = dict(form.cleaned_data)
        school = data.pop("school")
        return services.create_point(school, actor=self.request.user, **data)

    def get_success_url(self):
        return self.result.get_absolute_url()


# --- the four-colour map --------------------------------------------------------------------


def _visible_school(request, school_id) -> School:
    return get_object_or_404(School.objects.visible_to(request.user), pk=school_id)


class MapView(LoginRequiredMixin, TemplateView):
    """The school's four-colour map: its site plan with the points coloured by grade and
    its open hazards' points marked; printable (A4 landscape)."""

    template_name = "risks/map.html"

    def get_context_data(self, **kwargs):
        school = _visible_school(self.request, self.kwargs["school_id"])
        plan = SitePlan.objects.filter(school=school).first()
        open_hazards = Count(
            "hazard_links", filter=Q(hazard_links__hazard__status__in=Hazard.OPEN_STATUSES)
        )
        points = list(
            RiskPoint.objects.filter(school=school).active().annotate(open_hazards=open_hazards)
        )
        for point in points:
            if plan and point.is_placed:
                point.cx = float(point.plan_x) * plan.width / 100
                point.cy = float(point.plan_y) * plan.height / 100
        may_manage = self.request.user.has_perm(MANAGE, school)
        return super().get_context_data(
            school=school,
            plan=plan,
            points=points,
            placed=[p for p in points if plan and p.is_placed],
            radius=max(plan.width, plan.height) / 60 if plan else 0,
            ring=max(plan.width, plan.height) / 40 if plan else 0,
            legend=[(g, GRADE_COLOURS[g]) for g in GRADE_ORDER],
            may_manage=may_manage,
            plan_form=SitePlanForm() if may_manage else None,
            place_form=PlaceForm(school=school) if may_manage and plan else None,
            today=timezone.localdate(),
            **kwargs,
        )


class SchoolActionView(LoginRequiredMixin, DomainErrorMixin, FormView):
    """A form on one school's register (upload the plan, place a point, the starter set)."""

    template_name = "risks/action_form.html"
    heading = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.school = _visible_school(request, kwargs["school_id"])
        if not request.user.has_perm(MANAGE, self.school):
            raise PermissionDenied(_("您没有管理该校风险台账的权限。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(school=self.school, heading=self.heading, **kwargs)

    def get_success_url(self):
        return reverse("risk-map", args=[self.school.pk])


class SitePlanUploadView(SchoolActionView):
    form_class = SitePlanForm
    heading = _("上传学校平面图")
    success_message = _("已上传平面图。")

    def perform(self, form):
        return services.upload_site_plan(
            self.school, actor=self.request.user, upload=form.cleaned_data["image"]
        )


class PlaceView(SchoolActionView):
    form_class = PlaceForm
    heading = _("标注风险点位置")
    success_message = _("已标注：%(result)s")
    field_aliases = {"plan_x": "plan_x", "plan_y": "plan_y"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "school": self.school}

    def perform(self, form):
        data = form.cleaned_data
        point = services.place_point(
            data["point"], actor=self.request.user, x=data["plan_x"], y=data["plan_y"]
        )
        return point.name


class StarterView(SchoolActionView):
    """POST: add the starter points of the school's type that it lacks."""

    heading = _("导入风险点初始清单")

    def get_form_class(self):
        from django import forms

        return forms.Form

    def perform(self, form):
        return len(
            services.apply_starter_set(
                self.school, actor=self.request.user, today=timezone.localdate()
            )
        )

    success_message = _("已导入 %(result)s 个风险点。")

    def get_success_url(self):
        return reverse("risk-register") + f"?school={self.school.pk}"


class SitePlanImageView(PrivateFileView):
    """The site plan image, for users who may see its school."""

    def get_file(self):
        plan = (
            SitePlan.objects.visible_to(self.request.user).filter(uuid=self.kwargs["uuid"]).first()
        )
        if plan is None:
            raise Http404
        return plan.image


# --- analytics ------------------------------------------------------------------------------


def analytics_params(request) -> Params:
    """The period from the query string (``year``, ``by``); bad values fall back to the
    defaults (this year, by school)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    by = request.GET.get("by", "school")
    if by not in analytics.DIMENSIONS:
        by = "school"
    return Params(year=year, today=today, by=by)


class AnalyticsView(LoginRequiredMixin, TemplateView):
    """Every series of the user's schools for a year: a chart where one helps, always the
    table, and an Excel export of each."""

    template_name = "risks/analytics.html"

    def get_context_data(self, **kwargs):
        params = analytics_params(self.request)
        ids = self.request.user.school_ids()
        sections = []
        for series in SERIES.values():
            rows = rows_of(series, ids, params)
            sections.append({"series": series, "table": table(series, rows), "rows": rows})
        hot = next(s for s in sections if s["series"].key == "hot-spots")
        return super().get_context_data(
            params=params,
            sections=sections,
            heat=analytics.heat_map(hot["rows"]),
            supported=analytics.supported(),
            years=range(params.today.year, params.today.year - 5, -1),
            dimensions=[("school", _("学校")), ("category", _("类别")), ("level", _("等级"))],
            charts=_charts(sections),
            **kwargs,
        )


def _charts(sections) -> dict:
    """The chart data the page's script draws (json_script): labels and one or two lines."""
    by_key = {s["series"].key: s["rows"] for s in sections}
    years = sorted({r["year"] for r in by_key["year-over-year"]})
    return {
        "overdue": {
            "labels": [r["month"].strftime("%Y-%m") for r in by_key["overdue-rate"]],
            "values": [r["rate"] for r in by_key["overdue-rate"]],
            "label": _("逾期率（%）"),
        },
        "close": {
            "labels": [r["month"].strftime("%Y-%m") for r in by_key["close-trend"]],
            "values": [r["close_median"] for r in by_key["close-trend"]],
            "label": _("销号用时中位数（天）"),
        },
        "yoy": {
            "labels": list(range(1, 13)),
            "sets": [
                {
                    "label": str(year),
                    "values": [
                        next(
                            (
                                r["found"]
                                for r in by_key["year-over-year"]
                                if r["year"] == year and r["month"] == m
                            ),
                            0,
                        )
                        for m in range(1, 13)
                    ],
                }
                for year in years
            ],
        },
    }


class AnalyticsExportView(LoginRequiredMixin, View):
    """One series of the analytics page as an .xlsx file (the same rows as its table)."""

    def get(self, request, key):
        series = SERIES.get(key)
        if series is None:
            raise Http404
        params = analytics_params(request)
        rows = rows_of(series, request.user.school_ids(), params)
        response = HttpResponse(
            to_xlsx(series, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = f"risk-{key}-{params.year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

"""HTML pages of the sealed mental-health domain under /wellbeing/.

Files (list, detail, the forms on them) open to the school's counsellors only; anyone else
gets 403 (a file of another school: 404). The bureau reads counts (``wellbeing-counts``).
Break-glass: a principal of the school or a bureau admin types a reason, the read is logged
and the counsellors told, and only then is the file shown, in that one response.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from core.views import DomainErrorMixin, RecordCreateView, RecordListView
from schools.forms import RecordFilterForm

from . import services
from .forms import (
    BreakGlassForm,
    BullyingCloseForm,
    BullyingForm,
    LevelForm,
    PlanForm,
    RecordOpenForm,
    ReferralForm,
    ScreeningForm,
    ScreeningImportForm,
)
from .imports import import_screenings
from .models import BreakGlassAccess, BullyingCase, StudentRecord
from .selectors import counts_table


class PermissionMixin(LoginRequiredMixin):
    """403 unless the user has ``permission`` (asked without an object: for some school)."""

    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(self.permission):
            raise PermissionDenied(_("您没有查看此页面的权限。"))
        return super().dispatch(request, *args, **kwargs)


def record_context(record: StudentRecord) -> dict:
    """What a file's page shows (the counsellor's page and a break-glass read alike)."""
    return {
        "record": record,
        "student": record.student,
        "screenings": list(record.screenings.select_related("instrument")),
        "referrals": list(record.referrals.all()),
        "changes": list(record.level_changes.select_related("from_level", "to_level")),
    }


def _records(user):
    return StudentRecord.objects.visible_to(user).select_related(
        "student__school_class", "school", "level"
    )


class FileListView(PermissionMixin, TemplateView):
    """心理档案: the files of the counsellor's schools, by class and student number."""

    template_name = "wellbeing/record_list.html"
    permission = "wellbeing.view_record"

    def get_context_data(self, **kwargs):
        return super().get_context_data(records=list(_records(self.request.user)), **kwargs)


class RecordOpenView(PermissionMixin, DomainErrorMixin, FormView):
    """建立心理档案 for a student of the counsellor's schools."""

    template_name = "wellbeing/form.html"
    form_class = RecordOpenForm
    permission = "wellbeing.manage_record"
    extra_context = {"heading": gettext_lazy("建立心理档案")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        return services.open_record(form.cleaned_data["student"], actor=self.request.user)

    def get_success_url(self):
        return reverse("wellbeing-record", args=[self.result.pk])


class RecordDetailView(PermissionMixin, TemplateView):
    """One file with its forms (level, plan); out of scope 404."""

    template_name = "wellbeing/record_detail.html"
    permission = "wellbeing.view_record"

    def get_context_data(self, **kwargs):
        record = get_object_or_404(_records(self.request.user), pk=self.kwargs["pk"])
        return super().get_context_data(
            **record_context(record),
            level_form=LevelForm(initial={"level": record.level_id}),
            plan_form=PlanForm(initial={"plan": record.plan}),
            may_manage=self.request.user.has_perm("wellbeing.manage_record", record),
            **kwargs,
        )


class RecordActionView(PermissionMixin, DomainErrorMixin, FormView):
    """A form about one file handed to one service; back to the file after it."""

    permission = "wellbeing.manage_record"
    template_name = "wellbeing/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.record = get_object_or_404(_records(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=self.record, cancel_url=self.get_success_url(), **kwargs
        )

    def get_success_url(self):
        return reverse("wellbeing-record", args=[self.record.pk])


class LevelView(RecordActionView):
    form_class = LevelForm
    success_message = gettext_lazy("预警等级已更新。")
    extra_context = {"heading": gettext_lazy("设定预警等级")}

    def perform(self, form):
        return services.set_level(
            self.record,
            actor=self.request.user,
            level=form.cleaned_data["level"],
            now=timezone.now(),
        )


class PlanView(RecordActionView):
    form_class = PlanForm
    success_message = gettext_lazy("跟进方案已保存。")
    extra_context = {"heading": gettext_lazy("跟进方案")}

    def perform(self, form):
        return services.update_plan(
            self.record, actor=self.request.user, plan=form.cleaned_data["plan"]
        )


class ScreeningView(RecordActionView):
    form_class = ScreeningForm
    success_message = gettext_lazy("测评结果已录入。")
    extra_context = {"heading": gettext_lazy("录入测评结果")}

    def perform(self, form):
        return services.record_screening(self.record, actor=self.request.user, **form.cleaned_data)


class ReferralView(RecordActionView):
    form_class = ReferralForm
    success_message = gettext_lazy("转介已登记。")
    extra_context = {"heading": gettext_lazy("登记转介")}

    def perform(self, form):
        return services.add_referral(self.record, actor=self.request.user, **form.cleaned_data)


class ScreeningImportView(PermissionMixin, DomainErrorMixin, FormView):
    """导入测评结果: one class's sheet, all rows or none (``imports.import_screenings``)."""

    template_name = "wellbeing/form.html"
    form_class = ScreeningImportForm
    permission = "wellbeing.manage_record"
    extra_context = {"heading": gettext_lazy("导入测评结果")}
    success_message = gettext_lazy("已导入 %(result)s 条测评结果。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        return import_screenings(
            data["school_class"],
            actor=self.request.user,
            instrument=data["instrument"],
            date=data["date"],
            content=data["file"].read(),
        )

    def get_success_url(self):
        return reverse("wellbeing-records")


class BreakGlassView(PermissionMixin, FormView):
    """紧急查阅: GET shows the reason form only; a POST with a reason logs the read, tells the
    counsellors and shows the file in this response (nothing is shown without a reason)."""

    template_name = "wellbeing/break_glass.html"
    form_class = BreakGlassForm
    permission = "wellbeing.break_glass"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Scope by the user's schools (a bureau admin: all); a record of another school 404.
            ids = request.user.school_ids()
            records = StudentRecord.objects.select_related("student__school_class", "school")
            if ids is not None:
                records = records.filter(school_id__in=ids)
            self.record = get_object_or_404(records, pk=kwargs["pk"])
            if not request.user.has_perm("wellbeing.break_glass", self.record):
                raise PermissionDenied(_("您不能紧急查阅该档案。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(record_id=self.record.pk, **kwargs)

    def form_valid(self, form):
        try:
            access = services.break_glass(
                self.record,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except services.DomainError as exc:
            form.add_error("reason", str(exc.message))
            return self.form_invalid(form)
        context = record_context(self.record)
        return self.render_to_response(
            self.get_context_data(form=form, access=access, shown=True, **context)
        )


class AccessLogView(PermissionMixin, TemplateView):
    """紧急查阅记录 (read-only): the school's counsellors and bureau admins."""

    template_name = "wellbeing/access_log.html"
    permission = "wellbeing.view_access_log"

    def get_context_data(self, **kwargs):
        rows = BreakGlassAccess.objects.visible_to(self.request.user).select_related(
            "user", "record__school"
        )[:200]
        return super().get_context_data(rows=list(rows), **kwargs)


class CountsView(PermissionMixin, TemplateView):
    """心理健康统计: files by school and warning level, no names."""

    template_name = "wellbeing/counts.html"
    permission = "wellbeing.view_counts"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**counts_table(self.request.user), **kwargs)


class BullyingListView(RecordListView):
    template_name = "wellbeing/bullying_list.html"
    model = BullyingCase
    filter_form_class = RecordFilterForm
    view_permission = "wellbeing.view_bullying"
    create_permission = "wellbeing.record_bullying"

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class BullyingCreateView(RecordCreateView):
    template_name = "wellbeing/bullying_form.html"
    form_class = BullyingForm
    service = services.report_bullying
    success_url_name = "bullying-list"
    success_message = gettext_lazy("欺凌事件已登记，调查须在 10 日内完成。")
    create_permission = "wellbeing.record_bullying"


class BullyingCloseView(PermissionMixin, DomainErrorMixin, FormView):
    template_name = "wellbeing/form.html"
    form_class = BullyingCloseForm
    permission = "wellbeing.record_bullying"
    success_message = gettext_lazy("欺凌事件已结案。")
    extra_context = {"heading": gettext_lazy("调查结论")}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            cases = BullyingCase.objects.visible_to(request.user)
            self.case = get_object_or_404(cases, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=reverse("bullying-list"), **kwargs)

    def perform(self, form):
        return services.close_bullying(
            self.case, actor=self.request.user, today=timezone.localdate(), **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("bullying-list")


def index(request):
    """/wellbeing/: counsellors to their files, others to the counts."""
    if request.user.has_perm("wellbeing.view_record"):
        return redirect("wellbeing-records")
    return redirect("wellbeing-counts")

"""Forms of the drill, plan and incident pages: shape only; the rules are in
``drills.services``.

``cleaned_data`` keys are the keyword arguments of the service, school first, so the view
calls ``service(data.pop("school"), actor=user, **data)``.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateField, PhotosField, model_field
from hazards.models import Hazard
from schools.forms import RecordFilterForm, SchoolRecordForm

from .models import Drill, DrillProblem, EmergencyPlan, Incident, PlanVersion

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _aware(day: datetime.date | None, time: datetime.time | None) -> datetime.datetime | None:
    """The Beijing ``day`` at ``time`` as an aware datetime (None without a time)."""
    if day is None or time is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, time))


class DrillForm(SchoolRecordForm):
    """登记应急演练: the arguments of ``services.record_drill``; the signal and completion
    times of the day become ``signal_at`` / ``completed_at``."""

    title = model_field(Drill, "title")
    drill_type = forms.ChoiceField(
        choices=[("", _("请选择"))] + Drill.DrillType.choices, label=_("演练类型")
    )
    mode = forms.ChoiceField(
        choices=Drill.Mode.choices, label=_("方式"), initial=Drill.Mode.ANNOUNCED
    )
    style = forms.ChoiceField(
        choices=Drill.Style.choices, label=_("演练类别"), initial=Drill.Style.LIVE, required=False
    )
    plan_version = forms.ModelChoiceField(
        queryset=PlanVersion.objects.none(), label=_("依据预案版本"), required=False
    )
    # Label, bounds (core.bounds, core.years) and default come from the model field.
    date = model_field(Drill, "date", initial=timezone.localdate)
    signal_time = forms.TimeField(
        label=_("发出信号时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    completed_time = forms.TimeField(
        label=_("全部疏散完成时间"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "step": 1}),
    )
    evacuation_seconds = model_field(Drill, "evacuation_seconds")
    building = model_field(Drill, "building")
    students_expected = model_field(Drill, "students_expected")
    student_participants = model_field(Drill, "student_participants", label=_("实到学生数"))
    staff_expected = model_field(Drill, "staff_expected")
    staff_participants = model_field(Drill, "staff_participants", label=_("实到教职工数"))
    missing_count = model_field(Drill, "missing_count", required=False)
    injured_count = model_field(Drill, "injured_count", required=False)
    headcount_note = model_field(Drill, "headcount_note")
    commander = model_field(Drill, "commander")
    teams = model_field(Drill, "teams", widget=forms.Textarea(attrs={"rows": 2}))
    outside_support = model_field(Drill, "outside_support")
    rating_plan_fit = model_field(Drill, "rating_plan_fit")
    rating_adequacy = model_field(Drill, "rating_adequacy")
    rating_staff = model_field(Drill, "rating_staff")
    rating_proficiency = model_field(Drill, "rating_proficiency")
    rating_supplies = model_field(Drill, "rating_supplies")
    rating_safety = model_field(Drill, "rating_safety")
    notes = forms.CharField(
        label=_("过程记录与评估"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    problems = forms.CharField(
        label=_("存在问题"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("每行一个问题；登记后可在演练详情页一键转为隐患。"),
    )
    improvements = model_field(Drill, "improvements", widget=forms.Textarea(attrs={"rows": 2}))
    plan_revision_needed = model_field(Drill, "plan_revision_needed")
    photos = PhotosField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        plans = EmergencyPlan.objects.visible_to(user)
        self.fields["plan_version"].queryset = (
            PlanVersion.objects.filter(plan__in=plans, approved_on__isnull=False)
            .select_related("plan__school")
            .order_by("plan__school", "plan__kind", "-number")
        )

    def clean_style(self):
        return self.cleaned_data["style"] or Drill.Style.LIVE

    def clean_problems(self):
        lines = [line.strip() for line in self.cleaned_data["problems"].splitlines()]
        limit = DrillProblem._meta.get_field("description").max_length
        if any(len(line) > limit for line in lines):
            raise forms.ValidationError(_("每条问题不超过 %(limit)d 个字。") % {"limit": limit})
        return [line for line in lines if line]

    def clean(self):
        data = super().clean()
        day = data.get("date")
        data["signal_at"] = _aware(day, data.pop("signal_time", None))
        data["completed_at"] = _aware(day, data.pop("completed_time", None))
        return data


class ProblemHazardForm(forms.Form):
    category = forms.ChoiceField(choices=Hazard.Category.choices, label=_("隐患类别"))


class PlanForm(SchoolRecordForm):
    """新建应急预案: ``services.create_plan``."""

    kind = forms.ChoiceField(
        choices=[("", _("请选择"))] + Drill.DrillType.choices, label=_("预案类别")
    )
    title = model_field(EmergencyPlan, "title", required=False)


class PlanVersionForm(forms.Form):
    """上传预案版本: ``services.add_plan_version``."""

    file = forms.FileField(
        label=_("预案文件"),
        help_text=_("PDF 或 Word（.docx）文档"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,application/pdf," + DOCX_TYPE}
        ),
    )
    approved_on = DateField(label=_("审批日期"), required=False)
    approver = model_field(PlanVersion, "approver")
    notes = model_field(PlanVersion, "notes")


class IncidentForm(SchoolRecordForm):
    """报告安全事故: ``services.report_incident``. Names: one per line, "姓名" or
    "姓名，伤情"."""

    occurred_at = forms.DateTimeField(
        label=_("发生时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = model_field(Incident, "place")
    kind = forms.ChoiceField(choices=[("", _("请选择"))] + Incident.Kind.choices, label=_("类别"))
    level = forms.ChoiceField(choices=Incident.Level.choices, label=_("级别"), initial="4")
    summary = model_field(Incident, "summary", widget=forms.Textarea(attrs={"rows": 3}))
    students_involved = model_field(Incident, "students_involved")
    staff_involved = model_field(Incident, "staff_involved")
    injured = model_field(Incident, "injured")
    deaths = model_field(Incident, "deaths")
    first_measures = model_field(
        Incident, "first_measures", widget=forms.Textarea(attrs={"rows": 2})
    )
    plan = forms.ModelChoiceField(
        queryset=EmergencyPlan.objects.none(), label=_("启动的应急预案"), required=False
    )
    people = forms.CharField(
        label=_("涉事人员姓名（仅本校和教体局管理员可见）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("每行一人：姓名，伤情"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["plan"].queryset = EmergencyPlan.objects.visible_to(user).select_related(
            "school"
        )

    def clean_people(self):
        rows = []
        for line in self.cleaned_data["people"].splitlines():
            name, _sep, injury = line.replace(",", "，").partition("，")
            if name.strip():
                rows.append({"name": name.strip()[:50], "injury": injury.strip()[:200]})
        return rows


class IncidentActionForm(forms.Form):
    text = forms.CharField(label=_("处置情况"), max_length=500)
    at = forms.DateTimeField(
        label=_("时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class WrittenReportForm(forms.Form):
    text = forms.CharField(label=_("书面报告"), widget=forms.Textarea(attrs={"rows": 4}))


class CloseIncidentForm(forms.Form):
    cause = forms.CharField(label=_("原因分析"), widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("整改措施"), widget=forms.Textarea(attrs={"rows": 2}))
    lessons = forms.CharField(
        label=_("经验教训"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    plan_changes = forms.BooleanField(label=_("需修订预案"), required=False)


class ComplianceFilterForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100, required=False)


class DrillFilterForm(RecordFilterForm):
    """The drill list's filter: school, year, dates, type, mode and style (the dashboard's
    figures by type, unannounced and tabletop/discussion drills link here)."""

    choice_filters = ("drill_type", "mode", "style")
    drill_type = forms.ChoiceField(
        label=_("演练类型"), choices=[("", _("全部")), *Drill.DrillType.choices], required=False
    )
    mode = forms.ChoiceField(
        label=_("方式"), choices=[("", _("全部")), *Drill.Mode.choices], required=False
    )
    style = forms.MultipleChoiceField(
        label=_("演练类别"),
        choices=Drill.Style.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PlannedDrillForm(SchoolRecordForm):
    """制定演练计划: ``services.plan_drill``."""

    drill_type = forms.ChoiceField(
        choices=[("", _("请选择"))] + Drill.DrillType.choices, label=_("演练类型")
    )
    mode = forms.ChoiceField(choices=Drill.Mode.choices, label=_("方式"))
    style = forms.ChoiceField(choices=Drill.Style.choices, label=_("演练类别"))
    planned_on = DateField(label=_("计划日期"))
    is_night = forms.BooleanField(label=_("夜间演练"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

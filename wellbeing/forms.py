"""Forms of the wellbeing pages: shape only; the rules are in ``wellbeing.services``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateField
from schools.forms import SchoolRecordForm
from schools.models import SchoolClass, Student

from .models import BullyingCase, Instrument, WarningLevel


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class RecordOpenForm(StyledForm):
    """建立心理档案: a student of the counsellor's schools (another school's is a form error)."""

    student = forms.ModelChoiceField(queryset=Student.objects.none(), label=_("学生"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        students = Student.objects.visible_to(user).active().select_related("school_class")
        self.fields["student"].queryset = students
        self.fields["student"].label_from_instance = lambda s: (
            f"{s.school_class} {s.student_number} {s.name}"
        )


class ScreeningForm(StyledForm):
    instrument = forms.ModelChoiceField(
        queryset=Instrument.objects.filter(is_active=True), label=_("量表")
    )
    date = DateField(label=_("测评日期"), initial=timezone.localdate)
    score = forms.DecimalField(label=_("得分"), max_digits=6, decimal_places=2)
    details = forms.CharField(
        label=_("测评详情"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class LevelForm(StyledForm):
    level = forms.ModelChoiceField(
        queryset=WarningLevel.objects.filter(is_active=True),
        label=_("预警等级"),
        required=False,
        empty_label=_("无预警"),
    )


class PlanForm(StyledForm):
    plan = forms.CharField(
        label=_("跟进方案"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ReferralForm(StyledForm):
    institution = forms.CharField(label=_("转介机构"), max_length=100)
    referred_on = DateField(label=_("转介日期"), initial=timezone.localdate)
    follow_up_on = DateField(label=_("回访日期"), required=False)
    notes = forms.CharField(
        label=_("转介记录"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class BreakGlassForm(StyledForm):
    reason = forms.CharField(
        label=_("查阅理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("紧急查阅将被记录（查阅人、时间、理由、内容），并通知本校心理教师。"),
    )


class BullyingForm(SchoolRecordForm):
    date = DateField(label=_("报告日期"), initial=timezone.localdate)
    investigation_started_on = DateField(label=_("调查开始日期"), required=False)
    participants = forms.IntegerField(label=_("涉及学生数"), min_value=1, max_value=1000)
    summary = forms.CharField(label=_("情况摘要"), widget=forms.Textarea(attrs={"rows": 4}))


class BullyingCloseForm(StyledForm):
    outcome = forms.ChoiceField(label=_("认定结果"), choices=BullyingCase.Outcome.choices)
    outcome_notes = forms.CharField(
        label=_("处理情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ScreeningImportForm(StyledForm):
    school_class = forms.ModelChoiceField(queryset=SchoolClass.objects.none(), label=_("班级"))
    instrument = forms.ModelChoiceField(
        queryset=Instrument.objects.filter(is_active=True), label=_("量表")
    )
    date = DateField(label=_("测评日期"), initial=timezone.localdate)
    file = forms.FileField(
        label=_("Excel 文件"),
        help_text=_("一个班级一个文件：列为 学号、得分、详情（可空）。任一行有误则整表不导入。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        classes = SchoolClass.objects.visible_to(user).filter(is_active=True)
        self.fields["school_class"].queryset = classes.select_related("school")
        self.fields["school_class"].label_from_instance = lambda c: f"{c.school.name} {c.name}"

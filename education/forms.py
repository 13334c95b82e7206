"""Forms of the education pages: shape only; the rules are in ``education.services``."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import PhotosField, model_field
from schools.forms import RecordFilterForm, SchoolRecordForm
from schools.models import School, SchoolClass

from .models import CounsellingSession, EducationActivity, StaffTraining


class ActivityForm(SchoolRecordForm):
    """登记安全教育活动: the arguments of ``services.record_activity``."""

    kind = forms.ChoiceField(
        choices=[("", _("请选择"))] + EducationActivity.Kind.choices, label=_("形式")
    )
    topic = forms.ChoiceField(
        choices=EducationActivity.Topic.choices,
        label=_("主题"),
        initial=EducationActivity.Topic.GENERAL,
    )
    title = forms.CharField(label=_("名称"), max_length=200)
    date = model_field(EducationActivity, "date", initial=timezone.localdate)
    participants = model_field(EducationActivity, "participants")
    classes = forms.ModelMultipleChoiceField(
        queryset=SchoolClass.objects.none(),
        label=_("参加班级"),
        required=False,
        help_text=_("不选表示全校各班参加。"),
    )
    receipts_signed = model_field(EducationActivity, "receipts_signed", required=False)
    photos = PhotosField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        classes = SchoolClass.objects.visible_to(user).filter(is_active=True)
        self.fields["classes"].queryset = classes.select_related("school")
        if not self.single_school:
            self.fields["classes"].label_from_instance = lambda c: f"{c.school.name} {c.name}"
        self.fields["classes"].widget.attrs["size"] = 8

    def clean(self):
        data = super().clean()
        school, classes = data.get("school"), data.get("classes") or []
        if school and any(c.school_id != school.pk for c in classes):
            self.add_error("classes", _("参加班级须是所选学校的班级。"))
        return data


class CounsellingForm(SchoolRecordForm):
    """登记心理辅导: the arguments of ``services.record_counselling``. The service checks
    that an individual session has a student code and a group at least 2 participants."""

    kind = forms.ChoiceField(
        choices=CounsellingSession.Kind.choices,
        label=_("类型"),
        initial=CounsellingSession.Kind.INDIVIDUAL,
    )
    date = model_field(CounsellingSession, "date", initial=timezone.localdate)
    student_code = forms.CharField(
        label=_("学生编号"),
        max_length=40,
        required=False,
        help_text=_("个体辅导填写心理档案中的学生编号，不填姓名；团体辅导不填。"),
    )
    participants = model_field(
        CounsellingSession,
        "participants",
        min_value=1,
        required=False,
        initial=None,
        help_text=_("个体辅导为 1；团体辅导至少 2。"),
    )
    notes = forms.CharField(
        label=_("辅导记录"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class TrainingForm(SchoolRecordForm):
    """登记教职工安全培训: the arguments of ``services.record_training``."""

    title = forms.CharField(label=_("培训内容"), max_length=200)
    date = model_field(StaffTraining, "date", initial=timezone.localdate)
    hours = forms.DecimalField(
        label=_("学时"), min_value=Decimal("0.5"), max_value=100, decimal_places=1
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), label=_("参训人员"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        schools = School.objects.visible_to(user)
        staff = User.objects.filter(is_active=True, schools__in=schools).distinct()
        self.fields["attendees"].queryset = staff.order_by("username")
        self.fields["attendees"].widget.attrs["size"] = 8


class ActivityFilterForm(RecordFilterForm):
    """The activity list's filter: school, year, dates and kind (the dashboard's figures by
    kind link here)."""

    choice_filters = ("kind",)
    kind = forms.ChoiceField(
        label=_("形式"),
        choices=[("", _("全部")), *EducationActivity.Kind.choices],
        required=False,
    )

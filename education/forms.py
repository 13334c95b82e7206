"""Forms of the education pages: shape only; the rules are in ``education.services``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import model_field
from schools.forms import SchoolRecordForm

from .models import CounsellingSession, EducationActivity


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

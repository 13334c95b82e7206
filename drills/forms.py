"""Forms of the drill pages: shape only; the rules are in ``drills.services``.

``cleaned_data`` keys are the keyword arguments of the service, school first, so the view
calls ``service(data.pop("school"), actor=user, **data)``. ``SchoolRecordForm`` and
``RecordFilterForm`` are shared with the education pages.
"""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hazards.forms import style_form
from schools.models import School

from .models import Drill


def date_input():
    """A date field widget that opens the phone's date picker."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchoolRecordForm(forms.Form):
    """A record of one school: ``school`` limited to the user's scope (a value outside it is
    a form error), hidden when the user has exactly one school."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("学校"), empty_label=_("请选择学校"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.visible_to(user).active()
        self.fields["school"].queryset = schools
        only = list(schools[:2])
        self.single_school = only[0] if len(only) == 1 else None
        if self.single_school:
            self.fields["school"].initial = self.single_school.pk
            self.fields["school"].widget = forms.HiddenInput()
        style_form(self)


class DrillForm(SchoolRecordForm):
    """登记应急演练: the arguments of ``services.record_drill``."""

    drill_type = forms.ChoiceField(choices=[("", _("请选择"))] + Drill.DrillType.choices, label=_("演练类型"))
    mode = forms.ChoiceField(choices=Drill.Mode.choices, label=_("方式"), initial=Drill.Mode.ANNOUNCED)
    date = forms.DateField(label=_("演练日期"), widget=date_input(), initial=timezone.localdate)
    student_participants = forms.IntegerField(label=_("参演学生数"), min_value=0, initial=0)
    staff_participants = forms.IntegerField(label=_("参演教职工数"), min_value=0, initial=0)
    evacuation_seconds = forms.IntegerField(label=_("疏散用时（秒）"), min_value=0, required=False)
    notes = forms.CharField(label=_("过程记录与评估"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class RecordFilterForm(forms.Form):
    """Filter of a record list: school (of the user's scope) and calendar year."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), label=_("学校"), required=False,
                                    empty_label=_("全部学校"))
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.visible_to(user)
        style_form(self)

    def filter(self, queryset):
        """``queryset`` narrowed by the valid filters; none when the filter is invalid."""
        if not self.is_valid():
            return queryset.none()
        if self.cleaned_data["school"]:
            queryset = queryset.filter(school=self.cleaned_data["school"])
        if self.cleaned_data["year"]:
            queryset = queryset.filter(date__year=self.cleaned_data["year"])
        return queryset

"""Form pieces of every school-owned record: the school field limited to the user's scope
(``SchoolRecordForm``) and the filter of a record list by school and year
(``RecordFilterForm``, the ``filter_form_class`` of ``core.views.RecordListView``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateField
from core.years import FIRST_YEAR, LAST_YEAR

from .models import School


class SchoolRecordForm(forms.Form):
    """A record of one school: ``school`` limited to the user's scope (a value outside it is
    a form error), hidden when the user has exactly one school."""

    school = forms.ModelChoiceField(
        queryset=School.objects.none(), label=_("学校"), empty_label=_("请选择学校")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.visible_to(user).active()
        self.fields["school"].queryset = schools
        only = list(schools[:2])
        self.single_school = only[0] if len(only) == 1 else None
        if self.single_school:
            self.fields["school"].initial = self.single_school.pk
            self.fields["school"].widget = forms.HiddenInput()


class RecordFilterForm(forms.Form):
    """Filter of a record list: school (of the user's scope), calendar year, a date range
    (the dashboard's school-year links) and, in subclasses, the fields named in
    ``choice_filters`` (a value: that value; a list: any of them)."""

    choice_filters: tuple[str, ...] = ()

    school = forms.ModelChoiceField(
        queryset=School.objects.none(), label=_("学校"), required=False, empty_label=_("全部学校")
    )
    year = forms.IntegerField(
        label=_("年份"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )
    date_after = DateField(label=_("起始日期"), required=False)
    date_before = DateField(label=_("截止日期"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.visible_to(user)

    def filter(self, queryset):
        """``queryset`` narrowed by the valid filters; none when the filter is invalid."""
        if not self.is_valid():
            return queryset.none()
        if self.cleaned_data["school"]:
            queryset = queryset.filter(school=self.cleaned_data["school"])
        data = self.cleaned_data
        if data["year"]:
            queryset = queryset.filter(date__year=data["year"])
        if data["date_after"]:
            queryset = queryset.filter(date__gte=data["date_after"])
        if data["date_before"]:
            queryset = queryset.filter(date__lte=data["date_before"])
        for name in self.choice_filters:
            value = data.get(name)
            if isinstance(value, list) and value:
                queryset = queryset.filter(**{f"{name}__in": value})
            elif value:
                queryset = queryset.filter(**{name: value})
        return queryset

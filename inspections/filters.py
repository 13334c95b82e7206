"""The FilterSets of inspections and rounds, shared by the API and the HTML lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm
from schools.models import Department, School

from .models import CrossInspectionRound, Inspection


def _visible_schools(request):
    if request is None:
        return School.objects.none()
    return School.objects.visible_to(request.user)


def visible_rounds(request):
    """The rounds the filter offers: those the user sees (no draft names for schools)."""
    if request is None:  # the schema generator
        return CrossInspectionRound.objects.none()
    return CrossInspectionRound.objects.visible_to(request.user)


class InspectionFilter(django_filters.FilterSet):
    """Filters: kind, school (inspected), department, date range, status, overdue, round.
    An unknown choice is a 400 in the API and a form error in HTML."""

    kind = django_filters.MultipleChoiceFilter(
        choices=Inspection.Kind.choices, distinct=False, label=_("检查类型")
    )
    school = django_filters.ModelChoiceFilter(queryset=_visible_schools, label=_("受检学校"))
    department = django_filters.ModelChoiceFilter(
        field_name="departments", queryset=Department.objects.all(), label=_("参检部门")
    )
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("检查日期起")
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("检查日期止")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Inspection.Status.choices, distinct=False, label=_("状态")
    )
    # A choice, not a BooleanFilter: an unknown value must be a 400.
    overdue = django_filters.ChoiceFilter(
        choices=[("true", _("是")), ("false", _("否"))], method="filter_overdue", label=_("逾期")
    )
    round = django_filters.ModelChoiceFilter(queryset=visible_rounds, label=_("互查轮次"))

    class Meta:
        form = FilterForm
        model = Inspection
        fields = ["kind", "school", "department", "status", "round"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue()
        return overdue if value == "true" else queryset.exclude(pk__in=overdue.values("pk"))


class RoundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=CrossInspectionRound.Status.choices, label=_("状态")
    )

    class Meta:
        form = FilterForm
        model = CrossInspectionRound
        fields = ["status"]

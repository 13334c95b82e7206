"""FilterSets of key-period supervision, shared by the API and the HTML lists. A bad value
(an unknown status, a malformed date) is a validation error: HTTP 400 in the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm
from schools.filters import visible_school_filter

from .models import CheckIn, Patrol, RollKind


class PatrolFilter(django_filters.FilterSet):
    """Filters: school, status, date_from, date_to."""

    school = visible_school_filter()
    status = django_filters.ChoiceFilter(choices=Patrol.Status.choices, label=_("状态"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("起始日期"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("截止日期"))

    class Meta:
        form = FilterForm
        model = Patrol
        fields = ["school", "status"]


class CheckInFilter(django_filters.FilterSet):
    """Filters: school, school_class, date, kind, status."""

    school = visible_school_filter("roll__school_class__school")
    school_class = django_filters.NumberFilter(field_name="roll__school_class", label=_("班级"))
    date = django_filters.DateFilter(label=_("日期"))
    kind = django_filters.ChoiceFilter(choices=RollKind.choices, label=_("类型"))
    status = django_filters.ChoiceFilter(choices=CheckIn.Status.choices, label=_("状态"))

    class Meta:
        form = FilterForm
        model = CheckIn
        fields = ["school", "date", "kind", "status"]

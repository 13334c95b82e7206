"""The one FilterSet of the school list, shared by the API and any HTML list; and the
``school`` filter every school-owned list uses (``visible_school_filter``)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm

from .models import School


def visible_schools(request):
    """The schools the request's user may see (none without a request)."""
    if request is None:
        return School.objects.none()
    return School.objects.visible_to(request.user)


def visible_school_filter(field_name: str = "school") -> django_filters.ModelChoiceFilter:
    """``?school=ID`` limited to the user's schools: an unknown id or a school outside the
    scope is a validation error (HTTP 400, "选择一个有效的选项"), as on the hazard ledger —
    never silently ignored or answered with an empty list."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name, queryset=visible_schools, label=_("学校")
    )


class SchoolFilter(django_filters.FilterSet):
    """Filters: town, school_type, is_boarding, q (part of the name).

    An unknown choice (``town=foo``) is a validation error: HTTP 400 in the API.
    """

    town = django_filters.ChoiceFilter(choices=School.Town.choices, label=_("所属镇/苏木"))
    school_type = django_filters.ChoiceFilter(
        choices=School.SchoolType.choices, label=_("办学类型")
    )
    is_boarding = django_filters.BooleanFilter(label=_("寄宿制"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("学校名称"))

    class Meta:
        form = FilterForm
        model = School
        fields = ["town", "school_type", "is_boarding"]

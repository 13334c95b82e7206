"""The one FilterSet of the school list, shared by the API and any HTML list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import School


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
        model = School
        fields = ["town", "school_type", "is_boarding"]

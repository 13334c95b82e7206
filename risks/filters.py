"""The FilterSets of the risk register's API lists (school, grade, category; an
assessment's point and school). An unknown choice is a 400."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm
from hazards.models import Hazard
from schools.filters import visible_school_filter

from .models import Grade, RiskAssessment, RiskPoint


class RiskPointFilter(django_filters.FilterSet):
    school = visible_school_filter()
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("风险等级"))
    category = django_filters.ChoiceFilter(choices=Hazard.Category.choices, label=_("隐患类别"))

    class Meta:
        form = FilterForm
        model = RiskPoint
        fields = ["school", "grade", "category"]


class RiskAssessmentFilter(django_filters.FilterSet):
    point = django_filters.NumberFilter(field_name="point_id", label=_("风险点"))
    school = visible_school_filter("point__school")

    class Meta:
        form = FilterForm
        model = RiskAssessment
        fields = ["point", "school"]

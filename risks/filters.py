"""The FilterSets of the risk register's API lists (school, grade, category; an
assessment's point). An unknown choice is a 400."""

import django_filters
from django.utils.translation import gettext_lazy as _

from hazards.models import Hazard
from schools.models import School

from .models import Grade, RiskAssessment, RiskPoint


def _visible_schools(request):
    if request is None:
        return School.objects.none()
    return School.objects.visible_to(request.user)


class RiskPointFilter(django_filters.FilterSet):
    school = django_filters.ModelChoiceFilter(queryset=_visible_schools, label=_("学校"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("风险等级"))
    category = django_filters.ChoiceFilter(choices=Hazard.Category.choices, label=_("隐患类别"))

    class Meta:
        model = RiskPoint
        fields = ["school", "grade", "category"]


class RiskAssessmentFilter(django_filters.FilterSet):
    point = django_filters.NumberFilter(field_name="point_id", label=_("风险点"))

    class Meta:
        model = RiskAssessment
        fields = ["point"]

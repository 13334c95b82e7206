"""FilterSets of the education API lists (activities, staff trainings): the school (of the
user's scope: another is a 400, as on the hazard ledger), the kind, the calendar year."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm
from core.years import FIRST_YEAR, LAST_YEAR
from schools.filters import visible_school_filter

from .models import EducationActivity, StaffTraining


def _year_filter() -> django_filters.NumberFilter:
    return django_filters.NumberFilter(
        field_name="date", lookup_expr="year", label=_("年份"),
        min_value=FIRST_YEAR, max_value=LAST_YEAR,
    )  # fmt: skip


class ActivityFilter(django_filters.FilterSet):
    """Filters: school, kind, year."""

    school = visible_school_filter()
    year = _year_filter()

    class Meta:
        form = FilterForm
        model = EducationActivity
        fields = ["school", "kind"]


class TrainingFilter(django_filters.FilterSet):
    """Filters: school, year."""

    school = visible_school_filter()
    year = _year_filter()

    class Meta:
        form = FilterForm
        model = StaffTraining
        fields = ["school"]

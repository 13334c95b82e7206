"""FilterSets of drills, plans and incidents, shared by the API and the HTML lists. An
unknown choice is a validation error: HTTP 400 in the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm
from core.years import FIRST_YEAR, LAST_YEAR
from schools.filters import visible_school_filter

from .models import Drill, EmergencyPlan, Incident, PlannedDrill


def day_filters(field: str):
    """``year`` (bounded), ``date_after`` and ``date_before`` (both included) on the date
    field ``field``."""
    return (
        django_filters.NumberFilter(
            field_name=field, lookup_expr="year", label=_("年份"),
            min_value=FIRST_YEAR, max_value=LAST_YEAR,
        ),
        django_filters.DateFilter(field_name=field, lookup_expr="gte", label=_("起始日期")),
        django_filters.DateFilter(field_name=field, lookup_expr="lte", label=_("截止日期")),
    )  # fmt: skip


class DrillFilter(django_filters.FilterSet):
    """Filters: school, drill_type, mode, style, year, date_after / date_before."""

    school = visible_school_filter()
    year, date_after, date_before = day_filters("date")

    class Meta:
        form = FilterForm
        model = Drill
        fields = ["school", "drill_type", "mode", "style"]


class PlanFilter(django_filters.FilterSet):
    """Filters: school, kind, revision_requested (a drill asked for a revision)."""

    school = visible_school_filter()
    revision_requested = django_filters.BooleanFilter(
        field_name="revision_requested_by", lookup_expr="isnull", exclude=True, label=_("待修订")
    )

    class Meta:
        form = FilterForm
        model = EmergencyPlan
        fields = ["school", "kind"]


class IncidentFilter(django_filters.FilterSet):
    """Filters: school, kind, level, status, occurred_after / occurred_before (dates)."""

    school = visible_school_filter()
    occurred_after = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("起始日期")
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("截止日期")
    )

    class Meta:
        form = FilterForm
        model = Incident
        fields = ["school", "kind", "level", "status"]


class PlannedDrillFilter(django_filters.FilterSet):
    """Filters: school, drill_type, year, date_after / date_before (of the planned day)."""

    school = visible_school_filter()
    year, date_after, date_before = day_filters("planned_on")

    class Meta:
        form = FilterForm
        model = PlannedDrill
        fields = ["school", "drill_type"]

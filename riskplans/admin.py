"""Admin of risk-based planning: what the generator made, read-only (it is written by
``riskplans.services`` only), scoped to the user's schools through the risk point."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from schools.admin import SchoolScopedMixin

from .models import PatrolLink, PlannedCheck


class _ByPoint(ReadOnlyAdminMixin, SchoolScopedMixin, admin.ModelAdmin):
    def scope(self, queryset, user):
        ids = user.school_ids()
        return queryset if ids is None else queryset.filter(point__school_id__in=ids)


@admin.register(PlannedCheck)
class PlannedCheckAdmin(_ByPoint):
    list_display = ("due_on", "point", "inspection", "risk_check")
    list_select_related = ("point__school", "inspection", "risk_check")


@admin.register(PatrolLink)
class PatrolLinkAdmin(_ByPoint):
    list_display = ("point", "patrol_point", "created")
    list_select_related = ("point__school", "patrol_point")

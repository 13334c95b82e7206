"""Admin for emergency drills, scoped to the user's schools."""

from django.contrib import admin

from core.admin import AuditHistoryAdmin
from schools.admin import SchoolScopedMixin

from .models import Drill


@admin.register(Drill)
class DrillAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = (
        "date",
        "school",
        "drill_type",
        "mode",
        "student_participants",
        "staff_participants",
        "evacuation_seconds",
        "recorded_by",
    )
    list_display_links = ("date", "school")
    list_filter = ("drill_type", "mode", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("school__name", "notes")
    date_hierarchy = "date"
    list_select_related = ("school", "recorded_by")
    autocomplete_fields = ("school", "recorded_by")

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

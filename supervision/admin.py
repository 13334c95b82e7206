"""Admin of key-period supervision: bell times, patrol points and roster lines are kept
here by school staff with admin access (scoped to their schools); patrols and rolls are
read-only records. Check-ins (students by name) are not in the admin."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from schools.admin import SchoolScopedMixin

from .models import BellTime, Patrol, PatrolPoint, PatrolSlot, Roll


@admin.register(BellTime)
class BellTimeAdmin(SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("school", "kind", "grade", "school_class", "start", "end", "cutoff_minutes")
    list_filter = ("kind",)
    list_select_related = ("school", "school_class")
    autocomplete_fields = ("school",)
    raw_id_fields = ("school_class",)


@admin.register(PatrolPoint)
class PatrolPointAdmin(SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("name", "school", "kind", "is_key_area", "is_active")
    list_filter = ("kind", "is_key_area", "is_active")
    search_fields = ("name", "school__name")
    autocomplete_fields = ("school",)


@admin.register(PatrolSlot)
class PatrolSlotAdmin(SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("name", "school", "kind", "start", "end", "weekdays", "patroller", "is_active")
    list_filter = ("kind", "is_active")
    list_select_related = ("school", "patroller")
    autocomplete_fields = ("school", "patroller", "points")


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyAdminMixin, SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("slot", "school", "date", "status", "patroller", "finished_at")
    list_filter = ("status",)
    date_hierarchy = "date"
    list_select_related = ("slot", "school", "patroller")


@admin.register(Roll)
class RollAdmin(ReadOnlyAdminMixin, SchoolScopedMixin, admin.ModelAdmin):
    list_display = (
        "school_class",
        "school",
        "date",
        "kind",
        "first_marked_at",
        "unaccounted_at_cutoff",
    )
    list_filter = ("kind",)
    date_hierarchy = "date"
    list_select_related = ("school_class", "school")

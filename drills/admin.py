"""Admin for drills, plans, evacuation targets and incidents, scoped to the user's schools.
Plan files and photos are uploaded through the pages and the API (content checks); the
admin shows them read-only."""

from django.contrib import admin

from core.admin import AuditHistoryAdmin, ReadOnlyAdminMixin
from schools.admin import SchoolScopedMixin

from .models import (
    Drill,
    DrillPhoto,
    DrillProblem,
    EmergencyPlan,
    EvacuationTarget,
    Incident,
    IncidentAction,
    IncidentEscalation,
    IncidentPerson,
    PlannedDrill,
    PlanVersion,
)


@admin.register(Drill)
class DrillAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = (
        "date",
        "school",
        "drill_type",
        "mode",
        "style",
        "student_participants",
        "staff_participants",
        "evacuation_seconds",
        "recorded_by",
    )
    list_display_links = ("date", "school")
    list_filter = ("drill_type", "mode", "style", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("school__name", "notes", "title")
    date_hierarchy = "date"
    list_select_related = ("school", "recorded_by")
    autocomplete_fields = ("school", "recorded_by")
    raw_id_fields = ("plan_version",)

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PlannedDrill)
class PlannedDrillAdmin(ReadOnlyAdminMixin, SchoolScopedMixin, admin.ModelAdmin):
    """Read-only: plans are made and cancelled on the schedule page and the API
    (``services.plan_drill``: no day in the past, one a day per type)."""

    list_display = ("planned_on", "school", "drill_type", "mode", "style", "is_night")
    list_filter = ("drill_type", "is_night", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("school__name", "note")
    date_hierarchy = "planned_on"
    list_select_related = ("school",)


@admin.register(EvacuationTarget)
class EvacuationTargetAdmin(SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("school", "building", "seconds")
    autocomplete_fields = ("school",)


class PlanVersionInline(admin.TabularInline):
    model = PlanVersion
    extra = 0
    fields = ("number", "file_type", "original_name", "approved_on", "approver", "notes")
    readonly_fields = ("number", "file_type", "original_name")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # uploads go through the page or the API (file checked by content)


@admin.register(EmergencyPlan)
class EmergencyPlanAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = ("title", "school", "kind", "owner")
    list_filter = ("kind", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "school__name")
    autocomplete_fields = ("school", "owner")
    raw_id_fields = ("revision_requested_by",)
    inlines = [PlanVersionInline]


class IncidentActionInline(admin.TabularInline):
    model = IncidentAction
    extra = 0
    fields = ("at", "text", "actor")
    readonly_fields = ("actor",)


@admin.register(Incident)
class IncidentAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    """Names of the people involved are not shown here: they are for the school's managers
    and the bureau's admins on the incident page."""

    list_display = ("occurred_at", "school", "kind", "level", "status", "injured", "deaths")
    list_filter = ("kind", "level", "status")
    date_hierarchy = "occurred_at"
    autocomplete_fields = ("school", "reported_by", "plan")
    raw_id_fields = ("hazards",)
    inlines = [IncidentActionInline]


class _ThroughParent(SchoolScopedMixin):
    """Rows scoped through their parent's school (``parent__school``)."""

    parent = ""

    def scope(self, queryset, user):
        ids = user.school_ids()
        return queryset if ids is None else queryset.filter(**{f"{self.parent}__school__in": ids})


class _ReadOnly:
    """Written by the services (content checks, photo pipeline, escalation scan)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DrillProblem)
class DrillProblemAdmin(_ThroughParent, admin.ModelAdmin):
    parent = "drill"
    list_display = ("description", "drill", "hazard")
    search_fields = ("description",)
    raw_id_fields = ("drill", "hazard")


@admin.register(DrillPhoto)
class DrillPhotoAdmin(_ThroughParent, _ReadOnly, admin.ModelAdmin):
    parent = "drill"
    list_display = ("original_name", "drill", "created_at")


@admin.register(PlanVersion)
class PlanVersionAdmin(_ThroughParent, _ReadOnly, admin.ModelAdmin):
    parent = "plan"
    list_display = ("plan", "number", "file_type", "approved_on", "approver")
    search_fields = ("plan__title",)


@admin.register(IncidentAction)
class IncidentActionAdmin(_ThroughParent, admin.ModelAdmin):
    parent = "incident"
    list_display = ("incident", "at", "text")
    search_fields = ("text",)
    raw_id_fields = ("incident", "actor")


@admin.register(IncidentPerson)
class IncidentPersonAdmin(_ThroughParent, _ReadOnly, admin.ModelAdmin):
    """Names are restricted: read-only here, for staff given the model permission."""

    parent = "incident"
    list_display = ("incident", "role")
    fields = ("incident", "role", "injury")  # never the name


@admin.register(IncidentEscalation)
class IncidentEscalationAdmin(_ThroughParent, _ReadOnly, admin.ModelAdmin):
    parent = "incident"
    list_display = ("incident", "stage", "deadline", "escalated_at")

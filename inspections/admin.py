"""Admin for inspections (joint, cross, self, spot), scoped to the user's schools, with
the hazards each inspection found (read-only: hazards move through their workflow)."""
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from hazards.models import Hazard
from schools.admin import SchoolScopedMixin

from .models import Inspection


class FoundHazardInline(SchoolScopedMixin, admin.TabularInline):
    model = Hazard
    fk_name = "inspection"
    verbose_name = _("发现的隐患")
    verbose_name_plural = _("发现的隐患")
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("title", "category", "level", "status", "deadline")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("date", "kind", "title", "school", "inspecting_school", "subject", "status",
                    "leader", "hazard_count")
    list_display_links = ("date", "title")
    list_filter = ("kind", "subject", "status", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "summary", "school__name", "inspecting_school__name")
    date_hierarchy = "date"
    list_select_related = ("school", "inspecting_school", "leader")
    autocomplete_fields = ("school", "inspecting_school", "leader")
    filter_horizontal = ("departments",)
    inlines = (FoundHazardInline,)

    def get_queryset(self, request):
        # One query for the counts, not one per row.
        return super().get_queryset(request).annotate(hazard_total=Count("hazards"))

    @admin.display(description=_("隐患数"), ordering="hazard_total")
    def hazard_count(self, inspection):
        return inspection.hazard_total

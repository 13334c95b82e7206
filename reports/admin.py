"""Admin for stored yearly statistics: read-only (``rollup_statistics`` writes them)."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from schools.admin import SchoolScopedMixin, in_user_schools

from .figures import FIGURES
from .models import ExportJob, YearlyStatistic


@admin.register(YearlyStatistic)
class YearlyStatisticAdmin(SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("year", "period", "scope_name", "computed_at")
    list_filter = ("year", "period")
    search_fields = ("school__name",)
    date_hierarchy = "computed_at"
    list_select_related = ("school",)
    fields = ("school", "year", "period", "computed_at", "figure_table")
    readonly_fields = fields

    def scope(self, queryset, user):
        # Bureau-wide rows (no school) belong to the bureau scope.
        return in_user_schools(queryset, user)

    @admin.display(description=_("范围"), ordering="school__name")
    def scope_name(self, stat):
        return stat.school or _("全旗")

    @admin.display(description=_("指标"))
    def figure_table(self, stat):
        rows = ((FIGURES.get(key, key), key, value) for key, value in stat.figures.items())
        return format_html_join("\n", "<div>{} <code>{}</code>：<strong>{}</strong></div>", rows)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are written by the export pages and their Celery task. Deleting one
    is allowed (old files)."""

    list_display = ("created_at", "requested_by", "format", "status", "row_count", "finished_at")
    list_filter = ("status", "format")
    search_fields = ("requested_by__username", "requested_by__name")
    date_hierarchy = "created_at"
    list_select_related = ("requested_by",)
    fields = (
        "requested_by",
        "format",
        "status",
        "filters",
        "scope_school_ids",
        "row_count",
        "file",
        "error",
        "created_at",
        "finished_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        # Same rule as the download page: the user's own jobs, or all with the bureau scope.
        queryset = super().get_queryset(request)
        user = request.user
        if user.is_superuser or user.school_ids() is None:
            return queryset
        return queryset.filter(requested_by=user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

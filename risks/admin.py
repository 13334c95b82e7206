"""Admin of the risk register: the bureau's policy (method, check intervals, review and
recurrence periods: one row) and the register's points, scoped to the user's schools."""

from django.contrib import admin

from schools.admin import SchoolScopedMixin

from .models import RiskPoint, RiskPolicy


@admin.register(RiskPolicy)
class RiskPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "__str__", "method", "check_days_major", "check_days_significant",
        "check_days_general", "check_days_low", "review_months", "recurrence_months",
    )  # fmt: skip

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not RiskPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RiskPoint)
class RiskPointAdmin(SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("name", "school", "category", "grade", "control_level", "review_due")
    list_filter = ("grade", "category", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "school__name")
    list_select_related = ("school",)
    autocomplete_fields = ("school", "owner")
    readonly_fields = ("grade", "score", "plan_x", "plan_y")

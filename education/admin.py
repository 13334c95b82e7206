"""Admin for safety education activities and counselling sessions.

Counselling rows are shown only to counsellors of that school
(``CounsellingSession.objects.visible_to``), superusers included: DESIGN.md keeps
mental-health data from everybody else, the bureau sees counts in the reports. Only a
counsellor may add a session.
"""

from django.contrib import admin

from core.admin import AuditHistoryAdmin
from schools.admin import SchoolScopedMixin

from .models import CounsellingSession, EducationActivity


@admin.register(EducationActivity)
class EducationActivityAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = ("date", "school", "kind", "topic", "title", "participants", "recorded_by")
    list_display_links = ("date", "title")
    list_filter = ("kind", "topic", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "school__name")
    date_hierarchy = "date"
    list_select_related = ("school", "recorded_by")
    autocomplete_fields = ("school", "recorded_by")

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CounsellingSession)
class CounsellingSessionAdmin(SchoolScopedMixin, admin.ModelAdmin):
    # No notes in the list: the file is confidential even on screen.
    list_display = ("date", "school", "kind", "student_code", "participants", "counsellor")
    list_filter = ("kind", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("student_code",)
    date_hierarchy = "date"
    list_select_related = ("school", "counsellor")
    autocomplete_fields = ("school", "counsellor")

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request).visible_to(request.user)

    readonly_fields = ("counsellor",)  # a counsellor records their own sessions

    def has_add_permission(self, request):
        may_counsel = request.user.has_perm("education.record_counselling")
        return super().has_add_permission(request) and may_counsel

    def save_model(self, request, obj, form, change):
        if not change and obj.counsellor_id is None:
            obj.counsellor = request.user
        super().save_model(request, obj, form, change)

"""Admin for safety education activities and counselling sessions.

Counselling rows are shown only to counsellors of that school
(``CounsellingSession.objects.visible_to``), superusers included: DESIGN.md keeps
mental-health data from everybody else, the bureau sees counts in the reports. Only a
counsellor may add a session.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditHistoryAdmin, ReadOnlyAdminMixin, thumbnail
from schools.admin import SchoolScopedMixin, in_user_schools

from .models import (
    ActivityPhoto,
    Appointment,
    CounsellingSession,
    EducationActivity,
    RequiredTopic,
    StaffTraining,
    VicePrincipal,
    VicePrincipalEvaluation,
    VicePrincipalLesson,
)


class ActivityPhotoInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Photos are written by ``services.record_activity`` (content checks, re-encoding)."""

    model = ActivityPhoto
    extra = 0
    fields = ("preview", "original_name", "created_at")
    readonly_fields = fields

    @admin.display(description=_("照片"))
    def preview(self, photo):
        return thumbnail(photo)


@admin.register(EducationActivity)
class EducationActivityAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = ("date", "school", "kind", "topic", "title", "participants", "recorded_by")
    list_display_links = ("date", "title")
    list_filter = ("kind", "topic", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "school__name")
    date_hierarchy = "date"
    list_select_related = ("school", "recorded_by")
    autocomplete_fields = ("school", "recorded_by")
    filter_horizontal = ("classes",)
    inlines = [ActivityPhotoInline]

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Photos of the activities the admin user may see (``visible_to``)."""

    list_display = ("original_name", "activity", "created_at")
    list_select_related = ("activity",)
    fields = ("preview", "activity", "original_name", "created_at")
    readonly_fields = fields

    @admin.display(description=_("照片"))
    def preview(self, photo):
        return thumbnail(photo)

    def get_queryset(self, request):
        activities = EducationActivity.objects.visible_to(request.user)
        return super().get_queryset(request).filter(activity__in=activities)


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


@admin.register(RequiredTopic)
class RequiredTopicAdmin(admin.ModelAdmin):
    """The bureau's list of topics each class must be taught per term (coverage grid)."""

    list_display = ("order", "topic", "term_kind", "is_active")
    list_display_links = ("topic",)


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    autocomplete_fields = ("school",)


class LessonInline(admin.TabularInline):
    model = VicePrincipalLesson
    extra = 0
    autocomplete_fields = ("school",)


class EvaluationInline(admin.TabularInline):
    model = VicePrincipalEvaluation
    extra = 0
    autocomplete_fields = ("school",)


@admin.register(VicePrincipal)
class VicePrincipalAdmin(AuditHistoryAdmin):
    """法治副校长 with their appointments (≤ 2 schools, ``Appointment.clean``), lessons and
    yearly evaluations."""

    list_display = ("name", "agency_type", "agency_name", "phone")
    list_filter = ("agency_type",)
    search_fields = ("name", "agency_name")
    inlines = [AppointmentInline, LessonInline, EvaluationInline]


@admin.register(StaffTraining)
class StaffTrainingAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = ("date", "school", "title", "hours")
    list_filter = (("school", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("title", "school__name")
    date_hierarchy = "date"
    list_select_related = ("school",)
    autocomplete_fields = ("school", "attendees", "recorded_by")


class _BySchool(SchoolScopedMixin, admin.ModelAdmin):
    """The vice principals' rows one by one (also inline on the vice principal), scoped
    to the user's schools."""

    list_select_related = ("vice_principal", "school")
    autocomplete_fields = ("school",)

    def scope(self, queryset, user):
        return in_user_schools(queryset, user)


@admin.register(Appointment)
class AppointmentAdmin(_BySchool):
    list_display = ("vice_principal", "school", "start_date", "end_date")
    date_hierarchy = "start_date"


@admin.register(VicePrincipalLesson)
class VicePrincipalLessonAdmin(_BySchool):
    list_display = ("date", "vice_principal", "school", "kind", "title", "hours")
    search_fields = ("title",)
    date_hierarchy = "date"


@admin.register(VicePrincipalEvaluation)
class VicePrincipalEvaluationAdmin(_BySchool):
    list_display = ("year", "vice_principal", "school", "result")
    list_filter = ("year", "result")

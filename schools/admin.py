"""Admin for schools, departments and leader/cadre assignments, and the scoping mixin
every school-owned admin uses: a non-superuser sees, and may pick, only what
``visible_to(request.user)`` returns."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.admin import users_visible_to
from accounts.models import User
from core.admin import AuditHistoryAdmin

from .models import CalendarDay, Department, School, SchoolAssignment, SchoolClass, Student, Term


class SchoolScopedMixin:
    """For ModelAdmin and inlines: rows and school/user choices limited to the user's scope.

    Superusers see everything. ``scope(queryset, user)`` defaults to the model's
    ``visible_to``; override it for models scoped through a relation.
    """

    def scope(self, queryset, user):
        return queryset.visible_to(user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return self.scope(queryset, request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field.related_model, request.user)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field.related_model, request.user)
        if choices is not None:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def scoped_choices(model, user):
    """The rows of ``model`` a form may offer ``user``; None when the default is fine."""
    if user.is_superuser:
        return None
    if model is User:
        return users_visible_to(user)
    manager = model._default_manager
    # School, Hazard, Inspection, Drill…: every scoped model has visible_to.
    return manager.visible_to(user) if hasattr(manager, "visible_to") else None


def in_user_schools(queryset, user, lookup="school_id"):
    """``queryset`` limited to rows whose ``lookup`` is one of the user's schools, for
    models without their own ``visible_to`` (same rule as SchoolOwnedQuerySet)."""
    ids = user.school_ids()
    return queryset if ids is None else queryset.filter(**{f"{lookup}__in": ids})


class AssignmentInline(SchoolScopedMixin, admin.TabularInline):
    model = SchoolAssignment
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("kind", "user", "start_date", "end_date")

    def scope(self, queryset, user):
        return in_user_schools(queryset, user)


@admin.register(School)
class SchoolAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = (
        "name",
        "code",
        "school_type",
        "town",
        "is_boarding",
        "student_count",
        "staff_count",
        "fire_acceptance_status",
        "is_active",
    )
    list_filter = (
        "school_type",
        "town",
        "fire_acceptance_status",
        "is_boarding",
        "mongolian_medium",
        "is_active",
        "is_demo",
    )
    search_fields = ("name", "code", "address")
    date_hierarchy = "fire_acceptance_date"
    inlines = (AssignmentInline,)
    fieldsets = (
        (None, {"fields": ("name", "code", "school_type", "town", "address", "is_active")}),
        (
            _("规模"),
            {"fields": ("student_count", "staff_count", "is_boarding", "mongolian_medium")},
        ),
        (_("消防验收"), {"fields": ("fire_acceptance_status", "fire_acceptance_date")}),
        (_("其他"), {"fields": ("is_demo",)}),
    )


@admin.register(Department)
class DepartmentAdmin(AuditHistoryAdmin):
    list_display = ("name", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(SchoolAssignment)
class SchoolAssignmentAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = ("school", "kind", "user", "start_date", "end_date")
    list_filter = ("kind", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("school__name", "user__name", "user__username")
    date_hierarchy = "start_date"
    autocomplete_fields = ("school", "user")
    list_select_related = ("school", "user")

    def scope(self, queryset, user):
        return in_user_schools(queryset, user)


@admin.register(Term)
class TermAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    """Terms: bureau-wide rows (no school) and a school's own overrides."""

    list_display = ("__str__", "school", "start_date", "end_date")
    list_filter = ("kind", "school_year")
    date_hierarchy = "start_date"
    autocomplete_fields = ("school",)

    def scope(self, queryset, user):
        ids = user.school_ids()
        return (
            queryset if ids is None else queryset.filter(Q(school__isnull=True) | Q(school__in=ids))
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("date", "kind", "name", "school")
    list_filter = ("kind",)
    date_hierarchy = "date"
    autocomplete_fields = ("school",)

    def scope(self, queryset, user):
        ids = user.school_ids()
        return (
            queryset if ids is None else queryset.filter(Q(school__isnull=True) | Q(school__in=ids))
        )


@admin.register(SchoolClass)
class SchoolClassAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = ("name", "school", "grade", "homeroom_teacher", "is_boarding", "is_active")
    list_filter = ("grade", "is_boarding", "is_active")
    search_fields = ("name", "school__name")
    autocomplete_fields = ("school", "homeroom_teacher")
    list_select_related = ("school", "homeroom_teacher")


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    """Students by name for the school's own staff only: the queryset is
    ``Student.objects.visible_to`` for everybody, superusers included (the permission is
    sealed), and the guardian's phone is masked unless the user may see it whole."""

    list_display = ("name", "student_number", "school_class", "school", "guardian", "is_active")
    list_filter = ("is_active", "is_boarding")
    search_fields = ("name", "student_number")
    list_select_related = ("school", "school_class")
    exclude = ("school",)
    autocomplete_fields = ("school_class",)

    def get_queryset(self, request):
        return Student.objects.visible_to(request.user).select_related("school_class")

    @admin.display(description=_("监护人电话"))
    def guardian(self, obj):
        if self.request_user.has_perm("schools.view_guardian_phone", obj):
            return obj.guardian_phone
        return obj.masked_guardian_phone

    def changelist_view(self, request, extra_context=None):
        self.request_user = request.user
        return super().changelist_view(request, extra_context)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not request.user.has_perm("schools.view_guardian_phone", obj):
            return [f for f in fields if f != "guardian_phone"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "school_class":
            kwargs["queryset"] = SchoolClass.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

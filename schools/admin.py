"""Admin for schools, departments and leader/cadre assignments, and the scoping mixin
every school-owned admin uses: a non-superuser sees, and may pick, only what
``visible_to(request.user)`` returns."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import users_visible_to
from accounts.models import User
from core.admin import AuditHistoryAdmin

from .models import Department, School, SchoolAssignment


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

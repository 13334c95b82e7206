"""Admin for users: Django's UserAdmin plus role, scope and contact fields.

A non-superuser sees the users of their own schools only, cannot grant superuser status,
groups, permissions, a bureau role or a scope wider than their own, and cannot change
their own role or scope (each would be a way around the scope).

The action 解除登录锁定 lifts a sign-in lock-out (django-axes, after ``AXES_FAILURE_LIMIT``
wrong passwords); the admin's own login refuses report clients (API only), as the web does.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.admin import AuditHistoryAdmin

from . import services
from .forms import AdminPasswordChangeForm, AdminSignInForm
from .models import User
from .signals import scope_changed

admin.site.login_form = AdminSignInForm

SCOPE_FIELDS = ("name", "phone", "role", "scope_all_schools", "schools", "department")


def users_visible_to(user):
    """Users ``user`` may pick or see in the admin: everybody for a superuser or a
    bureau-wide scope; otherwise the members of the user's schools and the user."""
    queryset = User.objects.all()
    ids = user.school_ids()
    if user.is_superuser or ids is None:
        return queryset
    return queryset.filter(Q(schools__in=ids) | Q(pk=user.pk)).distinct()


@admin.register(User)
class UserAdmin(AuditHistoryAdmin, DjangoUserAdmin):
    list_display = (
        "username",
        "name",
        "role",
        "scope_all_schools",
        "department",
        "phone",
        "is_staff",
        "is_active",
    )
    list_filter = (
        "role",
        "scope_all_schools",
        "is_staff",
        "is_superuser",
        "is_active",
        ("schools", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("username", "name", "phone", "email")
    filter_horizontal = ("schools", "groups", "user_permissions")
    autocomplete_fields = ("department",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("校园安全"), {"fields": SCOPE_FIELDS}),
        (_("个人信息"), {"fields": ("first_name", "last_name", "email", "language")}),
        (
            _("权限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (_("校园安全"), {"classes": ("wide",), "fields": SCOPE_FIELDS}),
    )
    readonly_fields = ("last_login", "date_joined")
    change_password_form = AdminPasswordChangeForm  # its holder changes it at next sign-in
    actions = ["unlock_sign_in"]

    @admin.action(description=_("解除登录锁定"), permissions=["unlock"])
    def unlock_sign_in(self, request, queryset):
        for user in queryset:
            services.unlock_sign_in(user, actor=request.user)
        self.message_user(
            request,
            _("已解除 %(count)d 个用户的登录锁定。") % {"count": len(queryset)},
            messages.SUCCESS,
        )

    def has_unlock_permission(self, request):
        return request.user.has_perm("accounts.unlock_sign_in")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=users_visible_to(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        editor = request.user
        if editor.is_superuser:
            return fields
        # Nobody hands out more than they hold: powers are for superusers, the bureau-wide
        # scope for those who have it, and one's own role and scope are set by someone else.
        fields += ["is_superuser", "groups", "user_permissions"]
        if not editor.scope_all_schools:
            fields.append("scope_all_schools")
        if obj is not None and obj.pk == editor.pk:
            fields += ["role", "schools", "scope_all_schools", "is_staff", "is_active"]
        return list(dict.fromkeys(fields))

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        editor = request.user
        if db_field.name == "role" and not editor.has_perm("accounts.grant_bureau_role"):
            # A school may appoint school roles, not bureau supervisors of itself.
            kwargs["choices"] = [c for c in User.Role.choices if c[0] not in User.BUREAU_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Read before the save: the audit compares it with what the save leaves.
        obj._scope_before = User.objects.get(pk=obj.pk).scope_snapshot() if change else None
        if not change:  # the admin typed the password: its holder replaces it first
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The form offers only the editor's schools; keep the edited user's other schools.
        hidden = []
        ids = request.user.school_ids()
        if change and not request.user.is_superuser and ids is not None:
            hidden = list(form.instance.schools.exclude(id__in=ids))
        super().save_related(request, form, formsets, change)
        if hidden:
            form.instance.schools.add(*hidden)
        # Once the schools are final: one signal per save when the role or scope changed
        # (the notifications app tells the bureau admins; accounts may not import it).
        user = form.instance
        before, after = getattr(user, "_scope_before", None), user.scope_snapshot()
        if before != after:
            scope_changed.send(
                sender=User, user=user, actor=request.user, before=before, after=after
            )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "schools" and not request.user.is_superuser:
            # The related model (schools.School) is reached through the field: accounts sits
            # below schools and does not import it.
            kwargs["queryset"] = db_field.related_model.objects.visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

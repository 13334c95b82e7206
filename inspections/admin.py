"""Admin for inspections (joint, cross, self, spot), scoped to the user's schools, with
the hazards each inspection found (read-only: hazards move through their workflow)."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin import AuditHistoryAdmin, thumbnail
from core.exceptions import DomainError
from hazards.models import Hazard
from schools.admin import SchoolScopedMixin, in_user_schools

from . import services
from .models import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    CrossInspectionRound,
    CrossPairing,
    Inspection,
    InspectionAnswer,
    InspectionAnswerPhoto,
)


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
class InspectionAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = (
        "date",
        "kind",
        "title",
        "school",
        "inspecting_school",
        "subject",
        "status",
        "leader",
        "hazard_count",
    )
    list_display_links = ("date", "title")
    list_filter = ("kind", "subject", "status", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "summary", "school__name", "inspecting_school__name")
    date_hierarchy = "date"
    list_select_related = ("school", "inspecting_school", "leader")
    autocomplete_fields = ("school", "inspecting_school", "leader")
    filter_horizontal = ("departments",)
    inlines = (FoundHazardInline,)
    raw_id_fields = ("checklist", "round", "reviewed_by")

    def scope(self, queryset, user):
        # The admin shows a school its own inspections; an inspecting team works through
        # the inspection pages, not the admin.
        return in_user_schools(queryset, user)

    def get_queryset(self, request):
        # One query for the counts, not one per row.
        return super().get_queryset(request).annotate(hazard_total=Count("hazards"))

    @admin.display(description=_("隐患数"), ordering="hazard_total")
    def hazard_count(self, inspection):
        return inspection.hazard_total


class FrozenWhenPublished:
    """A published checklist version, its sections and items can be viewed, not changed or
    deleted (past answers point at them); new sections and items go to draft versions."""

    def _frozen(self, obj):
        checklist = obj if isinstance(obj, Checklist) else getattr(obj, "checklist", None)
        return checklist is not None and checklist.is_published

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "checklist":
            kwargs["queryset"] = Checklist.objects.filter(is_published=False)
        elif db_field.name == "section":
            kwargs["queryset"] = ChecklistSection.objects.filter(checklist__is_published=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SectionInline(FrozenWhenPublished, admin.TabularInline):
    model = ChecklistSection
    extra = 0
    fields = ("code", "title", "order")

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)


@admin.register(Checklist)
class ChecklistAdmin(FrozenWhenPublished, admin.ModelAdmin):
    """The checklist library. A published version is frozen: copy it as a new draft version
    (action), edit the draft's sections and items, then publish it (action)."""

    list_display = ("name", "version", "is_published", "published_on")
    list_filter = ("is_published",)
    search_fields = ("name",)
    readonly_fields = ("is_published", "published_on")
    inlines = (SectionInline,)
    actions = ("copy_as_new_version", "publish")

    @admin.action(description=_("复制为新版本（草稿）"))
    def copy_as_new_version(self, request, queryset):
        for checklist in queryset:
            try:
                draft = services.new_checklist_version(checklist, actor=request.user)
            except DomainError as exc:  # NotPermitted included: staff outside the bureau
                self.message_user(request, f"{checklist}：{exc.message}", level=messages.ERROR)
            else:
                self.message_user(request, _("已创建草稿 %(draft)s。") % {"draft": draft})

    @admin.action(description=_("发布所选草稿版本"))
    def publish(self, request, queryset):
        for checklist in queryset:
            try:
                services.publish_checklist(checklist, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{checklist}：{exc.message}", level=messages.ERROR)
            else:
                self.message_user(request, _("已发布 %(checklist)s。") % {"checklist": checklist})


@admin.register(ChecklistSection)
class ChecklistSectionAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = ("checklist", "code", "title", "order")
    list_filter = ("checklist",)
    list_select_related = ("checklist",)
    search_fields = ("code", "title")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = (
        "code",
        "text",
        "is_major",
        "category",
        "for_kindergarten",
        "for_primary",
        "for_secondary",
        "for_special",
        "boarding_only",
        "checklist",
    )
    list_filter = ("checklist", "section__code", "is_major", "category", "boarding_only")
    list_select_related = ("checklist",)
    search_fields = ("code", "text", "basis")


class PairingInline(admin.TabularInline):
    model = CrossPairing
    extra = 0
    autocomplete_fields = ("inspector", "inspected")


@admin.register(CrossInspectionRound)
class CrossInspectionRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "period_start", "period_end", "status", "checklist")
    list_filter = ("status",)
    list_select_related = ("checklist",)
    search_fields = ("name",)
    filter_horizontal = ("schools",)
    raw_id_fields = ("created_by",)
    inlines = (PairingInline,)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = None if request.user.is_superuser else request.user.school_ids()
        return queryset if ids is None else queryset.filter(schools__in=ids).distinct()


@admin.register(CrossPairing)
class CrossPairingAdmin(SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("round", "inspector", "inspected")
    list_select_related = ("round", "inspector", "inspected")
    search_fields = ("round__name", "inspector__name", "inspected__name")
    autocomplete_fields = ("inspector", "inspected")

    def scope(self, queryset, user):
        return in_user_schools(queryset, user, "inspected_id")


@admin.register(InspectionAnswer)
class InspectionAnswerAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    """Answers are written by the inspection services; the admin reads them."""

    list_display = ("inspection", "item", "result", "department", "hazard", "answered_at")
    list_filter = ("result", "department")
    list_select_related = ("inspection__school", "item", "hazard", "department")
    search_fields = ("item__code", "note", "inspection__title")
    raw_id_fields = ("inspection", "item", "hazard", "answered_by")

    def scope(self, queryset, user):
        return in_user_schools(queryset, user, "inspection__school_id")


@admin.register(InspectionAnswerPhoto)
class InspectionAnswerPhotoAdmin(SchoolScopedMixin, admin.ModelAdmin):
    """Read-only: photos arrive cleaned through the checklist page or the API."""

    list_display = ("answer", "photo", "uploaded_by", "created_at")
    list_select_related = ("answer__item", "answer__inspection", "uploaded_by")
    search_fields = ("answer__item__code", "answer__inspection__title", "original_name")

    def scope(self, queryset, user):
        return in_user_schools(queryset, user, "answer__inspection__school_id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("照片"))
    def photo(self, obj):
        return thumbnail(obj)

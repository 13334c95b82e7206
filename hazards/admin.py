"""Admin for the hazard ledger. The workflow owns ``status`` and the assignment,
rectification and write-off fields: here they are read-only, and the only way to move a
hazard is ``hazards.services`` (the bulk "验收销号" action calls ``close_hazard``).

Photos uploaded here go through ``clean_photo`` like every other upload (orientation
applied, metadata stripped, re-encoded as JPEG).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.admin import AuditHistoryAdmin, ReadOnlyAdminMixin, thumbnail
from core.exceptions import DomainError
from core.images import clean_photo
from schools.admin import SchoolScopedMixin, in_user_schools

from . import services
from .models import Hazard, HazardEvent, HazardPhoto, RemediationExpense, RemediationProject

# Fields written only by hazards.services (assign, submit, close, dismiss).
WORKFLOW_FIELDS = (
    "status",
    "responsible",
    "measures",
    "deadline",
    "funding_yuan",
    "contingency_plan",
    "rectification_note",
    "submitted_by",
    "closed_at",
    "closed_by",
    "dismiss_reason",
)
# Copied from the admin form into report_hazard when a hazard is added here.
REPORT_FIELDS = (
    "title",
    "category",
    "source",
    "level",
    "location",
    "description",
    "inspection",
    "drill",
    "department",
)


class OverdueFilter(admin.SimpleListFilter):
    """逾期: assigned with a deadline before today (Hazard.objects.overdue(today))."""

    title = _("是否逾期")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return (("yes", _("已逾期")), ("no", _("未逾期")))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.overdue(today)
        if self.value() == "no":
            return queryset.not_overdue(today)
        return queryset


class HazardPhotoForm(forms.ModelForm):
    """Replaces an uploaded image by the cleaned JPEG; a refused image is a form error."""

    class Meta:
        model = HazardPhoto
        fields = ("image",)

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not isinstance(upload, UploadedFile):
            return upload
        upload.seek(0)
        try:
            content, original_name = clean_photo(upload)
        except DomainError as exc:
            raise ValidationError(str(exc.message)) from None
        self.instance.original_name = original_name
        content.name = f"{self.instance.uuid}.jpg"
        return content


class EventInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The timeline, read-only: events are written by the services only."""

    model = HazardEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "action", "from_status", "to_status", "actor", "comment", "notified_at")
    readonly_fields = fields
    show_change_link = True


class PhotoInline(admin.TabularInline):
    """Photos can be added (cleaned on upload) but not changed or deleted: they are evidence."""

    model = HazardPhoto
    form = HazardPhotoForm
    extra = 0
    can_delete = False
    fields = ("preview", "image", "event", "original_name", "uploaded_by", "created_at")
    readonly_fields = ("preview", "event", "original_name", "uploaded_by", "created_at")

    @admin.display(description=_("预览"))
    def preview(self, photo):
        return thumbnail(photo)

    def has_change_permission(self, request, obj=None):
        # Existing rows show read-only; new rows still get a form (add permission).
        return False


@admin.register(Hazard)
class HazardAdmin(SchoolScopedMixin, SimpleHistoryAdmin):
    list_display = (
        "id",
        "title",
        "school",
        "category",
        "level",
        "source",
        "status",
        "deadline",
        "overdue",
        "responsible",
        "reported_at",
    )
    list_display_links = ("id", "title")
    list_filter = (
        "status",
        OverdueFilter,
        "level",
        "category",
        "source",
        "department",
        ("school", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "location", "description", "school__name")
    date_hierarchy = "reported_at"
    list_select_related = ("school", "responsible")
    autocomplete_fields = ("school", "inspection", "drill")
    readonly_fields = (*WORKFLOW_FIELDS, "reported_by", "reported_at", "updated_at")
    inlines = (PhotoInline, EventInline)
    actions = ("close_selected",)
    fieldsets = (
        (
            _("查：登记"),
            {
                "fields": (
                    "school",
                    "title",
                    "description",
                    "location",
                    "category",
                    "level",
                    "source",
                    "inspection",
                    "drill",
                    "department",
                    "reported_by",
                    "reported_at",
                )
            },
        ),
        (
            _("改：整改"),
            {
                "fields": (
                    "status",
                    "responsible",
                    "measures",
                    "deadline",
                    "funding_yuan",
                    "contingency_plan",
                )
            },
        ),
        (
            _("督销"),
            {
                "fields": (
                    "rectification_note",
                    "submitted_by",
                    "closed_at",
                    "closed_by",
                    "dismiss_reason",
                    "updated_at",
                )
            },
        ),
    )

    @admin.display(description=_("逾期"), boolean=True)
    def overdue(self, hazard):
        return hazard.is_overdue

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is None:
            return fields
        # The school never changes, and the level is fixed once triage assigned it
        # (a major hazard's five implementations are checked at assignment).
        extra = ("school",) if obj.status == Hazard.Status.REPORTED else ("school", "level")
        return (*fields, *extra)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return type("HazardAddForm", (ReportFormMixin, form), {"actor": request.user})
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # A new hazard is reported through the service: permission, event, notification.
        hazard = services.report_hazard(
            obj.school, actor=request.user, **{f: getattr(obj, f) for f in REPORT_FIELDS}
        )
        obj.pk, obj.reported_by, obj.reported_at = hazard.pk, hazard.reported_by, hazard.reported_at
        obj._state.adding, obj._state.db = False, hazard._state.db

    def save_formset(self, request, form, formset, change):
        for photo in formset.save(commit=False):
            photo.uploaded_by = request.user
            photo.created_at = timezone.now()
            photo.save()
        formset.save_m2m()

    def has_delete_permission(self, request, obj=None):
        # The ledger is an audit record: only a superuser removes a hazard (e.g. test data).
        return request.user.is_superuser

    # --- history: scoped, and no revert (it would bypass the workflow) ------------------

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._get_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._get_in_scope(request, object_id)
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _get_in_scope(self, request, object_id):
        if self.get_object(request, object_id) is None:
            raise Http404

    # --- actions -------------------------------------------------------------------------

    @admin.action(description=_("验收销号所选隐患"))
    def close_selected(self, request, queryset):
        closed = 0
        for hazard in queryset:
            try:
                services.close_hazard(hazard, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{hazard}：{exc.message}", messages.ERROR)
            else:
                closed += 1
        if closed:
            self.message_user(
                request,
                ngettext("已销号 %(count)d 条隐患。", "已销号 %(count)d 条隐患。", closed)
                % {"count": closed},
                messages.SUCCESS,
            )


class ReportFormMixin:
    """On the add form: refuse a school the actor may not report for (a form error,
    not a NotPermitted from the service)."""

    actor = None

    def clean(self):
        cleaned = super().clean()
        school = cleaned.get("school")
        if school is not None and not self.actor.has_perm("hazards.report_hazard", school):
            self.add_error("school", _("您不能为该学校登记隐患。"))
        return cleaned


@admin.register(HazardEvent)
class HazardEventAdmin(ReadOnlyAdminMixin, SchoolScopedMixin, admin.ModelAdmin):
    """The workflow's timeline: read-only."""

    list_display = (
        "created_at",
        "hazard",
        "action",
        "from_status",
        "to_status",
        "actor",
        "notified_at",
    )
    list_filter = ("action", "to_status")
    search_fields = ("hazard__title", "comment", "actor__name", "actor__username")
    date_hierarchy = "created_at"
    list_select_related = ("hazard__school", "actor")
    raw_id_fields = ("hazard", "actor")

    def scope(self, queryset, user):
        return queryset.filter(hazard__in=Hazard.objects.visible_to(user))


@admin.register(HazardPhoto)
class HazardPhotoAdmin(SchoolScopedMixin, admin.ModelAdmin):
    """Browse photos; they are added on the hazard (cleaned) and never edited."""

    list_display = ("preview", "hazard", "event", "original_name", "uploaded_by", "created_at")
    search_fields = ("hazard__title", "original_name")
    date_hierarchy = "created_at"
    list_select_related = ("hazard__school", "event", "uploaded_by")
    fields = ("preview", "hazard", "event", "original_name", "uploaded_by", "created_at")
    readonly_fields = fields

    @admin.display(description=_("预览"))
    def preview(self, photo):
        return thumbnail(photo)

    def scope(self, queryset, user):
        return queryset.filter(hazard__in=Hazard.objects.visible_to(user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ExpenseInline(SchoolScopedMixin, admin.TabularInline):
    model = RemediationExpense
    extra = 0
    autocomplete_fields = ("school",)
    fields = ("date", "school", "amount_yuan", "note")


@admin.register(RemediationProject)
class RemediationProjectAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = (
        "name",
        "category",
        "budget_yuan",
        "invested_yuan",
        "contractor",
        "start_date",
        "end_date",
    )
    list_filter = ("category",)
    search_fields = ("name", "contractor")
    date_hierarchy = "start_date"
    filter_horizontal = ("schools",)
    autocomplete_fields = ("hazards",)
    inlines = (ExpenseInline,)

    def scope(self, queryset, user):
        # A subquery, not a join: the join would multiply the expense sum below.
        projects = in_user_schools(RemediationProject.objects.all(), user, "schools")
        return queryset.filter(pk__in=projects.values("pk"))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(invested=Sum("expenses__amount_yuan"))

    @admin.display(description=_("已投入（元）"), ordering="invested")
    def invested_yuan(self, project):
        return project.invested or 0


@admin.register(RemediationExpense)
class RemediationExpenseAdmin(SchoolScopedMixin, AuditHistoryAdmin):
    list_display = ("date", "project", "school", "amount_yuan", "note")
    list_filter = ("project__category", ("school", admin.RelatedOnlyFieldListFilter))
    search_fields = ("project__name", "school__name", "note")
    date_hierarchy = "date"
    autocomplete_fields = ("project", "school")
    list_select_related = ("project", "school")

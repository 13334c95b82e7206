"""Admin helpers every app shares: a read-only admin (rows written by services only), the
thumbnail of an uploaded photo and the read-only field history of an official record."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyAdminMixin:
    """For a ModelAdmin or an inline whose rows are written by services only (an event log,
    a timeline): browse them, never add, change or delete them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def thumbnail(photo):
    """A small preview of ``photo.image`` for list and inline columns; "-" without one.
    Through the photo's checking view (``thumbnail_url``, else ``get_absolute_url``): the
    storage has no public URL."""
    if not photo.image or not photo.pk:
        return "-"
    url = getattr(photo, "thumbnail_url", "") or photo.get_absolute_url()
    return format_html('<img src="{}" alt="" style="max-height:80px;max-width:120px">', url)


class AuditHistoryAdmin(SimpleHistoryAdmin):
    """The field history (django-simple-history) of an official record, read-only: the
    history pages answer 404 for a row outside the admin's queryset (its scope), and a
    version cannot be restored (that would bypass the services' rules)."""

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

"""Admin helpers every app shares: a read-only admin (rows written by services only) and
the thumbnail of an uploaded photo."""

from django.utils.html import format_html


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
    """A small preview of ``photo.image`` for list and inline columns; "-" without one."""
    if not photo.image:
        return "-"
    return format_html(
        '<img src="{}" alt="" style="max-height:80px;max-width:120px">', photo.image.url
    )

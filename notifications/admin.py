"""Admin for notifications: group robots per school (a school user sees and adds only
those of their schools; bureau robots are the bureau's), people's channel choices, and
read-only logs of inbox rows and sends. A failed send can be queued again from here."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from schools.admin import SchoolScopedMixin, in_user_schools

from . import services
from .models import Delivery, Notification, NotificationPreference, WebhookEndpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs: written by the notification service only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(SchoolScopedMixin, admin.ModelAdmin):
    list_display = ("name", "provider", "school", "is_active")
    list_filter = ("provider", "is_active")
    search_fields = ("name", "school__name")
    fields = ("name", "provider", "school", "url", "secret", "is_active")

    def scope(self, queryset, user):
        return in_user_schools(queryset, user)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "webhook")
    list_filter = ("email", "webhook")
    search_fields = ("user__username", "user__name")
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return (
            queryset
            if request.user.is_superuser or request.user.is_bureau
            else queryset.filter(user=request.user)
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("title", "recipient", "kind", "period", "created_at", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "recipient__username", "recipient__name", "subject_key")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return (
            queryset
            if request.user.is_superuser or request.user.is_bureau
            else queryset.filter(recipient=request.user)
        )


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "notification",
        "channel",
        "recipient",
        "endpoint",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "error",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ("notification__title", "recipient__username", "endpoint__name", "error")
    date_hierarchy = "created_at"
    list_select_related = ("notification", "recipient", "endpoint")
    actions = ("send_again",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or request.user.is_bureau:
            return queryset
        return queryset.filter(recipient=request.user)

    @admin.action(description=_("重新发送所选的失败记录"))
    def send_again(self, request, queryset):
        ids = list(queryset.filter(status=Delivery.Status.FAILED).values_list("id", flat=True))
        with transaction.atomic():
            Delivery.objects.filter(id__in=ids).update(
                status=Delivery.Status.PENDING, attempts=0, claimed_at=None
            )
            transaction.on_commit(lambda: services.enqueue(ids))
        self.message_user(
            request,
            ngettext("已重新排队%(n)d条发送记录。", "已重新排队%(n)d条发送记录。", len(ids))
            % {"n": len(ids)},
            messages.SUCCESS,
        )

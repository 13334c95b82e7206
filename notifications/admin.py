"""Admin for notifications: group robots per school (a school user sees and adds only
those of their schools; bureau robots are the bureau's), people's channel choices, and
read-only logs of inbox rows and sends. A failed send can be queued again from here.
The outbox (待转发任务) shows the bureau how far the relay lags: waiting rows and their age."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from schools.admin import SchoolScopedMixin, in_user_schools

from . import outbox, services
from .models import (
    Delivery,
    Notification,
    NotificationPreference,
    OutboxMessage,
    WebhookEndpoint,
)


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
            services.enqueue(ids)  # through the outbox, handed over on commit
        self.message_user(
            request,
            ngettext("已重新排队%(n)d条发送记录。", "已重新排队%(n)d条发送记录。", len(ids))
            % {"n": len(ids)},
            messages.SUCCESS,
        )


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """The relay's backlog for the bureau: waiting rows first, each with its age; the
    title says how many wait and for how long (``outbox.outbox_lag``)."""

    list_display = ("task", "args", "status", "age", "attempts", "created_at", "sent_at", "error")
    list_filter = ("status", "task")
    search_fields = ("task", "error")
    date_hierarchy = "created_at"
    actions = ("relay_now",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or request.user.is_bureau:
            return queryset
        return queryset.none()

    @admin.display(description=_("等待时长"))
    def age(self, obj):
        if obj.status in (OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED):
            return "—"
        seconds = int((timezone.now() - obj.created_at).total_seconds())
        return gettext("%(m)d分%(s)02d秒") % {"m": seconds // 60, "s": seconds % 60}

    def changelist_view(self, request, extra_context=None):
        count, oldest = outbox.outbox_lag(timezone.now())
        title = gettext("待转发任务：%(count)d条等待，最久%(seconds)d秒") % {
            "count": count,
            "seconds": oldest,
        }
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    @admin.action(description=_("立即转发所选的待转发任务"))
    def relay_now(self, request, queryset):
        now = timezone.now()
        ids = list(queryset.values_list("id", flat=True))
        sent = 0
        for message_id in ids:
            try:
                sent += outbox.relay(message_id, now)
            except outbox.BrokerUnavailable:
                self.message_user(request, _("消息队列暂不可用，稍后将自动重试。"), messages.ERROR)
                break
        self.message_user(
            request,
            ngettext("已转发%(n)d条任务。", "已转发%(n)d条任务。", sent) % {"n": sent},
            messages.SUCCESS,
        )

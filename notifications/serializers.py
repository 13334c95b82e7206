"""API shapes of the notifications app: a person's inbox rows, the deletions feed's
tombstones, outbound webhook subscriptions and their delivery log."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from . import webhooks
from .models import Notification, Tombstone, WebhookDelivery, WebhookSubscription


class NotificationSerializer(serializers.ModelSerializer):
    """One message of the user's own inbox (站内消息)."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "body",
            "url",
            "school",
            "created_at",
            "read_at",
            "is_read",
            "modified",
        ]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("标为已读的条数"))


class TombstoneSerializer(serializers.ModelSerializer):
    """A row gone from the sync feeds: ``resource`` (the list's path segment, e.g.
    ``hazards``) and ``object_id``; ``resource`` ``*`` means re-read every list."""

    deleted_at = serializers.DateTimeField(source="modified", read_only=True)

    class Meta:
        model = Tombstone
        fields = ["id", "resource", "object_id", "deleted_at", "modified"]
        read_only_fields = fields


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    """An endpoint of another system: ``url`` (http or https, not this platform, not
    loopback), ``secret`` (write-only, at least 16 characters), ``event_types``."""

    event_types = serializers.ListField(
        child=serializers.CharField(),
        min_length=1,
        max_length=len(webhooks.EVENT_TYPES),
        help_text="; ".join(webhooks.EVENT_TYPES),
    )
    secret = serializers.CharField(write_only=True, min_length=16, max_length=200)
    is_paused = serializers.SerializerMethodField()

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "name",
            "url",
            "secret",
            "event_types",
            "department",
            "is_active",
            "is_paused",
            "paused_at",
            "failures_in_row",
            "created_at",
        ]
        read_only_fields = ["id", "paused_at", "failures_in_row", "created_at"]

    def get_is_paused(self, subscription) -> bool:
        return subscription.paused_at is not None

    def validate_url(self, value):
        request = self.context["request"]
        problem = webhooks.url_problem(value, request_host=request.get_host())
        if problem:
            raise serializers.ValidationError(problem)
        return value

    def validate_event_types(self, value):
        problem = webhooks.event_type_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return sorted(set(value))


class WebhookDeliverySerializer(serializers.ModelSerializer):
    """One event sent (or being sent) to a subscription: attempts and the last answer."""

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "status",
            "attempts",
            "response_code",
            "error",
            "created_at",
            "delivered_at",
            "payload",
        ]
        read_only_fields = fields

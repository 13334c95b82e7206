"""The notifications app's API:

- ``/api/v1/notifications/``: the user's own inbox (nobody sees another's), ``POST
  …/{id}/read/`` and ``POST …/read-all/`` through ``services.mark_read``/``mark_all_read``.
- ``/api/v1/deletions/``: the sync feeds' tombstones the user may see (``?resource=``), with
  the same ``modified_after``/``cursor`` as every list; a position older than the retention
  (``SYNC_TOMBSTONE_DAYS``) is a 400 ``sync_expired``: re-read everything.
- ``/api/v1/webhook-subscriptions/``: outbound webhooks, the bureau admin's
  (``notifications.manage_webhooks``); ``…/{id}/deliveries/`` the delivery log, ``…/{id}/
  resume/`` un-pauses and sends what waited.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.permissions import ActionPermission
from core.sync import BadSyncParameter, SyncViewSetMixin, decode_cursor, parse_modified_after

from . import services, tombstones, webhooks
from .filters import TombstoneFilter
from .models import Notification, Tombstone, WebhookSubscription
from .serializers import (
    NotificationSerializer,
    ReadAllSerializer,
    TombstoneSerializer,
    WebhookDeliverySerializer,
    WebhookSubscriptionSerializer,
)


@extend_schema(tags=["notifications"])
class NotificationViewSet(SyncViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The user's own notifications, newest first (``?unread=true`` for unread only)."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        queryset = Notification.objects.for_user(self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            queryset = queryset.unread()
        return queryset

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.mark_read(self.get_object(), actor=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: ReadAllSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_all_read(actor=request.user)})


@extend_schema(
    tags=["sync"],
    parameters=[
        OpenApiParameter(
            "resource", str, description="a synced resource, e.g. hazards; * for resets"
        )
    ],
)
class DeletionViewSet(SyncViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Tombstones of rows deleted or gone from the user's view, oldest first by cursor."""

    serializer_class = TombstoneSerializer
    filterset_class = TombstoneFilter

    def get_queryset(self):
        self._check_not_expired()
        return Tombstone.objects.visible_to(self.request.user)

    def _check_not_expired(self):
        """A client whose last position is older than the retention may have missed
        tombstones already purged: it must re-read everything."""
        now = timezone.now()
        params = self.request.query_params
        if "cursor" in params:
            position = decode_cursor(params["cursor"])
            since = position[0] if position else None
        elif "modified_after" in params:
            since = parse_modified_after(params["modified_after"], now)
        else:
            return
        oldest = now - datetime.timedelta(days=tombstones.retention_days())
        if since is not None and since < oldest:
            raise BadSyncParameter(
                "cursor",
                _("删除记录只保留 %(days)d 天，您的同步位置已过期：请重新全量同步。")
                % {"days": tombstones.retention_days()},
                "sync_expired",
            )


@extend_schema(tags=["webhooks"])
class WebhookSubscriptionViewSet(viewsets.ModelViewSet):
    """Outbound webhook subscriptions (the bureau admin's); the owner is who created it."""

    serializer_class = WebhookSubscriptionSerializer
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    action_permissions = {
        "list": "notifications.manage_webhooks",
        "retrieve": "notifications.manage_webhooks",
        "deliveries": "notifications.manage_webhooks",
        "write": "notifications.manage_webhooks",
    }
    queryset = WebhookSubscription.objects.all()

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @extend_schema(responses={200: WebhookDeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        subscription = self.get_object()
        page = self.paginate_queryset(subscription.deliveries.order_by("-created_at", "-id"))
        data = WebhookDeliverySerializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(request=None, responses={200: WebhookSubscriptionSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        subscription = webhooks.resume(self.get_object())
        return Response(self.get_serializer(subscription).data)

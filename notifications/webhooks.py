"""Outbound webhooks: signed events to other systems' endpoints (``WebhookSubscription``).

- ``emit(event_type, data, …)`` is called by a domain service inside its transaction: one
  ``WebhookDelivery`` per matching subscription (unique per subscription and event, so an
  event goes to a subscription once) and one outbox row each (``deliver_webhook`` task).
- ``deliver(delivery_id)`` posts the JSON body with the headers below; a 2xx is delivered,
  anything else (a timeout, a refused connection, 3xx–5xx) is retried with doubling delays
  (``retry_delay``) up to ``WEBHOOK_MAX_ATTEMPTS``, then failed. After
  ``WEBHOOK_PAUSE_AFTER`` deliveries failed in a row the subscription is paused and its owner
  notified; ``resume`` sends what waited.

Headers (docs/api.md has a verification snippet):
``X-CampusSafety-Event`` the type, ``X-CampusSafety-Timestamp`` Unix seconds of this attempt,
``X-CampusSafety-Signature`` ``v1=`` + hex HMAC-SHA256 with the subscription's secret over
``"{timestamp}.{body}"``, ``Idempotency-Key`` the event id (the same on every retry; the
receiver drops a key it has seen), ``X-CampusSafety-Delivery`` the delivery's id.
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import outbox
from .models import Kind, WebhookDelivery, WebhookSubscription

D = WebhookDelivery.Status

# The events other systems may subscribe to. The apps that emit them name them here, so a
# subscription can be checked before the first event exists.
EVENT_TYPES = {
    "hazard.reported": gettext_lazy("隐患登记"),
    "hazard.state_changed": gettext_lazy("隐患状态变更"),
    "hazard.overdue": gettext_lazy("隐患逾期"),
    "inspection.published": gettext_lazy("检查结果发布"),
    "drill.recorded": gettext_lazy("应急演练登记"),
    "incident.reported": gettext_lazy("突发事件报告"),
}


# Event ids are uuid5 of the event's key in this namespace (stable across retries).
EVENT_NAMESPACE = uuid.UUID("6f1d3c1e-4b7a-5f0e-9a55-2c1b5e0c9d41")


class WebhookFailed(Exception):
    """An attempt did not get a 2xx; the delivery is pending again and will be retried."""


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


# --- subscriptions -----------------------------------------------------------------------


def own_hosts(request_host: str = "") -> set[str]:
    hosts = {h.lstrip(".").lower() for h in settings.ALLOWED_HOSTS if h != "*"}
    if request_host:
        hosts.add(request_host.split(":")[0].lower())
    return hosts


def url_problem(url: str, *, request_host: str = "") -> str | None:
    """Why ``url`` cannot receive webhooks (translated), or None: not http(s), no host, one
    of this server's own names, or a loopback / link-local / unspecified address (unless
    ``WEBHOOK_ALLOW_LOOPBACK``, for tests and a receiver on the same machine)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("接收地址必须是 http:// 或 https:// 开头的网址。")
    host = parts.hostname.lower()
    if host in own_hosts(request_host):
        return _("接收地址不能指向本平台自身。")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    local = host == "localhost" or (
        address is not None
        and (address.is_loopback or address.is_link_local or address.is_unspecified)
    )
    if local and not setting("WEBHOOK_ALLOW_LOOPBACK", False):
        return _("接收地址不能是本机或链路本地地址。")
    return None


def event_type_problem(event_types: list) -> str | None:
    unknown = [t for t in event_types if t not in EVENT_TYPES]
    if unknown:
        return _("未知的事件类型：%(types)s。可选：%(known)s。") % {
            "types": "、".join(map(str, unknown)),
            "known": "、".join(EVENT_TYPES),
        }
    return None


def resume(subscription: WebhookSubscription) -> WebhookSubscription:
    """Un-pause ``subscription`` and send what waited meanwhile."""
    with transaction.atomic():
        subscription.paused_at = None
        subscription.failures_in_row = 0
        subscription.save(update_fields=["paused_at", "failures_in_row"])
        for pk in subscription.deliveries.filter(status=D.PENDING).values_list("pk", flat=True):
            outbox.enqueue("notifications.tasks.deliver_webhook", pk)
    return subscription


# --- events ------------------------------------------------------------------------------


def emit(
    event_type: str,
    data: dict,
    *,
    key: str,
    at: datetime.datetime,
    school_id: int | None = None,
    department_id: int | None = None,
) -> list[WebhookDelivery]:
    """Record ``event_type`` with ``data`` (JSON-ready) for every active subscription that
    wants it (a department's only for its own findings) and queue the sends on commit.
    ``key`` names the occurrence (``"hazard-event:12"``): the event id is derived from it,
    so a repeated scan or retried task records nothing twice. Paused subscriptions get the
    row too; it is sent when they are resumed."""
    assert event_type in EVENT_TYPES, event_type
    event_id = uuid.uuid5(EVENT_NAMESPACE, f"{event_type}:{key}")
    payload = {"id": str(event_id), "type": event_type, "occurred_at": at.isoformat(), "data": data}
    deliveries = []
    for subscription in WebhookSubscription.objects.filter(is_active=True):
        if event_type not in subscription.event_types:
            continue
        if subscription.department_id and subscription.department_id != department_id:
            continue
        delivery, created = WebhookDelivery.objects.get_or_create(
            subscription=subscription,
            event_id=event_id,
            defaults=dict(event_type=event_type, payload=payload, created_at=at),
        )
        if not created:  # the same occurrence again (a repeated scan, a retried task)
            continue
        deliveries.append(delivery)
        if subscription.paused_at is None:
            outbox.enqueue("notifications.tasks.deliver_webhook", delivery.pk)
    return deliveries


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``v1=`` + hex HMAC-SHA256 of ``"{timestamp}.{body}"`` with ``secret``."""
    message = str(timestamp).encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after ``attempts`` tries: doubling, capped."""
    base = setting("WEBHOOK_RETRY_BACKOFF_SECONDS", 30)
    return min(base * 2 ** max(attempts - 1, 0), setting("WEBHOOK_RETRY_BACKOFF_MAX", 3600))


def deliver(delivery_id: int, now: datetime.datetime) -> WebhookDelivery | None:
    """Make one attempt at ``delivery_id``. Returns the delivery, or None when it is gone,
    done, paused or being sent by another worker. Raises ``WebhookFailed`` when it should be
    tried again later."""
    delivery = claim(delivery_id, now)
    if delivery is None:
        return None
    code, error = post(delivery, int(now.timestamp()))
    if code is not None and 200 <= code < 300:
        return _delivered(delivery, code, now)
    if delivery.attempts < setting("WEBHOOK_MAX_ATTEMPTS", 8):
        _record(delivery, D.PENDING, code, error)
        raise WebhookFailed(error)
    _record(delivery, D.FAILED, code, error)
    _count_failure(delivery.subscription, now)
    return delivery


def claim(delivery_id: int, now: datetime.datetime) -> WebhookDelivery | None:
    """pending → sending with one UPDATE, counting the attempt; None if someone else won or
    the subscription is paused or off."""
    won = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=D.PENDING,
        subscription__paused_at__isnull=True,
        subscription__is_active=True,
    ).update(status=D.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not won:
        return None
    return WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)


def post(delivery: WebhookDelivery, timestamp: int) -> tuple[int | None, str]:
    """POST the payload; (HTTP status or None, error text)."""
    subscription = delivery.subscription
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "CampusSafety-Webhooks/1",
            "X-CampusSafety-Event": delivery.event_type,
            "X-CampusSafety-Timestamp": str(timestamp),
            "X-CampusSafety-Signature": sign(subscription.secret, timestamp, body),
            "X-CampusSafety-Delivery": str(delivery.pk),
            "Idempotency-Key": str(delivery.event_id),
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=setting("WEBHOOK_TIMEOUT_SECONDS", 10)) as reply:
            return reply.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:  # timeouts, refused connections, bad addresses
        return None, f"{type(exc).__name__}: {exc}"[:300]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: a 3xx counts as a failed attempt (a
    redirect could point the signed body at an address the subscription check refused)."""

    def redirect_request(self, *args, **kwargs):
        return None


def _delivered(delivery, code, now):
    delivery.status, delivery.response_code, delivery.error = D.DELIVERED, code, ""
    delivery.delivered_at = now
    delivery.save(update_fields=["status", "response_code", "error", "delivered_at"])
    WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(failures_in_row=0)
    return delivery


def _record(delivery, status, code, error):
    delivery.status, delivery.response_code, delivery.error = status, code, error[:300]
    delivery.save(update_fields=["status", "response_code", "error"])


def _count_failure(subscription: WebhookSubscription, now: datetime.datetime) -> None:
    """One more delivery failed; pause the subscription and tell its owner at the limit."""
    from .services import notify

    with transaction.atomic():
        locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        locked.failures_in_row += 1
        fields = ["failures_in_row"]
        pausing = locked.paused_at is None and locked.failures_in_row >= setting(
            "WEBHOOK_PAUSE_AFTER", 5
        )
        if pausing:
            locked.paused_at = now
            fields.append("paused_at")
        locked.save(update_fields=fields)
        if pausing:
            notify(
                [locked.owner],
                kind=Kind.WEBHOOK_PAUSED,
                subject=locked,
                period=f"paused:{now.isoformat()}",
                title=lambda: _("事件订阅“%(name)s”已暂停") % {"name": locked.name},
                body=lambda: (
                    _("连续 %(count)d 次推送失败，订阅已暂停。请检查接收地址后在订阅管理中恢复。")
                    % {"count": locked.failures_in_row}
                ),
            )

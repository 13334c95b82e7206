"""Admin: robots set up per school, logs read-only, a failed send queued again."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications import services
from notifications.models import Delivery, Kind, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["notification", "delivery", "webhookendpoint", "notificationpreference"]
)
def test_changelists_open(admin_as, bureau_admin, model):
    client = admin_as(bureau_admin, "all")
    assert client.get(reverse(f"admin:notifications_{model}_changelist")).status_code == 200


def test_logs_cannot_be_added(admin_as, bureau_admin):
    client = admin_as(bureau_admin, "all")
    assert client.get(reverse("admin:notifications_delivery_add")).status_code == 403


def test_a_school_user_sees_only_the_robots_of_their_school(
    admin_as, officer_a, school_a, school_b
):
    WebhookEndpoint.objects.create(
        name="甲群", provider="wecom", url="http://127.0.0.1/a", school=school_a
    )
    WebhookEndpoint.objects.create(
        name="乙群", provider="wecom", url="http://127.0.0.1/b", school=school_b
    )
    WebhookEndpoint.objects.create(name="局群", provider="wecom", url="http://127.0.0.1/c")
    page = (
        admin_as(officer_a, "notifications.view_webhookendpoint")
        .get(reverse("admin:notifications_webhookendpoint_changelist"))
        .content.decode()
    )
    assert "甲群" in page and "乙群" not in page and "局群" not in page


def test_a_failed_send_can_be_queued_again(
    admin_as, bureau_admin, principal_a, django_capture_on_commit_callbacks
):
    [delivery_id] = services.notify(
        [principal_a], kind=Kind.DIGEST, subject="d", period="1", title="日报", queue=False
    ).delivery_ids
    Delivery.objects.filter(pk=delivery_id).update(status="failed", attempts=5, error="HTTP 500")
    client = admin_as(bureau_admin, "all")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:notifications_delivery_changelist"),
            {"action": "send_again", "_selected_action": [delivery_id]},
        )
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("sent", 1) and len(mail.outbox) == 1

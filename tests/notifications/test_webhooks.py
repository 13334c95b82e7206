"""Outbound webhooks against a receiver this test runs on the loopback interface: each
event once per subscription with a valid signature (also when the first attempt times
out), retries, pausing a failing subscription and telling its owner; bad subscriptions are
400s."""

import hashlib
import hmac
import http.server
import json
import threading
import time

import pytest
from django.utils import timezone

from hazards import services
from notifications.models import Kind, Notification, WebhookDelivery, WebhookSubscription
from tests.api.conftest import report

SECRET = "s3cret-for-the-tests-only"


class Receiver(http.server.BaseHTTPRequestHandler):
    """Records every request; the first ``slow`` ones sleep past the client's timeout;
    answers ``status``. Dedupes by Idempotency-Key as a real receiver should."""

    def do_POST(self):
        server = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server.requests.append((self.headers, body))  # case-insensitive names
        if server.slow > 0:
            server.slow -= 1
            time.sleep(1.0)
        key = self.headers["Idempotency-Key"]
        if server.status < 300 and key not in server.processed:
            server.processed[key] = json.loads(body)
        self.send_response(server.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.requests, server.processed, server.slow, server.status = [], {}, 0, 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield server
    server.shutdown()


@pytest.fixture
def subscription(receiver, bureau_admin):
    return WebhookSubscription.objects.create(
        name="市级平台",
        url=receiver.url,
        secret=SECRET,
        owner=bureau_admin,
        event_types=["hazard.reported", "hazard.state_changed"],
    )


def valid_signature(headers, body):
    timestamp = headers["X-CampusSafety-Timestamp"]
    expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(headers["X-CampusSafety-Signature"], "v1=" + expected.hexdigest())


def report_with_events(school, actor, capture):
    with capture(execute=True):
        return services.report_hazard(
            school, actor=actor, title="楼梯扶手松动", category="building", source="patrol"
        )


def test_each_event_arrives_once_signed(
    receiver, subscription, school_a, officer_a, django_capture_on_commit_callbacks
):
    hazard = report_with_events(school_a, officer_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.dismiss_hazard(hazard, actor=officer_a, reason="重复登记")
    assert len(receiver.requests) == 2
    for headers, body in receiver.requests:
        assert valid_signature(headers, body)
    types = sorted(p["type"] for p in receiver.processed.values())
    assert types == ["hazard.reported", "hazard.state_changed"]
    changed = next(p for p in receiver.processed.values() if p["type"] == "hazard.state_changed")
    assert changed["data"]["to_status"] == "dismissed"
    assert changed["data"]["hazard"]["id"] == hazard.pk
    log = WebhookDelivery.objects.filter(subscription=subscription)
    assert {(d.status, d.response_code, d.attempts) for d in log} == {("delivered", 200, 1)}


def test_a_timed_out_attempt_is_retried_with_the_same_key(
    receiver, subscription, school_a, officer_a, django_capture_on_commit_callbacks
):
    receiver.slow = 1
    report_with_events(school_a, officer_a, django_capture_on_commit_callbacks)
    keys = [h["Idempotency-Key"] for h, _ in receiver.requests]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert len(receiver.processed) == 1  # once, as the receiver sees it
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_an_event_is_recorded_once_per_subscription_and_key(receiver, subscription):
    from notifications import webhooks

    for _ in range(2):
        webhooks.emit("hazard.reported", {"x": 1}, key="same", at=timezone.now())
    assert WebhookDelivery.objects.count() == 1


def test_a_failing_subscription_is_paused_and_its_owner_told(
    settings,
    receiver,
    subscription,
    school_a,
    officer_a,
    bureau_admin,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    settings.WEBHOOK_PAUSE_AFTER = 2
    receiver.status = 500
    for _ in range(2):
        report_with_events(school_a, officer_a, django_capture_on_commit_callbacks)
    subscription.refresh_from_db()
    assert subscription.paused_at is not None
    assert len(receiver.requests) == 4
    assert set(WebhookDelivery.objects.values_list("status", "response_code")) == {("failed", 500)}
    assert (
        Notification.objects.filter(recipient=bureau_admin, kind=Kind.WEBHOOK_PAUSED).count() == 1
    )
    # Paused: a new event waits, and is sent on resume.
    receiver.status = 200
    report_with_events(school_a, officer_a, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 4
    from notifications import webhooks

    with django_capture_on_commit_callbacks(execute=True):
        webhooks.resume(subscription)
    assert len(receiver.processed) == 1


def test_a_department_subscription_gets_only_its_findings(
    receiver, bureau_admin, school_a, officer_a, django_capture_on_commit_callbacks
):
    from tests.factories import DepartmentFactory

    fire, police = DepartmentFactory(name="消防"), DepartmentFactory(name="公安")
    WebhookSubscription.objects.create(
        name="消防系统",
        url=receiver.url,
        secret=SECRET,
        owner=bureau_admin,
        event_types=["hazard.reported"],
        department=fire,
    )
    with django_capture_on_commit_callbacks(execute=True):
        report(school_a, officer_a, department=police)
        services.report_hazard(
            school_a,
            actor=officer_a,
            title="消防通道堵塞",
            category="fire",
            source="joint_inspection",
            department=fire,
        )
    titles = [p["data"]["hazard"]["title"] for p in receiver.processed.values()]
    assert titles == ["消防通道堵塞"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "ftp://example.com/hook"}, "url"),
        ({"url": "http://testserver/api/v1/hazards/"}, "url"),
        ({"url": "http://127.0.0.1:8000/hook"}, "url"),
        ({"url": "http://169.254.169.254/latest"}, "url"),
        ({"event_types": ["hazard.exploded"]}, "event_types"),
        ({"secret": "short"}, "secret"),
    ],
)
def test_bad_subscriptions_are_400(api_as, bureau_admin, changes, field):
    body = {
        "name": "市级平台",
        "url": "https://city.example.cn/hook",
        "secret": SECRET,
        "event_types": ["hazard.reported"],
        **changes,
    }
    response = api_as(bureau_admin).post("/api/v1/webhook-subscriptions/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_only_the_bureau_admin_manages_subscriptions(api_as, bureau_admin, bureau_staff, officer_a):
    body = {
        "name": "市级平台",
        "url": "https://city.example.cn/hook",
        "secret": SECRET,
        "event_types": ["hazard.reported"],
    }
    for user in (bureau_staff, officer_a):
        assert api_as(user).get("/api/v1/webhook-subscriptions/").status_code == 403
        assert (
            api_as(user).post("/api/v1/webhook-subscriptions/", body, format="json").status_code
            == 403
        )
    created = api_as(bureau_admin).post("/api/v1/webhook-subscriptions/", body, format="json")
    assert created.status_code == 201
    assert "secret" not in created.json()
    assert WebhookSubscription.objects.get().owner == bureau_admin

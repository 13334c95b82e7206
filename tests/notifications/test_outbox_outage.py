"""A broker outage, against a real Redis: the test starts its own redis-server on a free
port, points the Celery app at it and stops it. A hazard reported on the web and through
the API and a transition all succeed while it is down; their work waits in the outbox.
After Redis restarts the relay hands every row over once, a real worker runs the tasks,
and each notification is delivered exactly once however often the relay runs."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu import Connection
from PIL import Image

from hazards.models import Hazard, HazardEvent, HazardPhoto
from notifications import outbox, tasks
from notifications.models import Delivery, OutboxMessage

from .conftest import forget_connections, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
M = OutboxMessage.Status


class RedisServer:
    """A redis-server of the test's own, without persistence, on a free port."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with Connection(self.url, connect_timeout=1) as connection:
                    connection.ensure_connection(max_retries=1, interval_start=0)
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def celery_on(settings, monkeypatch, redis_server):
    """The app's broker is the test's Redis; tasks really go through it (not eager).
    (Celery reads CELERY_BROKER_URL from the environment before its configuration.)"""
    from campussafety.celery import app

    monkeypatch.setenv("CELERY_BROKER_URL", redis_server.url)
    saved = {
        k: app.conf[k] for k in ("broker_url", "task_always_eager", "broker_transport_options")
    }
    forget_connections(app)
    app.conf.update(
        broker_url=redis_server.url, task_always_eager=False, broker_transport_options={}
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert app.conf.broker_url == redis_server.url
    yield app
    forget_connections(app)
    app.conf.update(**saved)
    outbox._resume()


def jpeg():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("a.jpg", out.getvalue(), content_type="image/jpeg")


def everything_done():
    """every event notified, every photo's thumbnail made, every send sent"""
    return (
        not HazardEvent.objects.filter(notified_at__isnull=True).exists()
        and not HazardPhoto.objects.filter(thumbnail="").exists()
        and Delivery.objects.exists()
        and not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()
    )


def test_with_redis_down_requests_succeed_and_each_notification_goes_out_once_after(
    client,
    api_client,
    celery_on,
    redis_server,
    receiver,
    school_robot,
    school_a,
    officer_a,
    principal_a,
    teacher_a,
):
    from celery.contrib.testing.worker import start_worker

    redis_server.stop()

    # The web form, with a photo (its thumbnail is work for the worker too).
    client.force_login(officer_a)
    started = time.monotonic()
    response = client.post(
        reverse("hazard-create"),
        {
            "school": school_a.pk,
            "title": "消防通道堆放杂物",
            "category": "fire",
            "level": "general",
            "source": "self_inspection",
            "location": "教学楼一层",
            "photos": [jpeg()],
        },
    )
    assert response.status_code == 302, response.content
    web_hazard = Hazard.objects.get(title="消防通道堆放杂物")
    assert response.url == reverse("hazard-detail", args=[web_hazard.pk])

    # The API: a report and a transition.
    api_client.force_authenticate(officer_a)
    response = api_client.post(
        "/api/v1/hazards/",
        {"school": school_a.pk, "title": "围墙破损", "category": "building", "source": "patrol"},
        format="json",
    )
    assert response.status_code == 201, response.content
    response = api_client.post(
        f"/api/v1/hazards/{web_hazard.pk}/assign/",
        {"responsible": teacher_a.pk, "measures": "清理杂物", "deadline": "2099-01-31"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rectifying"
    assert time.monotonic() - started < 30  # a refused broker holds no request for long

    # Nothing went out; nothing is lost: four rows wait (three events, one thumbnail).
    assert mail.outbox == [] and receiver.posts == []
    waiting = OutboxMessage.objects.filter(status=M.PENDING)
    assert sorted(waiting.values_list("task", flat=True)) == [
        "hazards.tasks.make_photo_thumbnail",
        "hazards.tasks.notify_hazard_event",
        "hazards.tasks.notify_hazard_event",
        "hazards.tasks.notify_hazard_event",
    ]
    assert all(row.error for row in waiting[:1])  # the refused publish is recorded
    assert outbox.outbox_lag(timezone.now())[0] == 4
    assert tasks.relay_outbox.apply().get() == 0  # the sweep, still down: nothing, no error

    redis_server.start()
    assert tasks.relay_outbox.apply().get() == 4
    assert tasks.relay_outbox.apply().get() == 0  # run again: nothing twice
    assert outbox.outbox_lag(timezone.now()) == (0, 0.0)

    with start_worker(
        celery_on, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=30
    ):
        wait_for(everything_done, timeout=60)
        tasks.relay_outbox.apply()  # a late sweep while the worker runs sends nothing more
        time.sleep(1)

    api_hazard = Hazard.objects.get(title="围墙破损")
    # Reports go to the school's managers but the reporter; the assignment to the
    # responsible teacher: one e-mail each, one robot post per event.
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (principal_a.email, mail_subject(web_hazard, "report")),
            (principal_a.email, mail_subject(api_hazard, "report")),
            (teacher_a.email, mail_subject(web_hazard, "assign")),
        ]
    )
    assert len(receiver.bodies("/wecom/a")) == 3
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Delivery.Status.SENT, 1)}
    # Each row sent once. The first was tried on commit and by the sweep while Redis was
    # down; after that refusal the other requests left theirs to the sweep (no waiting).
    rows = OutboxMessage.objects.order_by("id")
    assert [(row.status, row.attempts) for row in rows] == [(M.SENT, 3)] + [(M.SENT, 1)] * 3
    assert HazardPhoto.objects.get().thumbnail


def mail_subject(hazard, action):
    """The subject of the e-mail about ``hazard``'s event ``action`` (as sent)."""
    subjects = [m.subject for m in mail.outbox if hazard.title in m.subject]
    event = HazardEvent.objects.get(hazard=hazard, action=action)
    label = event.get_action_display()
    return next(s for s in subjects if str(label) in s)

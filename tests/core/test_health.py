"""/health/ for the load balancer: JSON, no sign-in, 200 when every part passes and 503
naming the failing part otherwise (a broker on a closed port, a stuck outbox, a full disk)."""

import datetime
import socket

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STUCK = {"pending": 3, "oldest": 3600.0}


def stuck_outbox_lag(now: datetime.datetime) -> tuple[int, float | None]:
    return STUCK["pending"], STUCK["oldest"]


def empty_outbox_lag(now: datetime.datetime) -> tuple[int, float | None]:
    return 0, None


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # free again once closed: nothing listens there


def test_all_parts_pass_is_200_without_signing_in(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "broker", "disk", "outbox"}
    assert all(part["ok"] for part in body["checks"].values())
    assert response["Cache-Control"] == "private, no-store"


def test_unreachable_broker_is_503_naming_the_broker(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["failing"] == ["broker"]
    assert body["checks"]["broker"] == {"ok": False, "error": "broker unreachable"}
    assert body["checks"]["database"]["ok"] is True
    assert "127.0.0.1" not in response.content.decode()  # no host names in the answer


def test_outbox_part_reports_lag_and_fails_when_the_oldest_row_is_too_old(client, settings):
    settings.HEALTH_OUTBOX_LAG = "tests.core.test_health.stuck_outbox_lag"
    settings.HEALTH_OUTBOX_MAX_AGE_SECONDS = 600
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["outbox"]

    settings.HEALTH_OUTBOX_LAG = "tests.core.test_health.empty_outbox_lag"
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["checks"]["outbox"] == {
        "ok": True,
        "pending": 0,
        "oldest_age_seconds": None,
    }


def test_outbox_part_without_an_outbox_says_not_configured(client, settings):
    settings.HEALTH_OUTBOX_LAG = None
    assert client.get(reverse("health")).json()["checks"]["outbox"] == {
        "ok": True,
        "configured": False,
    }


def test_misconfigured_outbox_function_fails_loudly(client, settings):
    settings.HEALTH_OUTBOX_LAG = "notifications.no_such_module.outbox_lag"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["outbox"] == {"ok": False, "error": "check raised an error"}


def test_too_little_disk_is_503_naming_the_disk(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media-not-created-yet"
    settings.HEALTH_DISK_MIN_FREE_MB = 10**12  # more than any disk has
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["failing"] == ["disk"]


def test_health_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_only_get_and_head(client):
    assert client.post(reverse("health")).status_code == 405


def test_the_real_outbox_fails_the_check_when_a_row_waits_too_long(client, settings):
    """The default HEALTH_OUTBOX_LAG is the notifications outbox itself."""
    import time_machine
    from django.utils import timezone

    from notifications.models import OutboxMessage

    now = timezone.now()
    OutboxMessage.objects.create(
        task="hazards.tasks.notify_event", created_at=now - datetime.timedelta(minutes=20)
    )
    with time_machine.travel(now, tick=False):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["outbox"] and body["checks"]["outbox"]["ok"] is False

    OutboxMessage.objects.update(created_at=now - datetime.timedelta(seconds=30))
    with time_machine.travel(now, tick=False):
        response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["checks"]["outbox"]["pending"] == 1

"""A real Celery worker (in-process thread, on Redis when CELERY_BROKER_URL names it, else
the in-memory transport): reminders go through the broker and are delivered once, however
often a task runs, and a failing robot is retried then recorded without holding up others."""
import datetime
import threading

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from notifications import services, tasks
from notifications.models import Delivery, Kind, Notification
from tests.factories import HazardFactory, UserFactory

from .conftest import broker_url, ensure_broker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
D = Delivery.Status


def overdue_hazard(school, responsible, days):
    return HazardFactory(school=school, status="rectifying", responsible=responsible,
                         deadline=timezone.localdate() - datetime.timedelta(days=days))


def marker(user):
    """A fresh delivery sent through the queue; with one worker thread, once it is sent
    everything enqueued before it has run."""
    result = services.notify([user], kind=Kind.DIGEST, subject="marker", period=str(timezone.now()),
                             title="marker")
    return result.delivery_ids[0]


def is_sent(delivery_id):
    return lambda: Delivery.objects.filter(pk=delivery_id, status=D.SENT).exists()


def test_an_unreachable_redis_fails_loudly():
    """The worker fixture connects first; an unreachable Redis raises, so CI fails."""
    with pytest.raises(Exception):  # noqa: B017 - kombu raises OperationalError subclasses
        ensure_broker("redis://127.0.0.1:1/6")


def test_the_worker_uses_redis_when_the_environment_names_it(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/6")
    assert broker_url() == "redis://127.0.0.1:6379/6"
    monkeypatch.delenv("CELERY_BROKER_URL")
    assert broker_url() == "memory://"


def test_an_overdue_hazard_is_escalated_once_per_step(
        celery_worker, receiver, school_robot, bureau_robot, school_a, teacher_a, principal_a,
        cadre_a, leader_a, bureau_staff):
    hazard = overdue_hazard(school_a, teacher_a, days=20)
    with celery_worker(concurrency=1) as app:
        assert app.conf.broker_url == broker_url() and not app.conf.task_always_eager
        tasks.escalate_overdue.delay()
        wait_for(lambda: Delivery.objects.filter(status=D.SENT).count() == 8)
        # The same run again, twice, and every send delivered a second time by the broker.
        tasks.escalate_overdue.delay()
        tasks.escalate_overdue.delay()
        for delivery_id in Delivery.objects.values_list("id", flat=True):
            tasks.send_delivery.delay(delivery_id)
        wait_for(is_sent(marker(bureau_staff)))

    steps = Notification.objects.filter(kind=Kind.OVERDUE, subject_key=f"hazards.hazard:{hazard.pk}")
    assert sorted(steps.values_list("recipient__username", "period")) == [
        ("cadre_a", f"{hazard.deadline}:cadre"), ("leader_a", f"{hazard.deadline}:leader"),
        ("principal_a", f"{hazard.deadline}:principal"), ("teacher_a", f"{hazard.deadline}:owner"),
    ]
    overdue_mail = [m.to for m in mail.outbox if hazard.title in m.subject]
    assert sorted(overdue_mail) == [[u.email] for u in sorted([cadre_a, leader_a, principal_a, teacher_a],
                                                              key=lambda u: u.email)]
    assert len(receiver.bodies("/wecom/a")) == 2  # owner and principal steps, school A's group
    bureau_posts = [p for p in receiver.posts if p[1] == "/dingtalk/bureau" and "marker" not in str(p[3])]
    assert len(bureau_posts) == 2  # cadre and leader steps, the bureau's group
    assert all({"access_token", "timestamp", "sign"} <= set(query) for _t, _p, query, _b in bureau_posts)
    assert set(Delivery.objects.values_list("status", "attempts")) == {(D.SENT, 1)}


def test_a_send_enqueued_twice_is_delivered_once(celery_worker, receiver, school_robot, principal_a):
    result = services.notify([principal_a], kind=Kind.DRILL_DUE, subject="drill:a", period="2025-06",
                             title="演练提醒", school=principal_a.schools.first(), queue=False)
    with celery_worker(concurrency=2):
        for delivery_id in result.delivery_ids * 2:
            tasks.send_delivery.delay(delivery_id)
        wait_for(lambda: Delivery.objects.filter(status=D.SENT).count() == 2)
        wait_for(is_sent(marker(principal_a)))
    assert len(receiver.bodies("/wecom/a")) == 2  # the reminder once, the marker once
    assert [m.subject for m in mail.outbox].count("【校园安全】演练提醒") == 1
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_the_same_send_in_two_threads_at_once_goes_out_once(receiver, school_robot, principal_a):
    result = services.notify([principal_a], kind=Kind.DRILL_DUE, subject="drill:a", period="2025-06",
                             title="演练提醒", school=principal_a.schools.first(), queue=False)
    receiver.delay = 0.5  # the first send is still in flight when the second starts
    webhook = Delivery.objects.get(pk__in=result.delivery_ids, channel="webhook")
    start = threading.Barrier(2)

    def run():
        start.wait()
        tasks.send_delivery.apply(args=(webhook.pk,))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(receiver.bodies("/wecom/a")) == 1
    webhook.refresh_from_db()
    assert (webhook.status, webhook.attempts) == (D.SENT, 1)


def test_notify_in_two_threads_at_once_stores_one_notification(principal_a):
    start = threading.Barrier(2)
    errors = []

    def run():
        start.wait()
        try:
            services.notify([principal_a], kind=Kind.DIGEST, subject="digest:bureau", period="2025-06-10",
                            title="日报", queue=False)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    if connection.vendor == "sqlite":
        # SQLite's shared in-memory test database locks whole tables between threads instead
        # of waiting: the loser fails, and still nothing is stored twice. CI runs PostgreSQL,
        # where the loser waits for the unique index and finds the winner's row.
        assert all(isinstance(e, OperationalError) for e in errors)
    else:
        assert errors == []
    assert Notification.objects.count() == 1 and Delivery.objects.count() == 1


def test_a_failing_robot_is_retried_then_recorded_without_holding_up_others(
        settings, celery_worker, receiver, school_robot, bureau_robot, school_a, principal_a, bureau_staff):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_BACKOFF_SECONDS = 1
    receiver.replies["/wecom/a"] = [(500, {"errmsg": "down"})]
    with celery_worker(concurrency=2):
        services.notify([principal_a], kind=Kind.OVERDUE, subject="hazards.hazard:1", period="p",
                        title="逾期", school=school_a)
        services.notify([bureau_staff], kind=Kind.OVERDUE, subject="hazards.hazard:1", period="p",
                        title="逾期", school=school_a)
        wait_for(lambda: Delivery.objects.filter(endpoint=school_robot, status=D.FAILED).exists())

    failed = Delivery.objects.get(endpoint=school_robot)
    assert (failed.attempts, failed.error) == (3, "HTTP 500")
    assert len(receiver.bodies("/wecom/a")) == 3
    others = Delivery.objects.exclude(pk=failed.pk)
    assert set(others.values_list("status", "attempts")) == {(D.SENT, 1)} and others.count() == 3
    bad_times = [t for t, path, _q, _b in receiver.posts if path == "/wecom/a"]
    good_time = next(t for t, path, _q, _b in receiver.posts if path == "/dingtalk/bureau")
    assert good_time < bad_times[1]  # sent while the failing robot waited for its retry
    assert Notification.objects.count() == 2  # the inbox rows stand whatever the robots do

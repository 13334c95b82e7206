"""A real Celery worker (in-process thread, on Redis when CELERY_BROKER_URL names it, else
the in-memory transport): reminders go through the broker and are delivered once, however
often a task runs, and a failing robot is retried then recorded without holding up others.

While the worker runs, the test thread only enqueues and watches the mailbox and the local
robot: SQLite's shared in-memory test database cannot take two threads' writes at once.
One worker thread runs tasks in order, so once a marker sent last has arrived, everything
enqueued before it has run."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from hazards import tasks as hazard_tasks
from notifications import services, tasks
from notifications.models import Delivery, Kind, Notification
from tests.factories import HazardFactory

from .conftest import broker_url, ensure_broker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
D = Delivery.Status


def overdue_hazard(school, responsible, days):
    return HazardFactory(
        school=school,
        status="rectifying",
        responsible=responsible,
        deadline=timezone.localdate() - datetime.timedelta(days=days),
    )


def make_marker(user):
    """An e-mail delivery written now and enqueued last (``tasks.send_delivery.delay``)."""
    result = services.notify(
        [user], kind=Kind.DIGEST, subject="marker", period="marker", title="marker", queue=False
    )
    return Delivery.objects.get(pk__in=result.delivery_ids, channel="email").pk


def mails(subject_part):
    return [m for m in mail.outbox if subject_part in m.subject]


def marker_arrived():
    """the marker e-mail"""
    return bool(mails("marker"))


def in_two_threads(call):
    """Run ``call`` in two threads released at the same moment; returns their exceptions."""
    start, errors = threading.Barrier(2), []

    def run():
        start.wait()
        try:
            call()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection, or the test database stays busy

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    return errors


def assert_no_errors_but_sqlite_locks(errors):
    if connection.vendor == "sqlite":
        # SQLite's shared in-memory test database locks whole tables between threads instead
        # of waiting: the loser fails, and still nothing is done twice. CI runs PostgreSQL,
        # where the loser waits for the row or unique index and finds the winner's work.
        assert all(isinstance(e, OperationalError) for e in errors), errors
    else:
        assert errors == []


def test_an_unreachable_redis_fails_loudly():
    """The worker fixture connects first; an unreachable Redis raises, so CI fails."""
    with pytest.raises(Exception):  # noqa: B017, PT011 - kombu raises OperationalError subclasses
        ensure_broker("redis://127.0.0.1:1/6")


def test_the_worker_uses_redis_when_the_environment_names_it(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/6")
    assert broker_url() == "redis://127.0.0.1:6379/6"
    monkeypatch.delenv("CELERY_BROKER_URL")
    assert broker_url() == "memory://"


def test_an_overdue_hazard_is_escalated_once_per_step(
    celery_worker,
    receiver,
    school_robot,
    bureau_robot,
    school_a,
    teacher_a,
    principal_a,
    cadre_a,
    leader_a,
    bureau_staff,
):
    hazard = overdue_hazard(school_a, teacher_a, days=20)
    marker = make_marker(bureau_staff)
    with celery_worker() as app:
        assert app.conf.broker_url == broker_url() and not app.conf.task_always_eager
        hazard_tasks.escalate_overdue.delay()
        wait_for(lambda: len(mails(hazard.title)) == 4 and len(receiver.posts) == 4)
    sends = list(Delivery.objects.filter(kind=Kind.OVERDUE).values_list("id", flat=True))
    with celery_worker():  # restarted: the same run again, twice, and every send redelivered
        hazard_tasks.escalate_overdue.delay()
        hazard_tasks.escalate_overdue.delay()
        for delivery_id in sends:
            tasks.send_delivery.delay(delivery_id)
        tasks.send_delivery.delay(marker)
        wait_for(marker_arrived)

    steps = Notification.objects.filter(
        kind=Kind.OVERDUE, subject_key=f"hazards.hazard:{hazard.pk}"
    )
    assert sorted(steps.values_list("recipient__username", "period")) == [
        ("cadre_a", f"{hazard.deadline}:cadre"),
        ("leader_a", f"{hazard.deadline}:leader"),
        ("principal_a", f"{hazard.deadline}:principal"),
        ("teacher_a", f"{hazard.deadline}:owner"),
    ]
    overdue_mail = [m.to for m in mail.outbox if hazard.title in m.subject]
    assert sorted(overdue_mail) == [
        [u.email]
        for u in sorted([cadre_a, leader_a, principal_a, teacher_a], key=lambda u: u.email)
    ]
    assert len(receiver.bodies("/wecom/a")) == 2  # owner and principal steps, school A's group
    bureau_posts = [
        p for p in receiver.posts if p[1] == "/dingtalk/bureau" and "marker" not in str(p[3])
    ]
    assert len(bureau_posts) == 2  # cadre and leader steps, the bureau's group
    assert all(
        {"access_token", "timestamp", "sign"} <= set(query) for _t, _p, query, _b in bureau_posts
    )
    steps_sent = Delivery.objects.filter(kind=Kind.OVERDUE)
    assert steps_sent.count() == 8 and set(steps_sent.values_list("status", "attempts")) == {
        (D.SENT, 1)
    }


def test_a_send_enqueued_twice_is_delivered_once(
    celery_worker, receiver, school_robot, principal_a
):
    result = services.notify(
        [principal_a],
        kind=Kind.DRILL_DUE,
        subject="drill:a",
        period="2025-06",
        title="演练提醒",
        school=principal_a.schools.first(),
        queue=False,
    )
    marker = make_marker(principal_a)
    with celery_worker():
        for delivery_id in result.delivery_ids * 2:
            tasks.send_delivery.delay(delivery_id)
        tasks.send_delivery.delay(marker)
        wait_for(marker_arrived)
    assert len(receiver.bodies("/wecom/a")) == 1
    assert len(mails("演练提醒")) == 1
    sent = Delivery.objects.filter(pk__in=result.delivery_ids)
    assert set(sent.values_list("status", "attempts")) == {(D.SENT, 1)}


def test_the_same_send_in_two_threads_at_once_goes_out_once(receiver, school_robot, principal_a):
    result = services.notify(
        [principal_a],
        kind=Kind.DRILL_DUE,
        subject="drill:a",
        period="2025-06",
        title="演练提醒",
        school=principal_a.schools.first(),
        queue=False,
    )
    receiver.delay = 0.5  # the first send is still in flight when the second starts
    webhook = Delivery.objects.get(pk__in=result.delivery_ids, channel="webhook")
    errors = in_two_threads(lambda: tasks.send_delivery.apply(args=(webhook.pk,), throw=True))
    assert_no_errors_but_sqlite_locks(errors)
    assert len(receiver.bodies("/wecom/a")) == 1
    webhook.refresh_from_db()
    assert (webhook.status, webhook.attempts) == (D.SENT, 1)


def test_notify_in_two_threads_at_once_stores_one_notification(principal_a):
    errors = in_two_threads(
        lambda: services.notify(
            [principal_a],
            kind=Kind.DIGEST,
            subject="digest:bureau",
            period="2025-06-10",
            title="日报",
            queue=False,
        )
    )
    assert_no_errors_but_sqlite_locks(errors)
    assert Notification.objects.count() == 1 and Delivery.objects.count() == 1


def test_a_failing_robot_is_retried_then_recorded_without_holding_up_others(
    settings,
    celery_worker,
    receiver,
    school_robot,
    bureau_robot,
    school_a,
    principal_a,
    bureau_staff,
):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    settings.NOTIFY_RETRY_BACKOFF_SECONDS = 1
    receiver.replies["/wecom/a"] = [(500, {"errmsg": "down"})]
    ids = []
    for user in (principal_a, bureau_staff):  # school A's robot fails, the bureau's works
        ids += services.notify(
            [user],
            kind=Kind.OVERDUE,
            subject="hazards.hazard:1",
            period="p",
            title="逾期",
            school=school_a,
            queue=False,
        ).delivery_ids
    marker = make_marker(principal_a)
    failing_first = sorted(ids, key=lambda i: i != school_robot_delivery(ids))
    with celery_worker():
        for delivery_id in failing_first:
            tasks.send_delivery.delay(delivery_id)
        wait_for(lambda: len(receiver.bodies("/wecom/a")) == 3)
        tasks.send_delivery.delay(marker)
        wait_for(marker_arrived)

    failed = Delivery.objects.get(endpoint=school_robot, kind=Kind.OVERDUE)
    assert (failed.status, failed.attempts, failed.error) == (D.FAILED, 3, "HTTP 500")
    assert len(receiver.bodies("/wecom/a")) == 3
    others = Delivery.objects.filter(pk__in=ids).exclude(pk=failed.pk)
    assert set(others.values_list("status", "attempts")) == {(D.SENT, 1)} and others.count() == 3
    bad_times = [t for t, path, _q, _b in receiver.posts if path == "/wecom/a"]
    good_time = next(t for t, path, _q, _b in receiver.posts if path == "/dingtalk/bureau")
    assert good_time < bad_times[1]  # sent while the failing robot waited for its retry
    assert (
        Notification.objects.filter(kind=Kind.OVERDUE).count() == 2
    )  # the inbox stands regardless


def school_robot_delivery(ids):
    return Delivery.objects.get(pk__in=ids, endpoint__school__isnull=False).pk

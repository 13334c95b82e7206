"""On PostgreSQL, with two threads (two connections): two concurrent taps for one student
keep one row; the cut-off task run twice at once sends each alert once."""

import datetime
from datetime import UTC

import pytest
import time_machine
from django.db import connection

from notifications.models import Kind, Notification
from supervision import reminders, services
from supervision.models import CheckIn, Roll

from ..snapshot.test_concurrency import run_concurrently
from .conftest import WEDNESDAY, day_students

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]
EVENING = datetime.datetime(2024, 10, 9, 10, 30, tzinfo=UTC)  # 18:30 in Beijing: cut-off


def test_two_concurrent_taps_give_one_row(class_a1, teacher_a, officer_a):
    student = day_students(class_a1)[0]

    def tap(actor, status):
        return lambda: services.mark_checkins(
            class_a1, actor=actor, day=WEDNESDAY, kind="home", marks={student.pk: status},
            now=EVENING,
        )  # fmt: skip

    for _ in range(3):
        results = run_concurrently(tap(teacher_a, "arrived"), tap(officer_a, "excused"))
        assert not [r for r in results if isinstance(r, Exception)], results
    assert CheckIn.objects.filter(student=student).count() == 1
    assert Roll.objects.filter(school_class=class_a1).count() == 1


def test_the_cutoff_task_twice_and_in_two_threads_alerts_once(
    class_a1, teacher_a, officer_a, principal_a
):
    later = EVENING + datetime.timedelta(minutes=30)  # teacher and school both due
    with time_machine.travel(later, tick=False):
        results = run_concurrently(*[lambda: reminders.alert_missing_checkins(later)] * 2)
        assert not [r for r in results if isinstance(r, Exception)], results
        assert reminders.alert_missing_checkins(later) == 0
    assert sum(results) == 3  # teacher, officer, principal
    sent = Notification.objects.filter(kind=Kind.CHECKIN_MISSING)
    assert sorted(sent.values_list("recipient__username", flat=True)) == sorted(
        ["teacher_a", "officer_a", "principal_a"]
    )
    for notification in sent:
        assert notification.body.count("走读生0") == 1

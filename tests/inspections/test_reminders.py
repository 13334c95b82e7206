"""The "inspections due" reminder: the inspecting side is told of a planned or started
inspection in the next N days, the bureau staff of one whose date passed unsubmitted, each
once per planned date, on the Beijing calendar even when the process clock is UTC."""

import datetime

import pytest
import time_machine
from django_celery_beat.models import PeriodicTask

from accounts.models import User
from inspections import reminders, tasks
from notifications.models import Notification
from tests.factories import InspectionFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
UTC = datetime.UTC
DUE, OVERDUE = reminders.INSPECTION_DUE, reminders.INSPECTION_OVERDUE


def rows(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "period")
    )


@pytest.fixture
def people(officer_a, principal_a, teacher_a, officer_b, bureau_staff, bureau_admin):
    return None


def test_each_kind_reminds_its_inspecting_side_once(people, school_a, school_b, bureau_staff):
    leader = UserFactory(username="leader", role=User.Role.BUREAU_ADMIN, scope_all_schools=True)
    cross = InspectionFactory(
        kind="cross", school=school_a, inspecting_school=school_b, date=D(2025, 6, 12)
    )
    InspectionFactory(kind="self", school=school_a, date=D(2025, 6, 10), status="in_progress")
    InspectionFactory(kind="joint", school=school_a, date=D(2025, 6, 13), leader=leader)
    InspectionFactory(kind="spot", school=school_b, date=D(2025, 6, 11))
    assert reminders.remind_inspections_due(D(2025, 6, 10)) == 5
    assert reminders.remind_inspections_due(D(2025, 6, 10)) == 0
    assert reminders.remind_inspections_due(D(2025, 6, 11)) == 1  # only the self one, now late
    assert rows(DUE) == [
        ("bureau", "2025-06-11"),
        ("leader", "2025-06-13"),
        ("officer_a", "2025-06-10"),
        ("officer_b", "2025-06-12"),
        ("principal_a", "2025-06-10"),
    ]
    note = Notification.objects.get(recipient__username="officer_b")
    assert (
        note.url == f"/inspections/{cross.pk}/"
        and cross.title in note.title
        and note.school == school_a
    )


def test_only_open_inspections_within_the_window_are_reminded(people, school_a):
    InspectionFactory(kind="self", school=school_a, date=D(2025, 6, 14))  # 4 days away
    InspectionFactory(kind="self", school=school_a, date=D(2025, 6, 11), status="submitted")
    InspectionFactory(kind="self", school=school_a, date=D(2025, 6, 12), status="reviewed")
    assert reminders.remind_inspections_due(D(2025, 6, 10)) == 0
    assert reminders.remind_inspections_due(D(2025, 6, 11)) == 2
    assert rows(DUE) == [("officer_a", "2025-06-14"), ("principal_a", "2025-06-14")]


def test_an_overdue_inspection_goes_to_the_bureau_staff_once(people, school_a):
    inspection = InspectionFactory(kind="self", school=school_a, date=D(2025, 6, 9))
    assert reminders.remind_inspections_due(D(2025, 6, 9)) == 2  # due today: the school
    assert reminders.remind_inspections_due(D(2025, 6, 10)) == 1
    assert reminders.remind_inspections_due(D(2025, 6, 12)) == 0
    assert rows(OVERDUE) == [("bureau", "2025-06-09")]  # staff, not the bureau admin
    inspection.date = D(2025, 6, 20)  # rescheduled, then missed again: told again
    inspection.save()
    assert reminders.remind_inspections_due(D(2025, 6, 21)) == 1
    inspection.status = "submitted"
    inspection.save()
    assert reminders.remind_inspections_due(D(2025, 6, 30)) == 0


def test_the_task_uses_the_beijing_date_and_sends_once(people, school_a):
    InspectionFactory(kind="self", school=school_a, date=D(2025, 6, 13))
    InspectionFactory(kind="self", school=school_a, date=D(2025, 6, 9))
    with time_machine.travel(datetime.datetime(2025, 6, 9, 15, 30, tzinfo=UTC), tick=False):
        tasks.remind_inspections_due.delay()  # 23:30 on 9 June in Beijing: 4 days away, not late
    assert (
        rows(DUE) == [("officer_a", "2025-06-09"), ("principal_a", "2025-06-09")]
        and rows(OVERDUE) == []
    )
    with time_machine.travel(datetime.datetime(2025, 6, 9, 23, 30, tzinfo=UTC), tick=False):
        tasks.remind_inspections_due.delay()  # 07:30 on 10 June in Beijing
        tasks.remind_inspections_due.delay()
    assert rows(OVERDUE) == [("bureau", "2025-06-09")]
    assert ("officer_a", "2025-06-13") in rows(DUE) and len(rows(DUE)) == 4


def test_the_beat_row_runs_at_0905_beijing():
    row = PeriodicTask.objects.get(task="inspections.tasks.remind_inspections_due")
    assert row.enabled and str(row.crontab.timezone) == "Asia/Shanghai"
    assert (row.crontab.minute, row.crontab.hour) == ("5", "9")

"""The cut-off alerts of 到家报平安 and 查寝, and the missed-patrol reminders, through the
Celery tasks with the clock pinned: due on school days only (none on a holiday, one on a
make-up workday), on the Beijing date, and each exactly once."""

import datetime
from datetime import UTC

import pytest
import time_machine

from notifications.models import Kind, Notification
from supervision import tasks
from supervision.models import BellTime, CheckIn, Patrol, Roll

from .conftest import HOLIDAY, WEDNESDAY, WORKDAY, day_students

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    """Beijing wall-clock time ``hour:minute`` on ``day`` as an aware UTC datetime."""
    local = datetime.datetime.combine(day, datetime.time(hour, minute))
    return (local - datetime.timedelta(hours=8)).replace(tzinfo=UTC)


def run(task, when):
    with time_machine.travel(when, tick=False):
        return task()


def alerts(user):
    return list(Notification.objects.filter(recipient=user, kind=Kind.CHECKIN_MISSING))


@pytest.fixture
def managers(school_a, officer_a, principal_a):
    return officer_a, principal_a


def test_teacher_at_cutoff_then_officer_and_principal_with_phones(class_a1, teacher_a, managers):
    first, second, third = day_students(class_a1)
    CheckIn.objects.create(
        school=class_a1.school, roll=Roll.objects.create(school=class_a1.school,
        school_class=class_a1, date=WEDNESDAY, kind="home"), student=first, date=WEDNESDAY,
        kind="home", status="arrived", marked_at=at(WEDNESDAY, 17, 30),
    )  # fmt: skip
    assert run(tasks.alert_missing_checkins, at(WEDNESDAY, 18, 29)) == 0  # before 17:00 + 90'
    assert run(tasks.alert_missing_checkins, at(WEDNESDAY, 18, 30)) == 1
    (alert,) = alerts(teacher_a)
    assert second.name in alert.body and third.name in alert.body and first.name not in alert.body
    assert second.guardian_phone not in alert.body
    assert Roll.objects.get(school_class=class_a1, kind="home").unaccounted_at_cutoff == 2
    officer, principal = managers
    assert alerts(officer) == []
    # Meanwhile the second student arrives; 30 minutes after the cut-off the school is told.
    CheckIn.objects.filter(student=first).update(student=second)
    assert run(tasks.alert_missing_checkins, at(WEDNESDAY, 19, 0)) == 2
    for manager in managers:
        (alert,) = alerts(manager)
        assert third.name in alert.body and third.guardian_phone in alert.body
        assert second.name not in alert.body
    # Again, later, and again: nothing more.
    assert run(tasks.alert_missing_checkins, at(WEDNESDAY, 19, 5)) == 0
    assert len(alerts(teacher_a)) == 1 and len(alerts(officer)) == 1


def test_dorm_roll_call_goes_to_teacher_then_officer(class_a1, teacher_a, managers):
    officer, principal = managers
    run(tasks.alert_missing_checkins, at(WEDNESDAY, 19, 30))  # the home alerts
    home = {a.pk for a in alerts(teacher_a)}
    assert run(tasks.alert_missing_checkins, at(WEDNESDAY, 22, 0)) == 1  # 21:30 + 30'
    dorm = [a for a in alerts(teacher_a) if a.pk not in home]
    assert len(dorm) == 1 and "住校生0" in dorm[0].body and "走读生0" not in dorm[0].body
    run(tasks.alert_missing_checkins, at(WEDNESDAY, 22, 30))
    assert any("住校生1" in a.body for a in alerts(officer))
    assert not any("住校生1" in a.body for a in alerts(principal))


def test_nothing_on_a_holiday_and_alerts_on_a_make_up_workday(class_a1, teacher_a):
    assert run(tasks.alert_missing_checkins, at(HOLIDAY, 20, 0)) == 0
    assert not Roll.objects.exists()
    assert run(tasks.alert_missing_checkins, at(WORKDAY, 18, 30)) == 1
    assert alerts(teacher_a)[0].subject_key.endswith(
        str(Roll.objects.get(date=WORKDAY, kind="home").pk)
    )


def test_cutoff_per_grade_and_per_school(class_a1, class_a2, teacher_a, teacher_a2):
    BellTime.objects.create(
        school=class_a1.school, grade=4, kind="dismissal", start=datetime.time(16, 0),
        cutoff_minutes=60,
    )  # fmt: skip
    run(tasks.alert_missing_checkins, at(WEDNESDAY, 17, 0))  # grade 4: 16:00 + 60'
    assert len(alerts(teacher_a2)) == 1 and alerts(teacher_a) == []


def test_the_beijing_date_at_2330_utc(class_a1, teacher_a):
    # 23:30 UTC on 8 October is 07:30 on Wednesday 9 October in Beijing: no cut-off yet
    # (none of the 8th either: that day's scan is over and the 8th is not "today").
    assert (
        run(tasks.alert_missing_checkins, datetime.datetime(2024, 10, 8, 23, 30, tzinfo=UTC)) == 0
    )
    assert not Roll.objects.exists()


def test_missed_patrol_reminds_the_patroller_then_the_officer(patrol_setup, teacher_a, officer_a):
    slot, _points = patrol_setup
    assert run(tasks.remind_missed_patrols, at(WEDNESDAY, 10, 49)) == 0  # end 10:20 + 30'
    assert run(tasks.remind_missed_patrols, at(WEDNESDAY, 10, 50)) == 1
    assert Patrol.objects.get().status == "missed"
    assert Notification.objects.get(kind=Kind.PATROL_MISSED).recipient == teacher_a
    assert run(tasks.remind_missed_patrols, at(WEDNESDAY, 11, 50)) == 1  # + 60'
    assert Notification.objects.filter(kind=Kind.PATROL_MISSED, recipient=officer_a).count() == 1
    assert run(tasks.remind_missed_patrols, at(WEDNESDAY, 12, 0)) == 0


def test_no_patrol_due_on_a_holiday_one_on_a_make_up_workday(patrol_setup):
    assert run(tasks.remind_missed_patrols, at(HOLIDAY, 12, 0)) == 0
    assert not Patrol.objects.exists()
    assert run(tasks.remind_missed_patrols, at(WORKDAY, 12, 0)) == 2
    assert Patrol.objects.get().date == WORKDAY


def test_missed_patrol_on_the_beijing_date_at_2330_utc(patrol_setup):
    slot, _ = patrol_setup
    slot.start, slot.end = datetime.time(6, 30), datetime.time(6, 50)
    slot.save()
    # 23:30 UTC on the 8th: 07:30 on the 9th in Beijing, 40 minutes after the slot's end.
    run(tasks.remind_missed_patrols, datetime.datetime(2024, 10, 8, 23, 30, tzinfo=UTC))
    assert Patrol.objects.get().date == WEDNESDAY


def test_a_done_slot_is_not_missed(patrol_setup, teacher_a):
    from supervision import services

    slot, points = patrol_setup
    now = at(WEDNESDAY, 10, 5)
    patrol = services.start_patrol(slot, actor=teacher_a, now=now)
    services.finish_patrol(patrol, actor=teacher_a, now=now)
    assert run(tasks.remind_missed_patrols, at(WEDNESDAY, 12, 0)) == 0

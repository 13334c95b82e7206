"""The beat schedule: rows for every notification task, every crontab in Asia/Shanghai,
and the 18:00 digest due once after 18:00 Beijing time even with the process clock in UTC."""
import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from campussafety.celery import app

BJ = ZoneInfo("Asia/Shanghai")
TASKS = {
    "notifications.tasks.remind_deadlines", "notifications.tasks.escalate_overdue",
    "notifications.tasks.remind_drills_due", "notifications.tasks.remind_safety_dates",
    "notifications.tasks.send_bureau_digest", "notifications.tasks.year_end_rollup",
    "notifications.tasks.resend_unfinished", "notifications.tasks.remind_inspections_due",
}


def test_every_crontab_row_is_in_asia_shanghai(db):
    assert CrontabSchedule.objects.count() >= len(TASKS)
    assert {str(row.timezone) for row in CrontabSchedule.objects.all()} == {"Asia/Shanghai"}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai" and app.conf.timezone == "Asia/Shanghai"


def test_each_notification_task_has_an_enabled_crontab_row_and_is_registered(db):
    rows = PeriodicTask.objects.filter(task__startswith="notifications.tasks.", enabled=True)
    assert {row.task for row in rows} == TASKS and rows.count() == len(TASKS)
    assert all(row.crontab_id for row in rows)
    app.loader.import_default_modules()
    assert TASKS <= set(app.tasks)


def test_year_end_rollup_runs_at_0030_on_1_january():
    row = PeriodicTask.objects.get(task="notifications.tasks.year_end_rollup").crontab
    assert (row.minute, row.hour, row.day_of_month, row.month_of_year) == ("30", "0", "1", "1")


test_year_end_rollup_runs_at_0030_on_1_january = pytest.mark.django_db(
    test_year_end_rollup_runs_at_0030_on_1_january)


def at(*args):
    """Travel to a Beijing wall-clock time, given as UTC: time-machine would otherwise also
    switch the process's TZ to the destination's ZoneInfo."""
    moment = datetime.datetime(*args, tzinfo=BJ).astimezone(datetime.timezone.utc)
    return time_machine.travel(moment, tick=False)


def test_the_18_oclock_crontab_is_due_once_after_18_beijing_time(db, utc_process):
    schedule = PeriodicTask.objects.get(task="notifications.tasks.send_bureau_digest").crontab.schedule
    last_run = datetime.datetime(2025, 6, 9, 18, 0, 5, tzinfo=BJ)
    with at(2025, 6, 10, 17, 59, 30):
        assert datetime.datetime.now().hour == 9  # the process clock is UTC
        due, next_check = schedule.is_due(last_run)
        assert not due and 29 <= next_check <= 31
        assert 29 <= schedule.remaining_estimate(last_run).total_seconds() <= 31
    with at(2025, 6, 10, 18, 0, 30):
        assert schedule.is_due(last_run).is_due
        last_run = datetime.datetime.now(BJ)  # beat records the run
    for moment in [(2025, 6, 10, 18, 0, 45), (2025, 6, 10, 23, 59, 59), (2025, 6, 11, 17, 59, 59)]:
        with at(*moment):
            assert not schedule.is_due(last_run).is_due, moment
    with at(2025, 6, 11, 18, 0, 1):
        assert schedule.is_due(last_run).is_due

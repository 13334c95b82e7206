"""The beat schedule: a row for the delivery sweep and for every app's reminder scan, each
pointing at the task of the app that owns the scan (moved there by notifications 0006,
keeping the rows' names and times), every crontab in Asia/Shanghai, and the 18:00 digest
due once after 18:00 Beijing time even with the process clock in UTC."""

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from campussafety.celery import app

BJ = ZoneInfo("Asia/Shanghai")
# Row name (kept from the first release, so a running deployment keeps its rows) → task.
ROWS = {
    "隐患整改期限提醒（每天08:00）": "hazards.tasks.remind_deadlines",
    "隐患逾期督办升级（每天08:30）": "hazards.tasks.escalate_overdue",
    "应急疏散演练提醒（每天09:00）": "drills.tasks.remind_drills_due",
    "检查到期提醒（每天09:05）": "inspections.tasks.remind_inspections_due",
    "全国安全教育日提醒（每天09:10）": "education.tasks.remind_safety_dates",
    "教体局每日安全汇总（每天18:00）": "reports.tasks.send_bureau_digest",
    "年度统计终结汇总（1月1日00:30）": "reports.tasks.year_end_rollup",
    "补发未完成的消息（每10分钟）": "notifications.tasks.resend_unfinished",
    "转发待发的后台任务（每分钟）": "notifications.tasks.relay_outbox",
    "清理过期的删除记录（每天）": "notifications.tasks.purge_tombstones",
    "结束中断的导出任务（每分钟）": "reports.tasks.fail_interrupted_exports_task",
    "应急预案年度评审提醒（每天09:10）": "drills.tasks.remind_plan_reviews",
    "事故报告逾期督办（每15分钟）": "drills.tasks.escalate_incident_deadlines",
    "欺凌事件调查期限提醒（每天09:20）": "wellbeing.tasks.remind_bullying_deadlines",
}
TASKS = set(ROWS.values())
SWEEPS = {
    "notifications.tasks.resend_unfinished",
    "notifications.tasks.relay_outbox",
    "notifications.tasks.purge_tombstones",
    "reports.tasks.fail_interrupted_exports_task",
}
moving = importlib.import_module("notifications.migrations.0006_reminder_tasks_to_their_apps")


def test_every_crontab_row_is_in_asia_shanghai(db):
    assert CrontabSchedule.objects.count() >= len(TASKS)
    assert {str(row.timezone) for row in CrontabSchedule.objects.all()} == {"Asia/Shanghai"}
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai" and app.conf.timezone == "Asia/Shanghai"


def test_each_reminder_task_has_an_enabled_crontab_row_and_is_registered(db):
    rows = PeriodicTask.objects.filter(name__in=ROWS, enabled=True)
    assert {row.name: row.task for row in rows} == ROWS
    assert all(row.crontab_id for row in rows)
    app.loader.import_default_modules()
    assert {row.task for row in PeriodicTask.objects.all()} <= set(app.tasks)
    assert set(app.tasks) >= TASKS


def test_notifications_schedules_only_its_own_sweeps(db):
    own = PeriodicTask.objects.filter(task__startswith="notifications.").order_by("task")
    assert list(own.values_list("task", flat=True)) == [
        "notifications.tasks.purge_tombstones",
        "notifications.tasks.relay_outbox",
        "notifications.tasks.resend_unfinished",
    ]


def test_moving_the_tasks_keeps_each_rows_name_and_edited_time(db):
    """A deployment from before the move: its rows name the old paths, one with a time
    staff changed in the admin and one they renamed; the migration moves the paths only,
    and back."""
    PeriodicTask.objects.filter(task__in=TASKS - SWEEPS).delete()
    edited = CrontabSchedule.objects.create(minute="45", hour="7", timezone="Asia/Shanghai")
    PeriodicTask.objects.create(
        name="隐患逾期督办升级（每天08:30）",
        task="notifications.tasks.escalate_overdue",
        crontab=edited,
    )
    PeriodicTask.objects.create(
        name="日报（改名）",
        task="notifications.tasks.send_bureau_digest",
        crontab=edited,
        enabled=False,
    )
    moving.forwards(apps, None)
    assert set(
        PeriodicTask.objects.filter(crontab=edited).values_list(
            "name", "task", "crontab__hour", "crontab__minute", "enabled"
        )
    ) == {
        ("隐患逾期督办升级（每天08:30）", "hazards.tasks.escalate_overdue", "7", "45", True),
        ("日报（改名）", "reports.tasks.send_bureau_digest", "7", "45", False),
    }
    moving.backwards(apps, None)
    assert set(PeriodicTask.objects.filter(crontab=edited).values_list("task", flat=True)) == {
        "notifications.tasks.escalate_overdue",
        "notifications.tasks.send_bureau_digest",
    }


def test_every_moved_task_is_registered_under_its_new_path():
    app.loader.import_default_modules()
    assert set(moving.MOVED.values()) <= set(app.tasks)
    assert not set(moving.MOVED) & set(app.tasks)


def test_year_end_rollup_runs_at_0030_on_1_january():
    row = PeriodicTask.objects.get(task="reports.tasks.year_end_rollup").crontab
    assert (row.minute, row.hour, row.day_of_month, row.month_of_year) == ("30", "0", "1", "1")


test_year_end_rollup_runs_at_0030_on_1_january = pytest.mark.django_db(
    test_year_end_rollup_runs_at_0030_on_1_january
)


def at(*args):
    """Travel to a Beijing wall-clock time, given as UTC: time-machine would otherwise also
    switch the process's TZ to the destination's ZoneInfo."""
    moment = datetime.datetime(*args, tzinfo=BJ).astimezone(datetime.UTC)
    return time_machine.travel(moment, tick=False)


def test_the_18_oclock_crontab_is_due_once_after_18_beijing_time(db, utc_process):
    schedule = PeriodicTask.objects.get(task="reports.tasks.send_bureau_digest").crontab.schedule
    last_run = datetime.datetime(2025, 6, 9, 18, 0, 5, tzinfo=BJ)
    with at(2025, 6, 10, 17, 59, 30):
        assert datetime.datetime.now().hour == 9  # noqa: DTZ005 - the process clock is UTC
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

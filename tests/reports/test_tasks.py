"""The roll-up tasks and their nightly django-celery-beat schedule."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django_celery_beat.models import PeriodicTask

from campussafety.celery import app
from reports import tasks
from reports.models import YearlyStatistic
from tests.factories import DrillFactory


def test_rollup_statistics_task_stores_and_is_idempotent(school_a):
    DrillFactory(school=school_a, date=datetime.date(2024, 4, 1))
    tasks.rollup_statistics_task.delay(2024, "calendar")
    tasks.rollup_statistics_task.delay(2024, "calendar")
    rows = YearlyStatistic.objects.filter(year=2024, period="calendar")
    assert rows.count() == 2 and rows.get(school=None).figures["drills"] == 1


@time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_current_year_is_the_year_in_beijing(school_a):
    # 23:30 on 31 December in Beijing is still 2026 there, though 15:30 UTC.
    tasks.rollup_current_year.delay()
    stored = set(YearlyStatistic.objects.filter(school=None).values_list("year", "period"))
    assert stored == {(2026, "calendar"), (2026, "school")}


@time_machine.travel(datetime.datetime(2027, 1, 1, 1, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_in_january_the_last_year_is_refreshed_too(school_a):
    tasks.rollup_current_year.delay()
    stored = set(YearlyStatistic.objects.filter(school=None).values_list("year", "period"))
    assert stored == {(2027, "calendar"), (2026, "school"), (2026, "calendar")}


def test_nightly_beat_task_at_0130_beijing(db):
    task = PeriodicTask.objects.get(task="reports.tasks.rollup_current_year")
    assert task.enabled
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert (task.crontab.hour, task.crontab.minute) == ("1", "30")
    assert task.task in app.tasks


def test_the_short_refresh_runs_every_ten_minutes(db):
    task = PeriodicTask.objects.get(task="reports.tasks.refresh_current_figures")
    assert task.enabled and (task.interval.every, task.interval.period) == (10, "minutes")
    assert task.task in app.tasks


@time_machine.travel(datetime.datetime(2027, 1, 1, 1, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
def test_the_short_refresh_stores_the_current_periods_only(school_a):
    tasks.refresh_current_figures.delay()
    stored = set(YearlyStatistic.objects.filter(school=None).values_list("year", "period"))
    assert stored == {(2027, "calendar"), (2026, "school")}

"""Celery tasks of the risk register: the daily reminder scan (beat row
"风险分级管控提醒（每天08:30）"), which asks the clock for today's Beijing date and calls
``risks.reminders``; repeats are no-ops (see there). The analytics warm-up (beat row every 8
minutes) keeps the bureau's series in the cache."""

from celery import shared_task
from django.utils import timezone

from notifications.tasks import PERIODIC

from . import reminders, series


@shared_task(**PERIODIC)
def remind_risks():
    """Reviews due, checks overdue and re-assessments after closed hazards (every day)."""
    return reminders.remind_risks(timezone.localdate())


@shared_task(**PERIODIC)
def warm_bureau_analytics():
    """The bureau's analytics series for this year, computed again into the cache
    (``series.warm_bureau``): at province scale a cold computation takes seconds."""
    return series.warm_bureau(timezone.localdate())

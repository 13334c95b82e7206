"""Celery tasks of the risk register: the daily reminder scan (beat row
"风险分级管控提醒（每天08:30）"), which asks the clock for today's Beijing date and calls
``risks.reminders``; repeats are no-ops (see there)."""

from celery import shared_task
from django.utils import timezone

from notifications.tasks import PERIODIC

from . import reminders


@shared_task(**PERIODIC)
def remind_risks():
    """Reviews due, checks overdue and re-assessments after closed hazards (every day)."""
    return reminders.remind_risks(timezone.localdate())

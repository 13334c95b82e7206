"""Celery tasks of the inspections: the periodic "inspections due" scan (beat row
"检查到期提醒（每天09:05）"), which asks the clock for today's Beijing date and calls
``inspections.reminders``; repeats are no-ops (see there)."""

from celery import shared_task
from django.utils import timezone

from notifications.tasks import PERIODIC

from . import reminders


@shared_task(**PERIODIC)
def remind_inspections_due():
    """Inspections due soon or overdue (beat: every day at 09:05, Beijing)."""
    return reminders.remind_inspections_due(timezone.localdate())

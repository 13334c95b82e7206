"""Celery tasks of the drills: the periodic "drills due" scan (beat row
"应急疏散演练提醒（每天09:00）"), which asks the clock for today's Beijing date and calls
``drills.reminders``; repeats are no-ops (see there)."""

from celery import shared_task
from django.utils import timezone

from notifications.tasks import PERIODIC

from . import reminders


@shared_task(**PERIODIC)
def remind_drills_due():
    """Schools owing their monthly (quarterly) evacuation drill (beat: every day at 09:00)."""
    return reminders.remind_drills_due(timezone.localdate())

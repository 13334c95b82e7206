"""Celery tasks of safety education: the periodic national-safety-dates scan (beat row
"全国安全教育日提醒（每天09:10）"), which asks the clock for today's Beijing date and calls
``education.reminders``; repeats are no-ops (see there)."""

from celery import shared_task
from django.utils import timezone

from notifications.tasks import PERIODIC

from . import reminders


@shared_task(**PERIODIC)
def remind_safety_dates():
    """National safety dates in the coming week (beat: every day at 09:10, Beijing)."""
    return reminders.remind_safety_dates(timezone.localdate())

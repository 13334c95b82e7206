"""Celery tasks of the wellbeing app: the daily bullying-investigation timer (beat row
"欺凌事件调查期限提醒（每天09:20）"); repeats are no-ops (``notify`` stores each once)."""

from celery import shared_task
from django.utils import timezone

from notifications.tasks import PERIODIC

from . import reminders


@shared_task(**PERIODIC)
def remind_bullying_deadlines():
    """Open bullying cases near or past their 10-day deadline (beat: daily 09:20, Beijing)."""
    return reminders.remind_bullying_deadlines(timezone.localdate())

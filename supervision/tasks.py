"""Celery tasks of key-period supervision (beat rows "报平安截止提醒（每5分钟）" and
"漏巡提醒（每5分钟）", created by this app's migration): each asks the clock once and calls
``supervision.reminders``; a repeated or concurrent run sends nothing twice (see there)."""

from celery import shared_task
from django.utils import timezone

from notifications.tasks import PERIODIC

from . import reminders


@shared_task(**PERIODIC)
def alert_missing_checkins():
    """Cut-off alerts of 到家报平安 and 查寝 (beat: every 5 minutes)."""
    return reminders.alert_missing_checkins(timezone.now())


@shared_task(**PERIODIC)
def remind_missed_patrols():
    """Missed patrol slots (beat: every 5 minutes)."""
    return reminders.remind_missed_patrols(timezone.now())

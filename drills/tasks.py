"""Celery tasks of the drills: the periodic scans (beat rows "应急疏散演练提醒（每天09:00）",
"应急预案年度评审提醒（每天09:10）" and "事故报告逾期督办（每15分钟）"), which ask the clock once
and call ``drills.reminders``; repeats are no-ops (see there)."""

from celery import shared_task
from django.utils import timezone

from notifications.tasks import PERIODIC

from . import reminders


@shared_task(**PERIODIC)
def remind_drills_due():
    """Schools owing their monthly (quarterly) evacuation drills, and planned drills near
    or missed (beat: every day at 09:00)."""
    today = timezone.localdate()
    return reminders.remind_drills_due(today) + reminders.remind_planned_drills(today)


@shared_task(**PERIODIC)
def remind_plan_reviews():
    """Plans due for their yearly review (beat: every day at 09:10)."""
    return reminders.remind_plan_reviews(timezone.localdate())


@shared_task(**PERIODIC)
def escalate_incident_deadlines():
    """Missed incident report deadlines (beat: every 15 minutes)."""
    return reminders.escalate_incident_deadlines(timezone.now())

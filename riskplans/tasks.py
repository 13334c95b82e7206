"""Celery task of risk-based planning (beat row "按风险生成检查计划（每天06:30）"): asks the
clock for today's Beijing date, records done inspections and patrols as checks of their
risk points, then plans what is due. Repeats are no-ops (see ``services``)."""

from celery import shared_task
from django.utils import timezone

from notifications.tasks import PERIODIC

from . import services


@shared_task(**PERIODIC)
def generate_risk_plans():
    """Every day: checks recorded, then self inspections and patrol points planned."""
    today = timezone.localdate()
    recorded = services.record_done_checks(today=today)
    done = services.generate_all(today=today)
    return {"checks_recorded": recorded, **vars(done)}

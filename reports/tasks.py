"""Celery tasks of the yearly statistics: thin wrappers of ``reports.services`` and
``reports.reminders``.

Idempotent: the roll-up replaces its rows (update_or_create on a unique scope), so a
retried or duplicated run leaves the same data, and each message is stored once. The
schedules are django-celery-beat PeriodicTasks created by migrations: the nightly roll-up
by 0002 (01:30 Asia/Shanghai), the short refresh of the current periods by
0009_stored_figures (every 10 minutes), the purge of old exports by 0004 (03:15), the bureau
digest (18:00) and the year-end roll-up (00:30 on 1 January) by notifications 0002 (their
task paths moved here by notifications 0006).
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.tasks import PERIODIC

from . import reminders, services


@shared_task
def rollup_statistics_task(year: int, period: str):
    """Store the figures of ``year`` and ``period`` for all schools and the bureau."""
    services.rollup_statistics(year=year, period=period)


@shared_task
def rollup_current_year():
    """The nightly roll-up: current calendar year and school year (Asia/Shanghai), and the
    period just ended during its first month."""
    today = timezone.localdate()
    for year, period in services.periods_to_refresh(today):
        services.rollup_statistics(year=year, period=period, today=today)


@shared_task(**PERIODIC)
def refresh_current_figures():
    """The short refresh (beat: every 10 minutes): the current calendar year's and school
    year's stored figures, which the dashboard and the yearly report read."""
    today = timezone.localdate()
    for year, period in services.current_periods(today):
        services.rollup_statistics(year=year, period=period, today=today)


@shared_task(soft_time_limit=settings.EXPORT_TIME_LIMIT - 30, time_limit=settings.EXPORT_TIME_LIMIT)
def export_hazards_task(job_id: int):
    """Write the file of ``ExportJob`` ``job_id``; quietly nothing when it is gone or done.
    Idempotent (a redelivered task finds the job done or failed), so acknowledged late:
    a job whose worker dies is run again, or failed by ``fail_interrupted_exports``."""
    from .exports import fail_export_job, run_export_job
    from .models import ExportJob

    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    try:
        run_export_job(job)
    except SoftTimeLimitExceeded:
        fail_export_job(job, _("导出超时：数据太多，请缩小筛选范围后重新导出。"))


@shared_task(**PERIODIC)
def fail_interrupted_exports_task():
    """Fail the exports a dead worker left "running" (beat: every minute). Returns how many."""
    from .exports import fail_interrupted_exports

    return fail_interrupted_exports(timezone.now())


@shared_task
def purge_old_exports_task():
    """Delete finished export jobs past ``EXPORT_RETENTION_DAYS`` and their files; a rerun
    finds nothing more to delete. Returns the number deleted."""
    from .exports import purge_old_exports

    return purge_old_exports()


@shared_task(**PERIODIC)
def send_bureau_digest():
    """The bureau's daily digest (beat: every day at 18:00, Beijing)."""
    return reminders.send_bureau_digest(timezone.localdate())


@shared_task(**PERIODIC)
def year_end_rollup():
    """The final roll-up of the year just ended (beat: 00:30 on 1 January, Beijing)."""
    return reminders.year_end_rollup(timezone.localdate())

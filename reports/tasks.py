"""Celery tasks of the yearly statistics: thin wrappers of ``reports.services``.

Idempotent: the roll-up replaces its rows (update_or_create on a unique scope), so a
retried or duplicated run leaves the same data. The nightly schedules are
django-celery-beat PeriodicTasks created by migrations: the roll-up by 0002 (01:30
Asia/Shanghai), the purge of old exports by 0004 (03:15 Asia/Shanghai).
"""
from celery import shared_task

from . import services


@shared_task
def rollup_statistics_task(year: int, period: str):
    """Store the figures of ``year`` and ``period`` for all schools and the bureau."""
    services.rollup_statistics(year=year, period=period)


@shared_task
def rollup_current_year():
    """The nightly roll-up: current calendar year and school year (Asia/Shanghai), and the
    period just ended during its first month."""
    for year, period in services.periods_to_refresh():
        services.rollup_statistics(year=year, period=period)


@shared_task
def export_hazards_task(job_id: int):
    """Write the file of ``ExportJob`` ``job_id``; quietly nothing when it is gone or done."""
    from .exports import run_export_job
    from .models import ExportJob

    job = ExportJob.objects.filter(pk=job_id).first()
    if job is not None:
        run_export_job(job)


@shared_task
def purge_old_exports_task():
    """Delete finished export jobs past ``EXPORT_RETENTION_DAYS`` and their files; a rerun
    finds nothing more to delete. Returns the number deleted."""
    from .exports import purge_old_exports

    return purge_old_exports()

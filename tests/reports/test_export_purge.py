"""Old ledger exports are purged nightly: finished jobs past EXPORT_RETENTION_DAYS go with
their files, pending and running jobs stay, and a purged job's pages are 404."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from campussafety.celery import app
from core.files import private_storage
from reports import tasks
from reports.exports import purge_old_exports
from reports.models import ExportJob
from tests.factories import HazardFactory

storage = private_storage()  # where export files are kept (not public media)
BEIJING = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2025, 3, 20, 3, 15, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_RETENTION_DAYS = 7


def job(user, status=ExportJob.Status.DONE, days_old=8, content=b"\xef\xbb\xbfid\n1\n"):
    """A job requested and (unless pending/running) finished ``days_old`` days before NOW."""
    at = NOW - datetime.timedelta(days=days_old)
    finished = status in (ExportJob.Status.DONE, ExportJob.Status.FAILED)
    made = ExportJob.objects.create(
        requested_by=user,
        format="csv",
        status=status,
        created_at=at,
        finished_at=at if finished else None,
    )
    if content is not None:
        made.file.save(f"{made.pk}.csv", ContentFile(content))
    return made


def purge():
    """The nightly task, run through Celery (eager in the test settings), at NOW."""
    with time_machine.travel(NOW, tick=False):
        return tasks.purge_old_exports_task.delay().get()


def test_an_old_finished_job_goes_with_its_file(officer_a):
    old = job(officer_a)
    failed = job(officer_a, status=ExportJob.Status.FAILED, content=None)
    name = old.file.name
    assert storage.exists(name)
    assert purge() == 2
    assert not ExportJob.objects.filter(pk__in=[old.pk, failed.pk]).exists()
    assert not storage.exists(name)


def test_a_recent_job_is_kept(officer_a):
    recent = job(officer_a, days_old=6)
    assert purge() == 0
    recent.refresh_from_db()
    assert storage.exists(recent.file.name)


def test_unfinished_jobs_are_kept_until_they_are_past_the_retention(officer_a):
    running = job(officer_a, status=ExportJob.Status.RUNNING, days_old=6)
    pending = job(officer_a, status=ExportJob.Status.PENDING, days_old=6, content=None)
    # Requested 8 days ago and never finished: its worker died and the task was lost.
    abandoned = job(officer_a, status=ExportJob.Status.RUNNING, days_old=8)
    assert purge() == 1
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {running.pk, pending.pk}
    assert storage.exists(running.file.name) and not storage.exists(abandoned.file.name)


def test_a_missing_file_does_not_stop_the_purge(officer_a):
    gone, other = job(officer_a), job(officer_a, days_old=30)
    storage.delete(gone.file.name)
    assert purge() == 2
    assert not ExportJob.objects.exists()
    assert not storage.exists(other.file.name)


def test_retention_is_the_setting_and_counts_from_the_finish(settings, officer_a):
    settings.EXPORT_RETENTION_DAYS = 30
    kept = job(officer_a, days_old=29)
    # Queued 40 days ago, finished only 2 days ago: downloadable for the full retention.
    late = job(officer_a, days_old=40)
    ExportJob.objects.filter(pk=late.pk).update(finished_at=NOW - datetime.timedelta(days=2))
    assert purge_old_exports(now=NOW) == 0
    ExportJob.objects.filter(pk=kept.pk).update(finished_at=NOW - datetime.timedelta(days=31))
    assert purge_old_exports(now=NOW) == 1
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [late.pk]


def test_nightly_beat_task_at_0315_beijing(db):
    task = PeriodicTask.objects.get(task="reports.tasks.purge_old_exports_task")
    assert task.enabled
    assert str(task.crontab.timezone) == "Asia/Shanghai"
    assert (task.crontab.hour, task.crontab.minute) == ("3", "15")
    assert task.task in app.tasks


def test_a_purged_jobs_pages_are_404(
    client, settings, officer_a, school_a, django_capture_on_commit_callbacks
):
    settings.HAZARD_EXPORT_ASYNC_ROWS = 1
    HazardFactory.create_batch(2, school=school_a)
    client.force_login(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("hazard-export", args=["csv"]))
    exported = ExportJob.objects.get()
    download = reverse("export-download", args=[exported.pk])
    assert client.get(download).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8), tick=False):
        assert tasks.purge_old_exports_task.delay().get() == 1
    assert client.get(download).status_code == 404
    assert client.get(reverse("export-job", args=[exported.pk])).status_code == 404


def test_a_download_whose_file_is_gone_is_404_not_500(client, officer_a):
    half_purged = job(officer_a, days_old=0)
    storage.delete(half_purged.file.name)
    client.force_login(officer_a)
    assert client.get(reverse("export-download", args=[half_purged.pk])).status_code == 404

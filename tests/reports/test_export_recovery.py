"""An export whose worker is killed mid-job does not stay "生成中" for hours: a minute past
the export's time limit the every-minute sweep fails it with a clear message on its page,
and a redelivered task writes nothing. An export that hits its soft time limit fails
clearly too. The broker hands a dead worker's task on within minutes (visibility timeout)."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from reports import exports, tasks
from reports.models import ExportJob
from tests.factories import HazardFactory

ROOT = Path(__file__).resolve().parents[2]
S = ExportJob.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_TIME_LIMIT = 300


def sweep_at(moment):
    """The every-minute beat task, run through Celery (eager in the tests), at ``moment``."""
    with time_machine.travel(moment, tick=False):
        return tasks.fail_interrupted_exports_task.delay().get()


@pytest.mark.django_db(transaction=True)
def test_an_export_left_running_by_a_killed_worker_fails_clearly_within_minutes(
    client, officer_a, school_a
):
    if connection.vendor == "sqlite":
        pytest.skip("a second process cannot share SQLite's in-memory test database")
    HazardFactory(school=school_a)
    job = ExportJob.objects.create(requested_by=officer_a, format="csv")
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.reports.killed_worker", connection.settings_dict["NAME"]]
        + [str(job.pk)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout.readline().strip() == "writing"  # the job is under way
        job.refresh_from_db()
        assert job.status == S.RUNNING and job.started_at is not None
    finally:
        worker.kill()  # SIGKILL: no clean-up of any kind
        worker.wait(10)

    started = job.started_at
    assert sweep_at(started + datetime.timedelta(minutes=5)) == 0  # may still be writing
    job.refresh_from_db()
    assert job.status == S.RUNNING
    assert sweep_at(started + datetime.timedelta(minutes=6, seconds=1)) == 1
    job.refresh_from_db()
    assert job.status == S.FAILED and job.finished_at - started < datetime.timedelta(minutes=7)
    assert job.error == "导出中断：处理进程意外退出，请重新导出。"

    client.force_login(officer_a)
    page = client.get(reverse("export-job", args=[job.pk])).content.decode()
    assert "导出失败：导出中断：处理进程意外退出，请重新导出。" in page
    assert reverse("export-download", args=[job.pk]) not in page

    tasks.export_hazards_task.delay(job.pk)  # the broker hands the dead worker's task on
    job.refresh_from_db()
    assert job.status == S.FAILED and not job.file


@pytest.mark.django_db
def test_the_sweep_leaves_finished_pending_and_young_jobs_alone(officer_a):
    now = datetime.datetime(2025, 6, 10, 9, 0, tzinfo=datetime.UTC)
    old = now - datetime.timedelta(hours=2)
    done = ExportJob.objects.create(
        requested_by=officer_a, format="csv", status=S.DONE, started_at=old, finished_at=old
    )
    pending = ExportJob.objects.create(requested_by=officer_a, format="csv", created_at=old)
    young = ExportJob.objects.create(
        requested_by=officer_a,
        format="csv",
        status=S.RUNNING,
        started_at=now - datetime.timedelta(seconds=200),
    )
    assert sweep_at(now) == 0
    statuses = ExportJob.objects.in_bulk([done.pk, pending.pk, young.pk])
    assert [statuses[j.pk].status for j in (done, pending, young)] == [S.DONE, S.PENDING, S.RUNNING]


@pytest.mark.django_db
def test_an_export_past_its_soft_time_limit_fails_with_a_message(monkeypatch, officer_a):
    job = ExportJob.objects.create(requested_by=officer_a, format="csv")

    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(exports, "render", too_slow)
    tasks.export_hazards_task.delay(job.pk)
    job.refresh_from_db()
    assert job.status == S.FAILED and "导出超时" in job.error


def test_a_dead_workers_task_is_handed_on_within_minutes_not_hours():
    """The visibility timeout outlasts the longest time a worker holds a task (a retry's
    countdown plus the longest time limit) and is still minutes."""
    options = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS
    timeout = django_settings.CELERY_VISIBILITY_TIMEOUT
    if django_settings.CELERY_BROKER_URL.startswith("redis"):
        assert options["visibility_timeout"] == timeout
    longest_limit = max(django_settings.CELERY_TASK_TIME_LIMIT, django_settings.EXPORT_TIME_LIMIT)
    assert timeout > django_settings.NOTIFY_RETRY_BACKOFF_MAX + longest_limit
    assert timeout <= 15 * 60
    assert tasks.export_hazards_task.time_limit == django_settings.EXPORT_TIME_LIMIT
    assert (
        django_settings.CELERY_TASK_ACKS_LATE and django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    )

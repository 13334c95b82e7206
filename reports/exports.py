"""The hazard ledger (隐患台账) as CSV or Excel, exactly as filtered and scoped on screen.

Rows come from ``HazardFilter`` on ``Hazard.objects.visible_to(user)`` with the list page's
query string. Headers are Chinese, times Beijing wall-clock time, user text neutralised
against formula injection (a leading apostrophe) while numbers stay numbers, and control
characters that XML forbids are replaced. The reporter's contact is never exported.

Small exports stream from the request; larger ones (``HAZARD_EXPORT_ASYNC_ROWS``) become an
``ExportJob`` that ``reports.tasks.export_hazards_task`` runs. Finished jobs and their files
are deleted after ``EXPORT_RETENTION_DAYS`` (``purge_old_exports``, nightly).
"""

import csv
import datetime
import io
import logging
import re
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from hazards.filters import HazardFilter
from hazards.models import Hazard, HazardEvent
from hazards.timeline import days, state_durations
from notifications import outbox

from .models import ExportJob

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BOM = "\ufeff"
# A spreadsheet runs a cell starting with one of these as a formula (full-width forms too:
# WPS and Excel with an IME convert them).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
# What openpyxl refuses (IllegalCharacterError): C0 controls except tab, newline and CR.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

logger = logging.getLogger(__name__)


def async_threshold() -> int:
    """Exports with more rows than this run as a Celery job."""
    return settings.HAZARD_EXPORT_ASYNC_ROWS


# --- cells -----------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Text safe for a spreadsheet: vertical tab and form feed (Word's line and page breaks)
    become newlines, other XML-illegal control characters are dropped, and a leading formula
    character gets an apostrophe. A plain number ("-350") is left as it is."""
    value = XML_ILLEGAL.sub(lambda m: "\n" if m.group() in "\x0b\x0c" else "", value)
    if value.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def cell_value(value):
    """A Python value as written to a cell: numbers stay numbers, aware datetimes become
    naive Beijing wall-clock time, text is cleaned (``clean_text``), None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date):
        return value
    return clean_text(str(value))


def csv_text(value) -> str:
    value = cell_value(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# --- writers ---------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def iter_csv(headers, rows):
    """CSV lines for streaming: the UTF-8 BOM once (Excel then reads UTF-8), then the rows."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([str(h) for h in headers])
    for row in rows:
        yield writer.writerow([csv_text(v) for v in row])


def write_csv(headers, rows) -> bytes:
    return "".join(iter_csv(headers, rows)).encode("utf-8")


def write_xlsx(headers, rows, title=None) -> bytes:
    """An .xlsx workbook (write-only mode: memory stays flat for big ledgers)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title or _("隐患台账"))[:31])
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value):
    value = cell_value(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = (
            "yyyy-mm-dd hh:mm" if isinstance(value, datetime.datetime) else "yyyy-mm-dd"
        )
        return cell
    if isinstance(value, str):
        # A string is always a string cell: openpyxl would otherwise read "=…" as a formula.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


# --- the ledger ------------------------------------------------------------------------


def _user(user):
    return str(user) if user else ""


COLUMNS = [
    (gettext_lazy("编号"), lambda h, d: h.pk),
    (gettext_lazy("学校"), lambda h, d: h.school.name),
    (gettext_lazy("隐患描述"), lambda h, d: h.title),
    (gettext_lazy("详细情况"), lambda h, d: h.description),
    (gettext_lazy("位置"), lambda h, d: h.location),
    (gettext_lazy("类别"), lambda h, d: d["category"][h.category]),
    (gettext_lazy("等级"), lambda h, d: d["level"][h.level]),
    (gettext_lazy("来源"), lambda h, d: d["source"][h.source]),
    (gettext_lazy("状态"), lambda h, d: d["status"][h.status]),
    (gettext_lazy("是否逾期"), lambda h, d: h.is_overdue),
    (gettext_lazy("登记人"), lambda h, d: _user(h.reported_by)),
    (gettext_lazy("登记时间"), lambda h, d: h.reported_at),
    (gettext_lazy("整改责任人"), lambda h, d: _user(h.responsible)),
    (gettext_lazy("整改措施"), lambda h, d: h.measures),
    (gettext_lazy("整改期限"), lambda h, d: h.deadline),
    (gettext_lazy("整改资金（元）"), lambda h, d: h.funding_yuan),
    (gettext_lazy("督办领导"), lambda h, d: _user(h.supervising_leader)),
    (gettext_lazy("整改情况"), lambda h, d: h.rectification_note),
    (gettext_lazy("销号人"), lambda h, d: _user(h.closed_by)),
    (gettext_lazy("销号时间"), lambda h, d: h.closed_at),
    (gettext_lazy("不予立案理由"), lambda h, d: h.dismiss_reason),
    (gettext_lazy("登记待办用时（天）"), lambda h, d: days(d[Hazard.Status.REPORTED])),
    (gettext_lazy("整改用时（天）"), lambda h, d: days(d[Hazard.Status.RECTIFYING])),
    (gettext_lazy("督查验收用时（天）"), lambda h, d: days(d[Hazard.Status.VERIFYING])),
]


class _RequestLike:
    """What HazardFilter needs from a request (the user, for the school choices)."""

    def __init__(self, user):
        self.user = user


def filtered_hazards(user, query: QueryDict):
    """(filterset, queryset): the ledger as the list page shows it to ``user`` for ``query``.
    The queryset is empty when the filter is invalid (``filterset.errors`` says why)."""
    query = query.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    base = Hazard.objects.visible_to(user)
    filterset = HazardFilter(query, queryset=base, request=_RequestLike(user))
    queryset = filterset.qs if filterset.is_valid() else base.none()
    return filterset, queryset


def ledger_rows(queryset, now=None):
    """One list of cell values per hazard, in the ledger's order; events prefetched by chunk."""
    now = now or timezone.now()
    events = HazardEvent.objects.only("hazard_id", "to_status", "created_at").order_by(
        "created_at", "id"
    )
    queryset = queryset.select_related(
        "school", "reported_by", "responsible", "supervising_leader", "closed_by"
    ).prefetch_related(Prefetch("events", events))
    # Choice labels translated once per export: get_FOO_display() rebuilds its dict per call.
    labels = {
        name: {value: str(label) for value, label in Hazard._meta.get_field(name).choices}
        for name in ("category", "level", "source", "status")
    }
    for hazard in queryset.iterator(chunk_size=500):
        row = labels | state_durations(hazard, hazard.events.all(), now)
        yield [getter(hazard, row) for _label, getter in COLUMNS]


def headers():
    return [label for label, _getter in COLUMNS]


def file_name(fmt, today=None) -> str:
    """'隐患台账-20240302.xlsx' (Beijing date)."""
    today = today or timezone.localdate()
    return _("隐患台账") + f"-{today:%Y%m%d}.{fmt}"


def content_disposition(name: str, fallback: str) -> str:
    """RFC 6266 / 5987: an ASCII ``filename`` for old clients and the UTF-8 ``filename*``."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def render(fmt, queryset) -> bytes:
    rows = ledger_rows(queryset)
    return write_csv(headers(), rows) if fmt == "csv" else write_xlsx(headers(), rows)


# --- export jobs -----------------------------------------------------------------------


@transaction.atomic
def request_export_job(user, query: QueryDict, fmt: str) -> ExportJob:
    """Record a big export for ``user``; its task goes through the outbox (on commit)."""
    ids = user.school_ids()
    job = ExportJob.objects.create(
        requested_by=user,
        format=fmt,
        filters={k: query.getlist(k) for k in query},
        scope_school_ids=None if ids is None else sorted(ids),
    )
    outbox.enqueue("reports.tasks.export_hazards_task", job.pk)
    return job


def run_export_job(job: ExportJob) -> ExportJob:
    """Write the job's file as its requester's scope and filters allow today; a job already
    finished is left alone (a retried task writes nothing twice)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job.pk)
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            return job
        job.status, job.started_at = ExportJob.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    query = QueryDict(mutable=True)
    for key, values in job.filters.items():
        query.setlist(key, values)
    filterset, queryset = filtered_hazards(job.requested_by, query)
    if filterset.errors:
        job.status, job.error = ExportJob.Status.FAILED, _("筛选条件有误。")
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    job.row_count = queryset.count()
    job.file.save(f"{job.pk}.{job.format}", ContentFile(render(job.format, queryset)), save=False)
    job.status, job.finished_at = ExportJob.Status.DONE, timezone.now()
    job.save(update_fields=["status", "row_count", "file", "finished_at"])
    return job


def export_time_limit() -> int:
    """Seconds an export task may run before Celery kills it (``EXPORT_TIME_LIMIT``)."""
    return settings.EXPORT_TIME_LIMIT


def fail_export_job(job: ExportJob, error: str, now=None) -> ExportJob:
    """Record ``job`` as failed with ``error`` (shown on its page), unless it has finished."""
    now = now or timezone.now()
    ExportJob.objects.filter(pk=job.pk).exclude(
        status__in=[ExportJob.Status.DONE, ExportJob.Status.FAILED]
    ).update(status=ExportJob.Status.FAILED, error=error[:200], finished_at=now, modified=now)
    job.refresh_from_db()
    return job


def fail_interrupted_exports(now=None) -> int:
    """Fail the jobs still "running" a minute past the task's time limit at ``now``: their
    worker was killed (or the machine went down), and nothing will finish them. A task
    redelivered later finds the job failed and writes nothing. Returns how many."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=export_time_limit() + 60)
    return ExportJob.objects.filter(
        Q(started_at__lt=stale) | Q(started_at__isnull=True, created_at__lt=stale),
        status=ExportJob.Status.RUNNING,
    ).update(
        status=ExportJob.Status.FAILED,
        error=_("导出中断：处理进程意外退出，请重新导出。"),
        finished_at=now,
        modified=now,  # update() skips auto_now: the sync feed must see the change
    )


def retention_days() -> int:
    """Days a finished export job and its file are kept (``EXPORT_RETENTION_DAYS``)."""
    return settings.EXPORT_RETENTION_DAYS


def purge_old_exports(now=None) -> int:
    """Delete the export jobs that finished (done or failed), or without a finish time were
    requested, more than ``retention_days()`` before ``now`` (aware datetime, default: now),
    file first, then row. A job still pending or running that long after its request was
    abandoned (its worker died, its task was lost) and goes too. A file already missing is
    no error; a file storage cannot delete (an ``OSError``) is logged and its job kept for
    the next run. Returns the number of jobs deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    old = ExportJob.objects.filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    deleted = 0
    for job in list(old.only("pk", "file")):
        if job.file:
            try:
                job.file.delete(save=False)
            except FileNotFoundError:
                pass
            except OSError:
                logger.warning(
                    "Export job %s: file %s not deleted, kept for the next run",
                    job.pk,
                    job.file.name,
                    exc_info=True,
                )
                continue
        # File first: a run cut short leaves a row whose file is gone, which the next run
        # deletes; its download meanwhile is 404 (export_views).
        job.delete()
        deleted += 1
    return deleted

"""The hazard ledger (隐患台账) as CSV or Excel, exactly as filtered and scoped on screen.

Rows come from ``HazardFilter`` on ``Hazard.objects.visible_to(user)`` with the list page's
query string. The CSV is written by PostgreSQL: one ``COPY`` whose cells the server makes
(``ledger_csv``), streamed as it comes. The Excel file's rows are read as plain tuples
(``values_list``, in chunks; the state durations from the events of each chunk). Either way
an export costs a few queries and flat memory whatever its size.
Headers are Chinese, times Beijing wall-clock time. The reporter's contact is never exported.

The Excel file is ``reports.spreadsheet``'s (title row with the filter and export time, bold
frozen header with filter buttons, widths, dates as dates, amounts in yuan, formula-like text
as plain text). CSV has no cell types: there formula-like text gets a leading apostrophe
(``clean_text``), numbers stay numbers, and the UTF-8 BOM tells Excel the encoding.

Small exports stream from the request; larger ones (``HAZARD_EXPORT_ASYNC_ROWS``) become an
``ExportJob`` that ``reports.tasks.export_hazards_task`` runs. Finished jobs and their files
are deleted after ``EXPORT_RETENTION_DAYS`` (``purge_old_exports``, nightly).
"""

import csv
import datetime
import io
import logging
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hazards.filters import HazardFilter
from hazards.models import Hazard, HazardEvent, HazardQuerySet
from hazards.timeline import (
    COUNTED_STATES,
    DAYS_SQL,
    days,
    seconds_as_days,
    state_durations,
    state_seconds,
    state_seconds_ctes,
    state_totals_sql,
)
from notifications import outbox

from . import spreadsheet
from .models import ExportJob
from .spreadsheet import (
    FORMULA_PREFIXES,
    FORMULA_STARTS,
    PLAIN_NUMBER,
    XML_ILLEGAL,
    Column,
    looks_like_formula,
    without_controls,
)

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BOM = "\ufeff"
CHUNK = 2000

logger = logging.getLogger(__name__)


def async_threshold() -> int:
    """Exports with more rows than this run as a Celery job."""
    return settings.HAZARD_EXPORT_ASYNC_ROWS


# --- cells -----------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Text safe for a CSV cell: control characters as ``spreadsheet.without_controls``, and a
    leading formula character gets an apostrophe. A plain number ("-350") is left as it is."""
    value = without_controls(value)
    return "'" + value if looks_like_formula(value) else value


def cell_value(value):
    """A Python value as written to a CSV cell: numbers stay numbers, aware datetimes become
    naive Beijing wall-clock time, text is cleaned (``clean_text``), None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (int, float, Decimal)):
        return value
    if isinstance(value, datetime.datetime):
        return spreadsheet.local_naive(value)
    if isinstance(value, datetime.date):
        return value
    return clean_text(str(value))


def csv_text(value) -> str:
    """The text of ``value`` in a CSV cell (``cell_value``; times to the minute)."""
    return csv_texts()(value)


def csv_texts():
    """``csv_text`` with the time zone and the 是/否 labels read once, dispatching on the
    exact type first: an export calls it for every cell (a million rows × 24 columns)."""
    zone, yes, no = timezone.get_current_timezone(), _("是"), _("否")

    def text(value) -> str:
        kind = type(value)
        if value is None:
            return ""
        if kind is str:  # most text needs nothing: test that first, in C
            clean = value[:1] not in FORMULA_STARTS and not XML_ILLEGAL.search(value)
            return value if clean else clean_text(value)
        if kind is datetime.datetime:
            local = value.astimezone(zone) if value.tzinfo is not None else value
            return local.strftime("%Y-%m-%d %H:%M")
        if kind is bool:
            return yes if value else no
        if kind is datetime.date:
            return value.isoformat()
        if kind in (int, float, Decimal):
            return str(value)
        return str(cell_value(value))  # anything else: a lazy string, a subclass

    return text


# --- writers ---------------------------------------------------------------------------


def iter_csv(headers, rows):
    """CSV text for streaming: the UTF-8 BOM (Excel then reads UTF-8) and the header, then
    the rows ``CHUNK`` at a time (one piece of text per chunk, not one per row)."""
    buffer, text = io.StringIO(), csv_texts()
    writer = csv.writer(buffer)
    writer.writerow([str(h) for h in headers])
    yield BOM + _drain(buffer)
    for count, row in enumerate(rows, start=1):
        writer.writerow([text(v) for v in row])
        if count % CHUNK == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_csv(headers, rows) -> bytes:
    return "".join(iter_csv(headers, rows)).encode("utf-8")


def _temporary_file():
    """A binary temporary file that spills to disk past 8 MB (flat memory at any size)."""
    return tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)


def xlsx_file(sheets) -> tempfile.SpooledTemporaryFile:
    """The workbook of ``sheets`` (``spreadsheet.Sheet``) in a temporary file, rewound; it
    spills to disk past 8 MB, so a big export does not sit in memory."""
    file = _temporary_file()
    spreadsheet.write_workbook(file, sheets)
    file.seek(0)
    return file


def write_xlsx(headers, rows, title=None, caption="") -> bytes:
    """An .xlsx of text columns named ``headers`` (for callers without typed columns)."""
    columns = [Column(h) for h in headers]
    name = str(title or _("隐患台账"))
    sheet = spreadsheet.Sheet(name, caption or name, columns, rows)
    with xlsx_file([sheet]) as file:
        return file.read()


# --- the ledger ------------------------------------------------------------------------


def _person(prefix):
    """A user's display name (``User.__str__``: name, else user name) as one column."""
    return Coalesce(NullIf(F(f"{prefix}__name"), Value("")), F(f"{prefix}__username"))


# (column, value_list expression or field, how the cell is made from the row's dict)
COLUMNS = [
    Column(gettext_lazy("编号"), "int", 8),
    Column(gettext_lazy("学校"), "text", 22),
    Column(gettext_lazy("隐患描述"), "long", 30),
    Column(gettext_lazy("详细情况"), "long"),
    Column(gettext_lazy("位置"), "text", 18),
    Column(gettext_lazy("类别"), "text", 12),
    Column(gettext_lazy("等级"), "text", 8),
    Column(gettext_lazy("来源"), "text", 12),
    Column(gettext_lazy("状态"), "text", 12),
    Column(gettext_lazy("是否逾期"), "bool", 10),
    Column(gettext_lazy("登记人"), "text", 12),
    Column(gettext_lazy("登记时间"), "datetime"),
    Column(gettext_lazy("整改责任人"), "text", 12),
    Column(gettext_lazy("整改措施"), "long"),
    Column(gettext_lazy("整改期限"), "date"),
    Column(gettext_lazy("整改资金（元）"), "yuan"),
    Column(gettext_lazy("督办领导"), "text", 12),
    Column(gettext_lazy("整改情况"), "long"),
    Column(gettext_lazy("销号人"), "text", 12),
    Column(gettext_lazy("销号时间"), "datetime"),
    Column(gettext_lazy("不予立案理由"), "long", 24),
    Column(gettext_lazy("登记待办用时（天）"), "number"),
    Column(gettext_lazy("整改用时（天）"), "number"),
    Column(gettext_lazy("督查验收用时（天）"), "number"),
]
FIELDS = (
    "pk", "school__name", "title", "description", "location", "category", "level", "source",
    "status", "deadline", "reported_at", "measures", "funding_yuan", "rectification_note",
    "closed_at", "dismiss_reason",
)  # fmt: skip
PEOPLE = ("reported_by", "responsible", "supervising_leader", "closed_by")


class _RequestLike:
    """What HazardFilter needs from a request (the user, for the school choices)."""

    def __init__(self, user):
        self.user = user


def filtered_hazards(user, query: QueryDict):
    """(filterset, queryset): the ledger as the list page shows it to ``user`` for ``query``.
    The queryset is empty when the filter is invalid (``filterset.errors`` says why)."""
    query = query.copy()
    for key in ("page", "after", "before", "format"):
        query.pop(key, None)
    base = Hazard.objects.visible_to(user)
    filterset = HazardFilter(query, queryset=base, request=_RequestLike(user))
    queryset = filterset.qs if filterset.is_valid() else base.none()
    return filterset, queryset


def _events_of(ids):
    """{hazard id: [event-like]} of the hazards ``ids``, oldest first (one query)."""
    events = defaultdict(list)
    rows = (
        HazardEvent.objects.filter(hazard_id__in=ids)
        .order_by("created_at", "id")
        .values_list("hazard_id", "id", "to_status", "created_at")
    )
    for hazard_id, pk, to_status, created_at in rows:
        events[hazard_id].append(SimpleNamespace(pk=pk, to_status=to_status, created_at=created_at))
    return events


def _labels():
    """Choice labels translated once per export (get_FOO_display() rebuilds its dict)."""
    return {
        name: {value: str(label) for value, label in Hazard._meta.get_field(name).choices}
        for name in ("category", "level", "source", "status")
    }


def ledger_rows(queryset, now=None):
    """One list of cell values per hazard, in the ledger's order (``COLUMNS``), from plain
    tuples read ``CHUNK`` at a time; the state durations from each chunk's events."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    labels = _labels()
    people = [_person(p) for p in PEOPLE]
    rows = queryset.values_list(*FIELDS, *people).iterator(chunk_size=CHUNK)
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield from _ledger_chunk(chunk, labels, now, today)
            chunk = []
    yield from _ledger_chunk(chunk, labels, now, today)


def _chunk_days(reported_at, now):
    """{hazard id: [days reported, rectifying, verifying]} of the hazards ``reported_at``
    ({id: reported_at}): PostgreSQL sums them from the events (``timeline.state_seconds``:
    no event rows come back); elsewhere ``state_durations`` over the events read here."""
    if connection.vendor == "postgresql":
        seconds = state_seconds(reported_at, now)
        return {pk: [seconds_as_days(seconds[pk][s]) for s in COUNTED_STATES] for pk in reported_at}
    events = _events_of(list(reported_at))
    spent = {
        pk: state_durations(SimpleNamespace(reported_at=at), events.get(pk, ()), now)
        for pk, at in reported_at.items()
    }
    return {pk: [days(delta) for delta in totals.values()] for pk, totals in spent.items()}


def _ledger_chunk(chunk, labels, now, today):
    spent = _chunk_days({row[0]: row[10] for row in chunk}, now) if chunk else {}
    category, level, source, status_label = (
        labels[name] for name in ("category", "level", "source", "status")
    )
    for row in chunk:
        (
            pk, school, title, description, location, category_, level_, source_, status,
            deadline, reported_at, measures, funding, note, closed_at, dismiss_reason,
            reported_by, responsible, leader, closed_by,
        ) = row  # FIELDS, then PEOPLE  # fmt: skip
        overdue = status in Hazard.ACTIVE_STATUSES and deadline is not None and deadline < today
        yield [
            pk, school, title, description, location, category[category_], level[level_],
            source[source_], status_label[status], overdue, reported_by, reported_at,
            responsible, measures, deadline, funding, leader, note, closed_by, closed_at,
            dismiss_reason, *spent[pk],
        ]  # fmt: skip


def ledger_csv(queryset, now=None, progress=None) -> Iterator[bytes]:
    """The ledger of ``queryset`` as CSV bytes (UTF-8, the BOM and the header first), as
    ``iter_csv(headers(), ledger_rows(queryset, now))`` writes it; ``progress(rows)`` is
    told at the end (when given; elsewhere every ``CHUNK`` rows too).

    On PostgreSQL every cell is made by the server (``_ledger_csv_sql``) in one ``COPY …
    TO STDOUT`` whose rows are passed on as they come (the record's newline becomes CRLF,
    as Python's ``csv`` ends a line): no Python per cell, one statement whatever the size.
    Elsewhere ``iter_csv`` over ``ledger_rows``."""
    now = now or timezone.now()
    if connection.vendor != "postgresql":
        for piece in iter_csv(headers(), _counted(ledger_rows(queryset, now), progress)):
            yield piece.encode("utf-8")
        return
    buffer = io.StringIO()
    csv.writer(buffer).writerow([str(h) for h in headers()])
    yield (BOM + buffer.getvalue()).encode("utf-8")
    sql, params = _ledger_csv_sql(queryset, now)
    count, lines = 0, []
    with transaction.atomic(), connection.cursor() as cursor:
        # Compiling the plan (JIT) would cost more than it saves in a statement that mostly
        # reads, and the sorts of a big export spill to disk at the default work_mem.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        started = time.monotonic()
        with cursor.cursor.copy(sql, params) as copy:
            # A message a row, ending in the newline that ends the record (a newline inside
            # a quoted cell comes before it).
            for row in copy:
                lines.append(bytes(row[:-1]))
                count += 1
                if count % CHUNK == 0:
                    yield b"\r\n".join(lines) + b"\r\n"
                    lines = []
        if connection.queries_logged:  # as Django logs execute(): DEBUG, query counts
            copied = connection.ops.compose_sql(sql, params)
            connection.queries_log.append(
                {"sql": copied, "time": f"{time.monotonic() - started:.3f}"}
            )
    if lines:
        yield b"\r\n".join(lines) + b"\r\n"
    if progress:  # the connection is free again (no statement can run during a COPY)
        progress(count)


def _bracket(characters) -> str:
    """A regular expression bracket matching any of ``characters`` ("-" last: literal)."""
    return "[" + "".join(c for c in characters if c != "-") + ("-]" if "-" in characters else "]")


class _CsvText(Func):
    """``clean_text`` of a text expression in PostgreSQL, with empty text as NULL (COPY
    writes both as an empty cell, as ``iter_csv`` does): control characters as
    ``spreadsheet.without_controls``, and a formula-like start (``looks_like_formula``)
    gets an apostrophe; the characters and the plain number are ``spreadsheet``'s."""

    output_field = TextField()
    FORMULA = "^" + _bracket(FORMULA_PREFIXES)
    CONTROLS = "[\x01-\x08\x0e-\x1f]"  # the rest of XML_ILLEGAL (PostgreSQL text has no NUL)
    DIRTY = f"{FORMULA}|[\x01-\x08\x0b\x0c\x0e-\x1f]"  # a cell that needs any of it

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        value = f"NULLIF({sql}, '')"
        clean = f"regexp_replace(translate({value}, %s, %s), %s, '', 'g')"
        clean_params = [*params, "\x0b\x0c", "\n\n", self.CONTROLS]
        template = (
            f"CASE WHEN {value} ~ %s THEN CASE WHEN {clean} ~ %s AND {clean} !~ %s"
            f" THEN '''' || {clean} ELSE {clean} END ELSE {value} END"
        )
        return template, [
            *params, self.DIRTY, *clean_params, self.FORMULA, *clean_params,
            PLAIN_NUMBER.pattern, *clean_params, *clean_params, *params,
        ]  # fmt: skip


def _labelled(field: str) -> Case:
    """The choice label of ``field`` (translated now), else its stored value."""
    choices = Hazard._meta.get_field(field).choices or []
    whens = [When(**{field: value}, then=Value(str(label))) for value, label in choices]
    return Case(*whens, default=F(field), output_field=TextField())


def _minutes(field: str, zone: str) -> Func:
    """A time as 'YYYY-MM-DD HH:MM' wall-clock time in ``zone`` (``csv_text``'s)."""
    local = Func(Value(zone), F(field), function="timezone")
    return Func(local, Value("YYYY-MM-DD HH24:MI"), function="to_char", output_field=TextField())


def _ledger_csv_sql(queryset, now) -> tuple[str, list]:
    """(SQL, params) of ``COPY (the ledger's CSV cells, in ledger order) TO STDOUT``: the
    cells of ``ledger_rows`` as ``csv_text`` makes them text, and the state durations of
    ``timeline.state_seconds_ctes`` and ``state_totals_sql`` over the same hazards.
    PostgreSQL only."""
    today = timezone.localdate(now)
    zone = timezone.get_current_timezone_name()
    yes_no = Case(
        When(HazardQuerySet.overdue_q(today), then=Value(_("是"))), default=Value(_("否"))
    )
    cells = queryset.order_by().values_list(
        "pk", "reported_at",
        Cast("pk", TextField()), _CsvText(F("school__name")), _CsvText(F("title")),
        _CsvText(F("description")), _CsvText(F("location")), _labelled("category"),
        _labelled("level"), _labelled("source"), _labelled("status"), yes_no,
        _CsvText(_person("reported_by")), _minutes("reported_at", zone),
        _CsvText(_person("responsible")), _CsvText(F("measures")),
        Func(F("deadline"), Value("YYYY-MM-DD"), function="to_char", output_field=TextField()),
        Cast("funding_yuan", TextField()), _CsvText(_person("supervising_leader")),
        _CsvText(F("rectification_note")), _CsvText(_person("closed_by")),
        _minutes("closed_at", zone), _CsvText(F("dismiss_reason")),
    )  # fmt: skip
    cells_sql, cells_params = cells.query.sql_with_params()
    names = ", ".join(f"c{n}" for n in range(len(COLUMNS) - len(COUNTED_STATES)))
    ctes, ctes_params = state_seconds_ctes("ARRAY(SELECT hazard_id FROM ledger)", now)
    totals, totals_params = state_totals_sql("ledger.at", now)
    spent = ", ".join(DAYS_SQL.format(total) for total in totals)
    sql = (
        f"COPY (WITH ledger(hazard_id, at, {names}) AS MATERIALIZED ({cells_sql}), {ctes}"
        f" SELECT {names}, {spent} FROM ledger LEFT JOIN spent_seconds USING (hazard_id)"
        # The ledger's order (Hazard.Meta.ordering).
        " ORDER BY ledger.at DESC, ledger.hazard_id DESC) TO STDOUT WITH (FORMAT csv)"
    )
    return sql, [*cells_params, *ctes_params, *totals_params]


def headers():
    return [column.label for column in COLUMNS]


def filter_summary(form) -> list[str]:
    """'标签=值' for every filter of a valid bound ``form`` that has a value, choices by their
    labels and objects by their names, in the form's order."""
    if not form.is_bound or not form.is_valid():
        return []
    shown = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()) or (hasattr(value, "exists") and not value.exists()):
            continue
        choices = dict(getattr(field, "choices", ()) or ())
        values = value if isinstance(value, (list, tuple)) or hasattr(value, "all") else [value]
        text = "、".join(str(choices.get(v, v)) for v in values)
        shown.append(f"{field.label}={text}")
    return shown


def ledger_sheet(filterset, queryset, now=None, progress=None) -> spreadsheet.Sheet:
    """The ledger as one worksheet, its title row naming the filter and ``now``."""
    now = now or timezone.now()
    title = _("隐患台账")
    caption = spreadsheet.caption(title, filter_summary(filterset.form), now)
    rows = _counted(ledger_rows(queryset, now), progress)
    return spreadsheet.Sheet(title, caption, COLUMNS, rows)


def _counted(rows, progress):
    """``rows`` as they are, telling ``progress(rows so far)`` every ``CHUNK`` rows and at
    the end (when given)."""
    if progress is None:
        yield from rows
        return
    count = 0
    for count, row in enumerate(rows, start=1):
        yield row
        if count % CHUNK == 0:
            progress(count)
    progress(count)


def file_name(fmt, today=None, what=None) -> str:
    """'隐患台账-20240302.xlsx' (Beijing date)."""
    today = today or timezone.localdate()
    return str(what or _("隐患台账")) + f"-{today:%Y%m%d}.{fmt}"


def content_disposition(name: str, fallback: str) -> str:
    """RFC 6266 / 5987: an ASCII ``filename`` for old clients and the UTF-8 ``filename*``."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def render(fmt, queryset, filterset=None, progress=None):
    """The ledger file (CSV or .xlsx) in a rewound temporary file; ``progress(rows so far)``
    is told when given (every ``CHUNK`` rows of a workbook, at the end of a CSV)."""
    if fmt == "csv":
        file = _temporary_file()
        for piece in ledger_csv(queryset, progress=progress):
            file.write(piece)
        file.seek(0)
        return file
    if filterset is None:
        filterset = SimpleNamespace(form=SimpleNamespace(is_bound=False))
    return xlsx_file([ledger_sheet(filterset, queryset, progress=progress)])


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
    job.save(update_fields=["row_count"])  # the page now shows "x of row_count"
    with render(job.format, queryset, filterset, progress=_progress_of(job)) as content:
        job.file.save(f"{job.pk}.{job.format}", File(content), save=False)
    job.status, job.finished_at = ExportJob.Status.DONE, timezone.now()
    job.save(update_fields=["status", "file", "finished_at"])
    return job


def _progress_of(job: ExportJob):
    """A callback storing the rows written (one UPDATE per ``CHUNK`` rows, committed at
    once: the job's page reads it while the task runs)."""

    def progress(rows: int) -> None:
        job.rows_written = rows
        ExportJob.objects.filter(pk=job.pk).update(rows_written=rows, modified=timezone.now())

    return progress


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
    # requested_by: the tombstone of a deleted job names its owner (notifications.tombstones).
    for job in list(old.only("pk", "file", "requested_by")):
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

"""Stored yearly statistics: one row per scope (a school, or bureau-wide), year and period."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import private_storage
from core.sync import SyncedModel


class Period(models.TextChoices):
    """Calendar year (1 Jan – 31 Dec) or school year (1 Sep – 31 Aug), Asia/Shanghai."""

    CALENDAR = "calendar", _("自然年")
    SCHOOL = "school", _("学年")


class YearlyStatistic(models.Model):
    """The figures of one year for one school, or for the whole bureau when ``school`` is
    empty. Re-computing replaces the row (unique per scope, year and period)."""

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="yearly_statistics",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("统计口径"), max_length=10, choices=Period)
    figures = models.JSONField(_("指标"), default=dict)
    # The bureau row's series the dashboard and the yearly report read instead of counting
    # again: {"months": {"found": [12 ints], "closed": [12 ints]}, "drill_statistics": [...]}
    # (reports.figures.month_counts, drill_statistics). School rows leave it empty.
    details = models.JSONField(_("明细"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    class Meta:
        verbose_name = _("年度统计")
        verbose_name_plural = pgettext_lazy("plural", "年度统计")
        ordering = ["-year", "period", "school", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "period"], name="yearlystat_unique_school_year_period"
            ),
            # NULL school (bureau-wide) is not covered by the constraint above.
            models.UniqueConstraint(
                fields=["year", "period"],
                condition=Q(school__isnull=True),
                name="yearlystat_unique_bureau_year_period",
            ),
        ]

    def __str__(self):
        scope = self.school or _("全旗")
        return f"{scope} {self.year} {self.get_period_display()}"


def export_file_path(job, filename):
    # Generated names only; the Chinese name is given at download (Content-Disposition).
    return f"exports/{timezone.localdate():%Y/%m}/{filename}"


class ExportJob(SyncedModel):
    """A large ledger export run by Celery: the requester's filters (the list page's query
    string) and scope at the time, and the file once it is ready. Only the requester, or
    staff whose scope holds the job's scope, may download it."""

    SYNC_RESOURCE = "export-jobs"  # core.sync: the API's sync feed and tombstones
    SYNC_OWNER = "requested_by"  # a personal row: its tombstone is its owner's alone

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    # {"status": ["reported", "closed"], "q": ["灭火器"]}: QueryDict.lists() of the request.
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    # School ids of the requester's scope when asked; null: all schools (the bureau).
    scope_school_ids = models.JSONField(_("范围"), null=True, blank=True)
    format = models.CharField(_("格式"), max_length=10, choices=Format)
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.PENDING)
    file = models.FileField(
        _("文件"), upload_to=export_file_path, blank=True, storage=private_storage
    )
    row_count = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    # Rows written so far, moved every few thousand rows while running: the progress the
    # requester sees on the job's page (a province's million rows take minutes).
    rows_written = models.PositiveIntegerField(_("已写入行数"), default=0)
    error = models.CharField(_("错误"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # When a worker began writing the file; a job still running long after it (past the
    # task's time limit) lost its worker and is failed (exports.fail_interrupted_exports).
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = pgettext_lazy("plural", "导出任务")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_user_recent")
        ]

    def __str__(self):
        return f"{self.requested_by} {self.get_format_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress_percent(self) -> int | None:
        """Share of the rows written, 0–100; None before the rows are counted."""
        if not self.row_count:
            return None
        return min(100, self.rows_written * 100 // self.row_count)

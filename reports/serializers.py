"""Validation of report parameters (year, period, school), shared by the API and the
``rollup_statistics`` command, and the shape of the yearly report for the OpenAPI doc."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.pagination import PAGE_NUMBER_MESSAGE
from core.years import FIRST_YEAR, LAST_YEAR

from .models import ExportJob, Period
from .services import current_year


class ReportParamsSerializer(serializers.Serializer):
    """``year`` (int 2000–2100, default the current year), ``period`` (calendar|school,
    default calendar), ``school`` (optional school id; the caller checks the scope)."""

    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        default=current_year,
        error_messages={
            "invalid": _("年度须为整数，例如 2024。"),
            "min_value": _("年度不能早于 {min_value} 年。"),
            "max_value": _("年度不能晚于 {max_value} 年。"),
            "max_string_length": _("年度须为整数，例如 2024。"),
        },
    )
    period = serializers.ChoiceField(
        choices=Period.choices,
        default=Period.CALENDAR.value,
        error_messages={
            "invalid_choice": _("统计口径“{input}”无效，可选 calendar（自然年）或 school（学年）。")
        },
    )
    school = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        error_messages={
            "invalid": _("学校须为学校编号（整数）。"),
            "min_value": _("学校编号无效。"),
        },
    )


class SchoolPageSerializer(serializers.Serializer):
    """The yearly report's page of schools: ``page`` (≥ 1, default 1) and ``page_size``
    (1–500, default 100: a county's schools on one page)."""

    page = serializers.IntegerField(
        min_value=1,
        default=1,
        error_messages={"invalid": PAGE_NUMBER_MESSAGE, "min_value": PAGE_NUMBER_MESSAGE},
    )
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=500,
        default=100,
        error_messages={
            "invalid": _("每页学校数须为 1–500 的整数。"),
            "min_value": _("每页学校数须为 1–500 的整数。"),
            "max_value": _("每页学校数须为 1–500 的整数。"),
        },
    )


class SchoolFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    figures = serializers.DictField(child=serializers.IntegerField())


class DrillStatisticsSerializer(serializers.Serializer):
    """Drills of one school type (办学类型) in the period."""

    school_type = serializers.CharField()
    label = serializers.CharField()
    schools = serializers.IntegerField()
    compliance_rate = serializers.FloatField(
        allow_null=True, help_text=_("达标月（季）数 / 应开展月（季）数")
    )
    median_evacuation_seconds = serializers.FloatField(allow_null=True)


class YearlyReportSerializer(serializers.Serializer):
    """The yearly report: figures of the scope, their labels, and the figures by school."""

    year = serializers.IntegerField()
    period = serializers.ChoiceField(choices=Period.choices)
    start = serializers.DateField(help_text=_("统计期第一天"))
    end = serializers.DateField(help_text=_("统计期最后一天"))
    school = serializers.IntegerField(allow_null=True)
    computed_at = serializers.DateTimeField(help_text=_("这些统计数据的计算时间"))
    figures = serializers.DictField(child=serializers.IntegerField())
    labels = serializers.DictField(child=serializers.CharField())
    schools_count = serializers.IntegerField(help_text=_("范围内的学校数（各页合计）"))
    schools_next = serializers.URLField(allow_null=True, help_text=_("下一页各校数据"))
    schools_previous = serializers.URLField(allow_null=True, help_text=_("上一页各校数据"))
    schools = SchoolFiguresSerializer(many=True, help_text=_("本页各校数据"))
    drill_statistics = DrillStatisticsSerializer(many=True)


def error_lines(errors) -> list:
    """``serializer.errors`` as "field: message" strings, for the command line."""
    return [f"{field}: {message}" for field, messages in errors.items() for message in messages]


class ExportJobSerializer(serializers.ModelSerializer):
    """A background ledger export: ``filters`` are the ledger list's (``status``,
    ``category``, ``school``, ``q``… each a list of values); ``download_url`` once done."""

    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(max_length=200), max_length=50),
        required=False,
        help_text=_('与隐患台账相同的筛选条件，如 {"status": ["reported"]}'),
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "format",
            "filters",
            "status",
            "status_label",
            "row_count",
            "rows_written",
            "error",
            "created_at",
            "finished_at",
            "download_url",
            "modified",
        ]
        read_only_fields = [
            "id",
            "status",
            "row_count",
            "rows_written",
            "error",
            "created_at",
            "finished_at",
            "modified",
        ]

    def get_download_url(self, job) -> str | None:
        if job.status != ExportJob.Status.DONE:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("api-export-job-download", args=[job.pk])
        )

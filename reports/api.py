"""GET /api/v1/reports/yearly/?year=2024&period=calendar[&school=ID]: the yearly figures.

Read from the stored figures (reports.stored: the roll-up, refreshed every ten minutes for
the current periods; ``computed_at`` says when), never counted again per request. The
per-school part is paged (``page``, ``page_size``: ``schools_count``, ``schools_next``,
``schools_previous``); a page past the end has no schools. A school-scoped user gets only
their schools' figures; a school outside the user's scope, or unknown, is 404 (as
everywhere: out of scope is not found). Bad parameters are 400 with a translated message
per field.
"""

import datetime

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.files import PrivateFileView
from core.pagination import school_page
from core.sync import SyncViewSetMixin
from schools.models import School

from . import exports
from .figures import FIGURES, drill_statistics, period_bounds
from .models import ExportJob
from .serializers import (
    ExportJobSerializer,
    ReportParamsSerializer,
    YearlyReportSerializer,
)
from .stored import page_rows, scope_figures

PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description=_("年度（2000–2100），默认今年")),
    OpenApiParameter(
        "period",
        OpenApiTypes.STR,
        enum=["calendar", "school"],
        description=_(
            "统计口径：calendar 自然年（1月1日–12月31日，默认），school 学年（9月1日–次年8月31日）"
        ),
    ),
    OpenApiParameter(
        "school", OpenApiTypes.INT, description=_("只看这所学校（须在用户范围内，否则 404）")
    ),
    OpenApiParameter(
        "page", OpenApiTypes.INT, description=_("各校数据（schools）的页码，默认第 1 页")
    ),
    OpenApiParameter(
        "page_size",
        OpenApiTypes.INT,
        description=_("各校数据每页学校数（1–500），默认 100"),
    ),
]


class YearlyReportView(APIView):
    """The yearly report of the user's scope: ``figures`` (key → int; money in yuan),
    ``labels`` (key → translated label), ``computed_at`` (when the stored figures were
    computed), and ``schools`` (each school's figures, one page of ``schools_count``; only
    the requested one when ``school`` is given), ``drill_statistics`` per school type."""

    @extend_schema(
        parameters=PARAMETERS,
        responses={
            200: YearlyReportSerializer,
            400: OpenApiResponse(description=_("参数无效：按字段给出错误信息")),
            404: OpenApiResponse(description=_("学校不存在或不在用户范围内")),
        },
    )
    def get(self, request):
        params = ReportParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        year, period = params.validated_data["year"], params.validated_data["period"]
        today = timezone.localdate()
        schools = School.objects.visible_to(request.user).active()
        school_id = params.validated_data.get("school")
        scope = request.user.school_ids()
        if school_id is not None:
            schools = schools.filter(pk=school_id)
            if not schools.exists():
                raise NotFound(_("学校不存在或不在您的管辖范围内。"))
            scope = [school_id]
        stored, by_school = scope_figures(scope, year=year, period=period, today=today)
        page, links = school_page(request, schools.values_list("id", "name"))
        if by_school is None:
            rows = page_rows(page, year=year, period=period, today=today)
            drills = stored.details["drill_statistics"]
        else:
            rows = [{"id": sid, "name": name, "figures": by_school[sid]} for sid, name in page]
            drills = drill_statistics(by_school, year=year, period=period)
        start, end = period_bounds(year, period)
        return Response(
            {
                "year": year,
                "period": period,
                "start": start,
                "end": end - datetime.timedelta(days=1),
                "school": school_id,
                "computed_at": stored.computed_at,
                "figures": stored.total,
                "labels": {key: str(label) for key, label in FIGURES.items()},
                **links,
                "schools": rows,
                # Per school type: drill compliance rate, median evacuation seconds.
                "drill_statistics": drills,
            }
        )


@extend_schema(tags=["exports"])
class ExportJobViewSet(SyncViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """``/api/v1/export-jobs/``: the user's own background ledger exports. ``POST`` asks for
    one (``format`` csv|xlsx, the ledger's ``filters``; the user's scope applies, as on the
    page); poll ``GET …/{id}/`` until ``status`` is done, then fetch ``download_url``."""

    serializer_class = ExportJobSerializer

    def get_queryset(self):
        return ExportJob.objects.filter(requested_by_id=self.request.user.pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        query = QueryDict(mutable=True)
        for key, values in serializer.validated_data.get("filters", {}).items():
            query.setlist(key, values)
        job = exports.request_export_job(request.user, query, serializer.validated_data["format"])
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)


class ExportJobDownloadView(PrivateFileView):
    """``GET /api/v1/export-jobs/{id}/download/``: the finished file, through the checking
    view (``reports.download_exportjob``); not finished, purged or not the user's: 404."""

    def get_file(self):
        job = ExportJob.objects.filter(pk=self.kwargs["pk"]).first()
        allowed = job is not None and self.request.user.has_perm("reports.download_exportjob", job)
        if not allowed or job.status != ExportJob.Status.DONE:
            raise NotFound()
        self.content_type = exports.CONTENT_TYPES[job.format]
        return job.file

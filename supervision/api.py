"""The supervision API: ``/api/v1/patrols/`` (patrol logs), ``/api/v1/check-ins/`` (read,
and ``POST`` to mark, for a future WeChat mini-program), ``/api/v1/supervision/summary/``
(a day's totals and a page of schools) and ``/api/v1/supervision/trend/`` (per day over a
range): counts only for the bureau. Out of scope 404 (a class of another school: 400 on the
write); bad input 400 with field messages; no permission 403."""

import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.pagination import school_page
from schools.models import School

from . import services
from .filters import CheckInFilter, PatrolFilter
from .models import CheckIn, Patrol
from .selectors import daily_summary, daily_totals, term_trend
from .serializers import (
    CheckInSerializer,
    CheckInWriteSerializer,
    DailySummarySerializer,
    PatrolSerializer,
    SummarySerializer,
    TrendSerializer,
)

MAX_TREND_DAYS = 366


@extend_schema(tags=["supervision"])
class PatrolViewSet(viewsets.ReadOnlyModelViewSet):
    """Patrol logs of the user's schools, newest first."""

    serializer_class = PatrolSerializer
    filterset_class = PatrolFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            Patrol.objects.visible_to(self.request.user)
            .select_related("slot")
            .prefetch_related("problems")
            .annotate(points_checked=Count("checks"))
            .order_by("-date", "slot__start", "id")
        )


@extend_schema(tags=["supervision"])
class CheckInViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Check-ins (到家报平安, 查寝) of the students the user may see by name."""

    serializer_class = CheckInSerializer
    filterset_class = CheckInFilter
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return (
            CheckIn.objects.visible_to(self.request.user)
            .select_related("student__school_class", "roll")
            .order_by("-date", "roll__school_class", "student__student_number", "id")
        )

    @extend_schema(request=CheckInWriteSerializer, responses={201: CheckInSerializer(many=True)})
    def create(self, request, *args, **kwargs):
        """Mark students (an upsert: one row per student, day and kind)."""
        write = CheckInWriteSerializer(data=request.data, context={"request": request})
        write.is_valid(raise_exception=True)
        data, now = write.validated_data, timezone.now()
        args = dict(actor=request.user, day=data["date"], kind=data["kind"], now=now)
        if data["all_arrived"]:
            services.mark_all_arrived(data["school_class"], **args)
        if data["marks"]:
            marks = {m["student"]: m["status"] for m in data["marks"]}
            services.mark_checkins(data["school_class"], marks=marks, **args)
        rows = self.get_queryset().filter(
            roll__school_class=data["school_class"], date=data["date"], kind=data["kind"]
        )
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)


def _date(value, default):
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        raise ValidationError({"date": [_("日期格式应为 YYYY-MM-DD。")]}) from None


def _schools(request):
    if not request.user.has_perm("supervision.view_supervision"):
        raise PermissionDenied
    return School.objects.visible_to(request.user).active().order_by("code", "id")


@extend_schema(
    tags=["supervision"],
    parameters=[
        OpenApiParameter("date", str, description="YYYY-MM-DD (default today)"),
        OpenApiParameter("page", int, description="page of schools (default 1)"),
        OpenApiParameter("page_size", int, description="schools a page (1–500, default 100)"),
    ],
    responses=DailySummarySerializer,
)
class SummaryView(APIView):
    """A day of the user's scope: ``totals`` over all its schools, and per school (one page
    of ``schools_count``, by school code; ``schools_next``/``schools_previous`` links):
    classes reported / total, students unaccounted for at the cut-off, patrol slots due /
    done / missed, compliance (``compliant`` null while the day is under way or to come;
    ``shortfalls`` say what the rule still lacks). Bad ``date``, ``page`` or ``page_size``: 400."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        day = _date(request.query_params.get("date"), timezone.localdate())
        schools = _schools(request)
        page, links = school_page(request, schools)
        return Response(
            {
                "date": day,
                "totals": daily_totals(schools, day),
                **links,
                "schools": SummarySerializer(
                    daily_summary(page, day, timezone.now()), many=True
                ).data,
            }
        )


@extend_schema(
    tags=["supervision"],
    parameters=[
        OpenApiParameter("start", str, description="YYYY-MM-DD"),
        OpenApiParameter("end", str, description="YYYY-MM-DD (default today)"),
    ],
    responses=TrendSerializer(many=True),
)
class TrendView(APIView):
    """Per school day from ``start`` to ``end`` (at most a year), summed over the user's
    schools."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        end = _date(request.query_params.get("end"), timezone.localdate())
        start = _date(request.query_params.get("start"), end - datetime.timedelta(days=30))
        if start > end or (end - start).days > MAX_TREND_DAYS:
            raise ValidationError({"start": [_("日期范围无效（最长一年）。")]})
        rows = term_trend(_schools(request), start, end)
        return Response(TrendSerializer(rows, many=True).data)

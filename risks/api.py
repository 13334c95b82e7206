"""``/api/v1/risk-points/`` (the register: list, detail, create, PATCH; ``assess`` and
``place`` actions), ``/api/v1/risk-assessments/`` (read) and
``/api/v1/risk-analytics/<series>/`` (one analytics series of the user's schools). Scoped
by ``visible_to`` (out of scope 404); writes need ``risks.manage_register`` (403); bad
values 400 with field messages."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from core.exceptions import NotPermitted
from core.permissions import ActionPermission

from . import services
from .filters import RiskAssessmentFilter, RiskPointFilter
from .models import RiskAssessment, RiskPoint
from .serializers import (
    AssessInputSerializer,
    PlaceInputSerializer,
    RiskAssessmentSerializer,
    RiskPointSerializer,
    SeriesSerializer,
)
from .series import SERIES, rows_of
from .views import analytics_params

MANAGE = "risks.manage_register"
EDITABLE = list(services.POINT_FIELDS)


@extend_schema(tags=["risks"])
class RiskPointViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Risk points of the user's schools; filter by ``school``, ``grade``, ``category``."""

    serializer_class = RiskPointSerializer
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    action_permissions = {"write": MANAGE}
    http_method_names = ["get", "post", "patch", "head", "options"]

    filterset_class = RiskPointFilter

    def get_queryset(self):
        return RiskPoint.objects.visible_to(self.request.user).order_by("school_id", "name", "id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        point = services.create_point(data.pop("school"), actor=request.user, **data)
        return Response(self.get_serializer(point).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        point = self.get_object()
        serializer = self.get_serializer(point, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in EDITABLE}
        point = services.update_point(point, actor=request.user, **data)
        return Response(self.get_serializer(point).data)

    @extend_schema(request=AssessInputSerializer, responses=RiskAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        """Assess the point by the bureau's method; the point takes the grade."""
        point = self.get_object()
        data = AssessInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        assessment = services.assess_point(
            point, actor=request.user, today=timezone.localdate(), **values
        )
        return Response(RiskAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlaceInputSerializer, responses=RiskPointSerializer)
    @action(detail=True, methods=["post"])
    def place(self, request, pk=None):
        """Place the point on its school's site plan (per cent, 0–100)."""
        point = self.get_object()
        data = PlaceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        point = services.place_point(
            point,
            actor=request.user,
            x=data.validated_data["plan_x"],
            y=data.validated_data["plan_y"],
        )
        return Response(self.get_serializer(point).data)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in permissions.SAFE_METHODS and not request.user.has_perm(
            MANAGE, obj
        ):
            raise NotPermitted()


@extend_schema(tags=["risks"])
class RiskAssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessments of the user's schools' points, newest first; filter by ``point``."""

    serializer_class = RiskAssessmentSerializer
    permission_classes = [permissions.IsAuthenticated]

    filterset_class = RiskAssessmentFilter

    def get_queryset(self):
        return RiskAssessment.objects.filter(
            point__in=RiskPoint.objects.visible_to(self.request.user)
        ).order_by("-assessed_on", "-id")


@extend_schema(
    tags=["risks"],
    parameters=[
        OpenApiParameter("series", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(SERIES)),
        OpenApiParameter(
            "year", OpenApiTypes.INT, description="calendar year (default: this year)"
        ),
        OpenApiParameter(
            "by",
            OpenApiTypes.STR,
            enum=["school", "category", "level"],
            description="grouping of stage-times",
        ),
    ],
    responses=SeriesSerializer,
)
class RiskAnalyticsView(APIView):
    """One analytics series of the user's schools (the rows of its table on the page)."""

    permission_classes = [permissions.IsAuthenticated]

    def get(self, request, series):
        found = SERIES.get(series)
        if found is None:
            raise Http404
        params = analytics_params(request)
        rows = rows_of(found, request.user.school_ids(), params)
        body = {
            "key": found.key,
            "title": str(found.title),
            "columns": [{"key": k, "label": str(label)} for k, label in found.columns],
            "rows": rows,
        }
        return Response(body)

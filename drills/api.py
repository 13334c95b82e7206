"""``/api/v1/drills/``, ``/api/v1/plans/``, ``/api/v1/incidents/``: scoped to the user's
schools (``visible_to``), filtered by the app's FilterSets, written through
``drills.services``. Out of scope 404; no permission 403; bad input 400 with the field's
message. No PUT, PATCH or DELETE: records change through their actions."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.permissions import ActionPermission
from core.sync import SyncViewSetMixin

from . import services
from .filters import DrillFilter, IncidentFilter, PlanFilter, PlannedDrillFilter
from .models import Drill, EmergencyPlan, Incident, PlannedDrill
from .selectors import plan_statuses
from .serializers import (
    CloseIncidentSerializer,
    DrillHazardSerializer,
    DrillPhotosSerializer,
    DrillSerializer,
    IncidentActionSerializer,
    IncidentSerializer,
    PlanApproveSerializer,
    PlannedDrillSerializer,
    PlanSerializer,
    PlanVersionUploadSerializer,
    WrittenReportSerializer,
)


class _ScopedViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _valid(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _fresh(self, obj, code=status.HTTP_200_OK):
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)


@extend_schema(tags=["drills"])
class DrillViewSet(SyncViewSetMixin, _ScopedViewSet):
    """Drills the user may see, newest first; record one; turn a problem into a hazard;
    add photos."""

    serializer_class = DrillSerializer
    filterset_class = DrillFilter
    action_permissions = {"write": "drills.record_drill"}

    def get_queryset(self):
        return (
            Drill.objects.visible_to(self.request.user)
            .select_related("school")
            .prefetch_related("problems", "photos")
        )

    def create(self, request, *args, **kwargs):
        data = self._valid(DrillSerializer)
        problems = data.pop("problem_texts", [])
        drill = services.record_drill(
            data.pop("school"), actor=request.user, problems=problems, **data
        )
        return self._fresh(drill, status.HTTP_201_CREATED)

    @extend_schema(request=DrillHazardSerializer, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def hazard(self, request, pk=None):
        """One problem found in the drill becomes a hazard (source "drill")."""
        drill = self.get_object()
        data = self._valid(DrillHazardSerializer)
        problem = get_object_or_404(drill.problems, pk=data["problem"])
        services.problem_to_hazard(problem, actor=request.user, category=data["category"])
        return self._fresh(drill)

    @extend_schema(request=DrillPhotosSerializer, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def photos(self, request, pk=None):
        drill = self.get_object()
        photos = request.FILES.getlist("photos")
        services.add_drill_photos(drill, actor=request.user, photos=photos)
        return self._fresh(drill)


@extend_schema(tags=["plans"])
class PlanViewSet(_ScopedViewSet):
    """Emergency plans of the user's schools with their versions; create a plan; upload a
    version (PDF/DOCX, multipart); approve a draft version."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilter
    action_permissions = {"write": "drills.manage_plan"}

    def get_queryset(self):
        return EmergencyPlan.objects.visible_to(self.request.user).with_versions()

    def create(self, request, *args, **kwargs):
        data = self._valid(PlanSerializer)
        plan = services.create_plan(data.pop("school"), actor=request.user, **data)
        return self._fresh(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanVersionUploadSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def versions(self, request, pk=None):
        plan = self.get_object()
        data = self._valid(PlanVersionUploadSerializer)
        services.add_plan_version(plan, actor=request.user, **data)
        return self._fresh(plan, status.HTTP_201_CREATED)

    @extend_schema(request=PlanApproveSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = self.get_object()
        data = self._valid(PlanApproveSerializer)
        version = get_object_or_404(plan.versions, pk=data.pop("version"))
        services.approve_plan_version(version, actor=request.user, **data)
        return self._fresh(plan)


@extend_schema(tags=["incidents"])
class IncidentViewSet(_ScopedViewSet):
    """Incidents of the user's schools (the bureau: all), with the timeline and deadlines;
    names of the people involved only for the school's managers and the bureau's admins.
    Report one; add a timeline entry; submit the written report; close with a review."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    action_permissions = {"write": "drills.report_incident"}

    def get_queryset(self):
        return (
            Incident.objects.visible_to(self.request.user)
            .select_related("school")
            .prefetch_related("people", "actions", "hazards")
        )

    def create(self, request, *args, **kwargs):
        data = self._valid(IncidentSerializer)
        incident = services.report_incident(data.pop("school"), actor=request.user, **data)
        return self._fresh(incident, status.HTTP_201_CREATED)

    @extend_schema(request=IncidentActionSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        incident = self.get_object()
        data = self._valid(IncidentActionSerializer)
        services.add_incident_action(incident, actor=request.user, **data)
        return self._fresh(incident, status.HTTP_201_CREATED)

    @extend_schema(request=WrittenReportSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], url_path="written-report")
    def written_report(self, request, pk=None):
        incident = self.get_object()
        data = self._valid(WrittenReportSerializer)
        services.submit_written_report(incident, actor=request.user, text=data["written_report"])
        return self._fresh(incident)

    @extend_schema(request=CloseIncidentSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        incident = self.get_object()
        data = self._valid(CloseIncidentSerializer)
        services.close_incident(incident, actor=request.user, **data)
        return self._fresh(incident)


@extend_schema(tags=["drills"])
class PlannedDrillViewSet(mixins.DestroyModelMixin, _ScopedViewSet):
    """The drill schedule (演练计划) of the user's schools, each plan with its status from
    the compliance function; plan a drill; cancel one whose day has not passed (DELETE)."""

    serializer_class = PlannedDrillSerializer
    filterset_class = PlannedDrillFilter
    action_permissions = {"write": "drills.record_drill"}
    statuses: dict = {}

    def get_queryset(self):
        return PlannedDrill.objects.visible_to(self.request.user).select_related("school")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "statuses": self.statuses}

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        self.statuses = plan_statuses(rows, timezone.localdate())
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        plan = self.get_object()
        self.statuses = plan_statuses([plan], timezone.localdate())
        return Response(self.get_serializer(plan).data)

    def create(self, request, *args, **kwargs):
        data = self._valid(PlannedDrillSerializer)
        today = timezone.localdate()
        plan = services.plan_drill(data.pop("school"), actor=request.user, today=today, **data)
        self.statuses = plan_statuses([plan], today)
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.cancel_planned_drill(instance, actor=self.request.user, today=timezone.localdate())

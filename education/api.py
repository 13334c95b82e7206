"""``/api/v1/education-activities/``: the safety education activities of the user's schools
(list, detail) and recording one (``POST``, through ``services.record_activity``). Out of
scope 404; no permission 403; a bad value (a count above ``core.bounds.MAX_HEADCOUNT``, a
date outside ``core.years``, a future date) 400 with the field's message."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import ActionPermission
from core.sync import SyncViewSetMixin
from schools.models import School, Term

from . import selectors, services
from .filters import ActivityFilter, TrainingFilter
from .models import Appointment, EducationActivity, StaffTraining, VicePrincipal
from .serializers import (
    ActivitySerializer,
    CoverageParamsSerializer,
    TrainingSerializer,
    VicePrincipalSerializer,
)


@extend_schema(tags=["education"])
class ActivityViewSet(SyncViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Activities the user may see, newest first; record one (JSON, or multipart with
    ``photos``: up to ``core.images.MAX_PHOTOS`` images)."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    action_permissions = {"write": "education.record_activity"}

    def get_queryset(self):
        return (
            EducationActivity.objects.visible_to(self.request.user)
            .select_related("school")
            .prefetch_related("classes", "photos")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        activity = services.record_activity(data.pop("school"), actor=request.user, **data)
        activity = self.get_queryset().get(pk=activity.pk)  # with its photos
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["education"])
class VicePrincipalViewSet(viewsets.ReadOnlyModelViewSet):
    """Rule-of-law vice principals appointed at the user's schools, with those appointments."""

    serializer_class = VicePrincipalSerializer

    def get_queryset(self):
        appointments = Appointment.objects.visible_to(self.request.user).select_related("school")
        return (
            VicePrincipal.objects.filter(appointments__in=appointments)
            .distinct()
            .prefetch_related(Prefetch("appointments", appointments, "scoped_appointments"))
        )


@extend_schema(tags=["education"])
class TrainingViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff safety trainings of the user's schools, newest first."""

    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter

    def get_queryset(self):
        return StaffTraining.objects.visible_to(self.request.user).prefetch_related("attendees")


class CoverageView(APIView):
    """``GET /api/v1/education-coverage/?school=ID&term=ID``: the coverage grid of a school's
    term: ``topics`` (codes and labels), ``classes`` (id, name, ``topics``: code → activity ids
    that reached the class; empty list = a gap), ``gaps``. School out of scope or unknown
    term: 404; missing or bad parameters: 400."""

    @extend_schema(
        tags=["education"],
        parameters=[CoverageParamsSerializer],
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(description="school or term")},
    )
    def get(self, request):
        if not request.user.has_perm("education.view_coverage"):
            raise PermissionDenied()
        params = CoverageParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        school = get_object_or_404(
            School.objects.visible_to(request.user), pk=params.validated_data["school"]
        )
        term = get_object_or_404(
            Term.objects.filter(Q(school__isnull=True) | Q(school=school)),
            pk=params.validated_data["term"],
        )
        grid = selectors.coverage_grid(school, term)
        codes = [t.topic for t in grid["topics"]]
        return Response(
            {
                "school": school.pk,
                "term": term.pk,
                "topics": [
                    {"code": t.topic, "label": t.get_topic_display()} for t in grid["topics"]
                ],
                "classes": [
                    {
                        "id": row["class"].pk,
                        "name": row["class"].name,
                        "topics": {
                            c: [a.pk for a in cell]
                            for c, cell in zip(codes, row["cells"], strict=True)
                        },
                    }
                    for row in grid["rows"]
                ],
                "gaps": grid["gaps"],
            }
        )

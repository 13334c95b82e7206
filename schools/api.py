"""``/api/v1/schools/``: read-only list and detail of the schools in the user's scope."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets

from core.sync import SyncViewSetMixin

from .filters import SchoolFilter
from .models import Department, School, SchoolAssignment
from .serializers import AssignmentSerializer, DepartmentSerializer, SchoolSerializer


@extend_schema(tags=["schools"])
class SchoolViewSet(SyncViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Schools the user may see (all for the bureau, their own otherwise); others are 404."""

    serializer_class = SchoolSerializer
    filterset_class = SchoolFilter

    def get_queryset(self):
        return School.objects.visible_to(self.request.user)


@extend_schema(tags=["schools"])
class DepartmentViewSet(SyncViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """``/api/v1/departments/``: the safety committee's departments (not personal data;
    every signed-in client reads them)."""

    serializer_class = DepartmentSerializer
    queryset = Department.objects.all()
    filterset_fields = ["kind"]


@extend_schema(tags=["schools"])
class AssignmentViewSet(SyncViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """``/api/v1/assignments/``: leader and cadre assignments (领导联校、干部包校) of the
    schools in the user's scope, past and current (``end_date`` null: still in force)."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["school", "kind", "user"]

    def get_queryset(self):
        return SchoolAssignment.objects.filter(
            school__in=School.objects.visible_to(self.request.user)
        ).select_related("user")

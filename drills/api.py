"""``/api/v1/drills/``: the drills of the user's schools (list, detail) and recording one
(``POST``, through ``services.record_drill``). Out of scope 404; no permission 403; a bad
value (a count above ``core.bounds.MAX_HEADCOUNT``, a date outside ``core.years``, a
future date) 400 with the field's message. No PUT, PATCH or DELETE."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from core.permissions import ActionPermission
from core.sync import SyncViewSetMixin

from . import services
from .models import Drill
from .serializers import DrillSerializer


@extend_schema(tags=["drills"])
class DrillViewSet(SyncViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Drills the user may see, newest first."""

    serializer_class = DrillSerializer
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    action_permissions = {"write": "drills.record_drill"}

    def get_queryset(self):
        return Drill.objects.visible_to(self.request.user).select_related("school")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        drill = services.record_drill(data.pop("school"), actor=request.user, **data)
        return Response(self.get_serializer(drill).data, status=status.HTTP_201_CREATED)

"""``/api/v1/education-activities/``: the safety education activities of the user's schools
(list, detail) and recording one (``POST``, through ``services.record_activity``). Out of
scope 404; no permission 403; a bad value (a count above ``core.bounds.MAX_HEADCOUNT``, a
date outside ``core.years``, a future date) 400 with the field's message."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response

from core.permissions import ActionPermission
from core.sync import SyncViewSetMixin

from . import services
from .models import EducationActivity
from .serializers import ActivitySerializer


@extend_schema(tags=["education"])
class ActivityViewSet(SyncViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Activities the user may see, newest first."""

    serializer_class = ActivitySerializer
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    action_permissions = {"write": "education.record_activity"}

    def get_queryset(self):
        return EducationActivity.objects.visible_to(self.request.user).select_related("school")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        activity = services.record_activity(data.pop("school"), actor=request.user, **data)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

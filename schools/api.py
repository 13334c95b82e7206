"""``/api/v1/schools/``: read-only list and detail of the schools in the user's scope."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets

from .filters import SchoolFilter
from .models import School
from .serializers import SchoolSerializer


@extend_schema(tags=["schools"])
class SchoolViewSet(viewsets.ReadOnlyModelViewSet):
    """Schools the user may see (all for the bureau, their own otherwise); others are 404."""

    serializer_class = SchoolSerializer
    filterset_class = SchoolFilter

    def get_queryset(self):
        return School.objects.visible_to(self.request.user)

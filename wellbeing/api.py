"""``GET /api/v1/wellbeing/counts/``: files by school and warning level for the user's
schools — counts only (no names, scores or notes), for the bureau, report clients and
counsellors (``wellbeing.view_counts``); anyone else 403. The sealed files have no API."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import counts_table
from .serializers import SchoolCountsSerializer


class CountsView(APIView):
    """One row per school of the user's scope: ``files`` and the count at each level."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(tags=["wellbeing"], responses={200: SchoolCountsSerializer(many=True)})
    def get(self, request):
        if not request.user.has_perm("wellbeing.view_counts"):
            raise PermissionDenied()
        table = counts_table(request.user)
        names = [level.name for level in table["levels"]]
        rows = [
            {
                "school": row["school"].pk,
                "school_name": row["school"].name,
                "files": row["files"],
                "levels": [
                    {"level": n, "files": c} for n, c in zip(names, row["counts"], strict=True)
                ],
            }
            for row in table["rows"]
        ]
        return Response(SchoolCountsSerializer(rows, many=True).data)

"""API shapes of drills: one serializer for reading and recording. Bounds (head counts,
seconds, the date range) come from the model fields' validators; the rules (who may
record, no future date) from ``drills.services``."""

from rest_framework import serializers

from schools.serializers import ScopedSchoolField

from .models import Drill


class DrillSerializer(serializers.ModelSerializer):
    """A drill with its type and mode labels; ``school`` must be in the user's scope."""

    school = ScopedSchoolField()
    drill_type_label = serializers.CharField(source="get_drill_type_display", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)

    class Meta:
        model = Drill
        fields = [
            "id",
            "school",
            "drill_type",
            "drill_type_label",
            "mode",
            "mode_label",
            "date",
            "student_participants",
            "staff_participants",
            "evacuation_seconds",
            "notes",
            "modified",
        ]
        read_only_fields = ["id", "modified"]

"""API shapes of safety education activities: one serializer for reading and recording.
Bounds (head count, the date range) come from the model fields' validators; the rules (who
may record, no future date) from ``education.services``. Counselling has no API: it is
sealed to the school's counsellors."""

from rest_framework import serializers

from schools.serializers import ScopedSchoolField

from .models import EducationActivity


class ActivitySerializer(serializers.ModelSerializer):
    """An activity with its kind and topic labels; ``school`` must be in the user's scope."""

    school = ScopedSchoolField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    topic_label = serializers.CharField(source="get_topic_display", read_only=True)

    class Meta:
        model = EducationActivity
        fields = [
            "id",
            "school",
            "kind",
            "kind_label",
            "topic",
            "topic_label",
            "title",
            "date",
            "participants",
            "modified",
        ]
        read_only_fields = ["id", "modified"]

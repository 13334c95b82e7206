"""API shapes of safety education activities: one serializer for reading and recording.
Bounds (head count, the date range) come from the model fields' validators; the rules (who
may record, no future date) from ``education.services``. Counselling has no API: it is
sealed to the school's counsellors."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.images import MAX_PHOTOS
from schools.serializers import ScopedSchoolField

from .models import Appointment, EducationActivity, StaffTraining, VicePrincipal


class ActivitySerializer(serializers.ModelSerializer):
    """An activity with its kind and topic labels; ``school`` must be in the user's scope."""

    school = ScopedSchoolField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    topic_label = serializers.CharField(source="get_topic_display", read_only=True)
    photos = serializers.ListField(
        child=serializers.ImageField(), write_only=True, required=False, max_length=MAX_PHOTOS
    )
    photo_urls = serializers.SerializerMethodField()

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
            "classes",
            "receipts_signed",
            "photos",
            "photo_urls",
            "modified",
        ]
        read_only_fields = ["id", "modified"]

    def get_photo_urls(self, activity) -> list[str]:
        """Absolute URLs of the activity's photos (the checking view ``activity-photo``)."""
        request = self.context.get("request")
        urls = [p.get_absolute_url() for p in activity.photos.all()]
        return [request.build_absolute_uri(u) for u in urls] if request else urls

    def validate(self, data):
        school, classes = data.get("school"), data.get("classes") or []
        if school and any(c.school_id != school.pk for c in classes):
            raise serializers.ValidationError({"classes": [_("参加班级须是所选学校的班级。")]})
        return data


class AppointmentSerializer(serializers.ModelSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True)

    class Meta:
        model = Appointment
        fields = ["school", "school_name", "start_date", "end_date"]


class VicePrincipalSerializer(serializers.ModelSerializer):
    """A rule-of-law vice principal with the appointments at the user's schools."""

    agency_type_label = serializers.CharField(source="get_agency_type_display", read_only=True)
    appointments = AppointmentSerializer(source="scoped_appointments", many=True, read_only=True)

    class Meta:
        model = VicePrincipal
        fields = ["id", "name", "agency_type", "agency_type_label", "agency_name", "appointments"]


class TrainingSerializer(serializers.ModelSerializer):
    attendees = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = StaffTraining
        fields = ["id", "school", "title", "date", "hours", "attendees"]


class CoverageParamsSerializer(serializers.Serializer):
    school = serializers.IntegerField(min_value=1)
    term = serializers.IntegerField(min_value=1)

"""API shapes of schools: stored codes plus their translated labels."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Department, School, SchoolAssignment


class SchoolSerializer(serializers.ModelSerializer):
    """A school with its type, town and fire-acceptance codes and their labels."""

    school_type_label = serializers.CharField(source="get_school_type_display", read_only=True)
    town_label = serializers.CharField(source="get_town_display", read_only=True)
    fire_acceptance_label = serializers.CharField(
        source="get_fire_acceptance_status_display", read_only=True
    )

    class Meta:
        model = School
        fields = [
            "id",
            "url",
            "name",
            "code",
            "school_type",
            "school_type_label",
            "town",
            "town_label",
            "address",
            "is_boarding",
            "student_count",
            "staff_count",
            "mongolian_medium",
            "fire_acceptance_status",
            "fire_acceptance_label",
            "fire_acceptance_date",
            "is_active",
            "modified",
        ]
        extra_kwargs = {"url": {"view_name": "api-school-detail"}}
        read_only_fields = fields


class ScopedSchoolField(serializers.PrimaryKeyRelatedField):
    """An active school id from the requesting user's scope. A school outside it gets the
    same "does not exist" 400 as a missing one, so the API does not reveal other schools."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("学校"))
        super().__init__(**kwargs)

    def get_queryset(self):
        return School.objects.visible_to(self.context["request"].user).active()


class DepartmentSerializer(serializers.ModelSerializer):
    """A bureau office or agency on the safety committee."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "kind", "kind_label", "modified"]


class AssignmentSerializer(serializers.ModelSerializer):
    """A leader linked to a school (领导联校) or a cadre holding it (干部包校), with dates."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    user_name = serializers.SerializerMethodField()

    class Meta:
        model = SchoolAssignment
        fields = [
            "id",
            "school",
            "user",
            "user_name",
            "kind",
            "kind_label",
            "start_date",
            "end_date",
            "modified",
        ]

    def get_user_name(self, assignment) -> str:
        return str(assignment.user)  # the person's name, else the user name

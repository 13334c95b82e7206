"""API shapes of drills, plans and incidents. Bounds come from the model fields'
validators; the rules (who may write, dates, head counts, plan of the same school, file
content) from ``drills.services``, whose errors the API maps to 400/403 once."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.images import MAX_PHOTOS
from core.serializers import DateField, ModelSerializer
from hazards.models import Hazard
from schools.serializers import ScopedSchoolField

from .models import (
    Drill,
    DrillProblem,
    EmergencyPlan,
    Incident,
    IncidentAction,
    IncidentPerson,
    PlannedDrill,
    PlanVersion,
)
from .services import incident_deadlines


class ScopedPlanVersionField(serializers.PrimaryKeyRelatedField):
    """A plan version of a school in the user's scope (another's: "does not exist")."""

    def get_queryset(self):
        plans = EmergencyPlan.objects.visible_to(self.context["request"].user)
        return PlanVersion.objects.filter(plan__in=plans).select_related("plan")


class ScopedPlanField(serializers.PrimaryKeyRelatedField):
    """A plan of a school in the user's scope (the service checks it is the incident's)."""

    def get_queryset(self):
        return EmergencyPlan.objects.visible_to(self.context["request"].user)


class ScopedHazardField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Hazard.objects.visible_to(self.context["request"].user)


class DrillProblemSerializer(ModelSerializer):
    class Meta:
        model = DrillProblem
        fields = ["id", "description", "hazard"]
        read_only_fields = fields


class DrillSerializer(ModelSerializer):
    """A drill with its labels, problems and photo URLs; ``school`` must be in the user's
    scope. Write-only ``problems``: one line per problem found."""

    school = ScopedSchoolField()
    plan_version = ScopedPlanVersionField(required=False, allow_null=True)
    drill_type_label = serializers.CharField(source="get_drill_type_display", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    style_label = serializers.CharField(source="get_style_display", read_only=True)
    date = DateField(required=False)
    problems = DrillProblemSerializer(many=True, read_only=True)
    problem_texts = serializers.ListField(
        child=serializers.CharField(max_length=300), write_only=True, required=False,
        max_length=50,
    )  # fmt: skip
    photo_urls = serializers.SerializerMethodField()
    met_target = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Drill
        fields = [
            "id", "school", "title", "drill_type", "drill_type_label", "mode", "mode_label",
            "style", "style_label", "plan_version", "date", "signal_at", "completed_at",
            "evacuation_seconds", "building", "target_seconds", "met_target",
            "students_expected", "student_participants", "staff_expected",
            "staff_participants", "missing_count", "injured_count", "headcount_note",
            "commander", "teams", "outside_support", *Drill.RATINGS, "notes", "improvements",
            "plan_revision_needed", "problems", "problem_texts", "photo_urls", "modified",
        ]  # fmt: skip
        read_only_fields = ["id", "target_seconds", "modified"]

    def get_photo_urls(self, drill) -> list[str]:
        request = self.context.get("request")
        urls = [p.get_absolute_url() for p in drill.photos.all()]
        return [request.build_absolute_uri(u) for u in urls] if request else urls


class DrillHazardSerializer(serializers.Serializer):
    """Turn one of the drill's problems into a hazard."""

    problem = serializers.IntegerField()
    category = serializers.ChoiceField(choices=Hazard.Category.choices, default="other")


class DrillPhotosSerializer(serializers.Serializer):
    photos = serializers.ListField(child=serializers.ImageField(), max_length=MAX_PHOTOS)


class PlanVersionSerializer(ModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = PlanVersion
        fields = [
            "id", "number", "file_type", "original_name", "approved_on", "approver", "notes",
            "uploaded_at", "file_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_file_url(self, version) -> str:
        request = self.context.get("request")
        url = version.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class PlanSerializer(ModelSerializer):
    """A plan with its versions (newest first) and the current one's number."""

    school = ScopedSchoolField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    versions = PlanVersionSerializer(many=True, read_only=True)
    current_version = serializers.SerializerMethodField()
    revision_requested = serializers.SerializerMethodField()

    class Meta:
        model = EmergencyPlan
        fields = [
            "id", "school", "kind", "kind_label", "title", "owner", "current_version",
            "revision_requested", "versions",
        ]  # fmt: skip
        read_only_fields = ["id", "owner"]
        extra_kwargs = {"title": {"required": False}}
        validators: list = []  # one plan per kind: services.create_plan says so on "kind"

    def get_current_version(self, plan) -> int | None:
        current = plan.current_version
        return current.number if current else None

    def get_revision_requested(self, plan) -> bool:
        return plan.revision_requested_by_id is not None


class PlanVersionUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    approved_on = serializers.DateField(required=False, allow_null=True)
    approver = serializers.CharField(max_length=50, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True)


class PlanApproveSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    approved_on = serializers.DateField()
    approver = serializers.CharField(max_length=50)


class IncidentPersonSerializer(ModelSerializer):
    class Meta:
        model = IncidentPerson
        fields = ["name", "role", "injury"]


class IncidentActionSerializer(ModelSerializer):
    class Meta:
        model = IncidentAction
        fields = ["id", "at", "text"]
        extra_kwargs = {"at": {"required": False}}


class IncidentSerializer(ModelSerializer):
    """An incident with its timeline and deadlines; ``people`` (names) only for those with
    ``drills.view_incident_names`` (the school's managers, the bureau's admins): for
    everybody else the key is absent."""

    school = ScopedSchoolField()
    plan = ScopedPlanField(required=False, allow_null=True)
    hazards = ScopedHazardField(many=True, required=False)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    people = IncidentPersonSerializer(many=True, required=False, max_length=200)
    actions = IncidentActionSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id", "school", "occurred_at", "place", "kind", "kind_label", "level",
            "level_label", "summary", "students_involved", "staff_involved", "injured",
            "deaths", "first_measures", "plan", "hazards", "status", "reported_at",
            "written_report", "written_report_at", "closed_at", "review_cause",
            "review_measures", "review_lessons", "review_plan_changes", "people", "actions",
            "deadlines",
        ]  # fmt: skip
        read_only_fields = [
            "id", "status", "reported_at", "written_report", "written_report_at", "closed_at",
            "review_cause", "review_measures", "review_lessons", "review_plan_changes",
        ]  # fmt: skip

    def get_deadlines(self, incident) -> dict[str, str]:
        return {k: v.isoformat() for k, v in incident_deadlines(incident).items()}

    def to_representation(self, incident):
        data = super().to_representation(incident)
        user = getattr(self.context.get("request"), "user", None)
        if user is not None and not user.has_perm("drills.view_incident_names", incident):
            data.pop("people", None)
        return data


class WrittenReportSerializer(serializers.Serializer):
    written_report = serializers.CharField()


class CloseIncidentSerializer(serializers.Serializer):
    cause = serializers.CharField()
    measures = serializers.CharField()
    lessons = serializers.CharField(required=False, allow_blank=True)
    plan_changes = serializers.BooleanField(default=False)


class PlannedDrillSerializer(ModelSerializer):
    """A planned drill and its ``status`` (done, upcoming, missed) from the compliance
    function (the view passes ``statuses`` in the context); ``drill`` the recorded drill
    that carried it out."""

    school = ScopedSchoolField()
    planned_on = DateField(label=_("计划日期"))
    status = serializers.SerializerMethodField()
    drill = serializers.SerializerMethodField()

    class Meta:
        model = PlannedDrill
        fields = [
            "id", "school", "drill_type", "mode", "style", "planned_on", "is_night", "note",
            "status", "drill",
        ]  # fmt: skip
        read_only_fields = ["id"]
        validators: list = []  # one a day per type: services.plan_drill says so on planned_on

    def _status(self, plan):
        return self.context.get("statuses", {}).get(plan.pk)

    def get_status(self, plan) -> str | None:
        status = self._status(plan)
        return status.status if status else None

    def get_drill(self, plan) -> int | None:
        status = self._status(plan)
        return status.drill_id if status else None

"""API shapes of the risk register: points (with grade, colour and plan position),
assessments, and the values an assessment or a placement takes. Rules (scales, the plan's
range, who may write) are checked by ``risks.services``."""

from rest_framework import serializers

from schools.serializers import ScopedSchoolField

from .models import RiskAssessment, RiskPoint


class RiskPointSerializer(serializers.ModelSerializer):
    """A risk point; ``school`` must be in the user's scope (fixed after creation)."""

    school = ScopedSchoolField()
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    colour = serializers.CharField(read_only=True)

    class Meta:
        model = RiskPoint
        fields = [
            "id", "school", "name", "kind", "category", "hazard_types", "control_measures",
            "control_level", "owner", "owner_name", "grade", "grade_label", "colour", "score",
            "review_due", "plan_x", "plan_y", "is_active", "created_on",
        ]  # fmt: skip
        # The owner's account is set on the web page (a person of the school), not here.
        read_only_fields = ["id", "owner", "grade", "score", "plan_x", "plan_y", "created_on"]


class RiskAssessmentSerializer(serializers.ModelSerializer):
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = RiskAssessment
        fields = [
            "id", "point", "method", "likelihood", "exposure", "severity", "score", "grade",
            "grade_label", "reason", "note", "assessed_on", "assessed_by",
        ]  # fmt: skip
        read_only_fields = fields


class AssessInputSerializer(serializers.Serializer):
    """Values on the bureau's method's scales: matrix L and S in 1–5; LEC L, E and C
    (severity) on LEC's scales. A value off the scale → 400 on that field."""

    likelihood = serializers.DecimalField(max_digits=6, decimal_places=1)
    severity = serializers.DecimalField(max_digits=6, decimal_places=1)
    exposure = serializers.DecimalField(max_digits=6, decimal_places=1, required=False)
    reason = serializers.ChoiceField(
        choices=RiskAssessment.Reason.choices, default=RiskAssessment.Reason.INITIAL
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PlaceInputSerializer(serializers.Serializer):
    """Per cent of the plan's width (x) and height (y) from its top-left corner, 0–100."""

    plan_x = serializers.DecimalField(max_digits=12, decimal_places=2)
    plan_y = serializers.DecimalField(max_digits=12, decimal_places=2)


class SeriesSerializer(serializers.Serializer):
    """One analytics series: its key, title, columns ([{key, label}]) and rows."""

    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.DictField())
    rows = serializers.ListField(child=serializers.DictField())

"""API shapes of the risk register: points (with grade, colour and plan position),
assessments, and the values an assessment or a placement takes. Rules (scales, the plan's
range, who may write) are checked by ``risks.services``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from schools.serializers import ScopedSchoolField

from .models import RiskAssessment, RiskPoint


class OwnerField(serializers.PrimaryKeyRelatedField):
    """The owner's account: an active user who shares a school with the person writing
    (the bureau: any active user); another id is "does not exist" (400), so no account
    outside the scope can be probed. That the owner belongs to the point's school is
    ``risks.services``' rule (400 on ``owner``)."""

    def get_queryset(self):
        users = User.objects.filter(is_active=True)
        ids = self.context["request"].user.school_ids()
        return users if ids is None else users.filter(schools__in=ids).distinct()


class RiskPointSerializer(serializers.ModelSerializer):
    """A risk point; ``school`` must be in the user's scope (fixed after creation);
    ``owner`` a person of that school (or null)."""

    school = ScopedSchoolField()
    owner = OwnerField(required=False, allow_null=True, label=_("责任人"))
    grade_label = serializers.CharField(
        source="get_grade_display", read_only=True, label=_("风险等级名称")
    )
    colour = serializers.CharField(read_only=True, label=_("颜色"))

    class Meta:
        model = RiskPoint
        fields = [
            "id", "school", "name", "kind", "category", "hazard_types", "control_measures",
            "control_level", "owner", "owner_name", "grade", "grade_label", "colour", "score",
            "review_due", "plan_x", "plan_y", "is_active", "created_on",
        ]  # fmt: skip
        read_only_fields = ["id", "grade", "score", "plan_x", "plan_y", "created_on"]


class RiskAssessmentSerializer(serializers.ModelSerializer):
    grade_label = serializers.CharField(
        source="get_grade_display", read_only=True, label=_("风险等级名称")
    )

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

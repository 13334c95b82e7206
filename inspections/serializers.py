"""API shapes of inspections, checklists and cross-inspection rounds. Input serializers
check shape only; rules live in ``inspections.services`` (400/403 via the handler)."""
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from schools.models import Department, School

from .models import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    CrossInspectionRound,
    CrossPairing,
    Inspection,
    InspectionAnswer,
)
from .services import PLANNABLE


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "code", "text", "basis", "is_major", "category", "for_kindergarten",
                  "for_primary", "for_secondary", "for_special", "boarding_only"]
        read_only_fields = fields


class ChecklistSectionSerializer(serializers.ModelSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistSection
        fields = ["id", "code", "title", "items"]
        read_only_fields = fields


class ChecklistSerializer(serializers.ModelSerializer):
    sections = ChecklistSectionSerializer(many=True, read_only=True)

    class Meta:
        model = Checklist
        fields = ["id", "name", "version", "is_published", "published_on", "sections"]
        read_only_fields = fields


class AnswerSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = InspectionAnswer
        fields = ["code", "result", "note", "hazard"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    """An inspection with its answers. Reads school, inspecting school, departments and
    answers: the viewset fetches them."""

    school_name = serializers.CharField(source="school.name", read_only=True)
    inspecting_school_name = serializers.CharField(
        source="inspecting_school.name", read_only=True, default=None
    )
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "kind", "subject", "title", "school", "school_name", "inspecting_school",
                  "inspecting_school_name", "departments", "leader", "date", "status", "checklist", "round",
                  "summary", "submitted_at", "review_comment", "answers"]
        read_only_fields = fields


class AnswerInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=8)
    result = serializers.ChoiceField(choices=InspectionAnswer.Result.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AnswersInputSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(many=True, help_text=_("每个检查项的结果：pass 合格、fail 不合格、na 不适用。"))

    def as_dict(self):
        return {a["code"]: (a["result"], a["note"]) for a in self.validated_data["answers"]}


class SubmitInputSerializer(AnswersInputSerializer):
    answers = AnswerInputSerializer(many=True, required=False, default=list)
    summary = serializers.CharField(required=False, allow_blank=True)


class ReviewInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class PairingSerializer(serializers.ModelSerializer):
    inspector_name = serializers.CharField(source="inspector.name", read_only=True)
    inspected_name = serializers.CharField(source="inspected.name", read_only=True)

    class Meta:
        model = CrossPairing
        fields = ["inspector", "inspector_name", "inspected", "inspected_name"]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    pairings = PairingSerializer(many=True, read_only=True)

    class Meta:
        model = CrossInspectionRound
        fields = ["id", "name", "period_start", "period_end", "checklist", "schools", "status", "pairings"]
        read_only_fields = ["status", "pairings"]


class PairingsInputSerializer(serializers.Serializer):
    pairings = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text=_("[[检查学校ID, 受检学校ID], …]"),
    )


class PlanInspectionSerializer(serializers.Serializer):
    """Input of ``POST /api/v1/inspections/``: shape only; scope and role in the service."""

    kind = serializers.ChoiceField(choices=[(k, k.label) for k in PLANNABLE])
    subject = serializers.ChoiceField(choices=Inspection.Subject.choices, default=Inspection.Subject.CAMPUS)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.active())
    date = serializers.DateField()
    departments = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), many=True, required=False, default=list)
    leader = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    checklist = serializers.PrimaryKeyRelatedField(
        queryset=Checklist.objects.filter(is_published=True), required=False, allow_null=True, default=None
    )

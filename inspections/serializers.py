"""API shapes of inspections, checklists and cross-inspection rounds. Input serializers
check shape only; rules live in ``inspections.services`` (400/403 via the handler)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import DateField, PhotoListField, model_field
from core.years import FIRST_YEAR, LAST_YEAR
from hazards.serializers import absolute_url
from schools.models import Department, School

from .models import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    CrossInspectionRound,
    CrossPairing,
    Inspection,
    InspectionAnswer,
    InspectionAnswerPhoto,
)
from .services import PLANNABLE_CHOICES, Answer


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "code",
            "text",
            "basis",
            "is_major",
            "category",
            "for_kindergarten",
            "for_primary",
            "for_secondary",
            "for_special",
            "boarding_only",
        ]
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
        fields = ["id", "name", "version", "is_published", "published_on", "sections", "modified"]
        read_only_fields = fields


class AnswerPhotoSerializer(serializers.ModelSerializer):
    """One photo of an answer: ``image`` is the absolute URL of the re-encoded JPEG (signed in
    as for the inspection; 404 to whoever may not see it)."""

    image = serializers.SerializerMethodField()

    class Meta:
        model = InspectionAnswerPhoto
        fields = ["id", "image", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_image(self, photo):
        return absolute_url(self.context, photo.get_absolute_url())


class AnswerSerializer(serializers.ModelSerializer):
    """``department``: id of the committee department owning the finding, or null;
    ``hazard``: id of the hazard a failed item became once submitted."""

    code = serializers.CharField(source="item.code", read_only=True)
    photos = AnswerPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionAnswer
        fields = ["code", "result", "note", "department", "hazard", "photos"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    """An inspection with its answers. Reads school, inspecting school, departments and
    answers: the viewset fetches them."""

    school_name = serializers.CharField(source="school.name", read_only=True)
    # Null for an inspection that is not a cross inspection: the schema says so.
    inspecting_school_name = serializers.CharField(
        source="inspecting_school.name", read_only=True, default=None, allow_null=True
    )
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "kind",
            "subject",
            "title",
            "school",
            "school_name",
            "inspecting_school",
            "inspecting_school_name",
            "modified",
            "departments",
            "leader",
            "date",
            "status",
            "checklist",
            "round",
            "summary",
            "submitted_at",
            "review_comment",
            "answers",
        ]
        read_only_fields = fields


class AnswerInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=8)
    result = serializers.ChoiceField(choices=InspectionAnswer.Result.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("联合检查中负责此项问题的部门 ID（须为参检部门）；不填则为填写人所在部门。"),
    )


class AnswersInputSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(
        many=True, help_text=_("每个检查项的结果：pass 合格、fail 不合格、na 不适用。")
    )

    def validate_answers(self, answers):
        codes = [a["code"] for a in answers]
        twice = sorted({code for code in codes if codes.count(code) > 1})
        if twice:
            raise serializers.ValidationError(
                _("同一检查项只能填写一次：%(codes)s") % {"codes": "、".join(twice)}
            )
        return answers

    def as_dict(self):
        """``{code: services.Answer}`` for ``services.answer_items``."""
        return {
            a["code"]: Answer(a["result"], a["note"], a["department"])
            for a in self.validated_data["answers"]
        }


class AnswerPhotosInputSerializer(serializers.Serializer):
    """multipart/form-data: the item ``code`` whose stored answer gets the ``photos``."""

    code = serializers.CharField(max_length=8)
    photos = PhotoListField(allow_empty=False)


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
        fields = [
            "id",
            "name",
            "period_start",
            "period_end",
            "checklist",
            "schools",
            "status",
            "pairings",
            "modified",
        ]
        read_only_fields = ["status", "pairings", "modified"]


class PairingsInputSerializer(serializers.Serializer):
    pairings = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text=_("[[检查学校ID, 受检学校ID], …]"),
    )


class PlanInspectionSerializer(serializers.Serializer):
    """Input of ``POST /api/v1/inspections/``: shape only; scope and role in the service."""

    kind = serializers.ChoiceField(choices=PLANNABLE_CHOICES)
    subject = serializers.ChoiceField(
        choices=Inspection.Subject.choices, default=Inspection.Subject.CAMPUS
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    school = serializers.PrimaryKeyRelatedField(queryset=School.objects.active())
    date = model_field(Inspection, "date")
    departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False, default=list
    )
    leader = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
    )
    checklist = serializers.PrimaryKeyRelatedField(
        queryset=Checklist.objects.published(), required=False, allow_null=True, default=None
    )


# --- calendar and coverage (GET /api/v1/inspections/calendar/ and coverage/) ------------


class CalendarParamsSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        help_text=_("年份，默认今年（北京时间）"),
    )
    month = serializers.IntegerField(
        min_value=1, max_value=12, required=False, help_text=_("月份 1–12，默认本月")
    )


class CalendarInspectionSerializer(serializers.ModelSerializer):
    """One inspection on the calendar; ``is_overdue``: planned date passed, not submitted."""

    school_name = serializers.CharField(source="school.name", read_only=True)
    inspecting_school_name = serializers.CharField(
        source="inspecting_school.name", read_only=True, default=None, allow_null=True
    )
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "kind",
            "title",
            "school",
            "school_name",
            "inspecting_school",
            "inspecting_school_name",
            "date",
            "status",
            "is_overdue",
        ]
        read_only_fields = fields


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    inspections = CalendarInspectionSerializer(many=True)


class CalendarSerializer(serializers.Serializer):
    """``month``: first day of the month; ``days``: the days with inspections, in order;
    ``overdue``: the 50 oldest overdue inspections in the user's scope, whatever the month
    (all of them: ``GET /api/v1/inspections/?overdue=true``); ``overdue_total``: how many."""

    month = serializers.DateField()
    days = CalendarDaySerializer(many=True)
    overdue = CalendarInspectionSerializer(many=True)
    overdue_total = serializers.IntegerField()


class CoverageParamsSerializer(serializers.Serializer):
    on = DateField(required=False, help_text=_("取包含此日期的学期，默认今天（北京时间）"))


class AssignmentCoverageSerializer(serializers.Serializer):
    school = serializers.IntegerField(source="school_id")
    school_name = serializers.CharField(source="school.name")
    kind = serializers.CharField()
    user = serializers.IntegerField(source="user_id")
    user_name = serializers.CharField(source="user")
    covered = serializers.BooleanField()


class UncoveredSchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = School
        fields = ["id", "code", "name"]
        read_only_fields = fields


class CoverageSerializer(serializers.Serializer):
    """A term (1 Sep–31 Jan or 1 Feb–31 Aug, both days included): each leader (联校领导)
    and cadre (包校干部) assignment with ``covered`` (led a submitted inspection of the school
    in the term), and the active schools nobody covered."""

    term_start = serializers.DateField()
    term_end = serializers.DateField()
    assignments = AssignmentCoverageSerializer(many=True)
    uncovered = UncoveredSchoolSerializer(many=True)

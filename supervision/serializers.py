"""API shapes of key-period supervision. Guardian phones appear only on check-ins, whole for
the users ``schools.view_guardian_phone`` allows and masked (138****1234) for the rest."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from schools.models import SchoolClass

from .models import CheckIn, Patrol, RollKind
from .selectors import Compliance


class PatrolSerializer(serializers.ModelSerializer):
    """A patrol log: slot, day, status, who, when, points checked, hazards found."""

    slot_name = serializers.CharField(source="slot.name", read_only=True)
    slot_kind = serializers.CharField(source="slot.kind", read_only=True)
    points_checked = serializers.IntegerField(read_only=True)
    hazards = serializers.SerializerMethodField()

    class Meta:
        model = Patrol
        fields = [
            "id", "school", "slot", "slot_name", "slot_kind", "date", "status", "patroller",
            "started_at", "finished_at", "points_checked", "hazards",
        ]  # fmt: skip

    def get_hazards(self, patrol) -> list[int]:
        return [p.hazard_id for p in patrol.problems.all()]


class CheckInSerializer(serializers.ModelSerializer):
    """One student's mark of a day."""

    student_name = serializers.CharField(source="student.name", read_only=True)
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    school_class = serializers.IntegerField(source="roll.school_class_id", read_only=True)
    guardian_phone = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = [
            "id", "school", "school_class", "student", "student_name", "student_number",
            "date", "kind", "status", "marked_at", "guardian_phone",
        ]  # fmt: skip

    def get_guardian_phone(self, checkin) -> str:
        student = checkin.student
        if self.context["request"].user.has_perm("schools.view_guardian_phone", student):
            return student.guardian_phone
        return student.masked_guardian_phone


class MarkSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CheckIn.Status.choices)


@extend_schema_field(OpenApiTypes.INT)
class VisibleClassField(serializers.PrimaryKeyRelatedField):
    """A class the requesting user may see; another school's class is "does not exist"."""

    def get_queryset(self):
        return SchoolClass.objects.visible_to(self.context["request"].user)


class CheckInWriteSerializer(serializers.Serializer):
    """``{"school_class", "date", "kind", "marks": [{"student", "status"}]}``, or
    ``"all_arrived": true`` instead of ``marks``. The class must be visible to the user."""

    school_class = VisibleClassField()
    date = serializers.DateField()
    kind = serializers.ChoiceField(choices=RollKind.choices, default=RollKind.HOME)
    marks = MarkSerializer(many=True, required=False, default=list)
    all_arrived = serializers.BooleanField(default=False)

    def validate(self, attrs):
        if not attrs["marks"] and not attrs["all_arrived"]:
            raise serializers.ValidationError({"marks": "请至少填写一名学生，或选择全部已到。"})
        students = [m["student"] for m in attrs["marks"]]
        if len(students) != len(set(students)):
            raise serializers.ValidationError({"marks": _("同一学生只能出现一次。")})
        return attrs


class DayCountsSerializer(serializers.Serializer):
    """A day's counts: classes and their reports, students unaccounted for (of them in
    dormitories), patrol slots due, done and missed."""

    classes = serializers.IntegerField()
    reported = serializers.IntegerField()
    unaccounted = serializers.IntegerField()
    dorm_unaccounted = serializers.IntegerField()
    slots = serializers.IntegerField()
    done = serializers.IntegerField()
    missed = serializers.IntegerField()


class SummarySerializer(DayCountsSerializer):
    """One school's counts of a day (no names, no phones)."""

    school = serializers.IntegerField(source="school.pk")
    school_name = serializers.CharField(source="school.name")
    school_day = serializers.BooleanField()
    compliance = serializers.ChoiceField(
        choices=[Compliance.OK, Compliance.NOT_MET, Compliance.IN_PROGRESS, Compliance.UPCOMING],
        help_text="the patrol rule: met, not met (every slot of the day over), not met yet "
        "with a slot still to end, or no slot begun yet",
    )
    compliant = serializers.BooleanField(
        allow_null=True, help_text="true: met; false: not met; null: in progress or upcoming"
    )
    shortfalls = serializers.ListField(
        child=serializers.CharField(), help_text="what the rule still lacks, in words"
    )


class TotalsSerializer(DayCountsSerializer):
    """A day's counts summed over all schools of the scope (``schools``: how many)."""

    schools = serializers.IntegerField()


class DailySummarySerializer(serializers.Serializer):
    """The summary API's body: the day, its totals over all schools, and one page of rows
    per school (``schools_count`` in all; the links null at the ends)."""

    date = serializers.DateField()
    totals = TotalsSerializer()
    schools_count = serializers.IntegerField()
    schools_next = serializers.URLField(allow_null=True)
    schools_previous = serializers.URLField(allow_null=True)
    schools = SummarySerializer(many=True)


class TrendSerializer(serializers.Serializer):
    date = serializers.DateField()
    classes = serializers.IntegerField()
    reported = serializers.IntegerField()
    unaccounted = serializers.IntegerField()
    done = serializers.IntegerField()
    missed = serializers.IntegerField()

"""API shapes of the hazard ledger.

Output: ``HazardListSerializer`` (one row of the ledger, no timeline) and
``HazardDetailSerializer`` (adds the event timeline, photo URLs and the transitions the
requesting user may perform now). Input: ``HazardCreateSerializer`` and one small serializer
per transition. Input serializers check shape only; the rules (five implementations of a
major hazard, who may do what, from which state) live in ``hazards.services`` and come back
as 400/403 through the exception handler.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.serializers import DisplayField, PhotoListField, model_field
from schools.models import School

from . import services
from .models import (
    TRANSITIONS,
    Hazard,
    HazardEvent,
    HazardPhoto,
    RemediationExpense,
    RemediationProject,
)


def photo_list_field(
    help_text=_("照片文件（JPEG、PNG、WebP、HEIC），用 multipart/form-data 上传，可多张。"),
):
    """Optional list of uploaded image files within the request's budget; decoding and
    cleaning happen in the service."""
    return PhotoListField(required=False, help_text=help_text)


# --- output ----------------------------------------------------------------------------


class UserBriefSerializer(serializers.Serializer):
    """A person as shown on the ledger: id and display name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, user) -> str:
        return str(user)  # a method field: DRF would inspect ``__str__``'s signature each row


class HazardPhotoSerializer(serializers.ModelSerializer):
    """One stored photo (re-encoded JPEG); ``image`` is its absolute URL, ``thumbnail`` that of
    its small copy (null until the thumbnail task has run). Both need the same sign-in (token
    or session) as the hazard, and answer 404 to whoever may not see the hazard."""

    image = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()

    class Meta:
        model = HazardPhoto
        fields = ["id", "event", "image", "thumbnail", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_image(self, photo):
        return absolute_url(self.context, photo.get_absolute_url())

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail(self, photo):
        if not photo.thumbnail:
            return None
        return absolute_url(self.context, reverse("hazard-photo-thumbnail", args=[photo.uuid]))


def absolute_url(context, path):
    """``path`` made absolute with the request's host (as DRF's file fields do)."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class HazardEventSerializer(serializers.ModelSerializer):
    """One step of the timeline: who moved the hazard from which state to which, and why."""

    action_label = serializers.CharField(source="get_action_display", read_only=True)
    # Plain strings in the schema: the same choices as ``status`` (StatusEnum); as enums they
    # would get a second and third name for one choice set.
    from_status = serializers.CharField(
        read_only=True, help_text=_("原状态代码（同 status 取值；登记时为空）。")
    )
    to_status = serializers.CharField(read_only=True, help_text=_("新状态代码（同 status 取值）。"))
    actor = UserBriefSerializer(read_only=True, allow_null=True)
    photos = HazardPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = HazardEvent
        fields = [
            "id",
            "action",
            "action_label",
            "from_status",
            "to_status",
            "actor",
            "comment",
            "created_at",
            "photos",
        ]
        read_only_fields = fields


class HazardListSerializer(serializers.ModelSerializer):
    """One row of the ledger. Reads ``school``, ``reported_by`` and ``responsible``:
    the viewset selects them in the same query."""

    url = serializers.HyperlinkedIdentityField(view_name="api-hazard-detail")
    school_name = serializers.CharField(source="school.name", read_only=True)
    status_label = DisplayField(source="status")
    category_label = DisplayField(source="category")
    level_label = DisplayField(source="level")
    source_label = DisplayField(source="source")
    is_overdue = serializers.BooleanField(read_only=True)
    reported_by = UserBriefSerializer(read_only=True, allow_null=True)
    responsible = UserBriefSerializer(read_only=True, allow_null=True)
    supervising_leader = UserBriefSerializer(read_only=True, allow_null=True)
    # core.sync's convention: every synced resource shows ``modified``.
    modified = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = Hazard
        fields = [
            "id",
            "url",
            "school",
            "school_name",
            "title",
            "location",
            "category",
            "category_label",
            "level",
            "level_label",
            "source",
            "source_label",
            "status",
            "status_label",
            "is_overdue",
            "reported_by",
            "reported_at",
            "responsible",
            "deadline",
            "updated_at",
            "department",
            "supervising_leader",
            "modified",
        ]
        read_only_fields = fields


class HazardDetailSerializer(HazardListSerializer):
    """A hazard with everything the workflow recorded: assignment (five implementations),
    rectification, write-off, the event timeline and all photo URLs.

    ``allowed_transitions``: names the requesting user may POST now; ``department``: id of
    the safety-committee department owning a joint-inspection finding, or null.
    """

    submitted_by = UserBriefSerializer(read_only=True, allow_null=True)
    closed_by = UserBriefSerializer(read_only=True, allow_null=True)
    events = HazardEventSerializer(many=True, read_only=True)
    photos = HazardPhotoSerializer(many=True, read_only=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta(HazardListSerializer.Meta):
        fields = HazardListSerializer.Meta.fields + [
            "description",
            "inspection",
            "drill",
            "measures",
            "funding_yuan",
            "contingency_plan",
            "rectification_note",
            "submitted_by",
            "closed_at",
            "closed_by",
            "dismiss_reason",
            "allowed_transitions",
            "events",
            "photos",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(TRANSITIONS)))
    )
    def get_allowed_transitions(self, hazard):
        user = self.context["request"].user
        return [name for name in TRANSITIONS if services.can_transition(user, hazard, name)]


# --- input -----------------------------------------------------------------------------


class ScopedSchoolField(serializers.PrimaryKeyRelatedField):
    """A school id from the requesting user's scope. A school outside it gets the same
    "does not exist" 400 as a missing one, so the API does not reveal other schools."""

    def get_queryset(self):
        return School.objects.visible_to(self.context["request"].user)


class HazardCreateSerializer(serializers.ModelSerializer):
    """Report a hazard (查). JSON, or multipart/form-data with ``photos`` files."""

    school = ScopedSchoolField(queryset=School.objects.all(), label=_("学校"))
    photos = photo_list_field()
    client_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        label=_("客户端编号"),
        help_text=_(
            "客户端为本次登记生成的 UUID。网络重试时带上同一编号："
            "已登记过则返回原隐患（200），不会重复登记。"
        ),
    )

    class Meta:
        model = Hazard
        fields = [
            "school",
            "title",
            "category",
            "level",
            "source",
            "location",
            "description",
            "photos",
            "client_id",
        ]


class HazardAssignSerializer(serializers.Serializer):
    """查→改. A major hazard also needs ``funding_yuan`` and ``contingency_plan``
    (checked by the service, which lists every missing field at once)."""

    responsible = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        label=_("整改责任人"),
        help_text=_("用户 id，须属于该学校。"),
    )
    measures = serializers.CharField(label=_("整改措施"))
    deadline = model_field(
        Hazard,
        "deadline",
        required=False,
        allow_null=True,
        help_text=_("YYYY-MM-DD（北京时间日历）；不填按隐患等级取默认期限。"),
    )
    funding_yuan = model_field(Hazard, "funding_yuan", required=False, allow_null=True)
    contingency_plan = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("应急预案")
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", label=_("说明"))


class HazardSubmitRectificationSerializer(serializers.Serializer):
    """改→督: what the school did, with evidence photos."""

    note = serializers.CharField(label=_("整改情况"))
    photos = photo_list_field()


class HazardRejectRectificationSerializer(serializers.Serializer):
    """督→改: why the rectification is not accepted."""

    comment = serializers.CharField(label=_("不通过理由"))
    photos = photo_list_field()


class HazardCloseSerializer(serializers.Serializer):
    """督→销: verified and written off."""

    comment = serializers.CharField(
        required=False, allow_blank=True, default="", label=_("验收意见")
    )
    photos = photo_list_field()


class HazardDismissSerializer(serializers.Serializer):
    """查→不予立案: not a hazard, or a duplicate."""

    reason = serializers.CharField(label=_("不予立案理由"))


class HazardSuperviseSerializer(serializers.Serializer):
    """挂牌督办: name the bureau leader who supervises an open major hazard (null removes)."""

    leader = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), allow_null=True, label=_("督办领导")
    )


# --- remediation projects (整改项目) ------------------------------------------------------


class RemediationExpenseSerializer(serializers.ModelSerializer):
    """Money spent on a project for one school on one date (yuan, a decimal string)."""

    school = ScopedSchoolField(queryset=School.objects.all(), label=_("学校"))

    class Meta:
        model = RemediationExpense
        fields = ["id", "project", "school", "date", "amount_yuan", "note", "modified"]
        read_only_fields = ["id", "project", "modified"]


class RemediationProjectSerializer(serializers.ModelSerializer):
    """A funded remediation programme: budget, the schools and hazards it covers, and
    ``spent_yuan`` (the sum of its expenses the user may see)."""

    category_label = DisplayField(source="category")
    spent_yuan = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, source="spent_sum", allow_null=True
    )
    schools = serializers.PrimaryKeyRelatedField(many=True, queryset=School.objects.all())
    hazards = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Hazard.objects.all(), required=False
    )

    class Meta:
        model = RemediationProject
        fields = [
            "id",
            "name",
            "category",
            "category_label",
            "budget_yuan",
            "contractor",
            "start_date",
            "end_date",
            "schools",
            "hazards",
            "spent_yuan",
            "modified",
        ]
        read_only_fields = ["id", "end_date", "modified"]

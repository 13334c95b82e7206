"""Emergency drills (应急演练), emergency plans (应急预案) and incidents (事故/突发事件).

Rules and sources: reference/domain-rules.md §1.1 (办法 Art. 4, Art. 42), §1.2 (frequency,
time targets), §4 (drill types, modes, record and evaluation fields).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.bounds import MAX_HEADCOUNT, MAX_SECONDS, count_validators, range_constraint
from core.files import private_storage
from core.sync import SyncedModel
from core.years import validate_date
from schools.models import SchoolOwnedQuerySet

# Drill types that move people out of buildings: they count for the evacuation-drill rule
# (教基一厅〔2014〕2号) when held live (not as a tabletop or discussion exercise).
EVACUATION_TYPES = ("fire", "earthquake", "crowd", "night_dorm", "air_raid")


class Drill(SyncedModel):
    """One drill held at one school (reference/domain-rules.md §4): what, how, when, who,
    how long the evacuation took against the school's target, and how it went."""

    SYNC_RESOURCE = "drills"  # core.sync: the API's sync feed and tombstones

    class DrillType(models.TextChoices):
        FIRE = "fire", _("火灾疏散")
        EARTHQUAKE = "earthquake", _("地震避险疏散")
        ANTI_TERROR = "anti_terror", _("防暴恐")
        CROWD = "crowd", _("防踩踏")
        SCHOOL_BUS = "school_bus", _("校车突发事件疏散")
        FOOD_POISONING = "food_poisoning", _("食物中毒处置")
        DROWNING = "drowning", _("防溺水")
        FLOOD = "flood", _("防汛")
        GAS_POWER = "gas_power", _("燃气泄漏/停电")
        NIGHT_DORM = "night_dorm", _("夜间宿舍疏散")
        AIR_RAID = "air_raid", _("防空警报疏散")

    class Mode(models.TextChoices):
        ANNOUNCED = "announced", _("预定式")
        UNANNOUNCED = "unannounced", _("突发式")

    class Style(models.TextChoices):
        LIVE = "live", _("实战演练")
        TABLETOP = "tabletop", _("桌面演练")
        DISCUSSION = "discussion", _("提问讨论式演练")

    class PlanFit(models.TextChoices):  # 预案适宜性
        FULL = "full", _("全部能够执行")
        NOT_SMOOTH = "not_smooth", _("执行过程不够顺利")
        UNFIT = "unfit", _("明显不适宜")

    class Adequacy(models.TextChoices):  # 预案充分性
        COMPLETE = "complete", _("完全满足应急要求")
        IMPROVE = "improve", _("基本满足，需要完善")
        INSUFFICIENT = "insufficient", _("不充分，必须修改")

    class StaffInPlace(models.TextChoices):  # 人员到位情况
        PROMPT = "prompt", _("迅速准确")
        ON_TIME = "on_time", _("基本按时到位")
        SOME_MISSING = "some_missing", _("个别人员不到位")
        KEY_MISSING = "key_missing", _("重点部位人员不到位")

    class Proficiency(models.TextChoices):  # 职责与操作熟练度
        SKILLED = "skilled", _("职责明确，操作熟练")
        BASIC = "basic", _("职责明确，操作不够熟练")
        UNCLEAR = "unclear", _("职责不明，操作不熟练")

    class Supplies(models.TextChoices):  # 物资到位情况
        READY = "ready", _("物资充分，全部有效")
        PARTIAL = "partial", _("准备不充分")
        LACKING = "lacking", _("物资严重缺乏")

    class Safety(models.TextChoices):  # 安全情况
        SAFE = "safe", _("无受伤、无拥挤踩踏")
        MINOR = "minor", _("轻微擦伤或拥挤")
        UNSAFE = "unsafe", _("发生受伤或踩踏")

    # field name → choices of the six evaluation ratings (§4 评估), in the record's order.
    RATINGS = {
        "rating_plan_fit": PlanFit,
        "rating_adequacy": Adequacy,
        "rating_staff": StaffInPlace,
        "rating_proficiency": Proficiency,
        "rating_supplies": Supplies,
        "rating_safety": Safety,
    }

    school = models.ForeignKey(
        "schools.School", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="drills"
    )
    title = models.CharField(_("演练名称"), max_length=200, blank=True)
    drill_type = models.CharField(_("演练类型"), max_length=20, choices=DrillType)
    mode = models.CharField(_("方式"), max_length=20, choices=Mode, default=Mode.ANNOUNCED)
    style = models.CharField(_("演练类别"), max_length=20, choices=Style, default=Style.LIVE)
    plan_version = models.ForeignKey(
        "drills.PlanVersion",
        verbose_name=_("依据预案版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drills",
    )
    # The Beijing date of the signal (date of ``signal_at`` in Asia/Shanghai when given).
    date = models.DateField(_("演练日期"), validators=[validate_date])
    signal_at = models.DateTimeField(
        _("发出信号时间"), null=True, blank=True, validators=[validate_date]
    )
    completed_at = models.DateTimeField(
        _("全部疏散完成时间"), null=True, blank=True, validators=[validate_date]
    )
    evacuation_seconds = models.PositiveIntegerField(
        _("疏散用时（秒）"), null=True, blank=True, validators=count_validators(MAX_SECONDS)
    )
    building = models.CharField(_("演练地点/楼栋"), max_length=100, blank=True)
    # The school's target when recorded (``services.evacuation_target``), kept with the
    # drill so a later change of the target does not rewrite history.
    target_seconds = models.PositiveIntegerField(
        _("疏散目标（秒）"), null=True, blank=True, validators=count_validators(MAX_SECONDS)
    )
    students_expected = models.PositiveIntegerField(
        _("应到学生数"), null=True, blank=True, validators=count_validators(MAX_HEADCOUNT)
    )
    student_participants = models.PositiveIntegerField(
        _("参演学生数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    staff_expected = models.PositiveIntegerField(
        _("应到教职工数"), null=True, blank=True, validators=count_validators(MAX_HEADCOUNT)
    )
    staff_participants = models.PositiveIntegerField(
        _("参演教职工数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    missing_count = models.PositiveIntegerField(
        _("未到人数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    injured_count = models.PositiveIntegerField(
        _("受伤人数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    headcount_note = models.CharField(
        _("人数说明"),
        max_length=200,
        blank=True,
        help_text=_("实到人数多于应到人数时必须说明原因（如外校人员、家长志愿者）。"),
    )
    commander = models.CharField(_("总指挥"), max_length=50, blank=True)
    teams = models.TextField(
        _("各工作组"),
        blank=True,
        help_text=_("疏散引导、通信联络、医疗救护、灭火、安全警戒等组及负责人"),
    )
    outside_support = models.CharField(
        _("外部支持"), max_length=200, blank=True, help_text=_("如派出所、消防救援站、医院")
    )
    rating_plan_fit = models.CharField(_("预案适宜性"), max_length=20, choices=PlanFit, blank=True)
    rating_adequacy = models.CharField(_("预案充分性"), max_length=20, choices=Adequacy, blank=True)
    rating_staff = models.CharField(_("人员到位"), max_length=20, choices=StaffInPlace, blank=True)
    rating_proficiency = models.CharField(
        _("职责与操作熟练度"), max_length=20, choices=Proficiency, blank=True
    )
    rating_supplies = models.CharField(_("物资到位"), max_length=20, choices=Supplies, blank=True)
    rating_safety = models.CharField(_("安全情况"), max_length=20, choices=Safety, blank=True)
    notes = models.TextField(_("过程记录与评估"), blank=True)
    improvements = models.TextField(_("改进措施"), blank=True)
    plan_revision_needed = models.BooleanField(_("需要修订预案"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_drills",
    )

    history = HistoricalRecords()
    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = pgettext_lazy("plural", "应急演练")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["school", "date"], name="drill_school_date")]
        constraints = [
            range_constraint("drill_students_range", "student_participants", MAX_HEADCOUNT),
            range_constraint("drill_staff_range", "staff_participants", MAX_HEADCOUNT),
            range_constraint("drill_seconds_range", "evacuation_seconds", MAX_SECONDS, null=True),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True)
                | Q(signal_at__isnull=True)
                | Q(completed_at__gte=models.F("signal_at")),
                name="drill_completed_after_signal",
                violation_error_message=_("完成时间不能早于发出信号时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.school} {self.get_drill_type_display()} {self.date}"

    def get_absolute_url(self):
        return reverse("drill-detail", args=[self.pk])

    @property
    def counts_as_evacuation(self) -> bool:
        """A live drill of an evacuating type: what the monthly rule counts."""
        return self.style == self.Style.LIVE and self.drill_type in EVACUATION_TYPES

    @property
    def met_target(self) -> bool | None:
        """Whether the evacuation took no longer than the target (None: not measured)."""
        if self.evacuation_seconds is None or self.target_seconds is None:
            return None
        return self.evacuation_seconds <= self.target_seconds

    def ratings(self) -> list[tuple[str, str]]:
        """(label, chosen value's label) of the six evaluation ratings, blank ones left out."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, f"get_{name}_display")())
            for name in self.RATINGS
            if getattr(self, name)
        ]


class DrillProblem(models.Model):
    """A problem found in a drill (存在问题). One tap turns it into a hazard of the ledger
    (source "drill"), which is then tracked through 查改督销."""

    drill = models.ForeignKey(
        Drill, verbose_name=_("应急演练"), on_delete=models.CASCADE, related_name="problems"
    )
    description = models.CharField(_("存在问题"), max_length=300)
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("转为隐患"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drill_problem",
    )

    class Meta:
        verbose_name = _("演练发现的问题")
        verbose_name_plural = pgettext_lazy("plural", "演练发现的问题")
        ordering = ["drill", "id"]

    def __str__(self):
        return self.description


def drill_photo_path(instance, filename):
    return f"drills/{timezone.localdate():%Y/%m}/{filename}"


class DrillPhoto(models.Model):
    """A photo of a drill, re-encoded as JPEG without metadata (core.images), in the private
    storage; served by the checking view ``drill-photo``."""

    drill = models.ForeignKey(
        Drill, verbose_name=_("应急演练"), on_delete=models.CASCADE, related_name="photos"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    image = models.ImageField(_("照片"), upload_to=drill_photo_path, storage=private_storage)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("演练照片")
        verbose_name_plural = pgettext_lazy("plural", "演练照片")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name or str(self.uuid)

    def get_absolute_url(self):
        return reverse("drill-photo", args=[self.uuid])


class PlannedDrill(models.Model):
    """A drill a school plans for the term (演练计划): type, mode, style, day and whether it is
    held at night. Planned against done is decided by ``selectors.drill_compliance``: a
    recorded drill of the same type (at night for a night plan) in the same compliance
    period (month; kindergarten: quarter) carries it out, each drill one plan."""

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.CASCADE,
        related_name="planned_drills",
    )
    drill_type = models.CharField(_("演练类型"), max_length=20, choices=Drill.DrillType)
    mode = models.CharField(
        _("方式"), max_length=20, choices=Drill.Mode, default=Drill.Mode.ANNOUNCED
    )
    style = models.CharField(
        _("演练类别"), max_length=20, choices=Drill.Style, default=Drill.Style.LIVE
    )
    planned_on = models.DateField(_("计划日期"), validators=[validate_date])
    is_night = models.BooleanField(_("夜间演练"), default=False)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制定时间"), default=timezone.now)

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("计划演练")
        verbose_name_plural = pgettext_lazy("plural", "计划演练")
        ordering = ["planned_on", "school", "id"]
        # The compliance function reads a span of days for many schools.
        indexes = [models.Index(fields=["planned_on", "school"], name="planneddrill_day_school")]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "planned_on", "drill_type"],
                name="planneddrill_once_a_day",
                violation_error_message=_("本校当天已计划同类演练。"),
            )
        ]

    def __str__(self):
        return f"{self.school} {self.planned_on} {self.get_drill_type_display()}"


class EvacuationTarget(models.Model):
    """A school's own evacuation target in seconds, for the whole school (``building``
    empty) or one building. Without one the bureau's default applies (120 s; 180 s for a
    primary school when ``DRILL_PRIMARY_TARGET_SECONDS`` is set)."""

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.CASCADE,
        related_name="evacuation_targets",
    )
    building = models.CharField(_("楼栋"), max_length=100, blank=True)
    seconds = models.PositiveIntegerField(
        _("目标用时（秒）"), validators=count_validators(MAX_SECONDS, 1)
    )

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("疏散目标用时")
        verbose_name_plural = pgettext_lazy("plural", "疏散目标用时")
        ordering = ["school", "building", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "building"], name="evacuation_target_unique"),
            range_constraint("evacuation_target_range", "seconds", MAX_SECONDS, 1),
        ]

    def __str__(self):
        return f"{self.school} {self.building or _('全校')} {self.seconds}s"


# --- emergency plans (应急预案) ---------------------------------------------------------


class PlanQuerySet(SchoolOwnedQuerySet):
    def with_versions(self):
        return self.select_related("school", "owner").prefetch_related("versions")


class EmergencyPlan(models.Model):
    """A school's emergency plan of one kind (应急预案, 办法 Art. 4). Its text lives in
    versions; the current one is the latest approved (``current_version``)."""

    school = models.ForeignKey(
        "schools.School", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(_("预案类别"), max_length=20, choices=Drill.DrillType)
    title = models.CharField(_("预案名称"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_plans",
    )
    # Set by a drill that asks for a revision; cleared by the next approved version.
    revision_requested_by = models.ForeignKey(
        Drill,
        verbose_name=_("要求修订的演练"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="revision_requests",
    )

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("应急预案")
        verbose_name_plural = pgettext_lazy("plural", "应急预案")
        ordering = ["school", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "kind"],
                name="plan_school_kind_unique",
                violation_error_message=_("本校该类别的应急预案已存在，请上传新版本。"),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plan-detail", args=[self.pk])

    @property
    def current_version(self):
        """The latest approved version (by approval date, then number), or None. Reads the
        prefetched ``versions`` when present."""
        approved = [v for v in self.versions.all() if v.approved_on]
        return max(approved, key=lambda v: (v.approved_on, v.number), default=None)


def plan_file_path(instance, filename):
    return f"plans/{timezone.localdate():%Y}/{uuid.uuid4()}.{instance.file_type}"


class PlanVersion(models.Model):
    """One version of a plan: its file (PDF or DOCX, checked by content), and when and by
    whom it was approved (审批). Unapproved versions are drafts."""

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    plan = models.ForeignKey(
        EmergencyPlan, verbose_name=_("应急预案"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本号"))
    file = models.FileField(_("预案文件"), upload_to=plan_file_path, storage=private_storage)
    file_type = models.CharField(_("文件类型"), max_length=4, choices=FileType)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    approved_on = models.DateField(_("审批日期"), null=True, blank=True, validators=[validate_date])
    approver = models.CharField(_("审批人"), max_length=50, blank=True)
    notes = models.CharField(_("修订说明"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_plan_versions",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("预案版本")
        verbose_name_plural = pgettext_lazy("plural", "预案版本")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")
        ]

    def __str__(self):
        return f"{self.plan} v{self.number}"

    def get_absolute_url(self):
        return reverse("plan-version-file", args=[self.pk])


# --- incidents (事故 / 突发事件) --------------------------------------------------------


class Incident(models.Model):
    """An accident or emergency at a school (办法 Art. 4: post-accident response): what
    happened, how many were involved, hurt or killed, the first measures, its level
    (I 特别重大 … IV 一般), a timeline of actions, the reports owed to the bureau by
    deadline, and a closing review."""

    class Kind(models.TextChoices):
        INJURY = "injury", _("校园伤害")
        FIRE = "fire", _("火灾")
        TRAFFIC = "traffic", _("交通事故")
        DROWNING = "drowning", _("溺水")
        FOOD = "food", _("食物中毒")
        VIOLENCE = "violence", _("暴力伤害")
        CROWD = "crowd", _("拥挤踩踏")
        DISASTER = "disaster", _("自然灾害")
        BUILDING = "building", _("校舍设施事故")
        HEALTH = "health", _("公共卫生事件")
        OTHER = "other", _("其他")

    class Level(models.TextChoices):
        I = "1", _("I级（特别重大）")  # noqa: E741 — the level's official numeral
        II = "2", _("II级（重大）")
        III = "3", _("III级（较大）")
        IV = "4", _("IV级（一般）")

    class Status(models.TextChoices):
        OPEN = "open", _("处置中")
        CLOSED = "closed", _("已结案")

    # The three reports owed to the bureau, in order (deadlines: settings.INCIDENT_DEADLINES).
    STAGES = ("initial", "written", "closure")

    school = models.ForeignKey(
        "schools.School", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="incidents"
    )
    occurred_at = models.DateTimeField(_("发生时间"), validators=[validate_date])
    place = models.CharField(_("地点"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind)
    level = models.CharField(_("级别"), max_length=1, choices=Level, default=Level.IV)
    summary = models.TextField(_("事件经过"))
    students_involved = models.PositiveIntegerField(
        _("涉及学生数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    staff_involved = models.PositiveIntegerField(
        _("涉及教职工数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    injured = models.PositiveIntegerField(
        _("受伤人数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    deaths = models.PositiveIntegerField(
        _("死亡人数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    first_measures = models.TextField(_("先期处置措施"), blank=True)
    plan = models.ForeignKey(
        EmergencyPlan,
        verbose_name=_("启动的应急预案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    hazards = models.ManyToManyField(
        "hazards.Hazard", verbose_name=_("发现的隐患"), blank=True, related_name="incidents"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.OPEN)
    # The initial report is the record itself: when the school reported it to the bureau.
    reported_at = models.DateTimeField(_("初报时间"))
    written_report = models.TextField(_("书面报告"), blank=True)
    written_report_at = models.DateTimeField(_("书面报告时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    review_cause = models.TextField(_("原因分析"), blank=True)
    review_measures = models.TextField(_("整改措施"), blank=True)
    review_lessons = models.TextField(_("经验教训"), blank=True)
    review_plan_changes = models.BooleanField(_("需修订预案"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_incidents",
    )

    history = HistoricalRecords(excluded_fields=["summary", "first_measures"])
    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全事故/突发事件")
        verbose_name_plural = pgettext_lazy("plural", "安全事故/突发事件")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The deadline scan (reminders.escalate_incident_deadlines): open incidents.
            models.Index(fields=["occurred_at"], name="incident_open", condition=Q(status="open"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_at__gte=models.F("occurred_at")),
                name="incident_reported_after_occurred",
                violation_error_message=_("报告时间不能早于发生时间。"),
            )
        ]

    def __str__(self):
        day = timezone.localtime(self.occurred_at)
        return f"{self.school} {self.get_kind_display()} {day:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("incident-detail", args=[self.pk])


class IncidentPerson(models.Model):
    """A named person involved in an incident: restricted (``drills.view_incident_names``:
    the school's managers and the bureau's admins); everybody else sees counts."""

    class Role(models.TextChoices):
        STUDENT = "student", _("学生")
        STAFF = "staff", _("教职工")
        OTHER = "other", _("其他人员")

    incident = models.ForeignKey(
        Incident, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(_("姓名"), max_length=50)
    role = models.CharField(_("身份"), max_length=10, choices=Role, default=Role.STUDENT)
    injury = models.CharField(_("伤情"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("涉事人员")
        verbose_name_plural = pgettext_lazy("plural", "涉事人员")
        ordering = ["incident", "id"]

    def __str__(self):
        return self.name


class IncidentAction(models.Model):
    """One entry of an incident's timeline (处置过程): what was done, when, by whom.
    Reports, escalations and closure write their own entries."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="actions"
    )
    at = models.DateTimeField(_("时间"), validators=[validate_date])
    text = models.CharField(_("处置情况"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_actions",
    )

    class Meta:
        verbose_name = _("处置记录")
        verbose_name_plural = pgettext_lazy("plural", "处置记录")
        ordering = ["incident", "at", "id"]

    def __str__(self):
        return self.text


class IncidentEscalation(models.Model):
    """A missed reporting deadline, escalated once: the unique (incident, stage) makes a
    second scan send nothing (reminders.escalate_incident_deadlines)."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="escalations"
    )
    stage = models.CharField(_("报告环节"), max_length=10)
    deadline = models.DateTimeField(_("期限"))
    escalated_at = models.DateTimeField(_("督办时间"))

    class Meta:
        verbose_name = _("逾期督办")
        verbose_name_plural = pgettext_lazy("plural", "逾期督办")
        ordering = ["incident", "escalated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "stage"], name="incident_escalation_once")
        ]

    def __str__(self):
        return f"{self.incident} {self.stage}"

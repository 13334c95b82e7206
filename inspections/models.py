"""Inspections of a campus or its surroundings: joint (联合检查), cross (交叉互查),
self (学校自查) and bureau spot checks (督查). Hazards found link back here."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.files import private_storage
from core.sync import SyncedModel
from core.years import validate_date
from hazards.models import Hazard
from schools.models import SchoolOwnedQuerySet


class InspectionQuerySet(SchoolOwnedQuerySet):
    def visible_to(self, user):
        """The inspected school's people see it, so does the inspecting school's team of a
        cross inspection (they fill in the checklist), and the members of a department
        that took part in a joint inspection (公安、消防… on the safety committee)."""
        if not user.is_authenticated:
            return self.none()
        ids = user.school_ids()
        if ids is None:
            return self
        seen = models.Q(school_id__in=ids) | models.Q(inspecting_school_id__in=ids)
        if user.department_id:
            # A subquery, not a join: no duplicate rows in lists.
            taken_part = Inspection.departments.through.objects.filter(
                department_id=user.department_id
            )
            seen |= models.Q(pk__in=taken_part.values("inspection_id"))
        return self.filter(seen)

    def open(self):
        """Planned or in progress: the team may still answer."""
        return self.filter(status__in=Inspection.OPEN_STATUSES)

    def overdue(self, today=None):
        """Planned date before ``today`` (default: today in Asia/Shanghai), not submitted."""
        today = today or timezone.localdate()
        return self.filter(status__in=Inspection.OPEN_STATUSES, date__lt=today)


class Inspection(SyncedModel):
    """One inspection of one school (its campus or its surroundings) on one date.

    For a cross inspection ``inspecting_school`` is the school whose team inspected.
    """

    SYNC_RESOURCE = "inspections"  # core.sync: the API's sync feed and tombstones

    class Kind(models.TextChoices):
        JOINT = "joint", _("联合检查")
        CROSS = "cross", _("交叉互查")
        SELF = "self", _("学校自查")
        SPOT = "spot", _("督查")

    class Subject(models.TextChoices):
        CAMPUS = "campus", _("校园")
        SURROUNDINGS = "surroundings", _("校园周边")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        IN_PROGRESS = "in_progress", _("检查中")
        SUBMITTED = "submitted", _("已提交")
        REVIEWED = "reviewed", _("已审核")

    # Open: the team may still answer; overdue once the date has passed.
    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)
    # Carried out: what the yearly figures and leaders' coverage count.
    DONE_STATUSES = (Status.SUBMITTED, Status.REVIEWED)

    kind = models.CharField(_("检查类型"), max_length=10, choices=Kind)
    subject = models.CharField(
        _("检查对象"), max_length=20, choices=Subject, default=Subject.CAMPUS
    )
    title = models.CharField(_("名称"), max_length=200)
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("受检学校"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspecting_school = models.ForeignKey(
        "schools.School",
        verbose_name=_("检查学校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cross_inspections_done",
    )
    departments = models.ManyToManyField(
        "schools.Department", verbose_name=_("参检部门"), blank=True, related_name="inspections"
    )
    date = models.DateField(_("检查日期"), validators=[validate_date])
    status = models.CharField(_("状态"), max_length=20, choices=Status, default=Status.PLANNED)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("带队人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_inspections",
    )
    summary = models.TextField(_("检查情况"), blank=True)
    # Null for inspections recorded before checklists existed (no item answers).
    checklist = models.ForeignKey(
        "Checklist",
        verbose_name=_("检查表"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    round = models.ForeignKey(
        "CrossInspectionRound",
        verbose_name=_("互查轮次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_inspections",
    )
    review_comment = models.TextField(_("审核意见"), blank=True)

    history = HistoricalRecords()
    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = pgettext_lazy("plural", "检查")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="inspection_kind_date")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(inspecting_school=models.F("school")),
                name="inspection_not_self_cross",
                violation_error_message=_("学校不能检查自己。"),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.school} · {self.date}"


class ChecklistQuerySet(models.QuerySet):
    def published(self):
        """Versions inspections and rounds may use."""
        return self.filter(is_published=True)

    def latest_published(self):
        """The most recently published version (undated last), or None."""
        return (
            self.published()
            .order_by(models.F("published_on").desc(nulls_last=True), "-version", "-id")
            .first()
        )


class Checklist(SyncedModel):
    """A versioned inspection standard (检查标准), e.g. 校园安全检查表 v1.

    A published version is frozen: answers point at its items, so publishing a new version
    never changes the answers of past inspections.
    """

    SYNC_RESOURCE = "checklists"  # core.sync: the API's sync feed and tombstones

    name = models.CharField(_("名称"), max_length=100)
    version = models.PositiveIntegerField(_("版本"), default=1)
    is_published = models.BooleanField(_("已发布"), default=False)
    published_on = models.DateField(
        _("发布日期"), null=True, blank=True, validators=[validate_date]
    )

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查表")
        verbose_name_plural = pgettext_lazy("plural", "检查表")
        ordering = ["name", "-version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="checklist_name_version")
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"


class ChecklistSection(models.Model):
    """A category of a checklist (A 组织制度 … P 学生管理)."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("检查表"), on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("编号"), max_length=4)
    title = models.CharField(_("名称"), max_length=100)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("检查类别")
        verbose_name_plural = pgettext_lazy("plural", "检查类别")
        ordering = ["checklist", "order", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="section_code_per_checklist")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class ChecklistItemQuerySet(models.QuerySet):
    def applicable_to(self, school):
        """Items that apply to ``school`` by its type (幼儿园/小学/中学/特教) and boarding."""
        flags = school_type_flags(school)
        q = models.Q()
        for flag in flags:
            q |= models.Q(**{f"for_{flag}": True})
        queryset = self.filter(q) if flags else self
        return queryset if school.is_boarding else queryset.filter(boarding_only=False)


def school_type_flags(school):
    """The applicability flags of a school's 办学类型: a subset of kindergarten, primary,
    secondary, special (九年一贯制 is primary and secondary)."""
    code = school.school_type
    flags = set()
    if code.startswith("1"):
        flags.add("kindergarten")
    if code.startswith("2") or code in ("312", "345"):
        flags.add("primary")
    if code.startswith("3"):
        flags.add("secondary")
    if code.startswith("5"):
        flags.add("special")
    return flags


class ChecklistItem(models.Model):
    """One line of a checklist (E6 疏散通道不得锁闭堵塞). A failed ★ item (``is_major``) is
    a major hazard (重大隐患直接判定); ``category`` is the hazard category it becomes."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("检查表"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.ForeignKey(
        ChecklistSection, verbose_name=_("类别"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("编号"), max_length=8)
    text = models.CharField(_("检查内容"), max_length=300)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    is_major = models.BooleanField(_("重大隐患判定项（★）"), default=False)
    category = models.CharField(_("隐患类别"), max_length=20, choices=Hazard.Category)
    for_kindergarten = models.BooleanField(_("适用幼儿园"), default=True)
    for_primary = models.BooleanField(_("适用小学"), default=True)
    for_secondary = models.BooleanField(_("适用中学"), default=True)
    for_special = models.BooleanField(_("适用特教学校"), default=True)
    boarding_only = models.BooleanField(_("仅寄宿制"), default=False)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查项")
        verbose_name_plural = pgettext_lazy("plural", "检查项")
        ordering = ["checklist", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="item_code_per_checklist")
        ]

    def __str__(self):
        return f"{'★' if self.is_major else ''}{self.code} {self.text}"

    def clean(self):
        if self.section_id and self.checklist_id and self.section.checklist_id != self.checklist_id:
            raise ValidationError({"section": _("类别须属于同一检查表版本。")})


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for rounds, on the web and in the API: those who manage rounds (the
        bureau) see every round, drafts included; anyone else only published rounds that
        one of their schools takes part in (all published rounds with a bureau-wide scope).
        A draft's pairings are the bureau's working copy."""
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("inspections.manage_round"):
            return self
        published = self.filter(status=CrossInspectionRound.Status.PUBLISHED)
        ids = user.school_ids()
        if ids is None:
            return published
        taking_part = CrossInspectionRound.schools.through.objects.filter(school_id__in=ids)
        return published.filter(pk__in=taking_part.values("crossinspectionround_id"))


class PairingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Pairings of the rounds ``user`` sees (``RoundQuerySet.visible_to``); outside the
        bureau only those where one of the user's schools inspects or is inspected."""
        queryset = self.filter(round__in=CrossInspectionRound.objects.visible_to(user))
        ids = user.school_ids() if user.is_authenticated else frozenset()
        if ids is None or user.has_perm("inspections.manage_round"):
            return queryset
        return queryset.filter(models.Q(inspector__in=ids) | models.Q(inspected__in=ids))


class CrossInspectionRound(SyncedModel):
    """A bureau-organised round of cross inspections (交叉互查): each participating school's
    team inspects another school. Pairings are proposed, edited while ``draft``, and become
    Inspection rows when the round is published."""

    SYNC_RESOURCE = "cross-inspection-rounds"  # core.sync: the API's sync feed and tombstones

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    name = models.CharField(_("名称"), max_length=100)
    period_start = models.DateField(_("开始日期"), validators=[validate_date])
    period_end = models.DateField(_("结束日期"), validators=[validate_date])
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("检查表"), on_delete=models.PROTECT, related_name="rounds"
    )
    schools = models.ManyToManyField(
        "schools.School", verbose_name=_("参加学校"), related_name="cross_rounds"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cross_rounds_created",
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("互查轮次")
        verbose_name_plural = pgettext_lazy("plural", "互查轮次")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="round_end_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self):
        return self.name


class CrossPairing(models.Model):
    """In a round, ``inspector``'s team inspects ``inspected``. Each school inspects once and
    is inspected once per round (the two unique constraints)."""

    round = models.ForeignKey(
        CrossInspectionRound,
        verbose_name=_("互查轮次"),
        on_delete=models.CASCADE,
        related_name="pairings",
    )
    inspector = models.ForeignKey(
        "schools.School",
        verbose_name=_("检查学校"),
        on_delete=models.PROTECT,
        related_name="pairings_as_inspector",
    )
    inspected = models.ForeignKey(
        "schools.School",
        verbose_name=_("受检学校"),
        on_delete=models.PROTECT,
        related_name="pairings_as_inspected",
    )

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("互查配对")
        verbose_name_plural = pgettext_lazy("plural", "互查配对")
        ordering = ["round", "inspected", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "inspected"], name="pairing_inspected_once"),
            models.UniqueConstraint(fields=["round", "inspector"], name="pairing_inspector_once"),
            models.CheckConstraint(
                condition=~models.Q(inspector=models.F("inspected")),
                name="pairing_not_self",
                violation_error_message=_("学校不能检查自己。"),
            ),
        ]

    def __str__(self):
        return f"{self.inspector} → {self.inspected}"


class InspectionAnswer(models.Model):
    """The answer to one checklist item in one inspection. A failed item links to the hazard
    it created; the unique (inspection, item) makes re-submission idempotent."""

    class Result(models.TextChoices):
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")
        NA = "na", _("不适用")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("检查"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("检查项"), on_delete=models.PROTECT, related_name="answers"
    )
    result = models.CharField(_("结果"), max_length=4, choices=Result)
    note = models.TextField(_("说明"), blank=True)
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("形成的隐患"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection_answer",
    )
    # In a joint inspection, the committee department that owns the finding (消防 for a fire
    # exit, 市场监管 for the canteen); it is copied to the hazard so its members see it.
    department = models.ForeignKey(
        "schools.Department",
        verbose_name=_("负责部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_answers",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection_answers",
    )
    answered_at = models.DateTimeField(_("填写时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "检查结果")
        verbose_name_plural = pgettext_lazy("plural", "检查结果")
        ordering = ["inspection", "item__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="answer_once_per_item")
        ]

    def __str__(self):
        return f"{self.item.code}: {self.get_result_display()}"


def answer_photo_path(instance, filename):
    # Generated names only: the uploader's file name never reaches the file system.
    return f"inspections/{timezone.localdate():%Y/%m}/{instance.uuid}.jpg"


class AnswerPhotoQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The photos of the inspections the user sees (``InspectionQuerySet.visible_to``)."""
        return self.filter(answer__inspection__in=Inspection.objects.visible_to(user))


class InspectionAnswerPhoto(models.Model):
    """A photo taken for one checklist answer, re-encoded as JPEG without metadata
    (``core.images.clean_photo``). A failed item's photos are copied to its hazard."""

    answer = models.ForeignKey(
        InspectionAnswer,
        verbose_name=_("检查结果"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    image = models.ImageField(_("照片"), upload_to=answer_photo_path, storage=private_storage)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="inspection_photos",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    objects = AnswerPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = pgettext_lazy("plural", "检查照片")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name or str(self.uuid)

    def get_absolute_url(self):
        """The photo through the view that checks the user may see the inspection."""
        return reverse("inspection-photo", args=[self.uuid])

    @property
    def thumbnail_url(self):
        # No small copy is made of answer photos: the grid shows the photo itself.
        return self.get_absolute_url()

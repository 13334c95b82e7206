"""The sealed mental-health domain: each student's file (心理成长档案, 一生一策) with its
screenings, warning level, follow-up plan and referrals; the break-glass access log; and
bullying cases.

Who reads what (rules.py holds the permissions, ``visible_to`` the row scoping): the
school's counsellors read their school's files; the bureau reads counts by level and
school, never names; a principal or bureau admin may read one file by break-glass (logged);
superusers and the Django admin see nothing sealed. Free text (plans, details, notes) is
encrypted at rest (``core.crypto.EncryptedTextField``). No simple-history: a history page
would show the sealed text to admins.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.rules import is_bureau_admin, is_counsellor
from core.crypto import EncryptedTextField
from core.years import validate_date


def _counsellor_scope(queryset, user, field="school_id"):
    """Rows of the counsellor's schools; nobody else (a superuser neither)."""
    if not is_counsellor.test(user):
        return queryset.none()
    ids = user.school_ids()
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


class WarningLevel(models.Model):
    """A warning level (预警等级) the bureau configures; ``rank`` orders them (higher is more
    serious). Reaching a level marked ``is_crisis`` from below sends the crisis alert."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    rank = models.PositiveSmallIntegerField(_("级别"), unique=True)
    is_crisis = models.BooleanField(
        _("危机等级"), default=False, help_text=_("达到此等级时通知校长和班主任联系心理教师。")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("预警等级")
        verbose_name_plural = pgettext_lazy("plural", "预警等级")
        ordering = ["rank", "id"]

    def __str__(self):
        return self.name


class Instrument(models.Model):
    """A screening instrument (测评量表) and the range of its total score."""

    name = models.CharField(_("量表名称"), max_length=100, unique=True)
    min_score = models.DecimalField(_("最低分"), max_digits=6, decimal_places=2)
    max_score = models.DecimalField(_("最高分"), max_digits=6, decimal_places=2)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("测评量表")
        verbose_name_plural = pgettext_lazy("plural", "测评量表")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_score__gt=F("min_score")), name="instrument_range_ordered"
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.min_score:g}–{self.max_score:g}）"


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Files the user may read in full: the counsellors of the school only."""
        return _counsellor_scope(self, user)


class StudentRecord(models.Model):
    """One student's mental-health file (心理成长档案, 一生一策): current warning level and
    follow-up plan. ``school`` repeats the student's school (scoping)."""

    student = models.OneToOneField(
        "schools.Student",
        verbose_name=_("学生"),
        on_delete=models.PROTECT,
        related_name="wellbeing_record",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        related_name="wellbeing_records",
    )
    level = models.ForeignKey(
        WarningLevel,
        verbose_name=_("预警等级"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    plan = EncryptedTextField(_("跟进方案"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("心理档案")
        verbose_name_plural = pgettext_lazy("plural", "心理档案")
        ordering = ["school", "student__school_class", "student__student_number", "id"]

    def __str__(self):
        return _("心理档案 #%(id)s") % {"id": self.pk}


class RecordChildQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _counsellor_scope(self, user, "record__school_id")


class Screening(models.Model):
    """One screening result (测评结果): instrument, date and total score within the
    instrument's range; ``details`` (item answers, the counsellor's reading) encrypted."""

    record = models.ForeignKey(
        StudentRecord, verbose_name=_("档案"), on_delete=models.CASCADE, related_name="screenings"
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("量表"), on_delete=models.PROTECT, related_name="screenings"
    )
    date = models.DateField(_("测评日期"), validators=[validate_date])
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    details = EncryptedTextField(_("测评详情"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RecordChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("心理测评")
        verbose_name_plural = pgettext_lazy("plural", "心理测评")
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.instrument.name} {self.date}"


class LevelChange(models.Model):
    """A change of a file's warning level (who, when, from, to). An escalation to a crisis
    level is alerted once: the alert's subject is this row."""

    record = models.ForeignKey(
        StudentRecord,
        verbose_name=_("档案"),
        on_delete=models.CASCADE,
        related_name="level_changes",
    )
    from_level = models.ForeignKey(
        WarningLevel, null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_level = models.ForeignKey(
        WarningLevel, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("时间"))

    objects = RecordChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("预警等级变更")
        verbose_name_plural = pgettext_lazy("plural", "预警等级变更")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.from_level} → {self.to_level}"

    @property
    def is_escalation_to_crisis(self) -> bool:
        return bool(self.to_level and self.to_level.is_crisis) and not (
            self.from_level and self.from_level.is_crisis
        )


class Referral(models.Model):
    """A referral (转介) to a medical institution, with the date of the next follow-up."""

    record = models.ForeignKey(
        StudentRecord, verbose_name=_("档案"), on_delete=models.CASCADE, related_name="referrals"
    )
    institution = models.CharField(_("转介机构"), max_length=100)
    referred_on = models.DateField(_("转介日期"), validators=[validate_date])
    follow_up_on = models.DateField(
        _("回访日期"), null=True, blank=True, validators=[validate_date]
    )
    notes = EncryptedTextField(_("转介记录"), blank=True)

    objects = RecordChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("转介")
        verbose_name_plural = pgettext_lazy("plural", "转介")
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=F("referred_on")),
                name="referral_follow_up_after",
                violation_error_message=_("回访日期不能早于转介日期。"),
            )
        ]

    def __str__(self):
        return f"{self.institution} {self.referred_on}"


class AccessQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The log is read by the school's counsellors and by the bureau admins."""
        if is_bureau_admin.test(user):
            return self
        return _counsellor_scope(self, user, "record__school_id")


class BreakGlassAccess(models.Model):
    """One break-glass read (紧急查阅) of a file by someone who is not its counsellor: who,
    when, why and what was shown. Append-only: nothing edits or deletes a row."""

    record = models.ForeignKey(
        StudentRecord,
        verbose_name=_("档案"),
        on_delete=models.PROTECT,
        related_name="break_glass_reads",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查阅人"),
        on_delete=models.PROTECT,
        related_name="break_glass_reads",
    )
    at = models.DateTimeField(_("查阅时间"))
    reason = models.TextField(_("查阅理由"))
    sections = models.CharField(_("查阅内容"), max_length=200)

    objects = AccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("紧急查阅记录")
        verbose_name_plural = pgettext_lazy("plural", "紧急查阅记录")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="breakglass_reason_required")
        ]

    def __str__(self):
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"


class BullyingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The school's managers and counsellors (the 欺凌治理委员会), and the bureau."""
        if not user.is_authenticated or not user.has_perm("wellbeing.view_bullying"):
            return self.none()
        ids = user.school_ids()
        return self if ids is None else self.filter(school_id__in=ids)

    def open(self):
        return self.filter(closed_on__isnull=True)


class BullyingCase(models.Model):
    """A reported bullying case (学生欺凌): the school's committee investigates within
    ``BULLYING_INVESTIGATION_DAYS`` (10) days of starting and records the outcome."""

    class Outcome(models.TextChoices):
        BULLYING = "bullying", _("认定为欺凌")
        NOT_BULLYING = "not_bullying", _("不构成欺凌")

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        related_name="bullying_cases",
    )
    date = models.DateField(_("报告日期"), validators=[validate_date])
    summary = EncryptedTextField(_("情况摘要"))
    investigation_started_on = models.DateField(_("调查开始"), validators=[validate_date])
    deadline = models.DateField(_("调查期限"))
    outcome = models.CharField(_("认定结果"), max_length=20, choices=Outcome, blank=True)
    outcome_notes = EncryptedTextField(_("处理情况"), blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    participants = models.PositiveIntegerField(
        _("涉及学生数"), default=1, validators=[MinValueValidator(1)]
    )

    objects = BullyingQuerySet.as_manager()

    class Meta:
        verbose_name = _("欺凌事件")
        verbose_name_plural = pgettext_lazy("plural", "欺凌事件")
        ordering = ["-date", "-id"]
        indexes = [
            # the reminder scan: open cases by deadline
            models.Index(
                fields=["deadline"], condition=Q(closed_on__isnull=True), name="bullying_open"
            )
        ]

    def __str__(self):
        return _("欺凌事件 #%(id)s") % {"id": self.pk}

    def is_overdue(self, today) -> bool:
        return self.closed_on is None and today > self.deadline

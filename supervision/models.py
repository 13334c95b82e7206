"""Key-period supervision (强化重点时段监管): bell times, break-time patrols, and the
after-school home-arrival check-ins (到家报平安) with the boarding roll call (查寝).

Rules: reference/domain-rules.md §1.10 and checklist B4 (key areas patrolled ≥ 5 times a
day), I2/I3 (查寝 roll call, ≥ 2 dorm night patrols), P4/P5 (安全信息通报, 到家报平安).
Which days anything is due comes from ``schools.calendar`` on the Beijing date.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.years import validate_date
from schools.models import SchoolOwnedQuerySet, Student


class BellTime(models.Model):
    """One bell of a school's day (作息时间): a break, noon, dismissal, evening study or the
    dorm's lights-out roll call. School-wide when ``grade`` and ``school_class`` are empty;
    a grade's row overrides the school's, a class's row the grade's.

    For dismissal and the dorm roll call ``cutoff_minutes`` sets how long after the bell the
    check-ins are due (empty: ``SUPERVISION_HOME_CUTOFF_MINUTES`` / ``…_DORM_…``)."""

    class Kind(models.TextChoices):
        BREAK = "break", _("课间")
        NOON = "noon", _("午间")
        DISMISSAL = "dismissal", _("放学")
        EVENING_STUDY = "evening_study", _("晚自习")
        DORM = "dorm", _("就寝查寝")

    school = models.ForeignKey(
        "schools.School", verbose_name=_("学校"), on_delete=models.CASCADE, related_name="bells"
    )
    grade = models.PositiveSmallIntegerField(_("年级"), null=True, blank=True)
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        verbose_name=_("班级"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bells",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind)
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"), null=True, blank=True)
    cutoff_minutes = models.PositiveSmallIntegerField(
        _("报平安截止（分钟）"),
        null=True,
        blank=True,
        help_text=_("放学或就寝后多少分钟内须报平安；留空用默认值。"),
    )

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("作息时间")
        verbose_name_plural = pgettext_lazy("plural", "作息时间")
        ordering = ["school", "kind", "grade", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="belltime_end_after_start",
                violation_error_message=_("结束时间须晚于开始时间。"),
            ),
            models.CheckConstraint(
                condition=Q(cutoff_minutes__isnull=True) | Q(cutoff_minutes__lte=600),
                name="belltime_cutoff_range",
                violation_error_message=_("截止时间不能超过600分钟。"),
            ),
        ]

    def __str__(self):
        return f"{self.school} {self.get_kind_display()} {self.start:%H:%M}"


def new_point_code():
    """The unguessable code printed in a patrol point's QR code (11 URL-safe characters)."""
    return secrets.token_urlsafe(8)


class PatrolPoint(models.Model):
    """A place a patrol checks (巡查点位): a gate, stairs, a corridor, the playground, the
    canteen, a dorm or the surroundings. Key areas (重点部位) must be checked ≥ 5 times a
    school day (checklist B4)."""

    class Kind(models.TextChoices):
        GATE = "gate", _("校门")
        STAIRS = "stairs", _("楼梯")
        CORRIDOR = "corridor", _("走廊")
        PLAYGROUND = "playground", _("操场")
        CANTEEN = "canteen", _("食堂")
        DORM = "dorm", _("宿舍")
        SURROUNDINGS = "surroundings", _("校园周边")
        OTHER = "other", _("其他")

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.CASCADE,
        related_name="patrol_points",
    )
    name = models.CharField(_("点位名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind)
    is_key_area = models.BooleanField(_("重点部位"), default=True)
    code = models.CharField(
        _("二维码编号"), max_length=20, unique=True, default=new_point_code, editable=False
    )
    is_active = models.BooleanField(_("在用"), default=True)

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡查点位")
        verbose_name_plural = pgettext_lazy("plural", "巡查点位")
        ordering = ["school", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="patrolpoint_unique_name",
                violation_error_message=_("本校已有同名点位。"),
            )
        ]

    def __str__(self):
        return self.name


class PatrolSlot(models.Model):
    """A roster line (巡查排班): who patrols which points, at what time, on which weekdays.
    On a school day of the school the slot is due; not logged by ``end`` plus the grace
    period it is missed. ``weekdays`` holds ISO weekday digits ("12345"); a make-up workday
    on a weekend counts as the weekday it replaces only if its digit is listed, so rosters
    list "1234567" when they cover every school day."""

    class Kind(models.TextChoices):
        MORNING = "morning", _("入校")
        BREAK = "break", _("课间")
        NOON = "noon", _("午间")
        DISMISSAL = "dismissal", _("放学")
        NIGHT = "night", _("宿舍夜间")

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.CASCADE,
        related_name="patrol_slots",
    )
    name = models.CharField(_("班次名称"), max_length=60)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind)
    start = models.TimeField(_("开始时间"))
    end = models.TimeField(_("结束时间"))
    weekdays = models.CharField(
        _("星期"), max_length=7, default="1234567", help_text=_("1=周一 … 7=周日，如 12345。")
    )
    patroller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("巡查人"),
        on_delete=models.PROTECT,
        related_name="patrol_slots",
    )
    points = models.ManyToManyField(PatrolPoint, verbose_name=_("巡查点位"), related_name="slots")
    is_active = models.BooleanField(_("在用"), default=True)

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡查排班")
        verbose_name_plural = pgettext_lazy("plural", "巡查排班")
        ordering = ["school", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="patrolslot_end_after_start",
                violation_error_message=_("结束时间须晚于开始时间。"),
            ),
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^[1-7]{1,7}$"),
                name="patrolslot_weekdays",
                violation_error_message=_("星期只能填写 1–7 的数字。"),
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"

    def runs_on_weekday(self, day) -> bool:
        return str(day.isoweekday()) in self.weekdays

    def missed_from(self, day: datetime.date) -> datetime.datetime:
        """When the slot's patrol of ``day`` (Asia/Shanghai) counts as missed unless done:
        its end plus ``SUPERVISION_PATROL_GRACE_MINUTES`` (aware). Before it the patrol is
        still to come, not missed."""
        end = timezone.make_aware(datetime.datetime.combine(day, self.end))
        return end + datetime.timedelta(minutes=settings.SUPERVISION_PATROL_GRACE_MINUTES)

    @staticmethod
    def runs_on_weekday_q(day) -> Q:
        """``runs_on_weekday`` as a filter: the slots that run on ``day``'s weekday."""
        return Q(weekdays__contains=str(day.isoweekday()))


class Patrol(models.Model):
    """One slot's patrol on one day (巡查记录): started, done, or missed (recorded by the
    scan when the slot passed its end plus the grace period without being done)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("巡查中")
        DONE = "done", _("已完成")
        MISSED = "missed", _("漏巡")

    school = models.ForeignKey(
        "schools.School", verbose_name=_("学校"), on_delete=models.CASCADE, related_name="patrols"
    )
    slot = models.ForeignKey(
        PatrolSlot, verbose_name=_("班次"), on_delete=models.PROTECT, related_name="patrols"
    )
    date = models.DateField(_("日期"), validators=[validate_date])
    status = models.CharField(_("状态"), max_length=20, choices=Status)
    patroller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("巡查人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patrols",
    )
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡查记录")
        verbose_name_plural = pgettext_lazy("plural", "巡查记录")
        ordering = ["-date", "slot__start", "id"]
        indexes = [models.Index(fields=["school", "date"], name="patrol_school_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "date"],
                name="patrol_unique_slot_date",
                violation_error_message=_("该班次当天已有巡查记录。"),
            )
        ]

    def __str__(self):
        return f"{self.slot} {self.date}"


class PatrolCheck(models.Model):
    """A point checked on a patrol, by scanning its QR code or ticking it."""

    class Method(models.TextChoices):
        SCAN = "scan", _("扫码")
        TICK = "tick", _("勾选")

    patrol = models.ForeignKey(
        Patrol, verbose_name=_("巡查"), on_delete=models.CASCADE, related_name="checks"
    )
    point = models.ForeignKey(
        PatrolPoint, verbose_name=_("点位"), on_delete=models.PROTECT, related_name="checks"
    )
    method = models.CharField(_("方式"), max_length=10, choices=Method)
    checked_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("点位签到")
        verbose_name_plural = pgettext_lazy("plural", "点位签到")
        ordering = ["patrol", "checked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["patrol", "point"], name="patrolcheck_unique_point")
        ]

    def __str__(self):
        return f"{self.patrol} {self.point}"


class PatrolProblem(models.Model):
    """A problem noted on a patrol; it became ``hazard`` through ``hazards.services`` (source
    "patrol") and follows the 查改督销 workflow there."""

    patrol = models.ForeignKey(
        Patrol, verbose_name=_("巡查"), on_delete=models.CASCADE, related_name="problems"
    )
    point = models.ForeignKey(
        PatrolPoint,
        verbose_name=_("点位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("隐患"),
        on_delete=models.PROTECT,
        related_name="patrol_problem",
    )

    class Meta:
        verbose_name = _("巡查发现问题")
        verbose_name_plural = pgettext_lazy("plural", "巡查发现问题")
        ordering = ["patrol", "id"]

    def __str__(self):
        return str(self.hazard)


class RollKind(models.TextChoices):
    HOME = "home", _("到家报平安")
    DORM = "dorm", _("查寝")


class Roll(models.Model):
    """One class's roll of one kind on one school day: when it was first marked, when the
    cut-off alerts went out, and how many students were unaccounted for at the cut-off.
    The alert stamps are set under a row lock, so each alert goes out once."""

    school = models.ForeignKey(
        "schools.School", verbose_name=_("学校"), on_delete=models.CASCADE, related_name="rolls"
    )
    school_class = models.ForeignKey(
        "schools.SchoolClass",
        verbose_name=_("班级"),
        on_delete=models.CASCADE,
        related_name="rolls",
    )
    date = models.DateField(_("日期"), validators=[validate_date])
    kind = models.CharField(_("类型"), max_length=10, choices=RollKind)
    first_marked_at = models.DateTimeField(_("首次填报"), null=True, blank=True)
    teacher_alerted_at = models.DateTimeField(_("提醒班主任"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("报告学校"), null=True, blank=True)
    unaccounted_at_cutoff = models.PositiveIntegerField(_("截止时未报平安"), null=True, blank=True)

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("报平安班级记录")
        verbose_name_plural = pgettext_lazy("plural", "报平安班级记录")
        ordering = ["-date", "school_class", "kind", "id"]
        indexes = [models.Index(fields=["school", "date"], name="roll_school_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["school_class", "date", "kind"], name="roll_unique_class_day"
            )
        ]

    def __str__(self):
        return f"{self.school_class} {self.date} {self.get_kind_display()}"


class CheckInQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Check-ins of the students the user may see by name (``Student.visible_to``)."""
        return self.filter(student__in=Student.objects.visible_to(user))


class CheckIn(models.Model):
    """One student's mark on one day's roll (到家报平安 or 查寝): arrived, on leave or absent
    (not expected), or not yet. One row per student, day and kind (a unique constraint;
    marks are upserts, so repeated or concurrent taps keep one row)."""

    class Status(models.TextChoices):
        ARRIVED = "arrived", _("已到家")
        EXCUSED = "excused", _("请假/缺勤")
        PENDING = "pending", _("未报平安")

    school = models.ForeignKey(
        "schools.School", verbose_name=_("学校"), on_delete=models.CASCADE, related_name="checkins"
    )
    roll = models.ForeignKey(
        Roll, verbose_name=_("班级记录"), on_delete=models.CASCADE, related_name="checkins"
    )
    student = models.ForeignKey(
        "schools.Student",
        verbose_name=_("学生"),
        on_delete=models.PROTECT,
        related_name="checkins",
    )
    date = models.DateField(_("日期"), validators=[validate_date])
    kind = models.CharField(_("类型"), max_length=10, choices=RollKind)
    status = models.CharField(_("状态"), max_length=10, choices=Status)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("填报时间"))

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("报平安记录")
        verbose_name_plural = pgettext_lazy("plural", "报平安记录")
        ordering = ["-date", "roll", "student", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "date", "kind"], name="checkin_unique_student_day"
            )
        ]

    def __str__(self):
        return f"{self.student} {self.date} {self.get_status_display()}"

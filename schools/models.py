"""Schools, departments and who holds which school (领导联校、干部包校).

``SchoolOwnedQuerySet.visible_to(user)`` is the one place that decides which rows of a
school-owned model a user may see; every view, endpoint, export and task uses it.
"""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.bounds import MAX_HEADCOUNT, count_validators, range_constraint
from core.sync import SyncedModel
from core.years import validate_date


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Schools in the user's scope; none for an anonymous user."""
        if not user.is_authenticated:
            return self.none()
        ids = user.school_ids()
        return self if ids is None else self.filter(id__in=ids)

    def active(self):
        return self.filter(is_active=True)


def new_snapshot_token():
    """A random, unguessable token for a school's public 随手拍 link (22 URL-safe chars)."""
    return secrets.token_urlsafe(16)


class School(SyncedModel):
    """A primary or secondary school or kindergarten under the county bureau.

    ``school_type`` is the national 办学类型 code (reference/domain-rules.md §3.1).
    """

    SYNC_RESOURCE = "schools"  # core.sync: the API's sync feed and tombstones

    class SchoolType(models.TextChoices):
        KINDERGARTEN = "111", _("幼儿园")
        PRIMARY = "211", _("小学")
        JUNIOR = "311", _("初级中学")
        NINE_YEAR = "312", _("九年一贯制学校")
        COMPLETE_SECONDARY = "341", _("完全中学")
        SENIOR = "342", _("高级中学")
        TWELVE_YEAR = "345", _("十二年一贯制学校")
        VOCATIONAL = "365", _("职业高中学校")
        SPECIAL = "514", _("其他特殊教育学校")

    class Town(models.TextChoices):
        XINI = "xini", _("锡尼镇")
        BALAGONG = "balagong", _("巴拉贡镇")
        JIRIGALANGTU = "jirigalangtu", _("吉日嘎朗图镇")
        DUGUITALA = "duguitala", _("独贵塔拉镇")
        HUHEMUDU = "huhemudu", _("呼和木独镇")
        YIHEWUSU = "yihewusu", _("伊和乌素苏木")

    class FireAcceptance(models.TextChoices):
        NOT_PASSED = "not_passed", _("未通过")
        IN_PROGRESS = "in_progress", _("整改中")
        PASSED = "passed", _("已通过")

    name = models.CharField(_("学校名称"), max_length=100, unique=True)
    code = models.CharField(_("学校代码"), max_length=20, unique=True)
    school_type = models.CharField(_("办学类型"), max_length=3, choices=SchoolType)
    town = models.CharField(_("所属镇/苏木"), max_length=20, choices=Town)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_boarding = models.BooleanField(_("寄宿制"), default=False)
    student_count = models.PositiveIntegerField(
        _("学生数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    staff_count = models.PositiveIntegerField(
        _("教职工数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    mongolian_medium = models.BooleanField(_("蒙古语授课"), default=False)
    fire_acceptance_status = models.CharField(
        _("消防验收"), max_length=20, choices=FireAcceptance, default=FireAcceptance.NOT_PASSED
    )
    fire_acceptance_date = models.DateField(
        _("消防验收日期"), null=True, blank=True, validators=[validate_date]
    )
    is_active = models.BooleanField(_("在用"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)
    # The public 随手拍 link /s/<token>/: anyone with the poster may report, nobody can guess
    # another school's link. Replace the token to retire a leaked poster.
    snapshot_token = models.CharField(
        _("随手拍链接令牌"), max_length=43, unique=True, default=new_snapshot_token, editable=False
    )

    # The link token is a secret: a retired one is not kept in the history.
    history = HistoricalRecords(excluded_fields=["snapshot_token"])
    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = pgettext_lazy("plural", "学校")
        ordering = ["code", "id"]
        constraints = [
            range_constraint("school_student_count_range", "student_count", MAX_HEADCOUNT),
            range_constraint("school_staff_count_range", "staff_count", MAX_HEADCOUNT),
        ]

    def __str__(self):
        return self.name

    @property
    def is_kindergarten(self):
        return self.school_type == self.SchoolType.KINDERGARTEN


class SchoolOwnedQuerySet(models.QuerySet):
    """Rows that belong to one school; scoping lives here once."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        ids = user.school_ids()
        return self if ids is None else self.filter(school_id__in=ids)


class Department(SyncedModel):
    """A bureau office or another agency on the campus safety committee (公安、消防…)."""

    SYNC_RESOURCE = "departments"  # core.sync: the API's sync feed and tombstones

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("教体局科室")
        POLICE = "police", _("公安")
        FIRE = "fire", _("消防救援")
        MARKET = "market", _("市场监管")
        HEALTH = "health", _("卫生健康")
        JUSTICE = "justice", _("司法")
        CULTURE = "culture", _("文化执法")
        TRANSPORT = "transport", _("交通运输")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = pgettext_lazy("plural", "部门")
        ordering = ["kind", "name", "id"]

    def __str__(self):
        return self.name


class AssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        """Assignments in force on ``on`` (a date; default today in Asia/Shanghai)."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class SchoolAssignment(SyncedModel):
    """A bureau leader linked to a school (领导联校) or a cadre who holds it (干部包校).

    Dates keep the history when people rotate: an assignment ends, a new one starts.
    """

    SYNC_RESOURCE = "assignments"  # core.sync: the API's sync feed and tombstones

    class Kind(models.TextChoices):
        LEADER = "leader", _("联校领导")
        CADRE = "cadre", _("包校干部")

    school = models.ForeignKey(
        School, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="school_assignments",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind)
    start_date = models.DateField(_("开始日期"), validators=[validate_date])
    end_date = models.DateField(_("结束日期"), null=True, blank=True, validators=[validate_date])

    history = HistoricalRecords()
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("联校包校安排")
        verbose_name_plural = pgettext_lazy("plural", "联校包校安排")
        ordering = ["school", "kind", "-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_end_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.user} → {self.school}"


# --- the school calendar ---------------------------------------------------------------


class Term(models.Model):
    """A school term (学期). Bureau-wide when ``school`` is empty; a school's own term of the
    same school year and kind replaces the bureau's for that school (an override).

    ``school_year`` is the year the school year starts (2024 for 2024–25): the autumn term
    of 2024 and the spring term of 2025 both belong to school year 2024.
    Read through ``schools.calendar``, never directly.
    """

    class Kind(models.TextChoices):
        AUTUMN = "autumn", _("秋季学期")
        SPRING = "spring", _("春季学期")

    school = models.ForeignKey(
        School,
        verbose_name=_("学校"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="terms",
        help_text=_("留空表示全旗统一学期；填写学校表示该校单独调整。"),
    )
    school_year = models.PositiveSmallIntegerField(
        _("学年"), validators=count_validators(2100, 2000)
    )
    kind = models.CharField(_("学期"), max_length=10, choices=Kind)
    start_date = models.DateField(_("开学日期"), validators=[validate_date])
    end_date = models.DateField(_("结束日期"), validators=[validate_date])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("学期")
        verbose_name_plural = pgettext_lazy("plural", "学期")
        ordering = ["start_date", "school_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="term_end_after_start",
                violation_error_message=_("结束日期不能早于开学日期。"),
            ),
            models.UniqueConstraint(
                fields=["school_year", "kind"],
                condition=Q(school__isnull=True),
                name="term_unique_bureau",
                violation_error_message=_("该学年的这个学期已经设置。"),
            ),
            models.UniqueConstraint(
                fields=["school", "school_year", "kind"],
                condition=Q(school__isnull=False),
                name="term_unique_school",
                violation_error_message=_("该校该学年的这个学期已经设置。"),
            ),
        ]

    def __str__(self):
        return f"{self.school_year}–{self.school_year + 1} {self.get_kind_display()}"


class CalendarDay(models.Model):
    """A day that breaks the weekly pattern: a holiday on a weekday (放假) or a make-up
    workday on a weekend (调休上课). Bureau-wide when ``school`` is empty; a school's own
    entry for the same date wins for that school."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上课")

    school = models.ForeignKey(
        School,
        verbose_name=_("学校"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_days",
    )
    date = models.DateField(_("日期"), validators=[validate_date])
    kind = models.CharField(_("类型"), max_length=10, choices=Kind)
    name = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("校历调整日")
        verbose_name_plural = pgettext_lazy("plural", "校历调整日")
        ordering = ["date", "school_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(school__isnull=True),
                name="calendarday_unique_bureau",
                violation_error_message=_("这一天已有全旗的校历调整。"),
            ),
            models.UniqueConstraint(
                fields=["school", "date"],
                condition=Q(school__isnull=False),
                name="calendarday_unique_school",
                violation_error_message=_("这一天已有该校的校历调整。"),
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


# --- classes and students (minimal data: no ID-card numbers) -------------------------------


class SchoolClass(models.Model):
    """A class (班级) of a school, with its homeroom teacher (班主任)."""

    school = models.ForeignKey(
        School, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="classes"
    )
    grade = models.PositiveSmallIntegerField(
        _("年级"),
        validators=count_validators(12, 1),
        help_text=_("1–12：小学一年级为 1，高三为 12；幼儿园小、中、大班为 1、2、3。"),
    )
    name = models.CharField(_("班级名称"), max_length=30)
    homeroom_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("班主任"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="homeroom_classes",
    )
    is_boarding = models.BooleanField(_("寄宿班"), default=False)
    is_active = models.BooleanField(_("在用"), default=True)

    history = HistoricalRecords()
    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("班级")
        verbose_name_plural = pgettext_lazy("plural", "班级")
        ordering = ["school", "grade", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                name="schoolclass_unique_name",
                violation_error_message=_("本校已有同名班级。"),
            ),
            range_constraint("schoolclass_grade_range", "grade", 12, minimum=1),
        ]

    def __str__(self):
        return self.name


class StudentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Students a user may see by name: the school's own staff and counsellors, within
        their schools. The bureau, department inspectors and report clients see none (they
        get counts, never names)."""
        if not user.is_authenticated or not user.has_perm("schools.view_student"):
            return self.none()
        ids = user.school_ids()
        return self if ids is None else self.filter(school_id__in=ids)

    def active(self):
        return self.filter(is_active=True)


class Student(models.Model):
    """A student, minimal data: name, class, student number, boarding, guardian contact.

    No ID-card numbers. ``school`` repeats the class's school (it scopes every query and
    keeps the student number unique per school); ``save`` keeps the two equal. A student
    who leaves is deactivated (``is_active``), never deleted, so past records keep them.
    """

    school = models.ForeignKey(
        School, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="students"
    )
    school_class = models.ForeignKey(
        SchoolClass, verbose_name=_("班级"), on_delete=models.PROTECT, related_name="students"
    )
    name = models.CharField(_("姓名"), max_length=50)
    student_number = models.CharField(_("学号"), max_length=30)
    is_boarding = models.BooleanField(_("住校"), default=False)
    guardian_name = models.CharField(_("监护人姓名"), max_length=50, blank=True)
    guardian_phone = models.CharField(
        _("监护人电话"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9+\- ]{5,20}$", _("请输入有效的电话号码（数字、+、- 或空格）。"))
        ],
    )
    is_active = models.BooleanField(_("在读"), default=True)

    history = HistoricalRecords(excluded_fields=["guardian_phone"])
    objects = StudentQuerySet.as_manager()

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = pgettext_lazy("plural", "学生")
        ordering = ["school_class", "student_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"],
                name="student_unique_number",
                violation_error_message=_("本校已有这个学号的学生。"),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.school_id = self.school_class.school_id
        super().save(*args, **kwargs)

    @property
    def masked_guardian_phone(self) -> str:
        """The guardian's phone with the middle hidden: 138****1234 (the last four digits
        and up to three leading ones shown)."""
        return mask_phone(self.guardian_phone)


def mask_phone(phone: str) -> str:
    """``"13812341234"`` → ``"138****1234"``; short numbers keep only their last two digits."""
    digits = phone.strip()
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 2:
        return "*" * (len(digits) - 2) + digits[-2:]
    return digits

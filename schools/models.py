"""Schools, departments and who holds which school (领导联校、干部包校).

``SchoolOwnedQuerySet.visible_to(user)`` is the one place that decides which rows of a
school-owned model a user may see; every view, endpoint, export and task uses it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.bounds import MAX_HEADCOUNT, count_validators, range_constraint
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


class School(models.Model):
    """A primary or secondary school or kindergarten under the county bureau.

    ``school_type`` is the national 办学类型 code (reference/domain-rules.md §3.1).
    """

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


class Department(models.Model):
    """A bureau office or another agency on the campus safety committee (公安、消防…)."""

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


class SchoolAssignment(models.Model):
    """A bureau leader linked to a school (领导联校) or a cadre who holds it (干部包校).

    Dates keep the history when people rotate: an assignment ends, a new one starts.
    """

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

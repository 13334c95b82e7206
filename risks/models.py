"""The risk register (风险分级管控): each school's risk points, their graded assessments,
the checks that the grade's frequency asks for, the links to hazards, the bureau's policy
(method and frequencies) and the school's site plan for the four-colour map.

A point's current ``grade`` is its latest assessment's, copied by
``risks.services.assess_point`` (the list, the map and the analytics filter on it).
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.files import private_storage
from core.years import validate_date
from hazards.models import Hazard
from schools.models import SchoolOwnedQuerySet

from . import methods


class Grade(models.TextChoices):
    """The four risk grades (安委办〔2016〕11号), most severe first."""

    MAJOR = methods.MAJOR, _("重大风险")
    SIGNIFICANT = methods.SIGNIFICANT, _("较大风险")
    GENERAL = methods.GENERAL, _("一般风险")
    LOW = methods.LOW, _("低风险")


# The four colours of the map: (CSS class suffix, colour name, hex for the printed map).
GRADE_COLOURS = {
    Grade.MAJOR: ("red", _("红"), "#dc3545"),
    Grade.SIGNIFICANT: ("orange", _("橙"), "#fd7e14"),
    Grade.GENERAL: ("yellow", _("黄"), "#ffc107"),
    Grade.LOW: ("blue", _("蓝"), "#0d6efd"),
}
GRADE_ORDER = [Grade.MAJOR, Grade.SIGNIFICANT, Grade.GENERAL, Grade.LOW]


class Method(models.TextChoices):
    MATRIX = methods.MATRIX, _("风险矩阵法（L×S）")
    LEC = methods.LEC, _("作业条件危险性分析法（LEC）")


class RiskPolicy(models.Model):
    """The bureau's assessment method and how often each grade is checked (one row).

    Defaults: the risk matrix; red weekly, orange monthly, yellow quarterly, blue twice a
    year; reviews yearly; a hazard at the same place within 6 months of a close recurs.
    """

    method = models.CharField(_("评价方法"), max_length=10, choices=Method, default=Method.MATRIX)
    check_days_major = models.PositiveSmallIntegerField(_("红色风险检查间隔（天）"), default=7)
    check_days_significant = models.PositiveSmallIntegerField(
        _("橙色风险检查间隔（天）"), default=30
    )
    check_days_general = models.PositiveSmallIntegerField(_("黄色风险检查间隔（天）"), default=90)
    check_days_low = models.PositiveSmallIntegerField(_("蓝色风险检查间隔（天）"), default=180)
    review_months = models.PositiveSmallIntegerField(_("复评周期（月）"), default=12)
    review_notice_days = models.PositiveSmallIntegerField(_("复评提前提醒（天）"), default=14)
    recurrence_months = models.PositiveSmallIntegerField(_("复发判定期（月）"), default=6)

    class Meta:
        verbose_name = _("风险管控设置")
        verbose_name_plural = pgettext_lazy("plural", "风险管控设置")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="riskpolicy_single_row"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 366}),
                    name=f"riskpolicy_{name}_range",
                )
                for name in (
                    "check_days_major",
                    "check_days_significant",
                    "check_days_general",
                    "check_days_low",
                )
            ],
            models.CheckConstraint(
                condition=Q(recurrence_months__gte=1, recurrence_months__lte=36),
                name="riskpolicy_recurrence_range",
            ),
            models.CheckConstraint(
                condition=Q(review_months__gte=1, review_months__lte=36),
                name="riskpolicy_review_range",
            ),
        ]

    def __str__(self):
        return str(_("风险管控设置"))

    @classmethod
    def current(cls) -> "RiskPolicy":
        """The bureau's one policy row; the defaults (unsaved) until the bureau saves one in
        the admin. One query, no write."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def check_days(self) -> dict[str, int]:
        """grade → days between two checks of a point of that grade."""
        return {
            Grade.MAJOR: self.check_days_major,
            Grade.SIGNIFICANT: self.check_days_significant,
            Grade.GENERAL: self.check_days_general,
            Grade.LOW: self.check_days_low,
        }


class RiskPointQuerySet(SchoolOwnedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_last_check(self):
        """Annotate ``last_checked``: the latest check's day, else the day the point was
        registered (a new point is due one interval after it was put on the register)."""
        latest = RiskCheck.objects.filter(point=OuterRef("pk")).order_by("-date").values("date")[:1]
        return self.annotate(last_checked=Coalesce(Subquery(latest), F("created_on")))

    @staticmethod
    def check_overdue_q(policy: RiskPolicy, today: datetime.date) -> Q:
        """On a queryset ``with_last_check``: graded points whose last check is more than
        their grade's interval before ``today`` (a point of grade g checked on day d is due
        on d + interval(g) and overdue from the day after)."""
        condition = Q(pk__in=[])
        for grade, days in policy.check_days().items():
            due_before = today - datetime.timedelta(days=days)
            condition |= Q(grade=grade, last_checked__lt=due_before)
        return condition

    def check_overdue(self, policy: RiskPolicy, today: datetime.date):
        """Active graded points overdue for a check on ``today``."""
        return self.active().with_last_check().filter(self.check_overdue_q(policy, today))

    def review_due_by(self, day: datetime.date):
        """Active points whose review date is on or before ``day``."""
        return self.active().filter(review_due__lte=day)


class RiskPoint(models.Model):
    """A place or activity of one school where harm can come (dormitory, canteen, the gate
    at dismissal…), with its current grade, control measures and who owns the control.

    ``plan_x``/``plan_y`` place it on the school's site plan, in per cent of the plan's
    width and height from its top-left corner (0–100)."""

    class Kind(models.TextChoices):
        PLACE = "place", _("场所/部位")
        ACTIVITY = "activity", _("活动/作业")

    class ControlLevel(models.TextChoices):
        BUREAU = "bureau", _("教体局")
        SCHOOL = "school", _("学校")
        DEPARTMENT = "department", _("部门")
        POST = "post", _("岗位")

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        related_name="risk_points",
    )
    name = models.CharField(_("风险点名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind, default=Kind.PLACE)
    category = models.CharField(_("隐患类别"), max_length=20, choices=Hazard.Category)
    hazard_types = models.CharField(_("可能导致的事故类型"), max_length=200, blank=True)
    control_measures = models.TextField(_("管控措施"), blank=True)
    control_level = models.CharField(
        _("管控层级"), max_length=12, choices=ControlLevel, default=ControlLevel.SCHOOL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_risk_points",
    )
    owner_name = models.CharField(_("责任人"), max_length=50, blank=True)
    grade = models.CharField(
        _("风险等级"), max_length=12, choices=Grade, blank=True, editable=False
    )
    score = models.DecimalField(
        _("风险值"), max_digits=8, decimal_places=1, null=True, blank=True, editable=False
    )
    review_due = models.DateField(_("复评日期"), null=True, blank=True, validators=[validate_date])
    plan_x = models.DecimalField(
        _("平面图横坐标（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    plan_y = models.DecimalField(
        _("平面图纵坐标（%）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("在用"), default=True)
    created_on = models.DateField(
        _("建档日期"), default=timezone.localdate, validators=[validate_date]
    )

    objects = RiskPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("风险点")
        verbose_name_plural = pgettext_lazy("plural", "风险点")
        ordering = ["school", "name", "id"]
        indexes = [models.Index(fields=["school", "grade"], name="riskpoint_school_grade")]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="riskpoint_name_per_school"),
            models.CheckConstraint(
                condition=(Q(plan_x__isnull=True) & Q(plan_y__isnull=True))
                | Q(plan_x__gte=0, plan_x__lte=100, plan_y__gte=0, plan_y__lte=100),
                name="riskpoint_on_plan",
                violation_error_message=_("风险点必须标注在平面图范围内（0–100%）。"),
            ),
        ]

    def __str__(self):
        return f"{self.school} · {self.name}"

    def get_absolute_url(self):
        return reverse("risk-point-detail", args=[self.pk])

    @property
    def colour(self) -> str:
        """ "red", "orange", "yellow", "blue", or "none" before the first assessment."""
        return GRADE_COLOURS[self.grade][0] if self.grade else "none"

    def check_due(self, policy: RiskPolicy):
        """The day of the next check (needs ``last_checked`` from ``with_last_check``);
        None before the first assessment."""
        if not self.grade:
            return None
        return self.last_checked + datetime.timedelta(days=policy.check_days()[self.grade])

    @property
    def is_placed(self) -> bool:
        return self.plan_x is not None and self.plan_y is not None


class RiskAssessment(models.Model):
    """One assessment of a point by the bureau's method at the time: the values on the
    method's scales, the resulting score and grade, and why it was made."""

    class Reason(models.TextChoices):
        INITIAL = "initial", _("首次评价")
        REVIEW = "review", _("定期复评")
        HAZARD = "hazard", _("隐患销号后复评")
        CHANGE = "change", _("情况变化")

    point = models.ForeignKey(
        RiskPoint, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="assessments"
    )
    method = models.CharField(_("评价方法"), max_length=10, choices=Method)
    likelihood = models.DecimalField(_("可能性（L）"), max_digits=5, decimal_places=1)
    exposure = models.DecimalField(
        _("暴露频率（E）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    severity = models.DecimalField(_("严重程度（S/C）"), max_digits=5, decimal_places=1)
    score = models.DecimalField(_("风险值"), max_digits=8, decimal_places=1)
    grade = models.CharField(_("风险等级"), max_length=12, choices=Grade)
    reason = models.CharField(_("评价原因"), max_length=10, choices=Reason, default=Reason.INITIAL)
    note = models.TextField(_("说明"), blank=True)
    assessed_on = models.DateField(_("评价日期"), validators=[validate_date])
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="risk_assessments",
    )

    class Meta:
        verbose_name = _("风险评价")
        verbose_name_plural = pgettext_lazy("plural", "风险评价")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["point", "-assessed_on"], name="riskassessment_latest")]

    def __str__(self):
        return f"{self.point} {self.assessed_on} {self.get_grade_display()}"


class RiskCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(point__in=RiskPoint.objects.visible_to(user))


class RiskCheck(models.Model):
    """One check of a risk point on one day (the grade sets how often), and what it found."""

    class Result(models.TextChoices):
        OK = "ok", _("管控有效")
        HAZARD = "hazard", _("发现隐患")

    point = models.ForeignKey(
        RiskPoint, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="checks"
    )
    date = models.DateField(_("检查日期"), validators=[validate_date])
    result = models.CharField(_("检查结果"), max_length=10, choices=Result, default=Result.OK)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("检查人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="risk_checks",
    )

    objects = RiskCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("风险点检查")
        verbose_name_plural = pgettext_lazy("plural", "风险点检查")
        ordering = ["-date", "-id"]
        # The latest check of a point: RiskPointQuerySet.with_check_due.
        indexes = [models.Index(fields=["point", "-date"], name="riskcheck_point_date")]

    def __str__(self):
        return f"{self.point} {self.date}"


class RiskHazardLink(models.Model):
    """A hazard (from any source) found at a risk point. Owned by the register: the ledger
    does not know about risk points."""

    point = models.ForeignKey(
        RiskPoint, verbose_name=_("风险点"), on_delete=models.CASCADE, related_name="hazard_links"
    )
    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="risk_links"
    )
    linked_at = models.DateTimeField(_("关联时间"), default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("风险点关联隐患")
        verbose_name_plural = pgettext_lazy("plural", "风险点关联隐患")
        ordering = ["point", "hazard", "id"]
        constraints = [
            models.UniqueConstraint(fields=["point", "hazard"], name="riskhazardlink_once")
        ]

    def __str__(self):
        return f"{self.point} ← {self.hazard_id}"


def site_plan_path(instance, filename):
    # Generated names only: the uploader's file name never reaches the file system.
    return f"risks/plans/{instance.uuid}.jpg"


class SitePlan(models.Model):
    """A school's site plan (平面图) for its four-colour map: a JPEG re-encoded from the
    upload, stored privately, with its pixel size for placing the points."""

    school = models.OneToOneField(
        "schools.School", verbose_name=_("学校"), on_delete=models.CASCADE, related_name="site_plan"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    image = models.ImageField(_("平面图"), upload_to=site_plan_path, storage=private_storage)
    width = models.PositiveIntegerField(_("宽（像素）"))
    height = models.PositiveIntegerField(_("高（像素）"))
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("学校平面图")
        verbose_name_plural = pgettext_lazy("plural", "学校平面图")
        ordering = ["school", "id"]

    def __str__(self):
        return str(self.school)

    def get_absolute_url(self):
        return reverse("risk-site-plan-image", args=[self.uuid])

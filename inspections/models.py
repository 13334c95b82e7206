"""Inspections of a campus or its surroundings: joint (联合检查), cross (交叉互查),
self (学校自查) and bureau spot checks (督查). Hazards found link back here."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.models import SchoolOwnedQuerySet


class Inspection(models.Model):
    """One inspection of one school (its campus or its surroundings) on one date.

    For a cross inspection ``inspecting_school`` is the school whose team inspected.
    """

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

    kind = models.CharField(_("检查类型"), max_length=10, choices=Kind)
    subject = models.CharField(_("检查对象"), max_length=20, choices=Subject, default=Subject.CAMPUS)
    title = models.CharField(_("名称"), max_length=200)
    school = models.ForeignKey(
        "schools.School", verbose_name=_("受检学校"), on_delete=models.PROTECT, related_name="inspections"
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
    date = models.DateField(_("检查日期"))
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

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("检查")
        verbose_name_plural = _("检查")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="inspection_kind_date")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(inspecting_school=models.F("school")),
                name="inspection_not_self_cross",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.school} · {self.date}"

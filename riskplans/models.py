"""What the risk-based planning made from the register (``riskplans.services``): the
planned self inspections of red and orange risk points and their patrol points. These
tables belong to neither side: ``risks``, ``inspections`` and ``supervision`` sit on one
floor and do not know each other; this app, one floor above them, keeps the links, so a
re-run finds what it already made (idempotent) and a done inspection or patrol is recorded
once as a check of the risk point."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.years import validate_date


class PlannedCheck(models.Model):
    """A risk point to be checked by one planned self inspection, due on ``due_on`` (the
    grade's interval after its last check, never before the day it was planned). ``risk_check``
    is the register's check recorded once the inspection was submitted."""

    point = models.ForeignKey(
        "risks.RiskPoint",
        verbose_name=_("风险点"),
        on_delete=models.CASCADE,
        related_name="planned_checks",
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("自查计划"),
        on_delete=models.CASCADE,
        related_name="planned_checks",
    )
    due_on = models.DateField(_("应检日期"), validators=[validate_date])
    risk_check = models.OneToOneField(
        "risks.RiskCheck",
        verbose_name=_("检查记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_check",
    )

    class Meta:
        verbose_name = _("风险点自查计划")
        verbose_name_plural = pgettext_lazy("plural", "风险点自查计划")
        ordering = ["due_on", "point", "id"]
        constraints = [
            models.UniqueConstraint(fields=["point", "inspection"], name="plannedcheck_once"),
        ]
        # The open plans of a point: services._open_planned (those not yet recorded).
        indexes = [
            models.Index(
                fields=["point"],
                condition=models.Q(risk_check__isnull=True),
                name="plannedcheck_open",
            )
        ]

    def __str__(self):
        return f"{self.point} @ {self.due_on}"


class PatrolLink(models.Model):
    """The patrol point (巡查点位) made for, or adopted by, a red or orange risk point: one
    each way. A patrol that checks it counts as a check of the risk point."""

    point = models.OneToOneField(
        "risks.RiskPoint",
        verbose_name=_("风险点"),
        on_delete=models.CASCADE,
        related_name="patrol_link",
    )
    patrol_point = models.OneToOneField(
        "supervision.PatrolPoint",
        verbose_name=_("巡查点位"),
        on_delete=models.CASCADE,
        related_name="risk_link",
    )
    created = models.BooleanField(_("由风险点生成"), default=True)

    class Meta:
        verbose_name = _("风险点巡查点位")
        verbose_name_plural = pgettext_lazy("plural", "风险点巡查点位")
        ordering = ["point", "id"]

    def __str__(self):
        return f"{self.point} → {self.patrol_point}"

"""Stored yearly statistics: one row per scope (a school, or bureau-wide), year and period."""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    """Calendar year (1 Jan – 31 Dec) or school year (1 Sep – 31 Aug), Asia/Shanghai."""

    CALENDAR = "calendar", _("自然年")
    SCHOOL = "school", _("学年")


class YearlyStatistic(models.Model):
    """The figures of one year for one school, or for the whole bureau when ``school`` is
    empty. Re-computing replaces the row (unique per scope, year and period)."""

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="yearly_statistics",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("统计口径"), max_length=10, choices=Period)
    figures = models.JSONField(_("指标"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    class Meta:
        verbose_name = _("年度统计")
        verbose_name_plural = _("年度统计")
        ordering = ["-year", "period", "school", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "period"], name="yearlystat_unique_school_year_period"
            ),
            # NULL school (bureau-wide) is not covered by the constraint above.
            models.UniqueConstraint(
                fields=["year", "period"],
                condition=Q(school__isnull=True),
                name="yearlystat_unique_bureau_year_period",
            ),
        ]

    def __str__(self):
        scope = self.school or _("全旗")
        return f"{scope} {self.year} {self.get_period_display()}"

"""Emergency drills (应急演练): type, mode, participants and evacuation time."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.bounds import MAX_HEADCOUNT, MAX_SECONDS, count_validators, range_constraint
from core.sync import SyncedModel
from core.years import validate_date
from schools.models import SchoolOwnedQuerySet


class Drill(SyncedModel):
    """One drill held at one school (reference/domain-rules.md §4)."""

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

    school = models.ForeignKey(
        "schools.School", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="drills"
    )
    drill_type = models.CharField(_("演练类型"), max_length=20, choices=DrillType)
    mode = models.CharField(_("方式"), max_length=20, choices=Mode, default=Mode.ANNOUNCED)
    date = models.DateField(_("演练日期"), validators=[validate_date])
    student_participants = models.PositiveIntegerField(
        _("参演学生数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    staff_participants = models.PositiveIntegerField(
        _("参演教职工数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    evacuation_seconds = models.PositiveIntegerField(
        _("疏散用时（秒）"), null=True, blank=True, validators=count_validators(MAX_SECONDS)
    )
    notes = models.TextField(_("过程记录与评估"), blank=True)
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
        ]

    def __str__(self):
        return f"{self.school} {self.get_drill_type_display()} {self.date}"

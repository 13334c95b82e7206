"""Safety education activities and student counselling sessions.

Counselling rows are visible only to counsellors of that school
(``CounsellingSession.objects.visible_to``); everybody else sees counts in reports.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.rules import is_counsellor
from core.bounds import MAX_HEADCOUNT, count_validators, range_constraint
from core.sync import SyncedModel
from core.years import validate_date
from schools.models import SchoolOwnedQuerySet


class EducationActivity(SyncedModel):
    """A safety lesson, class meeting, flag speech or thematic activity at one school."""

    SYNC_RESOURCE = "education-activities"  # core.sync: the API's sync feed and tombstones

    class Kind(models.TextChoices):
        FIRST_LESSON = "first_lesson", _("开学安全第一课")
        CLASS_MEETING = "class_meeting", _("主题班会")
        FLAG_SPEECH = "flag_speech", _("国旗下讲话")
        THEMATIC = "thematic", _("安全专题教育活动")
        LECTURE = "lecture", _("法治副校长讲座")
        OTHER = "other", _("其他")

    class Topic(models.TextChoices):
        DROWNING = "drowning", _("防溺水")
        TRAFFIC = "traffic", _("交通安全")
        FIRE = "fire", _("消防安全")
        EARTHQUAKE = "earthquake", _("防震减灾")
        FOOD = "food", _("食品安全")
        BULLYING = "bullying", _("防欺凌")
        FRAUD = "fraud", _("防诈骗")
        INTERNET = "internet", _("网络安全")
        DRUGS = "drugs", _("禁毒")
        MENTAL = "mental", _("心理健康")
        LAW = "law", _("法治教育")
        NATIONAL_SECURITY = "national_security", _("国家安全")
        WINTER = "winter", _("防煤气中毒/防冻")
        GENERAL = "general", _("综合安全")

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        related_name="education_activities",
    )
    kind = models.CharField(_("形式"), max_length=20, choices=Kind)
    topic = models.CharField(_("主题"), max_length=20, choices=Topic, default=Topic.GENERAL)
    title = models.CharField(_("名称"), max_length=200)
    date = models.DateField(_("日期"), validators=[validate_date])
    participants = models.PositiveIntegerField(
        _("参加人数"), default=0, validators=count_validators(MAX_HEADCOUNT)
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_activities",
    )

    history = HistoricalRecords()
    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("安全教育活动")
        verbose_name_plural = pgettext_lazy("plural", "安全教育活动")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="activity_kind_date")]
        constraints = [
            range_constraint("activity_participants_range", "participants", MAX_HEADCOUNT)
        ]

    def __str__(self):
        return f"{self.school} {self.get_kind_display()} {self.date}"


class CounsellingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only counsellors, and only for their own schools. The bureau sees counts, not rows."""
        if not is_counsellor.test(user):
            return self.none()
        ids = user.school_ids()
        return self if ids is None else self.filter(school_id__in=ids)


class CounsellingSession(models.Model):
    """An individual (个体辅导, one student) or group (团体辅导) counselling session.

    ``student_code`` is a pseudonymous code from the counsellor's own file, never a name.
    """

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("个体辅导")
        GROUP = "group", _("团体辅导")

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        related_name="counselling_sessions",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind)
    date = models.DateField(_("日期"), validators=[validate_date])
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("心理教师"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="counselling_sessions",
    )
    student_code = models.CharField(_("学生编号"), max_length=40, blank=True)
    participants = models.PositiveIntegerField(
        _("参加人数"), default=1, validators=count_validators(MAX_HEADCOUNT)
    )
    notes = models.TextField(_("辅导记录"), blank=True)

    objects = CounsellingQuerySet.as_manager()

    class Meta:
        verbose_name = _("心理辅导")
        verbose_name_plural = pgettext_lazy("plural", "心理辅导")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["kind", "date"], name="counselling_kind_date")]
        constraints = [
            range_constraint("counselling_participants_range", "participants", MAX_HEADCOUNT)
        ]

    def __str__(self):
        return f"{self.school} {self.get_kind_display()} {self.date}"

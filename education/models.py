"""Safety education activities and student counselling sessions.

Counselling rows are visible only to counsellors of that school
(``CounsellingSession.objects.visible_to``); everybody else sees counts in reports.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.rules import is_counsellor
from core.bounds import MAX_HEADCOUNT, count_validators, range_constraint
from core.crypto import EncryptedTextField
from core.files import private_storage
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
        PARENT_LETTER = "parent_letter", _("致家长一封信")
        VISIT = "visit", _("参观体验（消防站等）")
        CONTEST = "contest", _("知识竞赛/手抄报")
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
        SEXUAL_ASSAULT = "sexual_assault", _("防性侵")
        STAMPEDE = "stampede", _("防踩踏")
        EPIDEMIC = "epidemic", _("传染病防控")
        ELECTRICITY = "electricity", _("用电/燃气安全")
        SCHOOL_BUS = "school_bus", _("校车乘车安全")
        LAB = "lab", _("实验安全")
        TERRORISM = "terrorism", _("防暴恐")
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
    classes = models.ManyToManyField(
        "schools.SchoolClass",
        verbose_name=_("参加班级"),
        blank=True,
        related_name="education_activities",
        help_text=_("不选表示全校各班参加（如国旗下讲话）。"),
    )
    receipts_signed = models.PositiveIntegerField(
        _("回执数"),
        null=True,
        blank=True,
        validators=count_validators(MAX_HEADCOUNT),
        help_text=_("致家长一封信：收回的家长签字回执份数。"),
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

    @property
    def module(self):
        """The 《中小学公共安全教育指导纲要》 module of the topic (domain-rules §5)."""
        return TOPIC_MODULES.get(self.topic, Module.OTHER)


def activity_photo_path(instance, filename):
    return f"education/{timezone.localdate():%Y/%m}/{filename}"


class ActivityPhoto(models.Model):
    """A photo of a safety education activity, re-encoded as JPEG without metadata
    (core.images), in the private storage; served by the checking view ``activity-photo``."""

    activity = models.ForeignKey(
        EducationActivity,
        verbose_name=_("安全教育活动"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    image = models.ImageField(_("照片"), upload_to=activity_photo_path, storage=private_storage)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = pgettext_lazy("plural", "活动照片")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name or str(self.uuid)

    def get_absolute_url(self):
        return reverse("activity-photo", args=[self.uuid])


class Module(models.TextChoices):
    """The six modules of 《中小学公共安全教育指导纲要》 (国办发〔2007〕9号)."""

    SOCIAL = "social", _("社会安全")
    HEALTH = "health", _("公共卫生")
    ACCIDENT = "accident", _("意外伤害")
    NETWORK = "network", _("网络、信息安全")
    DISASTER = "disaster", _("自然灾害")
    OTHER = "other", _("其他事件")


_T = EducationActivity.Topic
TOPIC_MODULES = {
    _T.FRAUD: Module.SOCIAL, _T.DRUGS: Module.HEALTH, _T.LAW: Module.SOCIAL,
    _T.NATIONAL_SECURITY: Module.SOCIAL, _T.SEXUAL_ASSAULT: Module.SOCIAL,
    _T.TERRORISM: Module.SOCIAL, _T.FOOD: Module.HEALTH, _T.EPIDEMIC: Module.HEALTH,
    _T.MENTAL: Module.HEALTH, _T.DROWNING: Module.ACCIDENT, _T.TRAFFIC: Module.ACCIDENT,
    _T.FIRE: Module.ACCIDENT, _T.ELECTRICITY: Module.ACCIDENT, _T.WINTER: Module.ACCIDENT,
    _T.STAMPEDE: Module.ACCIDENT, _T.SCHOOL_BUS: Module.ACCIDENT, _T.LAB: Module.ACCIDENT,
    _T.INTERNET: Module.NETWORK, _T.EARTHQUAKE: Module.DISASTER, _T.BULLYING: Module.OTHER,
}  # fmt: skip


class RequiredTopic(models.Model):
    """A topic every class must be taught in each term (or in terms of one kind: drowning
    before the summer holiday is a spring-term topic). The bureau keeps the list in the
    admin; the coverage grid reads it."""

    topic = models.CharField(_("主题"), max_length=20, choices=EducationActivity.Topic, unique=True)
    term_kind = models.CharField(
        _("学期"),
        max_length=10,
        choices=[("autumn", _("秋季学期")), ("spring", _("春季学期"))],
        blank=True,
        help_text=_("留空表示每个学期都要求。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("必修安全主题")
        verbose_name_plural = pgettext_lazy("plural", "必修安全主题")
        ordering = ["order", "id"]

    def __str__(self):
        return self.get_topic_display()


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
    notes = EncryptedTextField(_("辅导记录"), blank=True)  # encrypted at rest (core.crypto)

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


# --- rule-of-law vice principals (法治副校长, 教育部令第52号) ------------------------------


class VicePrincipal(models.Model):
    """A rule-of-law vice principal (法治副校长), nominated by a court, procuratorate, police
    or justice bureau and appointed to at most two schools (``Appointment``)."""

    class Agency(models.TextChoices):
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        POLICE = "police", _("公安机关")
        JUSTICE = "justice", _("司法行政部门")

    MAX_SCHOOLS = 2  # 教育部令第52号: one person serves at most two schools

    name = models.CharField(_("姓名"), max_length=50)
    agency_type = models.CharField(_("派出机关类型"), max_length=20, choices=Agency)
    agency_name = models.CharField(_("派出单位"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("法治副校长")
        verbose_name_plural = pgettext_lazy("plural", "法治副校长")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class AppointmentQuerySet(SchoolOwnedQuerySet):
    def in_year(self, year: int):
        """Appointments in force on some day of ``year``."""
        return self.filter(start_date__year__lte=year, end_date__year__gte=year)


class Appointment(models.Model):
    """A vice principal's appointment (聘任) to one school for a term (usually three years)."""

    vice_principal = models.ForeignKey(
        VicePrincipal,
        verbose_name=_("法治副校长"),
        on_delete=models.CASCADE,
        related_name="appointments",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        related_name="vice_principal_appointments",
    )
    start_date = models.DateField(_("聘任日期"), validators=[validate_date])
    end_date = models.DateField(_("聘期截止"), validators=[validate_date])

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("法治副校长聘任")
        verbose_name_plural = pgettext_lazy("plural", "法治副校长聘任")
        ordering = ["school", "-start_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vice_principal", "school"],
                name="appointment_unique_school",
                violation_error_message=_("该法治副校长已受聘于这所学校。"),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="appointment_end_after_start",
                violation_error_message=_("聘期截止不能早于聘任日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.vice_principal} → {self.school}"

    def clean(self):
        """At most ``VicePrincipal.MAX_SCHOOLS`` schools at a time (the admin's message; the
        service ``appoint_vice_principal`` checks it again under a lock)."""
        if not (self.vice_principal_id and self.start_date and self.end_date):
            return
        others = Appointment.objects.filter(
            vice_principal_id=self.vice_principal_id,
            start_date__lte=self.end_date,
            end_date__gte=self.start_date,
        ).exclude(school_id=self.school_id)
        if others.count() >= VicePrincipal.MAX_SCHOOLS:
            raise ValidationError({"school": _("一名法治副校长最多同时在两所学校任职。")})


class VicePrincipalLesson(models.Model):
    """A lesson or activity a vice principal gave at a school, in class hours (课时)."""

    class Kind(models.TextChoices):
        LESSON = "lesson", _("法治课")
        ACTIVITY = "activity", _("法治活动")

    vice_principal = models.ForeignKey(
        VicePrincipal,
        verbose_name=_("法治副校长"),
        on_delete=models.CASCADE,
        related_name="lessons",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        related_name="vice_principal_lessons",
    )
    kind = models.CharField(_("形式"), max_length=10, choices=Kind, default=Kind.LESSON)
    title = models.CharField(_("内容"), max_length=200)
    date = models.DateField(_("日期"), validators=[validate_date])
    hours = models.DecimalField(
        _("课时"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("法治副校长授课")
        verbose_name_plural = pgettext_lazy("plural", "法治副校长授课")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=Decimal("0.5"), hours__lte=20),
                name="vplesson_hours_range",
            )
        ]

    def __str__(self):
        return f"{self.vice_principal} {self.date} {self.hours}"


class VicePrincipalEvaluation(models.Model):
    """The school's yearly evaluation (年度评价) of its vice principal."""

    class Result(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        COMPETENT = "competent", _("称职")
        BASIC = "basic", _("基本称职")
        INCOMPETENT = "incompetent", _("不称职")

    vice_principal = models.ForeignKey(
        VicePrincipal,
        verbose_name=_("法治副校长"),
        on_delete=models.CASCADE,
        related_name="evaluations",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        related_name="vice_principal_evaluations",
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=count_validators(2100, 2000))
    result = models.CharField(_("评价结果"), max_length=20, choices=Result)

    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("法治副校长年度评价")
        verbose_name_plural = pgettext_lazy("plural", "法治副校长年度评价")
        ordering = ["-year", "school", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["vice_principal", "school", "year"],
                name="evaluation_unique_year",
                violation_error_message=_("该年度已评价。"),
            )
        ]

    def __str__(self):
        return f"{self.vice_principal} {self.year} {self.get_result_display()}"


# --- staff safety training (教职工安全培训) ------------------------------------------------


class StaffTraining(models.Model):
    """A safety training session for a school's staff: date, hours, who attended."""

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        related_name="staff_trainings",
    )
    title = models.CharField(_("培训内容"), max_length=200)
    date = models.DateField(_("日期"), validators=[validate_date])
    hours = models.DecimalField(
        _("学时"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("参训人员"),
        blank=True,
        related_name="safety_trainings",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recorded_trainings",
    )

    history = HistoricalRecords()
    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("教职工安全培训")
        verbose_name_plural = pgettext_lazy("plural", "教职工安全培训")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=Decimal("0.5"), hours__lte=100),
                name="training_hours_range",
            )
        ]

    def __str__(self):
        return f"{self.school} {self.title} {self.date}"

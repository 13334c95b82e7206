"""The hazard ledger (隐患台账) and its 查、改、督、销 workflow.

The allowed transitions are the table ``TRANSITIONS`` below; ``hazards.services`` performs
them. Overdue is derived from the deadline (Asia/Shanghai calendar), never stored.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.models import Count, Func, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.bounds import MAX_YUAN, money_validators
from core.files import private_storage
from core.sync import SyncedModel
from core.years import validate_date
from schools.models import SchoolOwnedQuerySet


class SearchBigrams(Func):
    """``hazard_bigrams(a || E'\\n' || b …)``: the distinct upper-cased character pairs of the
    texts joined by newlines (PostgreSQL function and GIN index of migration 0009; the
    expression must read exactly as the index's for the planner to use it)."""

    function = "hazard_bigrams"
    arg_joiner = " || E'\\n' || "
    output_field = ArrayField(models.TextField())


class HazardQuerySet(SchoolOwnedQuerySet):
    """Reads of the ledger. Each state of the ledger is one condition (a ``*_q`` static
    method) used both as a filter (``Hazard.objects.visible_to(user).open().overdue(today)``)
    and inside counts (``Count("id", filter=HazardQuerySet.overdue_q(today))``), so the
    ledger, the dashboard, the yearly figures and the reminders count alike.

    ``today`` is a date on the Beijing calendar, passed in by the caller (a view or task
    asks ``timezone.localdate()``); datetimes are aware.
    """

    def visible_to(self, user):
        """The user's schools' hazards, and for a member of a safety-committee department
        (公安、消防…) also the findings that department owns, at any school."""
        if not user.is_authenticated:
            return self.none()
        ids = user.school_ids()
        if ids is None:
            return self
        if user.department_id:
            return self.filter(Q(school_id__in=ids) | Q(department_id=user.department_id))
        return self.filter(school_id__in=ids)

    # --- the ledger's states as conditions -------------------------------------------

    @staticmethod
    def open_q() -> Q:
        """Neither closed nor dismissed (reported, rectifying or verifying)."""
        return Q(status__in=Hazard.OPEN_STATUSES)

    @staticmethod
    def assigned_q() -> Q:
        """Assigned and not yet closed (rectifying or verifying): the deadline runs."""
        return Q(status__in=Hazard.ACTIVE_STATUSES)

    @staticmethod
    def awaiting_verification_q() -> Q:
        """Rectification submitted, waiting for the supervisor (督查验收中)."""
        return Q(status=Hazard.Status.VERIFYING)

    @staticmethod
    def overdue_q(today: datetime.date) -> Q:
        """Overdue on ``today``: assigned, with a deadline before ``today`` (a hazard is
        overdue from the day after its deadline; docs/decisions.md "Hazard workflow")."""
        return HazardQuerySet.assigned_q() & Q(deadline__lt=today)

    @staticmethod
    def found_q() -> Q:
        """A hazard that was found: everything but a dismissed report (not a hazard, or a
        duplicate)."""
        return ~Q(status=Hazard.Status.DISMISSED)

    @staticmethod
    def closed_q() -> Q:
        """Verified and written off (已销号)."""
        return Q(status=Hazard.Status.CLOSED)

    @staticmethod
    def major_q() -> Q:
        return Q(level=Hazard.Level.MAJOR)

    @staticmethod
    def reported_between_q(start: datetime.datetime, end: datetime.datetime) -> Q:
        """Reported at ``start`` or later and before ``end`` (aware datetimes)."""
        return Q(reported_at__gte=start, reported_at__lt=end)

    @staticmethod
    def closed_between_q(start: datetime.datetime, end: datetime.datetime) -> Q:
        """Closed at ``start`` or later and before ``end`` (aware datetimes)."""
        return Q(closed_at__gte=start, closed_at__lt=end)

    # --- the same as chainable filters -----------------------------------------------

    def open(self):
        """Neither closed nor dismissed."""
        return self.filter(self.open_q())

    def assigned(self):
        """Rectifying or verifying: the deadline runs."""
        return self.filter(self.assigned_q())

    def awaiting_verification(self):
        """Rectification submitted, waiting for the supervisor."""
        return self.filter(self.awaiting_verification_q())

    def overdue(self, today: datetime.date):
        """Overdue on ``today`` (Beijing date): assigned, deadline before ``today``."""
        return self.filter(self.overdue_q(today))

    def not_overdue(self, today: datetime.date):
        """Everything ``overdue(today)`` leaves out."""
        return self.exclude(self.overdue_q(today))

    def due_between(self, first: datetime.date, last: datetime.date):
        """Assigned, with a deadline from ``first`` to ``last`` (both included)."""
        return self.filter(self.assigned_q(), deadline__range=(first, last))

    def found(self):
        """Not dismissed."""
        return self.filter(self.found_q())

    def closed(self):
        return self.filter(self.closed_q())

    def reported_between(self, start: datetime.datetime, end: datetime.datetime):
        """Reported in [``start``, ``end``) (aware datetimes)."""
        return self.filter(self.reported_between_q(start, end))

    def search(self, text: str, indexed: bool = True):
        """Hazards whose title, location or description contains ``text``, ignoring case
        (``icontains``). On PostgreSQL a term of two characters or more is first narrowed by
        the bigram index (migration 0009: the row's character pairs contain the term's),
        which the LIKE then rechecks: the same rows, read through the index. ``indexed=False``
        leaves the index out (the same rows, read in whatever order the query asks: the
        ledger walks its order for a common term, ``core.keyset``)."""
        matches = (
            Q(title__icontains=text) | Q(location__icontains=text) | Q(description__icontains=text)
        )
        if not indexed or len(text) < 2 or connections[self.db].vendor != "postgresql":
            return self.filter(matches)
        return self.alias(search_bigrams=SearchBigrams("title", "location", "description")).filter(
            matches, search_bigrams__contains=SearchBigrams(Value(text))
        )

    def queue_counts(self, today: datetime.date) -> dict:
        """The work queue of these hazards on ``today``: {"open": int, "overdue": int}.
        One query."""
        return self.aggregate(
            open=Count("id", filter=self.open_q()),
            overdue=Count("id", filter=self.overdue_q(today)),
        )


class Hazard(models.Model):
    """One safety hazard at one school, from discovery (查) to write-off (销).

    ``deadline`` is a date on the Beijing calendar; a hazard is overdue from the day after.
    A major hazard carries the five implementations (责任、措施、资金、时限、预案).
    """

    # core.sync: the API's sync feed follows ``updated_at`` (every service stamps it).
    SYNC_RESOURCE = "hazards"
    SYNC_MODIFIED = "updated_at"

    class Status(models.TextChoices):
        REPORTED = "reported", _("已登记")
        RECTIFYING = "rectifying", _("整改中")
        VERIFYING = "verifying", _("督查验收中")
        CLOSED = "closed", _("已销号")
        DISMISSED = "dismissed", _("不予立案")

    class Source(models.TextChoices):
        JOINT_INSPECTION = "joint_inspection", _("联合检查")
        CROSS_INSPECTION = "cross_inspection", _("交叉互查")
        SELF_INSPECTION = "self_inspection", _("学校自查")
        PATROL = "patrol", _("巡查")
        DRILL = "drill", _("应急演练")
        SNAPSHOT = "snapshot", _("随手拍")
        OTHER = "other", _("其他")

    class Category(models.TextChoices):
        FIRE = "fire", _("消防")
        ELECTRICAL = "electrical", _("用电")
        BUILDING = "building", _("校舍")
        DORMITORY = "dormitory", _("宿舍")
        CANTEEN = "canteen", _("食堂/食品")
        SURROUNDINGS = "surroundings", _("校园周边")
        TRAFFIC = "traffic", _("交通")
        WATER = "water", _("防溺水")
        FACILITIES = "facilities", _("设施设备")
        SECURITY = "security", _("安保")
        LAB = "lab", _("实验室")
        OTHER = "other", _("其他")

    class Level(models.TextChoices):
        GENERAL = "general", _("一般")
        MAJOR = "major", _("重大")

    OPEN_STATUSES = (Status.REPORTED, Status.RECTIFYING, Status.VERIFYING)
    # Only assigned hazards have a deadline that can pass.
    ACTIVE_STATUSES = (Status.RECTIFYING, Status.VERIFYING)
    STATUS_COLOURS = {
        "reported": "secondary",
        "rectifying": "warning",
        "verifying": "info",
        "closed": "success",
        "dismissed": "light",
    }

    school = models.ForeignKey(
        "schools.School", verbose_name=_("学校"), on_delete=models.PROTECT, related_name="hazards"
    )
    title = models.CharField(_("隐患描述"), max_length=200)
    description = models.TextField(_("详细情况"), blank=True)
    location = models.CharField(_("位置"), max_length=100, blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category)
    level = models.CharField(_("等级"), max_length=10, choices=Level, default=Level.GENERAL)
    source = models.CharField(_("来源"), max_length=20, choices=Source)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status, default=Status.REPORTED, editable=False
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        verbose_name=_("所属检查"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hazards",
    )
    # 负责部门: the safety-committee department that owns a joint-inspection finding; its
    # members see the hazard whatever their school scope (``HazardQuerySet.visible_to``).
    department = models.ForeignKey(
        "schools.Department",
        verbose_name=_("负责部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_hazards",
        db_index=False,  # hazard_department_ledger (Meta) serves every look-up by department
    )
    drill = models.ForeignKey(
        "drills.Drill",
        verbose_name=_("所属演练"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hazards",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="reported_hazards",
    )
    reported_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    # 改: set by ``assign``.
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改责任人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_hazards",
    )
    measures = models.TextField(_("整改措施"), blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True, validators=[validate_date])
    funding_yuan = models.DecimalField(
        _("整改资金（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=money_validators(),
    )
    contingency_plan = models.TextField(_("应急预案"), blank=True)
    # 督: set by ``submit_rectification``.
    rectification_note = models.TextField(_("整改情况"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submitted_hazards",
    )
    # 销
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closed_hazards",
    )
    dismiss_reason = models.TextField(_("不予立案理由"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    # 挂牌督办: a major hazard under bureau supervision names the supervising leader.
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("督办领导"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_hazards",
    )
    # Idempotent reporting: a retried form or API call carries the same client id, and the
    # unique constraints (per reporter; per school for public reports — not a lookup) make
    # the second insert fail. Not unique globally: nobody can block another's report.
    client_id = models.UUIDField(_("客户端编号"), null=True, blank=True, editable=False)
    # Anonymous snapshot reports (随手拍): the reporter follows the coarse status by this code;
    # the contact is for feedback only and is never shown to the school.
    tracking_code = models.CharField(
        _("查询码"), max_length=12, null=True, blank=True, unique=True, editable=False
    )
    reporter_contact = models.CharField(_("反馈电话"), max_length=20, blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # reporter_contact: reporter privacy. History rows are read per hazard (by ``id``, the
    # timeline and the admin) and by user (``history_user``, when a user is deleted); an
    # index on the copied foreign keys and tracking code would serve no query and cost every
    # save (every workflow transition writes a history row).
    history = HistoricalRecords(
        excluded_fields=["reporter_contact"],
        no_db_index=[
            "tracking_code", "school", "inspection", "department", "drill", "reported_by",
            "responsible", "submitted_by", "closed_by", "duplicate_of", "supervising_leader",
        ],
    )  # fmt: skip
    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患")
        verbose_name_plural = pgettext_lazy("plural", "隐患")
        ordering = ["-reported_at", "-id"]
        # One index for each filter of the ledger (``HazardFilter``), in the ledger's order
        # where a filter picks a small share, so page 1 reads 25 index entries and stops
        # (tests/hazards/test_indexes.py EXPLAINs each). The search's bigram index is SQL
        # in migration 0009 (a GIN over an expression: PostgreSQL only).
        indexes = [
            # The ledger's order; also the reported_after/before ranges and level=general.
            models.Index(fields=["-reported_at", "-id"], name="hazard_ledger_order"),
            models.Index(fields=["school", "status"], name="hazard_school_status"),
            models.Index(fields=["school", "-reported_at", "-id"], name="hazard_school_ledger"),
            models.Index(fields=["status", "-reported_at", "-id"], name="hazard_status_ledger"),
            # status and source together (the API's "?status=closed&source=snapshot"): its
            # COUNT reads this index only.
            models.Index(fields=["status", "source"], name="hazard_status_source"),
            models.Index(fields=["source", "-reported_at", "-id"], name="hazard_source_ledger"),
            models.Index(fields=["category", "-reported_at", "-id"], name="hazard_category_ledger"),
            # level=major: the few; level=general is most rows and reads the ledger order.
            models.Index(
                fields=["-reported_at", "-id"],
                name="hazard_major_ledger",
                condition=Q(level="major"),
            ),
            models.Index(
                fields=["department", "-reported_at", "-id"],
                name="hazard_department_ledger",
                condition=Q(department__isnull=False),
            ),
            # The sync feed: Hazard.objects.visible_to(u).order_by("updated_at", "id").
            models.Index(fields=["updated_at", "id"], name="hazard_sync_order"),
            # The overdue queue: Hazard.objects.overdue(today) filters assigned hazards by deadline.
            models.Index(
                fields=["deadline"],
                name="hazard_active_deadline",
                condition=Q(status__in=["rectifying", "verifying"]),
            ),
            # The close-time series (risks.analytics.close_trend, the roll-up's chart): the
            # period's closed hazards by closed_at, with reported_at and status, from the
            # index alone (a third of a million rows a province year, not a scan of every
            # hazard). Conditioned on closed_at, not on the status: an index "WHERE status
            # = 'closed'" would also answer the ledger's status filter, which has its own.
            models.Index(
                fields=["closed_at"],
                include=["reported_at", "status"],
                name="hazard_closed_trend",
                condition=Q(closed_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="hazard_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(funding_yuan__isnull=True) | Q(funding_yuan__gte=0),
                name="hazard_funding_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(funding_yuan__isnull=True) | Q(funding_yuan__lte=MAX_YUAN),
                name="hazard_funding_at_most_max",
            ),
            models.UniqueConstraint(
                fields=["reported_by", "client_id"],
                condition=Q(reported_by__isnull=False, client_id__isnull=False),
                name="hazard_client_id_per_reporter",
            ),
            models.UniqueConstraint(
                fields=["school", "client_id"],
                condition=Q(reported_by__isnull=True, client_id__isnull=False),
                name="hazard_public_client_id_per_school",
            ),
        ]

    def __str__(self):
        return f"{self.school} · {self.title}"

    def get_absolute_url(self):
        return reverse("hazard-detail", args=[self.pk])

    def is_overdue_on(self, today: datetime.date) -> bool:
        """The row's own ``HazardQuerySet.overdue_q(today)``: assigned, deadline before
        ``today`` (a Beijing date)."""
        return (
            self.status in self.ACTIVE_STATUSES
            and self.deadline is not None
            and self.deadline < today
        )

    @property
    def is_overdue(self):
        """Overdue today (Beijing), for templates, exports and the API."""
        return self.is_overdue_on(timezone.localdate())

    @property
    def status_colour(self):
        return self.STATUS_COLOURS[self.status]

    # Django's get_FOO_display() builds a dict of all the field's choices on every call, and
    # a ledger page or API page asks hundreds of times: the choice enums look the value up.
    def get_status_display(self) -> str:
        return _label(self.Status, self.status)

    def get_category_display(self) -> str:
        return _label(self.Category, self.category)

    def get_level_display(self) -> str:
        return _label(self.Level, self.level)

    def get_source_display(self) -> str:
        return _label(self.Source, self.source)

    def available_transitions(self):
        """Names of the transitions allowed from the current state (ignoring who asks)."""
        return [name for name, t in TRANSITIONS.items() if self.status in t.sources]


def _label(choices: type[models.TextChoices], value: str) -> str:
    """The translated label of ``value`` (the value itself when it is not a choice, as
    Django's ``get_FOO_display``)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass(frozen=True)
class Transition:
    """One allowed move of the workflow: from ``sources`` to ``target``."""

    label: str
    sources: tuple
    target: str
    needs_comment: bool = False


S = Hazard.Status
TRANSITIONS = {
    "assign": Transition(_("交办整改"), (S.REPORTED,), S.RECTIFYING),
    "submit_rectification": Transition(_("提交整改"), (S.RECTIFYING,), S.VERIFYING),
    "reject_rectification": Transition(
        _("验收不通过"), (S.VERIFYING,), S.RECTIFYING, needs_comment=True
    ),
    "close": Transition(_("验收销号"), (S.VERIFYING,), S.CLOSED),
    "dismiss": Transition(
        pgettext_lazy("button", "不予立案"), (S.REPORTED,), S.DISMISSED, needs_comment=True
    ),
}


class HazardEvent(models.Model):
    """An entry on a hazard's timeline: its report, or one workflow transition."""

    class Action(models.TextChoices):
        REPORT = "report", _("登记隐患")
        ASSIGN = "assign", _("交办整改")
        SUBMIT_RECTIFICATION = "submit_rectification", _("提交整改")
        REJECT_RECTIFICATION = "reject_rectification", _("验收不通过")
        CLOSE = "close", _("验收销号")
        DISMISS = "dismiss", _("不予立案")
        # A later 随手拍 of the same hazard, added to it instead of filed twice: photos and a
        # comment, no change of state.
        SUPPLEMENT = "supplement", _("补充随手拍")

    # No index of its own: "hazardevent_timeline" starts with it.
    hazard = models.ForeignKey(
        Hazard,
        verbose_name=_("隐患"),
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
    )
    action = models.CharField(_("操作"), max_length=30, choices=Action)
    from_status = models.CharField(_("原状态"), max_length=20, choices=Hazard.Status, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Hazard.Status)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="hazard_events",
    )
    comment = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("隐患处理记录")
        verbose_name_plural = pgettext_lazy("plural", "隐患处理记录")
        ordering = ["created_at", "id"]
        indexes = [
            # A hazard's events in order; with to_status the state durations of many hazards
            # (timeline.state_seconds_ctes, the ledger export) read the index alone.
            models.Index(
                fields=["hazard", "created_at", "id"],
                include=["to_status"],
                name="hazardevent_timeline",
            )
        ]

    def __str__(self):
        return f"{self.hazard_id} {self.get_action_display()}"


def hazard_photo_path(instance, filename):
    # Generated names only: the uploader's file name never reaches the file system.
    return f"hazards/{timezone.localdate():%Y/%m}/{instance.uuid}.jpg"


class HazardPhotoQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The photos of the hazards the user sees (``HazardQuerySet.visible_to``)."""
        return self.filter(hazard__in=Hazard.objects.visible_to(user))


class HazardPhoto(models.Model):
    """A photo of the hazard or of the evidence for a step, stored re-encoded as JPEG
    with all metadata (GPS, device) stripped."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("隐患"), on_delete=models.CASCADE, related_name="photos"
    )
    event = models.ForeignKey(
        HazardEvent,
        verbose_name=_("处理记录"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    image = models.ImageField(_("照片"), upload_to=hazard_photo_path, storage=private_storage)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="hazard_photos",
    )
    thumbnail = models.ImageField(
        _("缩略图"), upload_to="hazards/thumbs/%Y/%m/", blank=True, storage=private_storage
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    objects = HazardPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("隐患照片")
        verbose_name_plural = pgettext_lazy("plural", "隐患照片")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.original_name or str(self.uuid)

    def get_absolute_url(self):
        """The photo through the view that checks the user may see the hazard (private
        storage: no public URL)."""
        return reverse("hazard-photo", args=[self.uuid])

    @property
    def thumbnail_url(self):
        """The small copy once the thumbnail task has made it, else the photo itself."""
        if self.thumbnail:
            return reverse("hazard-photo-thumbnail", args=[self.uuid])
        return self.get_absolute_url()


class RemediationProject(SyncedModel):
    """A funded remediation programme (e.g. the 2024 fire-safety legacy works), with its
    budget in yuan and the schools and hazards it covers. Investment is the sum of its
    expenses."""

    SYNC_RESOURCE = "remediation-projects"  # core.sync: the API's sync feed and tombstones

    class Category(models.TextChoices):
        FIRE = "fire", _("消防")
        BUILDING = "building", _("校舍")
        SECURITY = "security", _("安防")
        CANTEEN = "canteen", _("食堂")
        OTHER = "other", _("其他")

    name = models.CharField(_("项目名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=20, choices=Category)
    budget_yuan = models.DecimalField(
        _("预算（元）"), max_digits=14, decimal_places=2, validators=money_validators()
    )
    contractor = models.CharField(_("承建单位"), max_length=200, blank=True)
    start_date = models.DateField(_("开工日期"), null=True, blank=True, validators=[validate_date])
    end_date = models.DateField(_("完工日期"), null=True, blank=True, validators=[validate_date])
    schools = models.ManyToManyField(
        "schools.School", verbose_name=_("学校"), blank=True, related_name="remediation_projects"
    )
    hazards = models.ManyToManyField(
        Hazard, verbose_name=_("隐患"), blank=True, related_name="remediation_projects"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("整改项目")
        verbose_name_plural = pgettext_lazy("plural", "整改项目")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_yuan__gte=0),
                name="project_budget_not_negative",
                violation_error_message=_("预算不能为负数。"),
            ),
            models.CheckConstraint(
                condition=Q(budget_yuan__lte=MAX_YUAN), name="project_budget_at_most_max"
            ),
        ]

    def __str__(self):
        return self.name


class RemediationExpense(SyncedModel):
    """Money spent on a remediation project on one date, in yuan (Decimal)."""

    SYNC_RESOURCE = "remediation-expenses"  # core.sync: the API's sync feed and tombstones

    project = models.ForeignKey(
        RemediationProject,
        verbose_name=_("项目"),
        on_delete=models.CASCADE,
        related_name="expenses",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        related_name="remediation_expenses",
    )
    date = models.DateField(_("支出日期"), validators=[validate_date])
    amount_yuan = models.DecimalField(
        _("金额（元）"),
        max_digits=14,
        decimal_places=2,
        validators=money_validators(minimum=Decimal("0.01")),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = SchoolOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改支出")
        verbose_name_plural = pgettext_lazy("plural", "整改支出")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_yuan__gt=0),
                name="expense_amount_positive",
                violation_error_message=_("金额必须大于零。"),
            ),
            models.CheckConstraint(
                condition=Q(amount_yuan__lte=MAX_YUAN), name="expense_amount_at_most_max"
            ),
        ]

    def __str__(self):
        return f"{self.project} {self.date} ¥{self.amount_yuan}"

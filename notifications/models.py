"""Notifications: an inbox row per person and event, and one recorded send per outside
channel (e-mail, a WeCom or DingTalk group robot).

Exactly once is the database's job: ``Notification`` is unique on (recipient, kind,
subject, period) and ``Delivery`` on (recipient or endpoint, channel, kind, subject,
period). The row is inserted first and sent after, so a retried or duplicated task finds
the row and sends nothing again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.sync import SyncedModel


class Kind(models.TextChoices):
    HAZARD_EVENT = "hazard_event", _("隐患处理动态")
    DEADLINE = "deadline", _("整改期限将至")
    OVERDUE = "overdue", _("隐患逾期督办")
    DIGEST = "digest", _("每日安全汇总")
    DRILL_DUE = "drill_due", _("应急演练提醒")
    DRILL_PLANNED = "drill_planned", _("计划演练将至")
    DRILL_PLAN_MISSED = "drill_plan_missed", _("计划演练未完成")
    SAFETY_DATE = "safety_date", _("安全教育日提醒")
    ROLLUP = "rollup", _("年度统计")
    INSPECTION_DUE = "inspection_due", _("检查将至")
    INSPECTION_OVERDUE = "inspection_overdue", _("检查逾期")
    SCOPE_CHANGE = "scope_change", _("用户角色或范围变更")
    PATROL_MISSED = "patrol_missed", _("漏巡提醒")
    CHECKIN_MISSING = "checkin_missing", _("未报平安提醒")
    PLAN_REVIEW = "plan_review", _("应急预案年度评审")
    PLAN_REVISION = "plan_revision", _("应急预案修订任务")
    INCIDENT = "incident", _("安全事故报告")
    INCIDENT_OVERDUE = "incident_overdue", _("事故报告逾期督办")
    CRISIS_ALERT = "crisis_alert", _("学生需要关注")
    BREAK_GLASS = "break_glass", _("心理档案紧急查阅")
    BULLYING_DUE = "bullying_due", _("欺凌调查期限")
    RISK = "risk", _("风险分级管控提醒")
    WEBHOOK_PAUSED = "webhook_paused", _("事件订阅已暂停")


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("群机器人")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own inbox; nobody sees another person's notifications."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(SyncedModel):
    """One message in one person's inbox (站内消息). ``subject_key`` names what it is about
    (``"hazards.hazard:12"``) and ``period`` which occurrence (``"2025-06-10"``,
    ``"overdue:cadre:2025-06-03"``), so the same reminder is never stored twice."""

    SYNC_RESOURCE = "notifications"  # core.sync: the API's sync feed and tombstones
    SYNC_OWNER = "recipient"  # a personal row: its tombstone is its owner's alone

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind)
    subject_key = models.CharField(_("事项"), max_length=100)
    period = models.CharField(_("周期"), max_length=60)
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = pgettext_lazy("plural", "站内消息")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "period"], name="notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            # The unread badge: Notification.objects.for_user(u).unread().count().
            models.Index(
                fields=["recipient"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self):
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self):
        return self.read_at is not None


class WebhookEndpoint(models.Model):
    """A WeCom (企业微信) or DingTalk (钉钉) group robot of one school, or of the bureau when
    no school is set. DingTalk robots with 加签 security need the ``SEC…`` secret."""

    class Provider(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉群机器人")

    name = models.CharField(_("名称"), max_length=100)
    provider = models.CharField(_("类型"), max_length=20, choices=Provider)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(
        _("加签密钥"),
        max_length=200,
        blank=True,
        help_text=_("钉钉机器人“加签”安全设置的密钥（SEC 开头）。"),
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("学校"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
        help_text=_("留空表示教体局的群。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = pgettext_lazy("plural", "群机器人")
        ordering = ["school", "name", "id"]

    def __str__(self):
        return self.name


class NotificationPreference(models.Model):
    """Which outside channels a person wants besides the inbox, which is always on.
    Without a row the defaults apply (e-mail and group robot on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("电子邮件"), default=True)
    webhook = models.BooleanField(
        _("群机器人"), default=True, help_text=_("同时发到本校（教体局人员：教体局）的工作群。")
    )

    class Meta:
        verbose_name = _("提醒方式")
        verbose_name_plural = pgettext_lazy("plural", "提醒方式")
        ordering = ["user_id"]

    def __str__(self):
        return str(self.user)


class Delivery(models.Model):
    """One send of a notification over one outside channel, with its outcome. E-mail goes
    to a ``recipient``; a group robot message goes once to its ``endpoint`` however many
    members of that group are notified. ``title`` and ``body`` are the text sent, in
    ``language``: the recipient's for e-mail, ``settings.LANGUAGE_CODE`` for a group robot
    (rows from before these fields have them blank and send their notification's text)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("站内消息"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_deliveries",
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("群机器人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind)
    subject_key = models.CharField(_("事项"), max_length=100)
    period = models.CharField(_("周期"), max_length=60)
    language = models.CharField(_("语言"), max_length=10, blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = pgettext_lazy("plural", "发送记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "kind", "subject_key", "period"],
                condition=Q(recipient__isnull=False),
                name="delivery_once_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["endpoint", "channel", "kind", "subject_key", "period"],
                condition=Q(endpoint__isnull=False),
                name="delivery_once_per_endpoint",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, endpoint__isnull=True)
                | Q(recipient__isnull=True, endpoint__isnull=False),
                name="delivery_recipient_xor_endpoint",
            ),
        ]
        indexes = [
            # The sweep of unfinished sends: Delivery.objects.filter(status__in=[pending, sending]).
            models.Index(
                fields=["created_at"],
                name="delivery_unfinished",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self):
        who = self.recipient or self.endpoint
        return f"{self.get_channel_display()} {who} · {self.get_status_display()}"


class OutboxMessage(models.Model):
    """One piece of background work a request or task asked for (a Celery task name and its
    JSON arguments), written in the same transaction as the change it follows, so a broker
    outage loses nothing. The relay (``notifications.outbox``) hands each row to Celery
    once: on commit when the broker answers, otherwise from the beat sweep."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待转发")
        RELAYING = "relaying", _("转发中")
        SENT = "sent", _("已转发")
        FAILED = "failed", _("无法转发")

    task = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("参数"), default=list, blank=True)
    kwargs = models.JSONField(_("关键字参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    claimed_at = models.DateTimeField(_("开始转发时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("转发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待转发任务")
        verbose_name_plural = pgettext_lazy("plural", "待转发任务")
        ordering = ["created_at", "id"]
        indexes = [
            # The sweep and the lag: OutboxMessage.objects.unsent().order_by("created_at", "id").
            models.Index(
                fields=["created_at", "id"],
                name="outbox_unsent",
                condition=Q(status__in=["pending", "relaying"]),
            ),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)} · {self.get_status_display()}"


class TombstoneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tombstones of the rows ``user`` could see: their schools' (all for the bureau),
        their department's findings, their own personal rows and scope resets, and rows
        that belong to no school and no person (departments, projects, checklists)."""
        if not user.is_authenticated:
            return self.none()
        ids = user.school_ids()
        shared = Q(school_id__isnull=True, user__isnull=True)
        schools = Q(school_id__isnull=False) if ids is None else Q(school_id__in=ids)
        mine = Q(user=user)
        department = Q(department_id=user.department_id) if user.department_id else Q(pk=None)
        return self.filter((shared | schools | department) & Q(user__isnull=True) | mine)


class Tombstone(models.Model):
    """A row the API's sync feeds no longer show: deleted (resource and id), or, with
    resource ``*``, every row of one user whose scope changed (the client re-reads all).
    Kept ``SYNC_TOMBSTONE_DAYS`` days (``notifications.tombstones``)."""

    RESET = "*"

    SYNC_RESOURCE = "deletions"
    SYNC_MODIFIED = "modified"

    resource = models.CharField(_("资源"), max_length=50)
    object_id = models.BigIntegerField(_("对象编号"), null=True, blank=True)
    # Plain ids, not keys: the school or department may be gone too, the tombstone stays.
    school_id = models.BigIntegerField(_("学校编号"), null=True, blank=True)
    department_id = models.BigIntegerField(_("部门编号"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tombstones",
    )
    modified = models.DateTimeField(_("删除时间"), default=timezone.now, db_index=True)

    objects = TombstoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("删除记录")
        verbose_name_plural = pgettext_lazy("plural", "删除记录")
        ordering = ["modified", "id"]

    def __str__(self):
        return f"{self.resource}:{self.object_id} {self.modified:%Y-%m-%d %H:%M}"


class WebhookSubscription(models.Model):
    """Another system's HTTPS endpoint that receives signed events (outbound webhooks),
    managed by the bureau admin; a department's own system gets only the findings its
    department owns. Paused after ``WEBHOOK_PAUSE_AFTER`` deliveries failed in a row."""

    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("接收地址"), max_length=500)
    secret = models.CharField(_("签名密钥"), max_length=200)
    event_types = models.JSONField(_("事件类型"), default=list)
    department = models.ForeignKey(
        "schools.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        help_text=_("设置后只推送该部门负责的隐患。"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    paused_at = models.DateTimeField(_("暂停时间"), null=True, blank=True)
    failures_in_row = models.PositiveIntegerField(_("连续失败次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("事件订阅")
        verbose_name_plural = pgettext_lazy("plural", "事件订阅")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One event for one subscription: its payload, the attempts and the last answer.
    Unique on (subscription, event): an event is sent to a subscription once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("失败")

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("订阅"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event_id = models.UUIDField(_("事件编号"))
    event_type = models.CharField(_("事件类型"), max_length=50)
    payload = models.JSONField(_("内容"))
    status = models.CharField(_("状态"), max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    response_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    error = models.CharField(_("错误信息"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事件推送")
        verbose_name_plural = pgettext_lazy("plural", "事件推送")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhook_delivery_once"
            ),
        ]

    def __str__(self):
        return f"{self.subscription} {self.event_type} · {self.get_status_display()}"

"""The one notification service: ``notify`` people of an event, then ``deliver`` each
recorded send once.

``notify`` inserts the inbox rows and one ``Delivery`` row per outside channel inside a
transaction, each text rendered in its reader's language (``User.language`` for the inbox
and e-mail, ``settings.LANGUAGE_CODE`` for a group robot, which a whole group reads); the
unique constraints make a second call for the same (recipient, kind, subject, period) a
no-op. ``deliver`` claims a pending row with a conditional UPDATE
(only one worker wins), sends it and records the outcome. A worker killed mid-send leaves
the row "sending": the message may or may not have reached the robot or mail server, so
after ``NOTIFY_SEND_LEASE_SECONDS`` it is marked failed ("interrupted") instead of being
sent again. Nothing goes out twice; staff resend it from the admin after checking.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from schools.models import School, SchoolAssignment

from . import channels, outbox
from .channels import PermanentSendError, TransientSendError
from .models import Channel, Delivery, Notification, NotificationPreference, WebhookEndpoint

logger = logging.getLogger(__name__)
D = Delivery.Status
# A text to render per reader: a string, a lazy string (gettext_lazy) or a callable.
Text: TypeAlias = Any


def subject_key(subject: Any) -> str:
    """``"app_label.model:pk"`` for a model instance, the string itself for a string."""
    if subject is None:
        return ""
    if isinstance(subject, str):
        return subject
    return f"{subject._meta.label_lower}:{subject.pk}"


def school_people(school: School, roles: Iterable[str]) -> list[User]:
    """Active users of ``school`` with one of ``roles`` (role values), by id."""
    return list(User.objects.filter(is_active=True, role__in=roles, schools=school).order_by("id"))


def assignment_holders(school: School, kind: str, on: datetime.date | None = None) -> list[User]:
    """Active users holding ``school`` on date ``on`` as ``kind`` (SchoolAssignment.Kind)."""
    rows = (
        SchoolAssignment.objects.current(on)
        .filter(school=school, kind=kind, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    return list({row.user_id: row.user for row in rows}.values())


def bureau_people() -> list[User]:
    return list(User.objects.bureau().order_by("id"))


def bureau_staff_people() -> list[User]:
    """Active bureau staff (教体局干部, not the leaders), by id."""
    return list(User.objects.filter(is_active=True, role=User.Role.BUREAU_STAFF).order_by("id"))


@dataclass
class Notified:
    """What one ``notify`` call wrote: the new inbox rows and the ids of the new sends."""

    notifications: list[Notification] = field(default_factory=list)
    delivery_ids: list[int] = field(default_factory=list)


def render(text: Text) -> str:
    """``text`` as a string in the active language: a callable (no arguments) is called, a
    lazy string (``gettext_lazy``) evaluated, a plain string kept."""
    return str(text() if callable(text) else text)


class Texts:
    """The (title, body) of one message per language code, each rendered once inside
    ``translation.override``; the title is cut to the inbox's 200 characters."""

    def __init__(self, title: Text, body: Text) -> None:
        self.title, self.body = title, body
        self.cache: dict[str, tuple[str, str]] = {}

    def __call__(self, language: str) -> tuple[str, str]:
        if language not in self.cache:
            with translation.override(language):
                self.cache[language] = (render(self.title)[:200], render(self.body))
        return self.cache[language]


def language_of(user: User) -> str:
    """The language ``user``'s own messages are written in (``User.language``)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


@transaction.atomic
def notify(
    recipients: Iterable[User | None],
    *,
    kind: str,
    subject: Any,
    period: str,
    title: Text,
    body: Text = "",
    url: str = "",
    school: School | None = None,
    queue: bool = True,
) -> Notified:
    """Tell each of ``recipients`` (users) about ``subject`` (a model instance or a key
    string) for one ``period`` (a string naming the occurrence: a date, a step…).

    ``title`` and ``body`` are strings, lazy strings or callables returning a string; they
    are rendered per language, inside ``translation.override``: the inbox row and e-mail in
    the recipient's ``language``, a group robot's post in ``settings.LANGUAGE_CODE``. Pass
    callables (or lazy strings) for translated texts, so each reader gets their language.

    Writes the inbox row and, per the user's preference, an e-mail ``Delivery`` and one
    webhook ``Delivery`` per group robot of ``school`` (the bureau's robot for bureau
    users). Rows that already exist are left alone: nothing is sent twice. With ``queue``
    each new delivery is enqueued (``send_delivery``) when the transaction commits;
    otherwise the caller sends them with ``send_now`` after its own commit.
    Returns a ``Notified``.
    """
    key = subject_key(subject)
    texts = Texts(title, body)
    result = Notified()
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        user_title, user_body = texts(language_of(user))
        notification, created = Notification.objects.get_or_create(
            recipient=user,
            kind=kind,
            subject_key=key,
            period=period,
            defaults=dict(title=user_title, body=user_body, url=url, school=school),
        )
        if created:
            result.notifications.append(notification)
            result.delivery_ids += _add_deliveries(notification, user, texts)
    if queue:
        enqueue(result.delivery_ids)
    return result


def _add_deliveries(notification: Notification, user: User, texts: Texts) -> list[int]:
    """The new sends of ``notification`` (``user``'s inbox row), each holding its text:
    e-mail in the user's language, a group robot's post in ``settings.LANGUAGE_CODE``."""
    preference = (
        NotificationPreference.objects.filter(user=user).first() or NotificationPreference()
    )
    common = dict(
        kind=notification.kind, subject_key=notification.subject_key, period=notification.period
    )
    targets = []
    if preference.email and user.email:
        targets.append((dict(recipient=user, channel=Channel.EMAIL), language_of(user)))
    if preference.webhook:
        targets += [
            (dict(endpoint=e, channel=Channel.WEBHOOK), settings.LANGUAGE_CODE)
            for e in endpoints_for(user, notification.school)
        ]
    ids = []
    for target, language in targets:
        title, body = texts(language)
        delivery, created = Delivery.objects.get_or_create(
            **target,
            **common,
            defaults=dict(notification=notification, language=language, title=title, body=body),
        )
        if created:
            ids.append(delivery.pk)
    return ids


def endpoints_for(user: User, school: School | None) -> list[WebhookEndpoint]:
    """The group robots a message to ``user`` about ``school`` goes to: the bureau's for
    bureau users, else the school's (or, without a school, those of the user's schools)."""
    active = WebhookEndpoint.objects.filter(is_active=True).order_by("id")
    if user.is_bureau:
        return list(active.filter(school__isnull=True))
    if school is not None:
        return list(active.filter(school=school)) if user.has_school(school.pk) else []
    return list(active.filter(school__in=user.schools.all()))


def enqueue(delivery_ids: Iterable[int]) -> None:
    """One ``send_delivery`` task per delivery, so a slow robot holds up no other send,
    each through the outbox: handed to the broker when the caller's transaction commits."""
    for delivery_id in delivery_ids:
        outbox.enqueue("notifications.tasks.send_delivery", delivery_id)


def send_now(delivery_ids: Iterable[int]) -> None:
    """Send in this process (already a worker task); a transient failure goes to the queue
    to be retried with backoff."""
    from .tasks import send_delivery

    for delivery_id in delivery_ids:
        try:
            deliver(delivery_id)
        except TransientSendError:
            send_delivery.apply_async((delivery_id,), countdown=retry_delay(0))


def retry_delay(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: doubling from the base, capped."""
    return min(
        settings.NOTIFY_RETRY_BACKOFF_SECONDS * 2**retries, settings.NOTIFY_RETRY_BACKOFF_MAX
    )


def deliver(delivery_id: int) -> Delivery | None:
    """Send one delivery once and record the outcome. Returns the delivery, or None when it
    is gone, already sent or failed, or being sent by another worker. Raises
    ``TransientSendError`` when the send should be retried (the row is back to pending);
    after ``NOTIFY_MAX_ATTEMPTS`` attempts the row is recorded as failed instead."""
    delivery = claim(delivery_id)
    if delivery is None:
        return None
    try:
        send(delivery)
    except PermanentSendError as exc:
        return _record(delivery, D.FAILED, str(exc))
    except Exception as exc:
        error = str(exc) if isinstance(exc, TransientSendError) else f"{type(exc).__name__}: {exc}"
        if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            return _record(delivery, D.FAILED, error)
        _record(delivery, D.PENDING, error)
        raise TransientSendError(error) from exc
    return _record(delivery, D.SENT, "")


def claim(delivery_id: int) -> Delivery | None:
    """Mark the delivery "sending" if it is pending, counting the attempt. One UPDATE, so
    of two workers only one gets the row."""
    won = Delivery.objects.filter(pk=delivery_id, status=D.PENDING).update(
        status=D.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not won:
        return None
    return Delivery.objects.select_related("notification", "recipient", "endpoint").get(
        pk=delivery_id
    )


def send(delivery: Delivery) -> None:
    """Send ``delivery``'s text (its inbox row's for rows older than the per-delivery text),
    with the channel's own words (mail subject prefix, link label) in the delivery's language."""
    note = delivery.notification
    title, body = (delivery.title, delivery.body) if delivery.title else (note.title, note.body)
    message = dict(title=title, body=body, url=note.url)
    with translation.override(delivery.language or settings.LANGUAGE_CODE):
        # The check constraint: an e-mail has a recipient, a robot post an endpoint.
        if delivery.channel == Channel.EMAIL:
            assert delivery.recipient is not None
            channels.send_email(delivery.recipient.email, **message)
        else:
            channels.send_webhook(delivery.endpoint, **message)


def _record(delivery: Delivery, status: str, error: str) -> Delivery:
    """Store the outcome, unless another worker has claimed the row since (stale lease)."""
    fields: dict[str, Any] = dict(status=status, error=error[:2000])
    if status == D.SENT:
        fields["sent_at"] = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, claimed_at=delivery.claimed_at).update(**fields)
    if status == D.FAILED:
        logger.warning("notification delivery %s failed: %s", delivery.pk, error)
    for name, value in fields.items():
        setattr(delivery, name, value)
    return delivery


def unfinished_deliveries(now: datetime.datetime | None = None) -> list[int]:
    """Ids of deliveries to try again: pending ones never tried for
    ``NOTIFY_SWEEP_AFTER_SECONDS`` (the task was lost before it reached the broker) or not
    retried for longer than the longest retry delay."""
    now = now or timezone.now()
    lost = now - datetime.timedelta(seconds=settings.NOTIFY_SWEEP_AFTER_SECONDS)
    quiet = now - datetime.timedelta(seconds=settings.NOTIFY_RETRY_BACKOFF_MAX + 60)
    return list(
        Delivery.objects.filter(
            Q(status=D.PENDING, claimed_at__isnull=True, created_at__lt=lost)
            | Q(status=D.PENDING, claimed_at__lt=quiet)
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)
    )


def fail_interrupted_sends(now: datetime.datetime | None = None) -> int:
    """Mark failed the sends whose worker died mid-send (lease run out): they may have been
    delivered, so they are not sent again automatically. Returns how many."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.NOTIFY_SEND_LEASE_SECONDS)
    return Delivery.objects.filter(status=D.SENDING, claimed_at__lt=stale).update(
        status=D.FAILED,
        error=str(_("发送中断（处理进程退出），可能已送达；请核对后在发送记录中重发。")),
    )


def mark_read(notification: Notification, *, actor: User) -> Notification:
    """Mark one of ``actor``'s notifications read (no-op when it already is)."""
    if notification.recipient_id != actor.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of ``actor`` read; returns how many."""
    now = timezone.now()  # update() skips auto_now: stamp ``modified`` for the sync feed
    return Notification.objects.for_user(actor).unread().update(read_at=now, modified=now)

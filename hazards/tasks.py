"""Celery tasks of the hazard ledger. Thin: load by id, return if gone or done, call one
function. Idempotent twice over: ``HazardEvent.notified_at`` is re-checked under a row
lock, and the notification service stores each (recipient, event, channel) once.

The periodic scans (``remind_deadlines``, ``escalate_overdue``; beat rows named
"隐患整改期限提醒…" and "隐患逾期督办升级…") ask the clock for today's Beijing date and call
``hazards.reminders``; repeats are no-ops (see there)."""

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Kind
from notifications.services import notify, send_now
from notifications.tasks import PERIODIC

from . import reminders
from .models import HazardEvent


def recipients_for(event):
    """Who to tell about ``event`` (users): the responsible person when assigned or sent
    back, the school's officers and principal otherwise; never the actor."""
    hazard = event.hazard
    if event.action in ("assign", "reject_rectification") and hazard.responsible:
        people = [hazard.responsible]
    else:
        people = list(hazard.school.members.school_managers())
    # 挂牌督办: the supervising leader follows every step of the hazard.
    if hazard.supervising_leader_id:
        people.append(hazard.supervising_leader)
    # 跨部门信息共享: the members of the department that owns a finding hear of its report
    # and of its write-off (they see it in their feed, /api/v1/hazards/?department=…).
    if hazard.department_id and event.action in ("report", "close"):
        people += list(User.objects.filter(department_id=hazard.department_id, is_active=True))
    unique = {p.pk: p for p in people if p.pk != event.actor_id}
    return sorted(unique.values(), key=lambda p: p.pk)


@shared_task(soft_time_limit=120, time_limit=150)
def notify_hazard_event(event_id):
    """Tell the people concerned about one workflow event, once (inbox, e-mail, robot)."""
    with transaction.atomic():
        event = (
            HazardEvent.objects.select_for_update(of=("self",))
            .select_related("hazard__school", "hazard__responsible")
            .filter(pk=event_id, notified_at__isnull=True)
            .first()
        )
        if event is None:
            return
        hazard = event.hazard
        notified = notify(
            recipients_for(event),
            kind=Kind.HAZARD_EVENT,
            subject=hazard,
            period=f"event:{event.pk}",
            title=lambda: (
                _("%(school)s：%(title)s（%(action)s）")
                % {  # in each reader's language
                    "school": hazard.school,
                    "title": hazard.title,
                    "action": event.get_action_display(),
                }
            ),
            body=event.comment or hazard.title,
            url=reverse("hazard-detail", args=[hazard.pk]),
            school=hazard.school,
            queue=False,
        )
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])
    # Sent after the commit, from this worker; a lost send is picked up by resend_unfinished.
    send_now(notified.delivery_ids)


THUMBNAIL_EDGE = 480  # pixels, longest edge: enough for a phone-width grid


@shared_task(soft_time_limit=60, time_limit=90)
def make_photo_thumbnail(photo_id):
    """Store a small JPEG beside a hazard photo (``HazardPhoto.thumbnail``). Idempotent: a
    photo that is gone or already has its thumbnail is left alone (checked under a row lock,
    so two deliveries of the task write one file)."""
    from django.core.files.base import ContentFile

    from .models import HazardPhoto

    with transaction.atomic():
        photo = HazardPhoto.objects.select_for_update().filter(pk=photo_id).first()
        if photo is None or photo.thumbnail:
            return
        photo.thumbnail.save(
            f"{photo.uuid}.jpg", ContentFile(_thumbnail_bytes(photo.image)), save=False
        )
        photo.save(update_fields=["thumbnail"])


def _thumbnail_bytes(image_field):
    """The stored photo (already a clean, upright JPEG) scaled to ``THUMBNAIL_EDGE``."""
    import io

    from PIL import Image

    with image_field.open("rb") as f, Image.open(f) as image:
        image = image.convert("RGB")
        image.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80, optimize=True)
    return out.getvalue()


@shared_task(**PERIODIC)
def remind_deadlines():
    """Deadlines approaching (beat: every day at 08:00, Beijing)."""
    return reminders.remind_deadlines(timezone.localdate())


@shared_task(**PERIODIC)
def escalate_overdue():
    """The overdue escalation ladder (beat: every day at 08:30, Beijing)."""
    return reminders.escalate_overdue(timezone.localdate())

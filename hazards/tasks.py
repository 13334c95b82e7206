"""Celery tasks of the hazard ledger. Thin: load by id, return if gone or done, call one
function. Idempotent by re-checking ``HazardEvent.notified_at`` under a row lock."""
from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import HazardEvent


def recipients_for(event):
    """E-mail addresses to tell about ``event``: the responsible person when assigned or sent
    back, the school's officers and principal otherwise."""
    hazard = event.hazard
    if event.action in ("assign", "reject_rectification") and hazard.responsible:
        people = [hazard.responsible]
    else:
        people = hazard.school.members.filter(role__in=["school_officer", "principal"])
    return sorted({p.email for p in people if p.email and p.pk != event.actor_id})


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_hazard_event(event_id):
    """Send the e-mail for one workflow event, once."""
    with transaction.atomic():
        event = (
            HazardEvent.objects.select_for_update(of=("self",))
            .select_related("hazard__school", "hazard__responsible")
            .filter(pk=event_id, notified_at__isnull=True)
            .first()
        )
        if event is None:
            return
        to = recipients_for(event)
        if to:
            send_mail(
                subject=_("【校园安全】%(school)s：%(title)s（%(action)s）")
                % {"school": event.hazard.school, "title": event.hazard.title,
                   "action": event.get_action_display()},
                message=event.comment or event.hazard.title,
                from_email=None,
                recipient_list=to,
            )
        event.notified_at = timezone.now()
        event.save(update_fields=["notified_at"])

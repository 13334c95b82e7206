"""Celery tasks of the notifications: delivery only, thin wrappers of ``services``.

``send_delivery`` sends one recorded delivery (one task per send, so a failing robot holds
up nothing else) and retries transient errors with doubling delays; ``resend_unfinished``
is the sweep of lost and interrupted sends (a django-celery-beat row, migration 0002,
every 10 minutes); ``relay_outbox`` hands the outbox's waiting rows to the broker (every
minute, migration 0007). The reminder scans that decide who is told what are each domain app's
own (``<app>/reminders.py``, run by ``<app>/tasks.py`` with the ``PERIODIC`` options
below); their repeats are no-ops because ``notify`` stores each message once.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import outbox, services
from .channels import TransientSendError

# Options of every periodic task (sweeps and the apps' reminder scans): database hiccups
# (a restarted server, a dropped connection) are worth another try.
PERIODIC = dict(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=3,
    soft_time_limit=240,
    time_limit=300,
)


@shared_task(bind=True, max_retries=20, soft_time_limit=60, time_limit=90)
def send_delivery(self, delivery_id):
    """Send the delivery ``delivery_id`` once; a transient error is retried after
    ``services.retry_delay`` until ``NOTIFY_MAX_ATTEMPTS``, then recorded as failed."""
    while True:
        try:
            services.deliver(delivery_id)
            return
        except TransientSendError as exc:
            if not self.request.is_eager:
                raise self.retry(
                    exc=exc, countdown=services.retry_delay(self.request.retries)
                ) from exc
            # Run eagerly (CELERY_TASK_ALWAYS_EAGER), Celery would raise Retry into the
            # caller: retry in place instead; deliver() stops at NOTIFY_MAX_ATTEMPTS.


@shared_task(**PERIODIC)
def resend_unfinished():
    """Enqueue the deliveries whose task was lost; mark failed those whose worker was killed
    mid-send (they may have gone out, so they are never sent twice)."""
    now = timezone.now()
    services.fail_interrupted_sends(now)
    services.enqueue(services.unfinished_deliveries(now))


@shared_task(**PERIODIC)
def relay_outbox():
    """Publish the outbox rows the requests could not hand over (broker down, process
    gone), each once; delete those sent long ago. Returns how many were sent."""
    now = timezone.now()
    sent = outbox.relay_pending(now)
    outbox.purge_sent(now)
    return sent


@shared_task(bind=True, max_retries=20, soft_time_limit=60, time_limit=90)
def deliver_webhook(self, delivery_id):
    """One attempt at an outbound webhook; a failed one is retried after
    ``webhooks.retry_delay`` until ``WEBHOOK_MAX_ATTEMPTS`` (then failed, counted towards
    pausing the subscription)."""
    from . import webhooks

    while True:
        try:
            webhooks.deliver(delivery_id, timezone.now())
            return
        except webhooks.WebhookFailed as exc:
            delivery = webhooks.WebhookDelivery.objects.get(pk=delivery_id)
            if not self.request.is_eager:
                raise self.retry(
                    exc=exc, countdown=webhooks.retry_delay(delivery.attempts)
                ) from exc
            # Eager (tests, CELERY_TASK_ALWAYS_EAGER): try again in place.


@shared_task(**PERIODIC)
def purge_tombstones():
    """Delete the sync feed's tombstones past ``SYNC_TOMBSTONE_DAYS`` (nightly)."""
    from . import tombstones

    return tombstones.purge(timezone.now())

"""Celery tasks of the notifications: thin wrappers of ``services`` and ``reminders``.

``send_delivery`` sends one recorded delivery (one task per send, so a failing robot holds
up nothing else) and retries transient errors with doubling delays. The periodic tasks are
scheduled by django-celery-beat rows (migration 0002, Asia/Shanghai) and may run any
number of times: the unique constraints on what was sent make repeats no-ops.
"""
from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import reminders, services
from .channels import TransientSendError

# Database hiccups (a restarted server, a dropped connection) are worth another try.
PERIODIC = dict(autoretry_for=(OperationalError, InterfaceError), retry_backoff=30,
                retry_backoff_max=600, max_retries=3, soft_time_limit=240, time_limit=300)


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
                raise self.retry(exc=exc, countdown=services.retry_delay(self.request.retries))
            # Run eagerly (CELERY_TASK_ALWAYS_EAGER), Celery would raise Retry into the
            # caller: retry in place instead; deliver() stops at NOTIFY_MAX_ATTEMPTS.


@shared_task(**PERIODIC)
def resend_unfinished():
    """Enqueue the deliveries whose task was lost; mark failed those whose worker was killed
    mid-send (they may have gone out, so they are never sent twice)."""
    services.fail_interrupted_sends()
    services.enqueue(services.unfinished_deliveries())


@shared_task(**PERIODIC)
def remind_deadlines():
    return reminders.remind_deadlines()


@shared_task(**PERIODIC)
def escalate_overdue():
    return reminders.escalate_overdue()


@shared_task(**PERIODIC)
def send_bureau_digest():
    return reminders.send_bureau_digest()


@shared_task(**PERIODIC)
def remind_drills_due():
    return reminders.remind_drills_due()


@shared_task(**PERIODIC)
def remind_inspections_due():
    return reminders.remind_inspections_due()


@shared_task(**PERIODIC)
def remind_safety_dates():
    return reminders.remind_safety_dates()


@shared_task(**PERIODIC)
def year_end_rollup():
    """The final roll-up of the year just ended (beat: 00:30 on 1 January, Beijing)."""
    return reminders.year_end_rollup()

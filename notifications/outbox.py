"""The transactional outbox: work that leaves a request (a hazard's notification, a photo's
thumbnail, an export, a delivery) is a row written in the caller's transaction and handed
to Celery exactly once, so a broker outage loses nothing and fails no request.

``enqueue("hazards.tasks.make_photo_thumbnail", photo.pk)`` writes an ``OutboxMessage``;
when the transaction commits, ``relay_on_commit`` publishes it at once if the broker
answers. Otherwise the row stays pending, the request goes on, and ``relay_pending`` (the
beat task ``notifications.tasks.relay_outbox``, every minute) publishes it later.

Once: a row is claimed with a conditional UPDATE (pending → relaying) before it is
published, so of two relays only one sends it. A relay that dies between publishing and
recording leaves a claim that runs out after ``OUTBOX_RELAY_LEASE_SECONDS``; the row is
then sent again, which the tasks tolerate (each is idempotent: a state re-check under a
row lock or a unique row). Task names are strings: this layer imports no domain app.

The relay's own bookkeeping (the claim, the outcome) commits without waiting for the disk
(PostgreSQL's ``synchronous_commit`` off for those transactions only): a crash can lose at
most the last moments of it, which puts a row back to pending or relaying, and the row is
sent again as above. The caller's transaction, with the message row, stays durable.
"""

import datetime
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)
M = OutboxMessage.Status

# After a failed publish on commit, requests of this process stop trying for this many
# seconds (each try waits for the connection to be refused or time out); the beat sweep
# always tries, and its first success ends the pause.
BROKER_PAUSE_SECONDS = 30.0
_paused_until = 0.0


class BrokerUnavailable(Exception):
    """The broker did not take the message; the row is pending again."""


def enqueue(task: str, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Record that Celery task ``task`` (its registered name) is to run with ``args`` and
    ``kwargs`` (JSON values) once the current transaction commits, and try to hand it over
    then. Outside a transaction the row is written and handed over at once."""
    if task not in _tasks():
        raise ValueError(f"no Celery task named {task!r}")
    message = OutboxMessage.objects.create(task=task, args=list(args), kwargs=kwargs)
    transaction.on_commit(partial(relay_on_commit, message.pk))
    return message


def relay_on_commit(message_id: int) -> None:
    """Publish one row after its transaction committed; a broker that does not answer
    leaves it to the sweep. Never raises for the broker: the change is already saved."""
    if not _eager() and time.monotonic() < _paused_until:
        return
    try:
        relay(message_id, timezone.now(), retry=False)
    except BrokerUnavailable:
        _pause()


def relay_pending(now: datetime.datetime, limit: int = 500) -> int:
    """Publish the rows still waiting at ``now`` (pending, or claimed by a relay whose lease
    ran out), oldest first, stopping at the first broker failure. Returns how many went."""
    sent = 0
    for message_id in unsent(now).values_list("id", flat=True)[:limit]:
        try:
            sent += relay(message_id, now)
        except BrokerUnavailable:
            break
    return sent


def relay(message_id: int, now: datetime.datetime, *, retry: bool = True) -> bool:
    """Claim row ``message_id`` and publish its task. Returns whether this call sent it
    (False: another relay has it, or it is done). Raises ``BrokerUnavailable`` when the
    broker refused it (the row is pending again, the error recorded). Run eagerly (tests),
    the task runs here and its own exception propagates after being recorded."""
    message = claim(message_id, now)
    if message is None:
        return False
    try:
        task = _tasks()[message.task]
    except KeyError:
        _record(message, M.FAILED, f"no Celery task named {message.task!r}")
        logger.error("outbox message %s names no task: %s", message.pk, message.task)
        return False
    try:
        task.apply_async(args=message.args, kwargs=message.kwargs, retry=retry)
    except Exception as exc:
        _record(message, M.PENDING, f"{type(exc).__name__}: {exc}")
        if _eager():
            raise
        logger.warning("outbox message %s not relayed: %s", message.pk, exc)
        raise BrokerUnavailable(str(exc)) from exc
    _record(message, M.SENT, "", sent_at=timezone.now())
    _resume()
    return True


def claim(message_id: int, now: datetime.datetime) -> OutboxMessage | None:
    """Mark the row "relaying" if it is waiting, in one conditional UPDATE: of two relays
    only one gets it."""
    with _unsynced():
        won = (
            unsent(now)
            .filter(pk=message_id)
            .update(status=M.RELAYING, claimed_at=now, attempts=F("attempts") + 1)
        )
        return OutboxMessage.objects.get(pk=message_id) if won else None


def unsent(now: datetime.datetime) -> QuerySet[OutboxMessage]:
    """Rows a relay may take at ``now``: pending, or relaying past the lease."""
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_RELAY_LEASE_SECONDS)
    return OutboxMessage.objects.filter(
        Q(status=M.PENDING) | Q(status=M.RELAYING, claimed_at__lt=stale)
    ).order_by("created_at", "id")


def outbox_lag(now: datetime.datetime) -> tuple[int, float]:
    """(rows not yet handed to the broker, age in seconds of the oldest of them) at
    ``now``; (0, 0.0) when the outbox is empty. For the health check and the admin."""
    waiting = OutboxMessage.objects.filter(status__in=[M.PENDING, M.RELAYING])
    row = waiting.aggregate(count=Count("id"), oldest=Min("created_at"))
    if not row["count"]:
        return 0, 0.0
    return row["count"], max((now - row["oldest"]).total_seconds(), 0.0)


def purge_sent(now: datetime.datetime) -> int:
    """Delete rows sent more than ``OUTBOX_RETENTION_DAYS`` before ``now``; returns how many."""
    cutoff = now - datetime.timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    deleted, _ = OutboxMessage.objects.filter(status=M.SENT, sent_at__lt=cutoff).delete()
    return deleted


def _record(message: OutboxMessage, status: str, error: str, **fields: Any) -> None:
    """Store the outcome unless another relay has claimed the row since (lease ran out)."""
    with _unsynced():
        OutboxMessage.objects.filter(pk=message.pk, claimed_at=message.claimed_at).update(
            status=status, error=error[:2000], **fields
        )


@contextmanager
def _unsynced() -> Iterator[None]:
    """A transaction for the relay's bookkeeping whose commit does not wait for the disk
    (see the module's docstring; it saves two disk flushes a transition). Inside a caller's
    transaction (a test, a task run eagerly) it is a savepoint and changes nothing."""
    if connection.in_atomic_block or connection.vendor != "postgresql":
        with transaction.atomic():
            yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def _tasks() -> Any:
    """The Celery app's task registry, with every app's ``tasks`` module imported (a web
    process has not run the worker's autodiscovery)."""
    app = current_app
    if not getattr(app, "_outbox_imported", False):
        app.loader.import_default_modules()
        app._outbox_imported = True
    return app.tasks


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def _pause() -> None:
    global _paused_until
    _paused_until = time.monotonic() + BROKER_PAUSE_SECONDS


def _resume() -> None:
    global _paused_until
    _paused_until = 0.0

"""Tombstones for the API's deletions feed (``/api/v1/deletions/``).

Every model that names a ``SYNC_RESOURCE`` (``core.sync``) leaves a tombstone when a row is
deleted, however it is deleted (a service, the admin, a cascade, ``load_demo``'s rebuild):
a ``post_delete`` receiver connected for those models at start-up. This is bookkeeping of
the sync feed, not a domain flow, so a signal is the one place that sees every delete.

A user whose role or scope changes (``accounts.signals.scope_changed``) gets a reset
tombstone (resource ``*``): rows may have left their view, and the client re-reads every
list from the beginning. A row that moves to another school is not told apart (no service
does that; only the admin could) — the limit docs/api.md names.

Tombstones are kept ``SYNC_TOMBSTONE_DAYS`` (30) days; a deletions cursor older than that is
refused with ``code`` ``sync_expired`` and the client re-reads everything.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete

from .models import Tombstone


def retention_days() -> int:
    return int(getattr(settings, "SYNC_TOMBSTONE_DAYS", 30))


def synced_models() -> list:
    return [m for m in apps.get_models() if getattr(m, "SYNC_RESOURCE", "") and m is not Tombstone]


def connect() -> None:
    for model in synced_models():
        post_delete.connect(
            record_deletion, sender=model, dispatch_uid=f"tombstone:{model._meta.label}"
        )


def record_deletion(sender, instance, **kwargs) -> None:
    """One tombstone for the deleted ``instance``: its resource, id, school, department and,
    for a personal row (an inbox message, an export), its owner."""
    owner = getattr(instance, "SYNC_OWNER", "")
    Tombstone.objects.create(
        resource=sender.SYNC_RESOURCE,
        object_id=instance.pk,
        school_id=getattr(instance, "school_id", None),
        department_id=getattr(instance, "department_id", None),
        user_id=getattr(instance, f"{owner}_id", None) if owner else None,
    )


def record_scope_reset(sender, *, user, **kwargs) -> None:
    """A reset tombstone for ``user``: their client must re-read every list."""
    Tombstone.objects.create(resource=Tombstone.RESET, user=user)


def purge(now: datetime.datetime) -> int:
    """Delete tombstones older than the retention period; returns how many."""
    cutoff = now - datetime.timedelta(days=retention_days())
    deleted, _ = Tombstone.objects.filter(modified__lt=cutoff).delete()
    return deleted

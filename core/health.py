"""The parts of the health answer (/health/) the load balancer asks for.

Each part is a callable ``check(now) -> dict`` named in ``settings.HEALTH_CHECKS``: it returns
a few figures (no personal data, no host names) or raises ``Unhealthy`` with a short reason.
``run_checks`` runs them all; a part that raises anything else is reported as failed and
logged with its traceback, never shown.
"""

import logging
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.utils.module_loading import import_string
from kombu import Connection

from core.files import private_storage

logger = logging.getLogger(__name__)

Result = dict[str, Any]
OutboxLag = Callable[[datetime], tuple[int, float | None]]


class Unhealthy(Exception):
    """A part of the service is not fit to take traffic; the message is shown."""


def run_checks(now: datetime) -> dict[str, Result]:
    """{part: {"ok": bool, ...figures or "error"}} for every part of HEALTH_CHECKS."""
    results = {}
    for name, path in settings.HEALTH_CHECKS.items():
        try:
            results[name] = {"ok": True, **import_string(path)(now)}
        except Unhealthy as exc:
            logger.warning("health check %s failed: %s", name, exc, exc_info=exc.__cause__)
            results[name] = {"ok": False, "error": str(exc)}
        except Exception:
            logger.exception("health check %s raised", name)
            results[name] = {"ok": False, "error": "check raised an error"}
    return results


def check_database(now: datetime) -> Result:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        raise Unhealthy("database unreachable") from exc
    return {}


def check_broker(now: datetime) -> Result:
    """A Redis PING (or a kombu connection for another transport) within
    HEALTH_BROKER_TIMEOUT seconds."""
    url, timeout = settings.CELERY_BROKER_URL, settings.HEALTH_BROKER_TIMEOUT
    try:
        if url.startswith(("redis://", "rediss://")):
            client = redis.Redis.from_url(
                url, socket_connect_timeout=timeout, socket_timeout=timeout
            )
            try:
                client.ping()
            finally:
                client.close()
        else:
            with Connection(url, connect_timeout=timeout) as conn:
                conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:
        raise Unhealthy("broker unreachable") from exc
    return {}


def check_disk(now: datetime) -> Result:
    """Free space where uploads and exports are written (MEDIA_ROOT, VAR_DIR and the private
    files' folder unless they are in a bucket), at least HEALTH_DISK_MIN_FREE_MB on each."""
    floor = settings.HEALTH_DISK_MIN_FREE_MB
    folders = [settings.MEDIA_ROOT, settings.VAR_DIR]
    private = private_storage()
    if isinstance(private, FileSystemStorage):  # the lazy storage passes as its backend
        folders.append(private.location)
    free = min(_free_mb(Path(p)) for p in folders)
    if free < floor:
        raise Unhealthy(f"less than {floor} MB free")
    return {"free_mb": free}


def _free_mb(path: Path) -> int:
    # A folder not created yet is written on the disk of its nearest existing parent.
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free // (1024 * 1024)


def check_outbox(now: datetime) -> Result:
    """The outbox relay keeps up: its oldest pending row is younger than
    HEALTH_OUTBOX_MAX_AGE_SECONDS. The lag comes from the function named by HEALTH_OUTBOX_LAG,
    ``f(now) -> (pending rows, oldest age in seconds or None)``; unset, the part says so."""
    if not settings.HEALTH_OUTBOX_LAG:
        return {"configured": False}
    lag: OutboxLag = import_string(settings.HEALTH_OUTBOX_LAG)
    pending, oldest = lag(now)
    limit = settings.HEALTH_OUTBOX_MAX_AGE_SECONDS
    figures = {"pending": pending, "oldest_age_seconds": oldest}
    if oldest is not None and oldest > limit:
        raise Unhealthy(f"oldest pending row older than {limit} s")
    return figures

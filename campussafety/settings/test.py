"""Test settings: the real database and broker from the environment, fast hashing."""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DEBUG", "true")


from .base import *


def _worker_broker(url: str, worker: str) -> str:
    """The broker URL of one pytest-xdist worker ("gw0", "gw1", …): Redis database number
    base + worker index, so workers running the real-worker tests side by side never take
    each other's tasks. Other URLs are returned unchanged."""
    if not (url.startswith("redis://") and worker.startswith("gw")):
        return url
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) + int(worker[2:])
    return urlunsplit(parts._replace(path=f"/{db}"))


CELERY_BROKER_URL = _worker_broker(CELERY_BROKER_URL, os.environ.get("PYTEST_XDIST_WORKER", ""))
# In the environment too: the worker tests read CELERY_BROKER_URL from it.
if "CELERY_BROKER_URL" in os.environ:
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL


PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
MEDIA_ROOT = VAR_DIR / "test-media"
# tests/conftest.py gives each test its own folder (private_files).
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": VAR_DIR / "test-private"},
}
PRIVATE_FILES_X_ACCEL_PREFIX = ""
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
LANGUAGE_CODE = "zh-hans"
# Tasks enqueued on commit run inline so tests see their effects; the broker itself is
# exercised by the worker tests, which start a real Celery worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

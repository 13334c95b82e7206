"""Test settings: the real database and broker from the environment, fast hashing."""

import os
from pathlib import Path

os.environ.setdefault("DEBUG", "true")

from .base import *

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

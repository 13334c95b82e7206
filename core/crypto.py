"""Field-level encryption at rest for the sealed mental-health data (session notes,
screening details, follow-up plans).

``EncryptedTextField`` stores a Fernet token (AES-128-CBC + HMAC-SHA256, ``cryptography``)
in a text column and gives back the plain text when a row is read. The keys come from
``settings.WELLBEING_KEYS`` (environment ``WELLBEING_KEYS``: Fernet keys, comma-separated,
newest first). New values are written with the newest key; a value written with any listed
key is read (``MultiFernet``). Rotation: put a new key first, run
``manage.py rotate_encryption_keys`` (re-encrypts every encrypted column with the newest
key), then drop the old key. A token that no listed key opens raises ``InvalidToken``.

Encrypted columns cannot be filtered or sorted on: nothing should search inside them.
"""

import functools

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models


@functools.lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    """The ``MultiFernet`` of the configured keys (newest first)."""
    return _fernet(tuple(settings.WELLBEING_KEYS))


def encrypt(text: str) -> str:
    """``text`` → a Fernet token (str) under the newest key; ``""`` stays ``""``."""
    return fernet().encrypt(text.encode()).decode() if text else ""


def decrypt(token: str) -> str:
    """A token written under any configured key → its text; ``""`` stays ``""``."""
    return fernet().decrypt(token.encode()).decode() if token else ""


def rotate(token: str) -> str:
    """The token re-encrypted under the newest key (``MultiFernet.rotate``)."""
    return fernet().rotate(token.encode()).decode() if token else ""


class EncryptedTextField(models.TextField):
    """A text field whose column holds a Fernet token, never the text itself."""

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value is None else encrypt(value)


def encrypted_fields():
    """``(model, field)`` of every ``EncryptedTextField`` of the installed apps."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield model, field

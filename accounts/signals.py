"""Signals of the accounts app: how it tells the apps above it (which it may not import)
that something happened to a user.

``scope_changed`` is sent after a user's role or scope was saved (the admin sends it once
per save, when the many-to-many schools are final), with ``user``, ``actor`` (who changed
it), ``before`` (``User.scope_snapshot()`` before; None for a new user) and ``after``.
``notifications`` tells the bureau admins (``notifications.receivers``).
"""

from django.dispatch import Signal

scope_changed = Signal()

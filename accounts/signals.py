"""Signals of the accounts app.

``scope_changed`` is how accounts tells the apps above it (which it may not import) that a
user's role or scope was saved: the admin sends it once per save, when the many-to-many
schools are final, with ``user``, ``actor`` (who changed it), ``before``
(``User.scope_snapshot()`` before; None for a new user) and ``after``; ``notifications``
tells the bureau admins (``notifications.receivers``).

The receivers below keep API tokens from outliving the credentials they were issued for: a
change of the password or a deactivation revokes the user's tokens
(``services.revoke_api_tokens``). A signal rather than a service call because a password or
``is_active`` changes in many places Django owns (the admin's forms, ``changepassword``,
``set_password`` in a shell); this is a security invariant on the row, not a domain flow.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver

from . import services
from .models import User

scope_changed = Signal()

WATCHED = {"password", "is_active"}


@receiver(pre_save, sender=User, dispatch_uid="accounts.note_credentials")
def note_credentials(sender, instance, update_fields=None, raw=False, **kwargs):
    """Remember whether this save changes the password or deactivates the user."""
    instance._revoke_tokens = False
    if (
        raw
        or instance.pk is None
        or (update_fields is not None and not WATCHED & set(update_fields))
    ):
        return
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is not None:
        instance._revoke_tokens = before["password"] != instance.password or (
            before["is_active"] and not instance.is_active
        )


@receiver(post_save, sender=User, dispatch_uid="accounts.revoke_tokens")
def revoke_tokens(sender, instance, created=False, **kwargs):
    if not created and getattr(instance, "_revoke_tokens", False):
        services.revoke_api_tokens(instance)
        instance._revoke_tokens = False

"""Writes about users' sign-in: revoking their API tokens and lifting a lock-out.

Tokens are revoked when a password changes or a user is deactivated, wherever that happens
(admin, ``changepassword``, a script): ``accounts.signals`` watches the user row and calls
``revoke_api_tokens``. Web sessions need no such step: Django ends them itself (a session
holds a hash of the password, and an inactive user is not loaded)."""

import datetime

from axes.utils import reset as reset_axes_attempts
from knox.models import AuthToken

from core.exceptions import NotPermitted

from .models import User


def revoke_api_tokens(user: User) -> int:
    """Delete every API token of ``user``; returns how many there were."""
    deleted, _by_model = AuthToken.objects.filter(user=user).delete()
    return deleted


def purge_expired_tokens(user: User, *, now: datetime.datetime) -> int:
    """Delete the tokens of ``user`` that expired before ``now``; returns how many."""
    deleted, _by_model = AuthToken.objects.filter(user=user, expiry__lt=now).delete()
    return deleted


def unlock_sign_in(user: User, *, actor: User) -> int:
    """Lift the sign-in lock-out of ``user`` at every address (django-axes' failed attempts
    of that user name are forgotten). Returns how many attempt records went."""
    if not actor.has_perm("accounts.unlock_sign_in", user):
        raise NotPermitted()
    return int(reset_axes_attempts(username=user.get_username()))

"""The API's permission class: a viewset declares the permission each action needs and this
asks ``user.has_perm`` for it (pretix's ``permission`` attribute on its API views).

Permissions on one row are asked once the row is found (out of scope is 404 first), by the
view or by the service it calls; ``ActionPermission`` asks those that need no row.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


class ActionPermission(permissions.BasePermission):
    """403 unless the user has the permission ``view.action_permissions`` names for the
    request's action (a dict: action name → permission name); ``"write"`` names the one
    every other unsafe method needs. Actions it does not name need none here; methods the
    viewset does not offer pass, so they stay 405. The 403's detail is
    ``view.permission_denied_message`` when the view sets one."""

    message = _("您没有权限执行此操作。")

    def has_permission(self, request, view):
        action = getattr(view, "action", None)
        if action is None:
            return True
        needed = getattr(view, "action_permissions", {})
        perm = needed.get(action)
        if perm is None and request.method not in permissions.SAFE_METHODS:
            perm = needed.get("write")
        if perm is None or request.user.has_perm(perm):
            return True
        self.message = getattr(view, "permission_denied_message", self.message)
        return False

"""Receivers of the signals lower apps send (they may not import notifications).

``notify_scope_change``: a user's role or scope changed (``accounts.signals.scope_changed``,
sent by the user admin) → every active bureau admin gets an inbox row (and their chosen
channels) saying who changed what, before → after.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from schools.models import Department, School

from .models import Kind
from .services import notify


def notify_scope_change(sender, *, user, actor, before, after, **kwargs) -> None:
    """Tell the bureau admins that ``actor`` changed ``user``'s role or scope."""
    latest = user.history.order_by("-history_id").first()
    period = f"scope:{latest.history_id if latest else timezone.now().isoformat()}"

    def title() -> str:
        return _("用户 %(user)s 的角色或范围已变更") % {"user": user}

    def body() -> str:
        lines = [_("操作人：%(actor)s") % {"actor": actor}]
        for name, label in _labels().items():
            old = _describe(name, before[name]) if before else "—"
            new = _describe(name, after[name])
            if before is None or before[name] != after[name]:
                lines.append(f"{label}：{old} → {new}")
        return "\n".join(lines)

    notify(
        User.objects.bureau_admins(),
        kind=Kind.SCOPE_CHANGE,
        subject=user,
        period=period,
        title=title,
        body=body,
        url=reverse("admin:accounts_user_change", args=[user.pk]),
    )


def _labels() -> dict:
    return {
        "role": _("角色"),
        "scope_all_schools": _("全旗范围"),
        "schools": _("所属学校"),
        "department": _("所属部门"),
        "is_active": _("启用"),
        "is_superuser": _("超级用户"),
    }


def _describe(name: str, value) -> str:
    """A snapshot value in words of the active language."""
    if name == "role":
        return str(User.Role(value).label) if value in User.Role.values else str(value)
    if name == "schools":
        names = School.objects.filter(pk__in=value).order_by("code").values_list("name", flat=True)
        return "、".join(names) or _("无")
    if name == "department":
        department = Department.objects.filter(pk=value).first() if value else None
        return str(department) if department else _("无")
    return _("是") if value else _("否")

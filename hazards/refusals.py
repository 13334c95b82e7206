"""Why an action on a hazard is not available to this person now: the one place the hazard
page, the web's refusals and the API's error bodies take their reasons from.

``transition_refusal(user, hazard, name)`` returns None when the transition ``name`` of
``TRANSITIONS`` may be performed now, else a translated sentence naming the cause, checked
in this order: the hazard's state, a read-only account, a school outside the scope, the
role the action needs, the separation of duties (the submitter of a rectification does not
verify it). ``services`` raises ``NotPermitted``/``InvalidTransition`` with these sentences,
so the API's 400/403 body says the same as the page.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.rules import can_write, in_school_scope, is_principal

from .models import TRANSITIONS, Hazard

# The permission each transition asks of its hazard (``hazards.rules``).
PERMISSIONS = {
    "assign": "hazards.assign_hazard",
    "submit_rectification": "hazards.submit_rectification",
    "reject_rectification": "hazards.reject_rectification",
    "close": "hazards.close_hazard",
    "dismiss": "hazards.dismiss_hazard",
}

# Who does each step, said the way the workflow's people say it.
ROLE_REASONS = {
    "assign": gettext_lazy("交办整改由本校安全员、校长或教体局人员办理。"),
    "dismiss": gettext_lazy("不予立案由本校安全员、校长或教体局人员办理。"),
    "submit_rectification": gettext_lazy("整改由本校安全员、校长或指定的整改责任人提交。"),
    "close": gettext_lazy("验收销号由教体局人员办理；一般隐患也可由本校校长验收。"),
    "reject_rectification": gettext_lazy(
        "验收不通过由教体局人员办理；一般隐患也可由本校校长办理。"
    ),
}
MAJOR_REASON = gettext_lazy("重大隐患挂牌督办，须由教体局人员验收，校长不能验收。")
SEPARATION_REASON = gettext_lazy("整改提交人不能验收自己提交的整改。")


def violates_separation(user: User | AnonymousUser, hazard: Hazard, name: str) -> bool:
    """Whether ``user`` submitted the rectification that ``name`` would verify."""
    return name in ("close", "reject_rectification") and hazard.submitted_by_id == user.pk


def state_refusal(hazard: Hazard, name: str) -> str | None:
    """The sentence for a state that does not allow ``name``; None when it does."""
    if hazard.status in TRANSITIONS[name].sources:
        return None
    return _("隐患当前状态为“%(status)s”，不能执行“%(action)s”。") % {
        "status": hazard.get_status_display(),
        "action": TRANSITIONS[name].label,
    }


def permission_refusal(user: User | AnonymousUser, hazard: Hazard, name: str) -> str | None:
    """Why ``user`` may not do ``name`` to ``hazard`` in any state (account, scope, role,
    separation of duties); None when they may."""
    if user.has_perm(PERMISSIONS[name], hazard):
        if violates_separation(user, hazard, name):
            return str(SEPARATION_REASON)
        return None
    if not can_write(user):
        return _("该账号只能查看，不能办理隐患。")
    if not in_school_scope(user, hazard):
        return _("该隐患所在学校不在您的管理范围内。")
    verifies = name in ("close", "reject_rectification")
    if verifies and hazard.level == Hazard.Level.MAJOR and is_principal(user):
        return str(MAJOR_REASON)
    return str(ROLE_REASONS[name])


def transition_refusal(user: User | AnonymousUser, hazard: Hazard, name: str) -> str | None:
    """None when ``user`` may perform ``name`` on ``hazard`` now, else why not (state first)."""
    return state_refusal(hazard, name) or permission_refusal(user, hazard, name)


@dataclass(frozen=True)
class Action:
    """A workflow step of the hazard's current state, as the page shows it."""

    name: str
    label: str
    reason: str | None  # None: available to this person now

    @property
    def available(self) -> bool:
        return self.reason is None


def current_actions(user: User | AnonymousUser, hazard: Hazard) -> list[Action]:
    """The transitions the hazard's state allows, in ``TRANSITIONS`` order, each with why
    this person may not do it (None when they may)."""
    return [
        Action(name, str(spec.label), permission_refusal(user, hazard, name))
        for name, spec in TRANSITIONS.items()
        if hazard.status in spec.sources
    ]

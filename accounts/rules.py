"""Who a user is, as ``rules`` predicates: with ``User.Role`` the only place where role names
are spelled. Every other app composes these into the object permissions it owns, registered
in its own ``rules.py`` (``rules.add_perm("app.verb_model", predicate)``) and asked as
``user.has_perm("app.verb_model", obj)`` by views, API, admin, templates and tasks.

A predicate takes ``(user)`` or ``(user, obj)`` and is False for an anonymous user.
``in_school_scope`` reads the school of ``obj`` (a School, or anything with a ``school_id``).

``User.has_perm`` answers a permission registered here by its rule alone, without asking
Django's model permissions (no query: they hold none of these names), so apps name theirs
with their own verbs (``record``, ``manage``, ``fill``…), not Django's add/change/delete/view.
A superuser passes them all, as Django's ``has_perm`` does, except the sealed ones
(``add_sealed_perm``): the mental-health domain is visible to the school's counsellors only,
"the bureau included" (DESIGN.md).
"""

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from .models import User

Role = User.Role

SEALED_PERMISSIONS: set[str] = set()


def add_sealed_perm(name: str, predicate: rules.Predicate) -> None:
    """Register ``name`` as ``rules.add_perm`` does, and mark it sealed: not granted to a
    superuser for being one (see ``User.has_perm``)."""
    rules.add_perm(name, predicate)
    SEALED_PERMISSIONS.add(name)


def _has_role(*roles: str) -> rules.Predicate:
    wanted = frozenset(roles)

    def check(user: User | AnonymousUser) -> bool:
        return user.is_authenticated and user.role in wanted

    return rules.Predicate(check, name="has_role:" + ",".join(sorted(wanted)))


is_bureau = _has_role(*User.BUREAU_ROLES)  # 教体局: staff and admins, bureau-wide scope
is_bureau_admin = _has_role(Role.BUREAU_ADMIN)  # 教体局管理员: accounts and bulk imports
is_school_officer = _has_role(Role.SCHOOL_OFFICER)
is_principal = _has_role(Role.PRINCIPAL)
is_teacher = _has_role(Role.TEACHER)
is_inspector = _has_role(Role.INSPECTOR)  # from another department (公安、消防…)
is_counsellor = _has_role(Role.COUNSELLOR)
is_read_only_client = _has_role(Role.REPORT_CLIENT)  # a REST client that only reads
is_bureau_admin = _has_role(Role.BUREAU_ADMIN)  # 教体局管理员: accounts, imports, webhooks

# A school's managers (safety officer, principal) run its safety work; with the teachers
# they are the school's own staff, who may be responsible for a rectification.
is_school_manager = is_school_officer | is_principal
is_school_staff = is_school_manager | is_teacher

# Everybody signed in writes except the read-only clients.
can_write = rules.is_authenticated & ~is_read_only_client


@rules.predicate
def in_school_scope(user: User | AnonymousUser, obj: Model | None = None) -> bool:
    """The school of ``obj`` is in the user's scope; without ``obj``: some school is."""
    if not user.is_authenticated:
        return False
    if obj is None:
        return user.has_any_school
    return user.has_school(getattr(obj, "school_id", getattr(obj, "pk", None)))


# Who may give a user a bureau role in the admin (a school appoints school roles only).
rules.add_perm("accounts.grant_bureau_role", is_bureau)

# Who may sign in to the web pages and the admin: everybody but the report clients, whose
# accounts are for the REST API only (they get a token at /api/v1/auth/token/).
rules.add_perm("accounts.sign_in_to_web", rules.is_authenticated & ~is_read_only_client)
# Who may lift a sign-in lock-out (admin › 用户 › 解除登录锁定).
rules.add_perm("accounts.unlock_sign_in", is_bureau)

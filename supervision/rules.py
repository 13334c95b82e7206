"""Who may do what in key-period supervision, asked as ``user.has_perm("supervision.…", obj)``.

- ``view_supervision`` (no object, or a school): the counts (summaries, compliance, trend):
  the bureau, report clients and the school's own staff. Counts only: names and phones are
  behind ``schools.view_student`` / ``schools.view_guardian_phone``.
- ``manage_supervision`` (a school): bell times, patrol points and rosters: the school's
  officer and principal.
- ``record_checkin`` (a ``SchoolClass``): the class's homeroom teacher, and the school's
  officer and principal; they also see the class's roll by name.
- ``run_patrol`` (a ``PatrolSlot``): the slot's patroller, and the school's officer and
  principal.
"""

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from accounts.models import User
from accounts.rules import (
    in_school_scope,
    is_bureau,
    is_read_only_client,
    is_school_manager,
    is_school_staff,
)


@rules.predicate
def teaches_class(user: User | AnonymousUser, school_class: Model | None) -> bool:
    """The user is the homeroom teacher (班主任) of ``school_class``."""
    if school_class is None or not user.is_authenticated:
        return False
    return getattr(school_class, "homeroom_teacher_id", None) == user.pk


@rules.predicate
def patrols_slot(user: User | AnonymousUser, slot: Model | None) -> bool:
    """The user is the patroller on ``slot``'s roster line."""
    if slot is None or not user.is_authenticated:
        return False
    return getattr(slot, "patroller_id", None) == user.pk


rules.add_perm(
    "supervision.view_supervision",
    is_bureau | is_read_only_client | (is_school_staff & in_school_scope),
)
rules.add_perm("supervision.manage_supervision", is_school_manager & in_school_scope)
rules.add_perm("supervision.record_checkin", (teaches_class | is_school_manager) & in_school_scope)
rules.add_perm("supervision.run_patrol", (patrols_slot | is_school_manager) & in_school_scope)

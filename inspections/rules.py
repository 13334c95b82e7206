"""Who may plan, fill and review inspections and run the bureau's inspection work: ``rules``
permissions of the inspections app, asked as ``user.has_perm(name, obj)``. Which rows a user
sees is ``Inspection.objects.visible_to(user)``; these decide the actions.

Objects: an ``Inspection`` (for ``plan_inspection`` an unsaved one carrying the kind to plan;
None: some kind), a ``CrossInspectionRound`` or nothing.
"""

import rules
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.rules import can_write, in_school_scope, is_bureau, is_inspector, is_school_manager

from .models import Inspection

Kind = Inspection.Kind


@rules.predicate
def is_cross(user: User | AnonymousUser, inspection: Inspection | None) -> bool:
    return inspection is not None and inspection.kind == Kind.CROSS


@rules.predicate
def is_self_check(user: User | AnonymousUser, inspection: Inspection | None) -> bool:
    return inspection is not None and inspection.kind == Kind.SELF


@rules.predicate
def is_joint_or_spot(user: User | AnonymousUser, inspection: Inspection | None) -> bool:
    return inspection is not None and inspection.kind in (Kind.JOINT, Kind.SPOT)


@rules.predicate
def plans_self_check(user: User | AnonymousUser, inspection: Inspection | None) -> bool:
    """The kind to plan is a self check (no kind given: some kind, e.g. the page)."""
    return inspection is None or inspection.kind == Kind.SELF


@rules.predicate
def in_inspecting_school(user: User | AnonymousUser, inspection: Inspection | None) -> bool:
    return (
        inspection is not None
        and user.is_authenticated
        and user.has_school(inspection.inspecting_school_id)
    )


@rules.predicate
def department_takes_part(user: User | AnonymousUser, inspection: Inspection | None) -> bool:
    return (
        inspection is not None
        and user.is_authenticated
        and user.department_id is not None
        and inspection.departments.filter(pk=user.department_id).exists()
    )


# The bureau plans any kind; a school's officer or principal a self check of their school
# (the school's scope is the service's field error). Cross inspections come from rounds.
rules.add_perm(
    "inspections.plan_inspection", can_write & (is_bureau | (is_school_manager & plans_self_check))
)

# Who carries an inspection out: the bureau; the inspecting school's managers of a cross
# inspection; the school's own managers of a self check; for a joint or spot check an
# inspector of the school or of a department that takes part.
rules.add_perm(
    "inspections.fill_inspection",
    can_write
    & (
        is_bureau
        | (is_cross & is_school_manager & in_inspecting_school)
        | (is_self_check & is_school_manager & in_school_scope)
        | (is_joint_or_spot & is_inspector & (in_school_scope | department_takes_part))
    ),
)

# The bureau's own work: reviewing cross inspections, checklist versions, cross-inspection
# rounds, leaders' coverage and the safety committee.
rules.add_perm("inspections.review_inspection", is_bureau)
rules.add_perm("inspections.manage_checklist", is_bureau)
rules.add_perm("inspections.manage_round", is_bureau)
rules.add_perm("inspections.view_coverage", is_bureau)
rules.add_perm("inspections.view_committee", is_bureau)

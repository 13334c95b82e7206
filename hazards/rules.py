"""Who may do what to a hazard: ``rules`` predicates, registered as object permissions.

Asked as ``user.has_perm("hazards.close_hazard", hazard)``. Scope (which rows a user sees)
is ``Hazard.objects.visible_to(user)``; these predicates decide the actions.
"""
import rules

from accounts.models import User

Role = User.Role


@rules.predicate
def in_school_scope(user, obj):
    school_id = getattr(obj, "school_id", getattr(obj, "pk", None))
    return user.is_authenticated and user.has_school(school_id)


@rules.predicate
def is_bureau(user):
    return user.is_authenticated and user.is_bureau


@rules.predicate
def is_school_manager(user):
    return user.is_authenticated and user.role in User.SCHOOL_MANAGER_ROLES


@rules.predicate
def is_principal(user):
    return user.is_authenticated and user.role == Role.PRINCIPAL


@rules.predicate
def can_write(user):
    """Report clients only read; counsellors keep to mental-health work but may report."""
    return user.is_authenticated and user.role != Role.REPORT_CLIENT


@rules.predicate
def is_responsible(user, hazard):
    return hazard is not None and hazard.responsible_id == user.pk


@rules.predicate
def is_general_hazard(user, hazard):
    return hazard is not None and hazard.level == "general"


manages_school = in_school_scope & (is_bureau | is_school_manager)

# report_hazard takes a School as the object.
rules.add_perm("hazards.report_hazard", can_write & in_school_scope)
rules.add_perm("hazards.assign_hazard", manages_school)
rules.add_perm("hazards.dismiss_hazard", manages_school)
rules.add_perm(
    "hazards.submit_rectification",
    in_school_scope & (is_school_manager | is_responsible) & can_write,
)
# 督/销: the bureau; a principal may verify general hazards of their own school.
# Major hazards are under bureau supervision (挂牌督办).
verifies = in_school_scope & (is_bureau | (is_principal & is_general_hazard))
rules.add_perm("hazards.close_hazard", verifies)
rules.add_perm("hazards.reject_rectification", verifies)

"""Who may do what to a hazard and the hazards app's other records: ``rules`` permissions,
composed of the role predicates of ``accounts.rules``.

Asked as ``user.has_perm("hazards.close_hazard", hazard)``. Scope (which rows a user sees)
is ``Hazard.objects.visible_to(user)``; these decide the actions. The object is a Hazard,
except for ``report_hazard`` (a School; None: some school of the user's scope) and the
permissions asked without one (``write_hazard``, ``manage_remediation``,
``print_snapshot_poster``). The state an action needs and the separation of duties are the
services' checks (``services.can_transition``, ``services.can_supervise``), not these, so a
superuser, who passes every permission, still meets them.
"""

import rules
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.rules import (
    can_write,
    in_school_scope,
    is_bureau,
    is_principal,
    is_school_manager,
)

from .models import Hazard


@rules.predicate
def is_responsible(user: User | AnonymousUser, hazard: Hazard | None) -> bool:
    return hazard is not None and hazard.responsible_id == user.pk


@rules.predicate
def is_general_hazard(user: User | AnonymousUser, hazard: Hazard | None) -> bool:
    return hazard is not None and hazard.level == Hazard.Level.GENERAL


# Writing to the ledger at all (the API refuses a read-only client's writes before reading
# the body); each write then asks its own permission of its object.
rules.add_perm("hazards.write_hazard", can_write)

# 查: everybody of the school reports (the counsellors too); report clients only read.
rules.add_perm("hazards.report_hazard", can_write & in_school_scope)

manages_school = in_school_scope & (is_bureau | is_school_manager)
rules.add_perm("hazards.assign_hazard", manages_school)
rules.add_perm("hazards.dismiss_hazard", manages_school)

# 改: the school's managers, or the person named responsible.
rules.add_perm(
    "hazards.submit_rectification",
    in_school_scope & (is_school_manager | is_responsible) & can_write,
)

# 督/销: the bureau; a principal may verify general hazards of their own school.
# Major hazards are under bureau supervision (挂牌督办).
verifies = in_school_scope & (is_bureau | (is_principal & is_general_hazard))
rules.add_perm("hazards.close_hazard", verifies)
rules.add_perm("hazards.reject_rectification", verifies)

# 挂牌督办: bureau staff name the supervising leader of a hazard of their scope (an open
# major one: ``services.can_supervise``).
rules.add_perm("hazards.supervise_hazard", is_bureau & in_school_scope)

# Remediation projects (整改项目): bureau staff manage them; school users read theirs.
rules.add_perm("hazards.manage_remediation", is_bureau)

# Who the menu offers the schools' 随手拍 QR-code posters to (they print and hang them): the
# bureau and the schools' managers. The poster pages themselves show every signed-in user
# the posters of their own schools (the codes lead to a public form).
rules.add_perm("hazards.print_snapshot_poster", is_bureau | is_school_manager)

"""Who may do what in the sealed mental-health domain (``user.has_perm(name, obj)``; ``obj``
a School, a ``StudentRecord`` or anything with ``school_id``; None: for some school).

Sealed (``add_sealed_perm``, not granted to a superuser for being one): reading and keeping
files (the school's counsellors), break-glass (the school's principal, a bureau admin) and
reading the break-glass log (the school's counsellors, bureau admins). Counts by level and
school (no names) are for the bureau, report clients and counsellors.
"""

import rules

from accounts.rules import (
    add_sealed_perm,
    in_school_scope,
    is_bureau,
    is_bureau_admin,
    is_counsellor,
    is_principal,
    is_read_only_client,
    is_school_manager,
)

counsels = is_counsellor & in_school_scope
add_sealed_perm("wellbeing.view_record", counsels)
add_sealed_perm("wellbeing.manage_record", counsels)
add_sealed_perm("wellbeing.break_glass", (is_principal & in_school_scope) | is_bureau_admin)
add_sealed_perm("wellbeing.view_access_log", counsels | is_bureau_admin)

rules.add_perm("wellbeing.view_counts", is_bureau | is_read_only_client | counsels)

# Bullying cases: the school's committee (managers, counsellors) keeps them; the bureau reads.
keeps_bullying = (is_school_manager | is_counsellor) & in_school_scope
rules.add_perm("wellbeing.record_bullying", keeps_bullying)
rules.add_perm("wellbeing.view_bullying", keeps_bullying | is_bureau)

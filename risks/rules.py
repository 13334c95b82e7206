"""Who may keep a school's risk register: ``rules`` permissions of the risks app.

``risks.manage_register`` (obj: a School, or anything with ``school_id``; None: some
school): the bureau anywhere, a school's safety officer or principal for their own schools —
add and edit points, assess them, record checks, link hazards, upload the site plan and
place the points. Reading the register and the map is ``RiskPoint.objects.visible_to``.
``risks.view_watch_list``: the bureau's "schools to watch" and the policy.
"""

import rules

from accounts.rules import in_school_scope, is_bureau, is_school_manager

rules.add_perm("risks.manage_register", is_bureau | (is_school_manager & in_school_scope))
rules.add_perm("risks.view_watch_list", is_bureau)

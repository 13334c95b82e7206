"""Who may do what with drills, plans and incidents: ``rules`` permissions of the drills
app, asked as ``user.has_perm("drills.<verb>_<model>", school or object)`` (``None``: for
some school, which shows the "new" button). Which rows a user sees is
``<Model>.objects.visible_to(user)``."""

import rules

from accounts.rules import in_school_scope, is_bureau, is_bureau_admin, is_school_manager

# Bureau roles anywhere; a school's safety officer or principal for their own schools.
school_or_bureau = is_bureau | (is_school_manager & in_school_scope)

rules.add_perm("drills.record_drill", school_or_bureau)
rules.add_perm("drills.manage_plan", school_or_bureau)
rules.add_perm("drills.report_incident", school_or_bureau)
# The names of the people involved in an incident: the school's managers and the bureau's
# admins only; bureau staff and everybody else see counts.
rules.add_perm(
    "drills.view_incident_names", is_bureau_admin | (is_school_manager & in_school_scope)
)

"""Who may record drills: ``rules`` permissions of the drills app, asked as
``user.has_perm("drills.record_drill", school)`` (``school`` None: for some school, which
shows the "new" button). Which rows a user sees is ``Drill.objects.visible_to(user)``."""

import rules

from accounts.rules import in_school_scope, is_bureau, is_school_manager

# Bureau roles anywhere; a school's safety officer or principal for their own schools.
rules.add_perm("drills.record_drill", is_bureau | (is_school_manager & in_school_scope))

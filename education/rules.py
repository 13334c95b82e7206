"""Who may record safety education and counselling: ``rules`` permissions of the education
app, asked as ``user.has_perm(name, school)`` (``school`` None: for some school). Which rows
a user sees is the models' ``visible_to(user)``.

Counselling is sealed (``accounts.rules.add_sealed_perm``): only a counsellor, for their own
schools, even against a superuser; the bureau sees counts in the reports.

Rule-of-law vice principals are appointed by the bureau; their lessons and the staff
trainings are recorded like activities; the yearly evaluation is the school's principal's
(or the bureau's). Coverage and compliance are read by the bureau, the report clients and
the school's own managers.
"""

import rules

from accounts.rules import (
    add_sealed_perm,
    in_school_scope,
    is_bureau,
    is_counsellor,
    is_principal,
    is_read_only_client,
    is_school_staff,
)

# Teachers hold most class meetings and flag speeches, so they record activities too.
rules.add_perm("education.record_activity", is_bureau | (is_school_staff & in_school_scope))

counsels = is_counsellor & in_school_scope
add_sealed_perm("education.view_counselling", counsels)
add_sealed_perm("education.record_counselling", counsels)

rules.add_perm("education.manage_vice_principal", is_bureau)
rules.add_perm("education.evaluate_vice_principal", is_bureau | (is_principal & in_school_scope))
reads_compliance = is_bureau | is_read_only_client | (is_school_staff & in_school_scope)
rules.add_perm("education.view_coverage", reads_compliance)
rules.add_perm("education.view_compliance", reads_compliance)

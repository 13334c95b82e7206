"""Who may turn a school's risk register into plans: ``riskplans.generate_plans`` (obj: a
School): the bureau anywhere, a school's safety officer or principal for their own
schools — the same people who keep the register (``risks.manage_register``)."""

import rules

from accounts.rules import in_school_scope, is_bureau, is_school_manager

rules.add_perm("riskplans.generate_plans", is_bureau | (is_school_manager & in_school_scope))

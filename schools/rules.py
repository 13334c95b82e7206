"""Who may see and keep a school's roster (classes and students).

Students are seen by name only by the school's own staff and counsellors; the bureau,
department inspectors and report clients get counts. A guardian's phone is shown whole only
to the student's homeroom teacher and the school's safety officer and principal; everybody
else who may see the student sees it masked (``Student.masked_guardian_phone``).
"""

import rules
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from accounts.rules import (
    add_sealed_perm,
    in_school_scope,
    is_bureau_admin,
    is_counsellor,
    is_school_manager,
    is_school_staff,
)

from .models import Student


@rules.predicate
def is_homeroom_teacher(user: User | AnonymousUser, student: Student | None) -> bool:
    """The user is the homeroom teacher (班主任) of the student's class."""
    if student is None or not user.is_authenticated:
        return False
    return student.school_class.homeroom_teacher_id == user.pk


sees_students = (is_school_staff | is_counsellor) & in_school_scope

# Sealed: a superuser does not see students' names and guardians' phones for being one.
add_sealed_perm("schools.view_student", sees_students)
add_sealed_perm(
    "schools.view_guardian_phone",
    (is_school_manager & in_school_scope) | (is_homeroom_teacher & in_school_scope),
)
rules.add_perm("schools.manage_roster", is_school_manager & in_school_scope)

# Bulk import of schools, staff and leader/cadre assignments from Excel (bureau admins).
rules.add_perm("schools.import_roster", is_bureau_admin)

"""Classes and students: who sees students by name, and who sees guardians' phones whole."""

import pytest

from accounts.models import User
from schools.models import Student, mask_phone

from ..factories import SchoolClassFactory, SchoolFactory, StudentFactory, UserFactory

pytestmark = pytest.mark.django_db
R = User.Role


def test_mask_phone():
    assert mask_phone("13812341234") == "138****1234"
    assert mask_phone("4561234") == "*****34"
    assert mask_phone("") == ""


def test_school_staff_see_their_students_the_bureau_and_superusers_none():
    school, other = SchoolFactory(), SchoolFactory()
    mine = StudentFactory(school_class=SchoolClassFactory(school=school))
    StudentFactory(school_class=SchoolClassFactory(school=other))
    teacher = UserFactory(role=R.TEACHER, schools=[school])
    counsellor = UserFactory(role=R.COUNSELLOR, schools=[school])
    bureau = UserFactory(role=R.BUREAU_ADMIN, scope_all_schools=True)
    root = UserFactory(role=R.BUREAU_ADMIN, scope_all_schools=True, is_superuser=True)
    inspector = UserFactory(role=R.INSPECTOR, schools=[school])
    for user in (teacher, counsellor):
        assert list(Student.objects.visible_to(user)) == [mine]
    for user in (bureau, root, inspector):
        assert not Student.objects.visible_to(user).exists()


def test_guardian_phone_whole_only_for_homeroom_teacher_and_managers():
    school = SchoolFactory()
    homeroom = UserFactory(role=R.TEACHER, schools=[school])
    other_teacher = UserFactory(role=R.TEACHER, schools=[school])
    officer = UserFactory(role=R.SCHOOL_OFFICER, schools=[school])
    outsider = UserFactory(role=R.SCHOOL_OFFICER, schools=[SchoolFactory()])
    student = StudentFactory(
        school_class=SchoolClassFactory(school=school, homeroom_teacher=homeroom)
    )
    assert homeroom.has_perm("schools.view_guardian_phone", student)
    assert officer.has_perm("schools.view_guardian_phone", student)
    assert not other_teacher.has_perm("schools.view_guardian_phone", student)
    assert not outsider.has_perm("schools.view_guardian_phone", student)
    assert student.masked_guardian_phone == "138****1234"


def test_student_school_follows_its_class():
    school_class = SchoolClassFactory()
    student = StudentFactory.build(school_class=school_class, school=SchoolFactory())
    student.save()
    assert student.school_id == school_class.school_id

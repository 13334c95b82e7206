"""visible_to: the one scoping rule, for schools, school-owned rows and counselling."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from drills.models import Drill
from education.models import CounsellingSession, EducationActivity
from inspections.models import Inspection
from schools.models import School, SchoolAssignment
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    CounsellingFactory,
    DrillFactory,
    InspectionFactory,
    UserFactory,
)


@pytest.fixture
def counsellor_b(school_b):
    return UserFactory(username="counsellor_b", role=User.Role.COUNSELLOR, schools=[school_b])


@pytest.fixture
def sessions(school_a, school_b):
    return {"a": CounsellingFactory(school=school_a), "b": CounsellingFactory(school=school_b)}


def visible_sessions(user):
    return set(CounsellingSession.objects.visible_to(user))


def test_counsellor_sees_own_school_sessions(counsellor_a, sessions):
    assert visible_sessions(counsellor_a) == {sessions["a"]}


def test_counsellor_of_b_sees_none_of_a(counsellor_b, sessions):
    assert visible_sessions(counsellor_b) == {sessions["b"]}


@pytest.mark.parametrize(
    "persona",
    ["bureau_staff", "bureau_admin", "officer_a", "principal_a", "teacher_a", "report_client"],
)
def test_nobody_else_sees_counselling_rows(request, sessions, persona):
    assert visible_sessions(request.getfixturevalue(persona)) == set()


def test_anonymous_sees_no_counselling_rows(sessions):
    assert visible_sessions(AnonymousUser()) == set()


def test_bureau_wide_counsellor_sees_all_sessions(sessions):
    counsellor = UserFactory(role=User.Role.COUNSELLOR, scope_all_schools=True)
    assert visible_sessions(counsellor) == set(sessions.values())


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("bureau_staff", {"甲学校", "乙学校"}),
        ("report_client", {"甲学校", "乙学校"}),
        ("officer_a", {"甲学校"}),
        ("counsellor_a", {"甲学校"}),
        ("officer_b", {"乙学校"}),
    ],
)
def test_schools_visible_to(request, school_a, school_b, persona, expected):
    user = request.getfixturevalue(persona)
    assert set(School.objects.visible_to(user).values_list("name", flat=True)) == expected


def test_anonymous_sees_no_school(school_a):
    assert not School.objects.visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (Inspection, InspectionFactory),
        (Drill, DrillFactory),
        (EducationActivity, ActivityFactory),
    ],
)
def test_school_owned_rows_follow_the_scope(
    school_a, school_b, officer_a, bureau_staff, model, factory
):
    row_a, row_b = factory(school=school_a), factory(school=school_b)
    assert set(model.objects.visible_to(officer_a)) == {row_a}
    assert set(model.objects.visible_to(bureau_staff)) == {row_a, row_b}
    assert not model.objects.visible_to(AnonymousUser()).exists()


def test_user_in_two_schools_sees_both(school_a, school_b):
    cadre = UserFactory(role=User.Role.SCHOOL_OFFICER, schools=[school_a, school_b])
    assert set(School.objects.visible_to(cadre)) == {school_a, school_b}
    assert cadre.has_school(school_a.pk) and cadre.has_school(school_b.pk)


def test_current_assignments(school_a):
    ended = AssignmentFactory(
        school=school_a, start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2023, 12, 31)
    )
    current = AssignmentFactory(school=school_a, start_date=datetime.date(2024, 1, 1))
    assert set(SchoolAssignment.objects.current(on=datetime.date(2024, 6, 1))) == {current}
    assert set(SchoolAssignment.objects.current(on=datetime.date(2023, 6, 1))) == {ended}
    assert set(SchoolAssignment.objects.current(on=datetime.date(2023, 12, 31))) == {ended}

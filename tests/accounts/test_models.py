"""The user's role and scope facts used by every permission and queryset."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.factories import UserFactory


@pytest.mark.parametrize(("role", "is_bureau"), [(r, r in User.BUREAU_ROLES) for r in User.Role])
def test_is_bureau_follows_the_role(db, role, is_bureau):
    assert UserFactory(role=role).is_bureau is is_bureau


def test_bureau_scope_is_all_schools(bureau_staff, school_a, school_b):
    assert bureau_staff.school_ids() is None
    assert bureau_staff.has_school(school_a.pk) and bureau_staff.has_school(school_b.pk)


def test_school_scope(officer_a, school_a, school_b):
    assert officer_a.school_ids() == frozenset({school_a.pk})
    assert officer_a.has_school(school_a.pk) and not officer_a.has_school(school_b.pk)
    assert not officer_a.has_school(None)


def test_school_ids_is_one_query_then_cached(officer_a):
    user = User.objects.get(pk=officer_a.pk)
    with CaptureQueriesContext(connection) as queries:
        user.school_ids()
        user.has_school(1)
        user.school_ids()
    assert len(queries) == 1


def test_str_prefers_the_name(db):
    assert str(UserFactory(username="zhang", name="张老师")) == "张老师"
    assert str(UserFactory(username="li", name="")) == "li"

"""The drills' reminder: a school without an evacuation drill in its month (a kindergarten:
its quarter) is reminded from the 20th of the period's last month, once per period."""

import datetime

import pytest

from accounts.models import User
from drills import reminders
from drills.models import Drill
from notifications.models import Kind, Notification
from schools.models import School
from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def rows(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "period")
    )


# --- drills due -----------------------------------------------------------------------


@pytest.fixture
def kindergarten(db):
    school = SchoolFactory(name="第一幼儿园", school_type=School.SchoolType.KINDERGARTEN)
    UserFactory(username="kg_officer", role=User.Role.SCHOOL_OFFICER, schools=[school])
    return school


def drill(school, date):
    return Drill.objects.create(school=school, drill_type="fire", date=date)


def test_a_school_without_a_drill_this_month_is_reminded_from_the_20th(
    school_a, officer_a, principal_a, kindergarten
):
    assert reminders.remind_drills_due(D(2025, 6, 19)) == 0
    assert reminders.remind_drills_due(D(2025, 6, 20)) == 3
    assert reminders.remind_drills_due(D(2025, 6, 21)) == 0
    assert rows(Kind.DRILL_DUE) == [
        ("kg_officer", "2025-Q2"),
        ("officer_a", "2025-06"),
        ("principal_a", "2025-06"),
    ]


def test_a_drill_in_the_month_or_quarter_settles_it(school_a, officer_a, kindergarten):
    drill(school_a, D(2025, 6, 3))
    drill(kindergarten, D(2025, 4, 28))
    drill(school_a, D(2025, 5, 31))
    assert reminders.remind_drills_due(D(2025, 6, 25)) == 0
    assert reminders.remind_drills_due(D(2025, 7, 25)) == 1  # the school again; Q3 is not ending


def test_kindergartens_are_reminded_in_the_last_month_of_the_quarter_only(kindergarten):
    assert reminders.remind_drills_due(D(2025, 5, 25)) == 0
    assert reminders.remind_drills_due(D(2025, 12, 20)) == 1
    assert rows(Kind.DRILL_DUE) == [("kg_officer", "2025-Q4")]


def test_drill_periods():
    primary = School(school_type=School.SchoolType.PRIMARY)
    kg = School(school_type=School.SchoolType.KINDERGARTEN)
    assert reminders.drill_period(primary, D(2024, 2, 20)) == (
        D(2024, 2, 1),
        D(2024, 2, 29),
        "2024-02",
    )
    assert reminders.drill_period(primary, D(2025, 12, 31)) == (
        D(2025, 12, 1),
        D(2025, 12, 31),
        "2025-12",
    )
    assert reminders.drill_period(kg, D(2025, 11, 5)) == (
        D(2025, 10, 1),
        D(2025, 12, 31),
        "2025-Q4",
    )
    assert reminders.drill_period(kg, D(2025, 1, 5)) == (D(2025, 1, 1), D(2025, 3, 31), "2025-Q1")

"""The drills' reminder: a school still owing its evacuation drill in its month (a
kindergarten: its quarter) is reminded from the 20th of the period's last month, once per
period — by the same function as the compliance page; holidays owe nothing."""

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


@pytest.fixture(autouse=True)
def _terms(terms):
    return terms


def rows(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", "period")
    )


@pytest.fixture
def kindergarten(db):
    school = SchoolFactory(name="第一幼儿园", school_type=School.SchoolType.KINDERGARTEN)
    UserFactory(username="kg_officer", role=User.Role.SCHOOL_OFFICER, schools=[school])
    return school


def drill(school, date, drill_type="fire", style="live"):
    return Drill.objects.create(school=school, drill_type=drill_type, date=date, style=style)


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
    assert reminders.remind_drills_due(D(2025, 11, 25)) == 1  # the school again in term


def test_summer_and_winter_holidays_owe_nothing(school_a, officer_a, kindergarten):
    # July has 9 school days (term ends on the 11th), August none, February 2026 none.
    assert reminders.remind_drills_due(D(2025, 7, 25)) == 0
    assert reminders.remind_drills_due(D(2025, 8, 25)) == 0
    assert reminders.remind_drills_due(D(2026, 2, 25)) == 0


def test_a_tabletop_or_a_non_evacuation_drill_does_not_settle_it(school_a, officer_a):
    drill(school_a, D(2025, 6, 3), style="tabletop")
    drill(school_a, D(2025, 6, 4), drill_type="food_poisoning")
    assert reminders.remind_drills_due(D(2025, 6, 20)) == 1


def test_kindergartens_are_reminded_in_the_last_month_of_the_quarter_only(kindergarten):
    assert reminders.remind_drills_due(D(2025, 5, 25)) == 0
    assert reminders.remind_drills_due(D(2025, 12, 20)) == 1
    assert rows(Kind.DRILL_DUE) == [("kg_officer", "2025-Q4")]


def test_a_boarding_school_owes_two_a_month_by_default(officer_a, school_a):
    school_a.is_boarding = True
    school_a.save()
    drill(school_a, D(2025, 6, 3))
    assert reminders.remind_drills_due(D(2025, 6, 20)) == 1
    note = Notification.objects.get()
    assert "1" in note.body and "2" in note.body

"""The school calendar (schools.calendar): terms, weekends, holidays, make-up workdays and
a school's own overrides of the bureau's calendar."""

import datetime

import pytest

from schools.calendar import is_school_day, school_days, school_days_by_school, term_on
from schools.models import CalendarDay, Term

from ..factories import SchoolFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def autumn_2024():
    return Term.objects.create(
        school_year=2024, kind=Term.Kind.AUTUMN, start_date=D(2024, 9, 2), end_date=D(2025, 1, 17)
    )


def test_weekdays_in_term_are_school_days_weekends_and_outside_are_not(autumn_2024):
    school = SchoolFactory()
    assert is_school_day(school, D(2024, 9, 2))  # Monday, first day
    assert not is_school_day(school, D(2024, 9, 7))  # Saturday
    assert not is_school_day(school, D(2024, 8, 30))  # Friday before the term
    assert not is_school_day(school, D(2025, 1, 20))  # Monday after it
    assert term_on(school, D(2024, 12, 7)) == autumn_2024
    assert term_on(school, D(2025, 2, 1)) is None


def test_holiday_and_make_up_workday(autumn_2024):
    school = SchoolFactory()
    CalendarDay.objects.create(date=D(2024, 10, 1), kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    CalendarDay.objects.create(date=D(2024, 10, 12), kind=CalendarDay.Kind.WORKDAY)  # Saturday
    days = school_days(school, D(2024, 9, 30), D(2024, 10, 13))
    assert D(2024, 10, 1) not in days
    assert D(2024, 10, 12) in days
    assert D(2024, 10, 13) not in days  # an ordinary Sunday
    assert D(2024, 9, 30) in days


def test_a_schools_own_term_and_day_override_the_bureaus(autumn_2024):
    school, other = SchoolFactory(), SchoolFactory()
    Term.objects.create(
        school=school,
        school_year=2024,
        kind=Term.Kind.AUTUMN,
        start_date=D(2024, 9, 9),
        end_date=D(2025, 1, 10),
    )
    CalendarDay.objects.create(date=D(2024, 10, 1), kind=CalendarDay.Kind.HOLIDAY)
    CalendarDay.objects.create(school=school, date=D(2024, 10, 1), kind=CalendarDay.Kind.WORKDAY)
    assert not is_school_day(school, D(2024, 9, 2))
    assert is_school_day(other, D(2024, 9, 2))
    assert is_school_day(school, D(2024, 10, 1))
    assert not is_school_day(other, D(2024, 10, 1))
    # The override is seen even when the range overlaps only the bureau's term.
    assert school_days(school, D(2025, 1, 13), D(2025, 1, 17)) == []


def test_many_schools_in_two_queries(autumn_2024, django_assert_num_queries):
    schools = [SchoolFactory() for _ in range(5)]
    with django_assert_num_queries(2):
        days = school_days_by_school([s.pk for s in schools], D(2024, 9, 1), D(2024, 9, 30))
    assert all(len(v) == 21 for v in days.values())

"""The demo's school calendar for any year: official holidays and make-up workdays from
chinesecalendar where it knows the year, weekends only beyond, terms by rule."""

import datetime

import pytest

from demo.builders import calendar as cal

D = datetime.date


def test_an_official_holiday_in_term_is_not_a_school_day():
    assert cal.in_term(D(2024, 10, 1)) and cal.has_official_calendar(2024)
    assert not cal.is_workday(D(2024, 10, 1)) and not cal.is_school_day(
        D(2024, 10, 1)
    )  # National Day
    assert not cal.is_school_day(D(2025, 10, 8))  # the eighth day of the 2025 National Day holiday


def test_a_make_up_weekend_day_is_a_workday_and_in_term_a_school_day():
    sunday, saturday = D(2024, 9, 29), D(2024, 10, 12)  # 调休 before and after National Day 2024
    assert (sunday.weekday(), saturday.weekday()) == (6, 5)
    assert cal.is_workday(sunday) and cal.is_school_day(sunday)
    assert cal.is_workday(saturday) and cal.is_school_day(saturday)
    assert not cal.is_workday(D(2024, 10, 13))  # an ordinary Sunday


def test_a_year_beyond_the_library_has_weekends_only():
    assert not cal.has_official_calendar(2031)
    new_year, national_day = D(2031, 1, 1), D(2031, 10, 1)  # Wednesdays, holidays in reality
    assert cal.is_workday(new_year) and cal.is_school_day(national_day)
    week = [D(2031, 10, 6) + datetime.timedelta(n) for n in range(7)]
    assert [cal.is_workday(d) for d in week] == [True] * 5 + [False] * 2


@pytest.mark.parametrize("year", [2024, 2026, 2027, 2028, 2031, 2040])
def test_every_year_has_plenty_of_school_days_in_two_terms(year):
    (spring, spring_end), (autumn, autumn_end) = cal.terms_of(year)
    assert (spring.month, spring_end.month, autumn.month) == (3, 7, 9)
    assert (autumn_end.year, autumn_end.month) == (year + 1, 1)
    assert 160 <= len(cal.school_days_of_year(year)) <= 200
    assert len([d for d in cal.school_days_of_year(year) if d.weekday() == 0]) >= 30
    assert (
        len(cal.days_between(spring, spring_end)) >= 80
        and len(cal.days_between(autumn, autumn_end)) >= 80
    )
    for start in cal.term_starts(year):
        assert (
            cal.is_school_day(start)
            and len(cal.days_between(start, start + datetime.timedelta(10))) >= 3
        )
    assert (
        len(cal.days_between(D(year, 10, 14), D(year, 11, 8))) >= 10
    )  # the cross-inspection round


@pytest.mark.parametrize("day", [D(2027, 1, 1), D(2027, 8, 1), D(2028, 2, 29), D(2031, 9, 1)])
def test_school_days_before_any_day_reach_back_over_holidays(day):
    days = cal.school_days_before(day, 15)
    assert len(days) == 15 and days == sorted(days, reverse=True)
    assert all(cal.is_school_day(d) and d < day for d in days)
    assert cal.is_school_day(cal.next_school_day(day)) and cal.next_school_day(day) >= day

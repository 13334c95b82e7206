"""The school calendar of the demo, generated for any year: terms, workdays, school days
and Beijing times.

Workdays (the bureau's, and the schools' within a term) come from the State Council's
yearly holiday notices as kept by the ``chinesecalendar`` package (import name
``chinese_calendar``): public holidays are days off, and make-up working days (调休, a
Saturday or Sunday) are workdays. The package knows only the years up to its release
(chinesecalendar 1.11.0: 2004–2026; ``has_official_calendar`` tells); for any other
year the demo falls back to weekends only: Monday–Friday are workdays, with no public
holidays and no make-up days. Upgrading the package extends the official years.

Terms follow a rule (approximate for Inner Mongolia, with its long winter holiday):

- spring term: from the first workday on or after 1 March to the second Friday of July;
- autumn term: from the first workday on or after 1 September to the third Friday of
  the next January.

A school day is a workday within a term. Every year has about 175 of them.
"""

import datetime
import functools
from zoneinfo import ZoneInfo

import chinese_calendar

D = datetime.date
BEIJING = ZoneInfo("Asia/Shanghai")
ONE_DAY = datetime.timedelta(days=1)


# --- workdays ------------------------------------------------------------------------


@functools.cache
def has_official_calendar(year: int) -> bool:
    """Whether ``chinesecalendar`` knows the holidays and make-up days of ``year``."""
    try:
        chinese_calendar.is_workday(D(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@functools.cache
def is_workday(day: datetime.date) -> bool:
    """A working day of the bureau (it works in school holidays too): the official
    calendar where known (holidays off, make-up weekend days on), else Monday–Friday."""
    if has_official_calendar(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def add_workdays(day: datetime.date, count: int) -> datetime.date:
    """The workday ``count`` workdays after ``day`` (``count`` ≥ 0; 0 gives ``day`` or the
    next workday)."""
    while not is_workday(day):
        day += ONE_DAY
    for _ in range(count):
        day += ONE_DAY
        while not is_workday(day):
            day += ONE_DAY
    return day


# --- terms ---------------------------------------------------------------------------


def _first_workday_from(day: datetime.date) -> datetime.date:
    return add_workdays(day, 0)


def _nth_friday(year: int, month: int, n: int) -> datetime.date:
    first = D(year, month, 1)
    return first + datetime.timedelta(days=(4 - first.weekday()) % 7 + 7 * (n - 1))


@functools.cache
def terms_of(year: int) -> tuple:
    """The terms that begin in ``year``: ((spring first, last), (autumn first, last)),
    both days inclusive; the autumn term ends in January of ``year + 1``."""
    spring = (_first_workday_from(D(year, 3, 1)), _nth_friday(year, 7, 2))
    autumn = (_first_workday_from(D(year, 9, 1)), _nth_friday(year + 1, 1, 3))
    return spring, autumn


def term_starts(year: int) -> list:
    """First days of the terms that begin in ``year`` (spring, autumn)."""
    return [first for first, _last in terms_of(year)]


def in_term(day: datetime.date) -> bool:
    terms = terms_of(day.year - 1)[1:] + terms_of(day.year)
    return any(first <= day <= last for first, last in terms)


def is_school_day(day: datetime.date) -> bool:
    return is_workday(day) and in_term(day)


# --- ranges and searches -------------------------------------------------------------


def days_between(first: datetime.date, last: datetime.date, *, school=True) -> list:
    """School days (or workdays when ``school`` is False) from ``first`` to ``last``
    inclusive, in order; empty when ``last`` is before ``first``."""
    test = is_school_day if school else is_workday
    count = (last - first).days + 1
    return [d for d in (first + datetime.timedelta(n) for n in range(count)) if test(d)]


def school_days_of_year(year: int, months=None) -> list:
    """School days of a calendar year, optionally only in ``months`` (a collection of 1–12)."""
    days = _school_days_of_year(year)
    return [d for d in days if months is None or d.month in months]


@functools.cache
def _school_days_of_year(year):
    return tuple(days_between(D(year, 1, 1), D(year, 12, 31)))


def school_days_before(day: datetime.date, count: int) -> list:
    """The ``count`` school days before ``day`` (``day`` itself excluded), the latest first.
    Holidays between terms are skipped, so there are always enough."""
    found, candidate = [], day
    while len(found) < count:
        candidate -= ONE_DAY
        if is_school_day(candidate):
            found.append(candidate)
    return found


def workdays_before(day: datetime.date, count: int) -> list:
    """The ``count`` workdays before ``day`` (``day`` itself excluded), the latest first:
    the school days in term, the bureau's (and the schools' duty staff's) workdays in a
    holiday."""
    found, candidate = [], day
    while len(found) < count:
        candidate -= ONE_DAY
        if is_workday(candidate):
            found.append(candidate)
    return found


def next_school_day(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a school day, else the next one. A term starts at most
    about two months after any day, so the search always ends."""
    while not is_school_day(day):
        day += ONE_DAY
    return day


def last_monday_of_march(year: int) -> datetime.date:
    """全国中小学生安全教育日."""
    day = D(year, 3, 31)
    return day - datetime.timedelta(day.weekday())


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware datetime on the Beijing calendar."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BEIJING)

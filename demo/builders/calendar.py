"""The school calendar of the demo: terms, public holidays, school days and Beijing times.

Term dates are approximate for Inner Mongolia (long winter holiday, spring term from about
1 March); public holidays follow the State Council notices, ignoring make-up working days.
"""
import datetime
from zoneinfo import ZoneInfo

D = datetime.date
BEIJING = ZoneInfo("Asia/Shanghai")

# (first day, last day) of each term.
TERMS = [
    (D(2023, 9, 1), D(2024, 1, 12)),
    (D(2024, 3, 1), D(2024, 7, 10)),
    (D(2024, 9, 2), D(2025, 1, 17)),
    (D(2025, 3, 3), D(2025, 7, 11)),
    (D(2025, 9, 1), D(2026, 1, 16)),
    (D(2026, 3, 2), D(2026, 7, 10)),
    (D(2026, 9, 1), D(2027, 1, 15)),
]

_HOLIDAY_RANGES = [
    (D(2024, 1, 1), D(2024, 1, 1)), (D(2024, 2, 10), D(2024, 2, 17)),
    (D(2024, 4, 4), D(2024, 4, 6)), (D(2024, 5, 1), D(2024, 5, 5)),
    (D(2024, 6, 10), D(2024, 6, 10)), (D(2024, 9, 15), D(2024, 9, 17)),
    (D(2024, 10, 1), D(2024, 10, 7)),
    (D(2025, 1, 1), D(2025, 1, 1)), (D(2025, 1, 28), D(2025, 2, 4)),
    (D(2025, 4, 4), D(2025, 4, 6)), (D(2025, 5, 1), D(2025, 5, 5)),
    (D(2025, 5, 31), D(2025, 6, 2)), (D(2025, 10, 1), D(2025, 10, 8)),
    (D(2026, 1, 1), D(2026, 1, 3)), (D(2026, 2, 15), D(2026, 2, 23)),
    (D(2026, 4, 4), D(2026, 4, 6)), (D(2026, 5, 1), D(2026, 5, 5)),
    (D(2026, 6, 19), D(2026, 6, 21)), (D(2026, 9, 25), D(2026, 9, 27)),
    (D(2026, 10, 1), D(2026, 10, 7)),
    (D(2027, 1, 1), D(2027, 1, 1)),
]


def _expand(ranges):
    days = set()
    for first, last in ranges:
        days.update(first + datetime.timedelta(n) for n in range((last - first).days + 1))
    return frozenset(days)


HOLIDAYS = _expand(_HOLIDAY_RANGES)


def is_workday(day: datetime.date) -> bool:
    """Monday–Friday and not a public holiday (the bureau works in school holidays too)."""
    return day.weekday() < 5 and day not in HOLIDAYS


def in_term(day: datetime.date) -> bool:
    return any(first <= day <= last for first, last in TERMS)


def is_school_day(day: datetime.date) -> bool:
    return is_workday(day) and in_term(day)


def days_between(first: datetime.date, last: datetime.date, *, school=True) -> list:
    """School days (or workdays when ``school`` is False) from ``first`` to ``last`` inclusive."""
    test = is_school_day if school else is_workday
    count = (last - first).days + 1
    return [d for d in (first + datetime.timedelta(n) for n in range(count)) if test(d)]


def school_days_of_year(year: int, months=None) -> list:
    """School days of a calendar year, optionally only in ``months`` (a collection of 1–12)."""
    days = days_between(D(year, 1, 1), D(year, 12, 31))
    return [d for d in days if months is None or d.month in months]


def next_school_day(day: datetime.date) -> datetime.date:
    """``day`` itself if it is a school day, else the next one (or the last one before it,
    when the term has ended)."""
    for n in range(45):
        candidate = day + datetime.timedelta(n)
        if is_school_day(candidate):
            return candidate
    for n in range(1, 200):
        candidate = day - datetime.timedelta(n)
        if is_school_day(candidate):
            return candidate
    raise ValueError(day)


def add_workdays(day: datetime.date, count: int) -> datetime.date:
    """The workday ``count`` workdays after ``day`` (``count`` ≥ 0; 0 gives ``day`` or the
    next workday)."""
    while not is_workday(day):
        day += datetime.timedelta(1)
    for _ in range(count):
        day += datetime.timedelta(1)
        while not is_workday(day):
            day += datetime.timedelta(1)
    return day


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware datetime on the Beijing calendar."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BEIJING)


def term_starts(year: int) -> list:
    """First days of the terms that begin in ``year`` (spring, autumn)."""
    return [first for first, _last in TERMS if first.year == year]


def last_monday_of_march(year: int) -> datetime.date:
    """全国中小学生安全教育日."""
    day = D(year, 3, 31)
    return day - datetime.timedelta(day.weekday())


def workdays_before(day: datetime.date, count: int) -> datetime.date:
    """The workday ``count`` workdays before ``day`` (``count`` ≥ 1)."""
    for _ in range(count):
        day -= datetime.timedelta(1)
        while not is_workday(day):
            day -= datetime.timedelta(1)
    return day

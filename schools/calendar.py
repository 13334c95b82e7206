"""The school calendar as the product reads it: which days are school days, and in which term.

A school day is a day inside one of the school's terms that is a weekday (Monday–Friday)
and not a holiday, or a make-up workday (调休上课) on a weekend. The bureau sets terms and
calendar days for all schools (``school`` empty); a school's own entries override them:
its term of a school year and kind replaces the bureau's, its entry for a date replaces the
bureau's entry for that date.

Every function takes the day(s) from the caller (dates on the Beijing calendar) and reads
the database a constant number of times whatever the number of schools or days:
``school_days`` and ``school_days_by_school`` two queries each.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Q

from .models import CalendarDay, School, Term

ONE_DAY = datetime.timedelta(days=1)


def _effective_terms(terms: Iterable[Term], school_id: int | None) -> list[Term]:
    """The terms that apply to one school: its own, and the bureau's it does not override."""
    own = {(t.school_year, t.kind): t for t in terms if t.school_id == school_id}
    bureau = [t for t in terms if t.school_id is None and (t.school_year, t.kind) not in own]
    return sorted([*own.values(), *bureau], key=lambda t: t.start_date)


def _terms_overlapping(school_ids: list[int], start: datetime.date, end: datetime.date):
    # By school year, not by dates: a school's override must be seen even when only the
    # bureau's term of the same year and kind overlaps the range.
    return list(
        Term.objects.filter(Q(school__isnull=True) | Q(school_id__in=school_ids)).filter(
            school_year__range=(start.year - 1, end.year)
        )
    )


def _calendar_days(school_ids: list[int], start: datetime.date, end: datetime.date):
    return list(
        CalendarDay.objects.filter(Q(school__isnull=True) | Q(school_id__in=school_ids)).filter(
            date__range=(start, end)
        )
    )


def _days_of(school_id, terms, exceptions, start, end) -> list[datetime.date]:
    kinds = {d.date: d.kind for d in exceptions if d.school_id is None}
    kinds.update({d.date: d.kind for d in exceptions if d.school_id == school_id})
    days = []
    for term in _effective_terms(terms, school_id):
        day = max(start, term.start_date)
        while day <= min(end, term.end_date):
            kind = kinds.get(day)
            if kind == CalendarDay.Kind.WORKDAY or (
                kind != CalendarDay.Kind.HOLIDAY and day.weekday() < 5
            ):
                days.append(day)
            day += ONE_DAY
    return sorted(set(days))


def school_days(school: School, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The school days of ``school`` from ``start`` to ``end`` inclusive, in order.
    Two queries."""
    ids = [school.pk]
    return _days_of(
        school.pk, _terms_overlapping(ids, start, end), _calendar_days(ids, start, end), start, end
    )


def school_days_by_school(
    school_ids: Iterable[int], start: datetime.date, end: datetime.date, *, scope=None
) -> dict[int, list[datetime.date]]:
    """``{school_id: [school days from start to end]}`` for many schools; two queries in
    all, for bureau-wide pages and scans (compliance, missed patrols). ``scope``: the same
    schools as a queryset of ids, which the queries then select by (a subquery costs less
    than a list of thousands of ids). Schools on the bureau's calendar share one list (read
    it, do not change it)."""
    return calendar_by_school(school_ids, start, end, scope=scope)[0]


def _days_by_school(ids, terms, exceptions, start, end) -> dict[int, list[datetime.date]]:
    # Most schools keep the bureau's calendar: work their days out once, not per school (a
    # province has thousands). They then share one list: callers must not change it.
    own = {t.school_id for t in terms} | {d.school_id for d in exceptions}
    shared: list[datetime.date] | None = None
    result = {}
    for sid in ids:
        if sid in own:
            result[sid] = _days_of(sid, terms, exceptions, start, end)
            continue
        if shared is None:
            shared = _days_of(sid, terms, exceptions, start, end)
        result[sid] = shared
    return result


def is_school_day(school: School, day: datetime.date) -> bool:
    """Whether ``day`` is a school day of ``school`` (two queries)."""
    return school_days(school, day, day) == [day]


def term_on(school: School, day: datetime.date) -> Term | None:
    """The term of ``school`` that contains ``day`` (school days or not), or None in a
    holiday between terms. One query."""
    terms = _effective_terms(_terms_overlapping([school.pk], day, day), school.pk)
    return next((t for t in terms if t.start_date <= day <= t.end_date), None)


def terms_by_school(
    school_ids: Iterable[int], start: datetime.date, end: datetime.date, *, scope=None
) -> dict[int, list[Term]]:
    """``{school_id: [its effective terms overlapping start..end, in order]}`` for many
    schools, one query (a school's override replaces the bureau's term). ``scope``: as for
    ``school_days_by_school``. Schools without terms of their own share one list (read it,
    do not change it)."""
    ids = list(school_ids)
    return _terms_by_school(
        ids, _terms_overlapping(ids if scope is None else scope, start, end), start, end
    )


def calendar_by_school(
    school_ids: Iterable[int], start: datetime.date, end: datetime.date, *, scope=None
) -> tuple[dict[int, list[datetime.date]], dict[int, list[Term]]]:
    """``(school_days_by_school(...), terms_by_school(...))`` in two queries, not three (the
    terms are read once for both). Lists shared as theirs are (read them, do not change
    them)."""
    ids = list(school_ids)
    terms = _terms_overlapping(ids if scope is None else scope, start, end)
    exceptions = _calendar_days(ids if scope is None else scope, start, end)
    return (
        _days_by_school(ids, terms, exceptions, start, end),
        _terms_by_school(ids, terms, start, end),
    )


def _terms_by_school(ids, terms, start, end) -> dict[int, list[Term]]:
    def of(sid: int | None) -> list[Term]:
        return [
            t for t in _effective_terms(terms, sid) if t.start_date <= end and t.end_date >= start
        ]

    # As for the school days: the schools without terms of their own share the bureau's
    # list (read it, do not change it).
    own = {t.school_id for t in terms if t.school_id is not None}
    bureau = of(None)
    return {sid: of(sid) if sid in own else bureau for sid in ids}


def bureau_term_on(day: datetime.date) -> Term | None:
    """The bureau's term (for all schools) that holds ``day``; in a holiday, the one that
    ended last before it; None before the first. One query. Bureau-wide pages (the leaders'
    coverage) read it; a school's own pages read ``term_on``."""
    return (
        Term.objects.filter(school__isnull=True, start_date__lte=day)
        .order_by("-start_date", "-id")
        .first()
    )


def bureau_term_after(term: Term) -> Term | None:
    """The bureau's next term after ``term``, or None. One query."""
    return (
        Term.objects.filter(school__isnull=True, start_date__gt=term.end_date)
        .order_by("start_date", "id")
        .first()
    )

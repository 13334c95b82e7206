"""Coverage by leaders and cadres (领导联校、干部包校) per term.

A term is the bureau's term of the school calendar (``schools.calendar.bureau_term_on``:
the one holding the day, in a holiday the one just ended), the same terms the education
coverage reads; before any term is entered, 1 Sep–31 Jan or 1 Feb–31 Aug (dates in
Asia/Shanghai). An assignment is covered
when its person led a submitted or reviewed inspection of its school within the term; a
school is covered when any person holding a leader or cadre assignment during the term
led such an inspection of it.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from schools.calendar import bureau_term_after, bureau_term_on
from schools.models import School, SchoolAssignment

from .models import Inspection
from .schedule import check_year


def term_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day, last day) of the bureau's term holding ``day`` (in a holiday, the term
    just ended), both inclusive. Raises DomainError (400, field ``on``) for a day outside
    the years 2000–2100."""
    check_year("on", day)
    term = bureau_term_on(day)
    if term is not None and (day <= term.end_date or bureau_term_after(term) is not None):
        return term.start_date, term.end_date
    return _fixed_term(day)


def next_term_day(term: tuple[datetime.date, datetime.date]) -> datetime.date:
    """A day of the term after ``term`` (the next bureau term's first day), for the page's
    "next" link; past the last entered term, the day after ``term``."""
    current = bureau_term_on(term[0])
    following = bureau_term_after(current) if current is not None else None
    return following.start_date if following else term[1] + datetime.timedelta(days=1)


def _fixed_term(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    # Before the bureau has entered terms (or after the last one): the two halves.
    if day.month >= 9:
        return datetime.date(day.year, 9, 1), datetime.date(day.year + 1, 1, 31)
    if day.month == 1:
        return datetime.date(day.year - 1, 9, 1), datetime.date(day.year, 1, 31)
    return datetime.date(day.year, 2, 1), datetime.date(day.year, 8, 31)


def term_assignments(term):
    """Leader and cadre assignments in force at some time during ``term`` (start, end)."""
    start, end = term
    return SchoolAssignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start), start_date__lte=end
    )


def _done_in(term):
    return Inspection.objects.filter(status__in=Inspection.DONE_STATUSES, date__range=term)


def assignment_coverage(term):
    """The term's assignments with ``covered`` (bool), ordered by school, kind, person.
    One query."""
    led = _done_in(term).filter(school_id=OuterRef("school_id"), leader_id=OuterRef("user_id"))
    return (
        term_assignments(term)
        .select_related("school", "user")
        .annotate(covered=Exists(led))
        .order_by("school__code", "kind", "user__username", "id")
    )


def uncovered_schools(term):
    """Active schools no leader or cadre of the term inspected in it (a queryset)."""
    people = term_assignments(term).values("user_id")
    led = _done_in(term).filter(school_id=OuterRef("pk"), leader_id__in=people)
    return School.objects.active().filter(~Exists(led))


def uncovered_count_for(user, today=None):
    """The number of schools nobody covered in the current term, for a user who may see the
    coverage (the bureau); None for anybody else (no query)."""
    if not user.has_perm("inspections.view_coverage"):
        return None
    return uncovered_schools(term_bounds(today or timezone.localdate())).count()

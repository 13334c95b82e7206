"""Reads of key-period supervision: which bell applies to a class, a class's roll for the
check-in page, and the counts the bureau sees (per school and day, and a term's trend).

Every function reads a constant number of queries whatever the number of schools, classes
or students (the bench and tests assert it). The bureau's reads return counts only.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.calendar import school_days_by_school
from schools.models import School, SchoolClass, Student

from .models import (
    BellTime,
    CheckIn,
    Patrol,
    PatrolCheck,
    PatrolPoint,
    PatrolSlot,
    Roll,
    RollKind,
)

BELL_OF_ROLL: dict[str, str] = {
    RollKind.HOME: BellTime.Kind.DISMISSAL,
    RollKind.DORM: BellTime.Kind.DORM,
}


def _default_cutoff(kind: str) -> int:
    if kind == RollKind.DORM:
        return int(settings.SUPERVISION_DORM_CUTOFF_MINUTES)
    return int(settings.SUPERVISION_HOME_CUTOFF_MINUTES)


def resolve_bell(bells: Iterable[BellTime], school_class: SchoolClass) -> BellTime | None:
    """The bell that applies to ``school_class`` among ``bells`` (all of one kind, of its
    school or others): the class's own, else its grade's, else the school's."""
    best, rank = None, -1
    for bell in bells:
        if bell.school_id != school_class.school_id:
            continue
        if bell.school_class_id is not None:
            this = 2 if bell.school_class_id == school_class.pk else -1
        elif bell.grade is not None:
            this = 1 if bell.grade == school_class.grade else -1
        else:
            this = 0
        if this > rank:
            best, rank = bell, this
    return best


def class_cutoffs(
    classes: Sequence[SchoolClass], kind: str, day: datetime.date
) -> dict[int, datetime.datetime]:
    """``{class id: cut-off}`` (aware, Asia/Shanghai) of ``kind``'s roll (RollKind) on
    ``day``: the class's dismissal (dorm) bell plus its ``cutoff_minutes`` or the default.
    Classes without such a bell have no cut-off and are left out. One query."""
    bells = list(
        BellTime.objects.filter(
            school_id__in={c.school_id for c in classes}, kind=BELL_OF_ROLL[kind]
        )
    )
    result = {}
    for school_class in classes:
        bell = resolve_bell(bells, school_class)
        if bell is None:
            continue
        minutes = bell.cutoff_minutes if bell.cutoff_minutes is not None else _default_cutoff(kind)
        start = timezone.make_aware(datetime.datetime.combine(day, bell.start))
        result[school_class.pk] = start + datetime.timedelta(minutes=minutes)
    return result


def roll_students(school_class: SchoolClass, kind: str) -> QuerySet[Student]:
    """The active students a roll of ``kind`` covers: day students go home (到家报平安),
    boarding students sleep in the dorm (查寝)."""
    return Student.objects.filter(
        school_class=school_class, is_active=True, is_boarding=(kind == RollKind.DORM)
    ).order_by("student_number", "id")


def class_roll(school_class: SchoolClass, day: datetime.date, kind: str) -> list[dict[str, Any]]:
    """The check-in page's rows: ``[{"student": Student, "status": str}]`` in student-number
    order, ``"pending"`` where nobody marked the student yet. Two queries."""
    students = list(roll_students(school_class, kind))
    marks = dict(
        CheckIn.objects.filter(student__in=students, date=day, kind=kind).values_list(
            "student_id", "status"
        )
    )
    return [{"student": s, "status": marks.get(s.pk, CheckIn.Status.PENDING)} for s in students]


def unaccounted(school_class: SchoolClass, day: datetime.date, kind: str) -> list[Student]:
    """Students of the roll neither arrived nor excused on ``day``. One query."""
    done = CheckIn.objects.filter(date=day, kind=kind).exclude(status=CheckIn.Status.PENDING)
    return list(
        roll_students(school_class, kind).exclude(
            pk__in=done.filter(student__school_class=school_class).values("student_id")
        )
    )


def slots_due(slots: Iterable[PatrolSlot], day: datetime.date) -> list[PatrolSlot]:
    """The roster lines that run on ``day`` (its weekday is listed), a school day assumed."""
    return [s for s in slots if s.runs_on_weekday(day)]


def attention_first(schools: QuerySet[School], day: datetime.date) -> QuerySet[School]:
    """``schools`` ordered for the bureau's page on ``day``: those with the most students
    unaccounted for at the cut-off (home and dorm rolls) first, then those with the most
    patrols missed, then by code. Two subqueries on the day's rolls and patrols (by their
    school and date index), so a page of a province's schools is sorted in SQL."""

    def day_sum(queryset: QuerySet, value: Sum | Count) -> Coalesce:
        rows = queryset.filter(school=OuterRef("pk"), date=day).order_by().values("school")
        return Coalesce(Subquery(rows.annotate(n=value).values("n")), 0)

    return schools.annotate(
        attention_unaccounted=day_sum(Roll.objects.all(), Sum("unaccounted_at_cutoff")),
        attention_missed=day_sum(Patrol.objects.filter(status=Patrol.Status.MISSED), Count("id")),
    ).order_by("-attention_unaccounted", "-attention_missed", "code", "id")


def daily_totals(schools: QuerySet[School], day: datetime.date) -> dict[str, int]:
    """The sums of ``daily_summary``'s rows over all of ``schools`` on ``day``, counted in
    SQL rather than row by row: ``{"schools", "classes", "reported", "unaccounted",
    "dorm_unaccounted", "slots", "done", "missed"}``. ``classes`` and ``slots`` count only
    where ``day`` is a school day (``schools.calendar``), as the rows do. Seven queries
    whatever the number of schools."""
    scope = schools.order_by().values("pk")
    ids = list(schools.order_by().values_list("pk", flat=True))
    in_term = {
        sid for sid, days in school_days_by_school(ids, day, day, scope=scope).items() if days
    }
    classes = _count_by(SchoolClass.objects.filter(school__in=scope, is_active=True), "school")
    slots = _count_by(
        PatrolSlot.objects.filter(
            PatrolSlot.runs_on_weekday_q(day), school__in=scope, is_active=True
        ),
        "school",
    )
    rolls = Roll.objects.filter(school__in=scope, date=day).aggregate(
        reported=Count("id", filter=Q(kind=RollKind.HOME, first_marked_at__isnull=False)),
        unaccounted=Sum("unaccounted_at_cutoff", filter=Q(kind=RollKind.HOME)),
        dorm=Sum("unaccounted_at_cutoff", filter=Q(kind=RollKind.DORM)),
    )
    patrols = Patrol.objects.filter(school__in=scope, date=day).aggregate(
        done=Count("id", filter=Q(status=Patrol.Status.DONE)),
        missed=Count("id", filter=Q(status=Patrol.Status.MISSED)),
    )
    return {
        "schools": len(ids),
        "classes": sum(n for sid, n in classes.items() if sid in in_term),
        "reported": rolls["reported"],
        "unaccounted": rolls["unaccounted"] or 0,
        "dorm_unaccounted": rolls["dorm"] or 0,
        "slots": sum(n for sid, n in slots.items() if sid in in_term),
        "done": patrols["done"],
        "missed": patrols["missed"],
    }


# The day's patrol rule (checklist B4, I3): each key area checked this many times, and at a
# boarding school this many dorm night patrols done.
KEY_AREA_CHECKS = 5
NIGHT_PATROLS = 2


class Compliance:
    """A school day's standing against the patrol rule, as ``daily_summary`` gives it."""

    OK = "ok"  # the rule is met (or not a school day)
    NOT_MET = "not_met"  # every patrol slot of the day is over and the rule is not met
    IN_PROGRESS = "in_progress"  # not met yet, and a patrol slot of the day is still to end
    UPCOMING = "upcoming"  # not met yet, and no patrol slot of the day has begun


def shortfalls(key_checks_min: int, night_patrols: int, is_boarding: bool) -> list[str]:
    """The parts of the day's patrol rule not met, each a sentence for the page and the API
    (translated): a key area checked fewer than ``KEY_AREA_CHECKS`` times (the fewest
    checks of any), a boarding school with fewer than ``NIGHT_PATROLS`` dorm night patrols.
    Empty: the rule is met."""
    short = []
    if key_checks_min < KEY_AREA_CHECKS:
        short.append(
            _("重点部位巡查不足%(need)s次（最少的%(n)s次）")
            % {"need": KEY_AREA_CHECKS, "n": key_checks_min}
        )
    if is_boarding and night_patrols < NIGHT_PATROLS:
        short.append(
            _("夜间查寝巡查不足%(need)s次（%(n)s次）") % {"need": NIGHT_PATROLS, "n": night_patrols}
        )
    return short


def _standing(
    short: list[str], due: list[PatrolSlot], day: datetime.date, now: datetime.datetime
) -> str:
    """``Compliance`` of a school day: not met only once every slot ``due`` on ``day`` is
    past its ``missed_from`` (with no slot due: once the day is over)."""
    if not short:
        return Compliance.OK
    next_day = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    next_day += datetime.timedelta(days=1)
    if now >= max((s.missed_from(day) for s in due), default=next_day):
        return Compliance.NOT_MET
    begins = [timezone.make_aware(datetime.datetime.combine(day, s.start)) for s in due]
    first = min(begins, default=next_day - datetime.timedelta(days=1))
    return Compliance.UPCOMING if now < first else Compliance.IN_PROGRESS


def daily_summary(
    schools: Iterable[School], day: datetime.date, now: datetime.datetime | None = None
) -> list[dict[str, Any]]:
    """Per school (in ``schools``' order: a queryset, or a page of one) on ``day`` as seen
    at ``now`` (aware; default ``timezone.now()``): ``{"school", "school_day", "classes",
    "reported", "unaccounted", "dorm_unaccounted", "slots", "done", "missed",
    "key_checks_min", "night_patrols", "compliance", "compliant", "shortfalls"}``.
    ``reported``: classes whose home roll was marked; ``unaccounted``: students without a
    mark at the cut-off (known once the cut-off scan ran); ``compliance``: a ``Compliance``
    value (the rule: every key area checked ≥ ``KEY_AREA_CHECKS`` times and, at a boarding
    school, ≥ ``NIGHT_PATROLS`` dorm night patrols; a day still under way or to come is not
    failed); ``compliant``: True (ok), False (not met), None (in progress or upcoming);
    ``shortfalls``: ``shortfalls()`` of a school day (empty otherwise). Counts only. Nine
    queries whatever the number of schools."""
    now = now or timezone.now()
    rows = list(schools)
    ids = [s.pk for s in rows]
    days = school_days_by_school(ids, day, day)  # two queries
    classes = _count_by(SchoolClass.objects.filter(school_id__in=ids, is_active=True), "school")
    rolls = {
        r["school"]: r
        for r in Roll.objects.filter(school_id__in=ids, date=day)
        .values("school")
        .annotate(
            reported=Count("id", filter=Q(kind=RollKind.HOME, first_marked_at__isnull=False)),
            unaccounted=Sum("unaccounted_at_cutoff", filter=Q(kind=RollKind.HOME)),
            dorm=Sum("unaccounted_at_cutoff", filter=Q(kind=RollKind.DORM)),
        )
    }
    slots = defaultdict(list)
    for slot in PatrolSlot.objects.filter(school_id__in=ids, is_active=True):
        slots[slot.school_id].append(slot)
    patrols = {
        r["school"]: r
        for r in Patrol.objects.filter(school_id__in=ids, date=day)
        .values("school")
        .annotate(
            done=Count("id", filter=Q(status=Patrol.Status.DONE)),
            missed=Count("id", filter=Q(status=Patrol.Status.MISSED)),
            night=Count(
                "id",
                filter=Q(status=Patrol.Status.DONE, slot__kind=PatrolSlot.Kind.NIGHT),
            ),
        )
    }
    key_checks = _key_checks(ids, day)
    result = []
    for school in rows:
        is_day = days[school.pk] == [day]
        r, p = rolls.get(school.pk, {}), patrols.get(school.pk, {})
        key_min = key_checks.get(school.pk, 0)
        night = p.get("night", 0)
        due = slots_due(slots[school.pk], day) if is_day else []
        short = shortfalls(key_min, night, school.is_boarding) if is_day else []
        standing = _standing(short, due, day, now)
        result.append(
            {
                "school": school,
                "school_day": is_day,
                "classes": classes.get(school.pk, 0) if is_day else 0,
                "reported": r.get("reported", 0),
                "unaccounted": r.get("unaccounted") or 0,
                "dorm_unaccounted": r.get("dorm") or 0,
                "slots": len(due),
                "done": p.get("done", 0),
                "missed": p.get("missed", 0),
                "key_checks_min": key_min,
                "night_patrols": night,
                "compliance": standing,
                "compliant": {Compliance.OK: True, Compliance.NOT_MET: False}.get(standing),
                "shortfalls": short,
            }
        )
    return result


def _count_by(queryset: QuerySet, field: str) -> dict[int, int]:
    return dict(queryset.values_list(field).annotate(n=Count("id")).values_list(field, "n"))


def _key_checks(ids: list[int], day: datetime.date) -> dict[int, int]:
    """``{school id: fewest checks of any active key area on day}`` (0 when a key area was
    not checked at all). Two queries."""

    counts = dict(
        PatrolCheck.objects.filter(
            patrol__school_id__in=ids, patrol__date=day, point__is_key_area=True
        )
        .values("point")
        .annotate(n=Count("id"))
        .values_list("point", "n")
    )
    fewest: dict[int, int] = {}
    for point_id, school_id in PatrolPoint.objects.filter(
        school_id__in=ids, is_key_area=True, is_active=True
    ).values_list("id", "school_id"):
        fewest[school_id] = min(fewest.get(school_id, 10**6), counts.get(point_id, 0))
    return fewest


def term_trend(
    schools: QuerySet[School], start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """Per date from ``start`` to ``end`` that is a school day of some school in
    ``schools``: ``{"date", "classes", "reported", "unaccounted", "done", "missed"}`` summed
    over those schools. Counts only; six queries whatever the number of schools or days
    (they select the schools by a subquery, not a list of thousands of ids)."""
    scope = schools.order_by().values("pk")
    ids = list(schools.order_by().values_list("id", flat=True))
    days = school_days_by_school(ids, start, end, scope=scope)
    classes = _count_by(SchoolClass.objects.filter(school__in=scope, is_active=True), "school")
    rolls = {
        r["date"]: r
        for r in Roll.objects.filter(school__in=scope, date__range=(start, end), kind=RollKind.HOME)
        .values("date")
        .annotate(
            reported=Count("id", filter=Q(first_marked_at__isnull=False)),
            unaccounted=Sum("unaccounted_at_cutoff"),
        )
    }
    patrols = {
        r["date"]: r
        for r in Patrol.objects.filter(school__in=scope, date__range=(start, end))
        .values("date")
        .annotate(
            done=Count("id", filter=Q(status=Patrol.Status.DONE)),
            missed=Count("id", filter=Q(status=Patrol.Status.MISSED)),
        )
    }
    # Schools on the bureau's calendar share one list of days (schools.calendar): add
    # their classes up per list, then spread each list's sum over its days once.
    calendars: dict[int, list[datetime.date]] = {}
    classes_by_calendar: dict[int, int] = defaultdict(int)
    for school_id, school_days in days.items():
        calendars[id(school_days)] = school_days
        classes_by_calendar[id(school_days)] += classes.get(school_id, 0)
    totals: dict[datetime.date, int] = defaultdict(int)
    for key, school_days in calendars.items():
        for d in school_days:
            totals[d] += classes_by_calendar[key]
    return [
        {
            "date": d,
            "classes": totals[d],
            "reported": rolls.get(d, {}).get("reported", 0),
            "unaccounted": rolls.get(d, {}).get("unaccounted") or 0,
            "done": patrols.get(d, {}).get("done", 0),
            "missed": patrols.get(d, {}).get("missed", 0),
        }
        for d in sorted(totals)
    ]

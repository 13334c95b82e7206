"""Key-period supervision in the demo: bell times, patrol points and rosters for every
school with the last ``HISTORY_DAYS`` school days of patrols before ``today`` (a few
missed), and for three boarding schools (``HISTORY_SCHOOLS``) the 到家报平安 / 查寝
check-ins of those days (most on time, a few excused, a few late: unaccounted at the
cut-off).

Per-student rows are written with ``bulk_create`` for those schools only, so load_demo
stays fast. Each school's teacherN (homeroom teacher of its first class) patrols the day
slots, its officer the dorm night patrols.
"""

import datetime

from schools.models import SchoolClass
from supervision.models import (
    BellTime,
    CheckIn,
    Patrol,
    PatrolCheck,
    PatrolPoint,
    PatrolSlot,
    Roll,
    RollKind,
)
from supervision.selectors import class_cutoffs

from . import calendar as cal

HISTORY_DAYS = 10
# Seed numbers: 蒙古族实验小学 (officer2, teacher2), 巴拉贡镇学校, 伊和乌素苏木学校: boarding
# schools, so 查寝 and the night patrols show too.
HISTORY_SCHOOLS = (2, 11, 14)
T = datetime.time
POINTS = [
    ("南校门", "gate", True), ("教学楼楼梯", "stairs", True), ("教学楼走廊", "corridor", True),
    ("操场", "playground", True), ("食堂", "canteen", True), ("校园周边", "surroundings", False),
]  # fmt: skip
DORM_POINTS = [("男生宿舍", "dorm", True), ("女生宿舍", "dorm", True)]
DAY_SLOTS = [
    ("入校", "morning", T(7, 30), T(7, 50)), ("第一次课间", "break", T(9, 35), T(9, 45)),
    ("大课间", "break", T(10, 25), T(10, 45)), ("午间", "noon", T(12, 0), T(12, 40)),
    ("放学", "dismissal", T(17, 0), T(17, 30)),
]  # fmt: skip
NIGHT_SLOTS = [
    ("宿舍夜间一", "night", T(22, 0), T(22, 30)),
    ("宿舍夜间二", "night", T(23, 30), T(23, 55)),
]


def build_supervision(schools, cast, rng, today: datetime.date) -> None:
    """Bells, points and rosters for ``schools``; history for the few ``HISTORY_SCHOOLS``."""
    BellTime.objects.bulk_create(row for school in schools for row in _bells(school))
    slots, route = _patrol_setup(schools, cast)
    days = sorted(cal.school_days_before(today, HISTORY_DAYS))
    _patrol_history(slots, route, days, rng)  # a few rows a school and day: every school
    for n in HISTORY_SCHOOLS:
        _checkin_history(schools[n - 1], days, rng)


def _bells(school):
    dismissal = T(16, 30) if school.is_kindergarten else T(17, 0)
    rows = [
        BellTime(school=school, kind="break", start=T(9, 35), end=T(9, 45)),
        BellTime(school=school, kind="break", start=T(10, 25), end=T(10, 45)),
        BellTime(school=school, kind="noon", start=T(12, 0), end=T(14, 0)),
        BellTime(school=school, kind="dismissal", start=dismissal),
    ]
    if not school.is_kindergarten:
        # The first two grades leave earlier and are collected by their parents.
        rows += [
            BellTime(school=school, kind="dismissal", grade=g, start=T(16, 0), cutoff_minutes=60)
            for g in (1, 2)
        ]
    if school.is_boarding:
        rows.append(BellTime(school=school, kind="evening_study", start=T(19, 0), end=T(20, 30)))
        rows.append(BellTime(school=school, kind="dorm", start=T(21, 30)))
    return rows


def _patrol_setup(schools, cast):
    """Points and roster lines of every school, in three bulk inserts: ``(slots, {slot id:
    its points})``."""
    # Fixed codes: the printed QR codes stay valid when the demo is loaded again.
    points = PatrolPoint.objects.bulk_create(
        PatrolPoint(school=school, name=n, kind=k, is_key_area=key, code=f"demo{school.code}-{i}")
        for school in schools
        for i, (n, k, key) in enumerate(POINTS + (DORM_POINTS if school.is_boarding else []))
    )
    slots = PatrolSlot.objects.bulk_create(
        PatrolSlot(
            school=school,
            name=name,
            kind=kind,
            start=start,
            end=end,
            weekdays="1234567",
            patroller=(cast.officer if kind == "night" else cast.teacher)[school.pk],
        )  # fmt: skip
        for school in schools
        for name, kind, start, end in DAY_SLOTS + (NIGHT_SLOTS if school.is_boarding else [])
    )
    route = {
        slot.pk: [
            p for p in points
            if p.school_id == slot.school_id and (p.kind == "dorm") == (slot.kind == "night")
        ]
        for slot in slots
    }  # fmt: skip
    through = PatrolSlot.points.through
    through.objects.bulk_create(
        through(patrolslot_id=slot_id, patrolpoint_id=point.pk)
        for slot_id, on_route in route.items()
        for point in on_route
    )
    return slots, route


def _patrol_history(slots, route, days, rng):
    patrols, checks = [], []
    for day in days:
        for slot in slots:
            missed = rng.random() < 0.04
            start = cal.at(day, slot.start.hour, slot.start.minute)
            patrols.append(
                Patrol(
                    school_id=slot.school_id, slot=slot, date=day,
                    status=Patrol.Status.MISSED if missed else Patrol.Status.DONE,
                    patroller=None if missed else slot.patroller,
                    started_at=None if missed else start,
                    finished_at=None if missed else start + datetime.timedelta(minutes=15),
                )
            )  # fmt: skip
    Patrol.objects.bulk_create(patrols, batch_size=5000)
    for patrol in patrols:
        if patrol.status == Patrol.Status.DONE:
            checks += [
                PatrolCheck(
                    patrol=patrol,
                    point=point,
                    method="scan" if rng.random() < 0.7 else "tick",
                    checked_at=patrol.started_at + datetime.timedelta(minutes=2 * i),
                )  # fmt: skip
                for i, point in enumerate(route[patrol.slot_id])
            ]
    PatrolCheck.objects.bulk_create(checks, batch_size=5000)


def _checkin_history(school, days, rng):
    classes = list(SchoolClass.objects.filter(school=school).prefetch_related("students"))
    rolls, marks = [], []
    for day in days:
        for kind in RollKind.values:
            cutoffs = class_cutoffs(classes, kind, day)
            for school_class in classes:
                is_dorm = kind == RollKind.DORM
                students = [s for s in school_class.students.all() if s.is_boarding == is_dorm]
                if not students or school_class.pk not in cutoffs:
                    continue
                roll, rows = _roll(
                    school, school_class, day, kind, students, cutoffs[school_class.pk], rng
                )
                rolls.append(roll)
                marks.append(rows)
    Roll.objects.bulk_create(rolls, batch_size=2000)
    CheckIn.objects.bulk_create(
        [row for roll, rows in zip(rolls, marks, strict=True) for row in _with_roll(rows, roll)],
        batch_size=5000,
    )


def _roll(school, school_class, day, kind, students, cutoff, rng):
    rows, late = [], 0
    teacher = school_class.homeroom_teacher
    for student in students:
        chance = rng.random()
        status = CheckIn.Status.EXCUSED if chance < 0.02 else CheckIn.Status.ARRIVED
        if chance > 0.99:  # a late arrival: still unaccounted for at the cut-off
            late += 1
            at = cutoff + datetime.timedelta(minutes=rng.randrange(5, 40))
        else:
            at = cutoff - datetime.timedelta(minutes=rng.randrange(5, 80))
        rows.append(CheckIn(school=school, student=student, date=day, kind=kind, status=status,
                            marked_by=teacher, marked_at=at))  # fmt: skip
    first = min(r.marked_at for r in rows)
    roll = Roll(
        school=school, school_class=school_class, date=day, kind=kind, first_marked_at=first,
        teacher_alerted_at=cutoff, unaccounted_at_cutoff=late,
        escalated_at=cutoff + datetime.timedelta(minutes=30) if any(
            r.marked_at > cutoff + datetime.timedelta(minutes=30) for r in rows) else None,
    )  # fmt: skip
    return roll, rows


def _with_roll(rows, roll):
    for row in rows:
        row.roll = roll
        yield row

"""Plain record rows of one demo year: inspections, education activities, drills, and
counselling of one school year. Only rows dated before ``today`` are kept (year to date)."""

import datetime
import random
from dataclasses import dataclass, field

from drills.models import Drill
from education.models import CounsellingSession, EducationActivity
from inspections.models import Inspection
from schools.models import Department

from . import calendar as cal
from .catalogue import (
    BOARDING_DRILLS,
    BUS_DRILLS,
    COUNSELLING_NOTES,
    DRILL_NOTES,
    DRILL_TYPES,
    EVENTS,
    GROUP_THEMES,
    SEASON_TOPICS,
    TOPIC_TITLES,
)
from .drills import drill_details
from .spread import allocate, pick, size_weight

K = EducationActivity.Kind
SECONDARY = {"311", "312", "341", "342", "365"}


@dataclass
class YearRecords:
    """What later steps link hazards to."""

    joint: list = field(default_factory=list)
    cross: list = field(default_factory=list)
    self_checks: list = field(default_factory=list)
    spot: list = field(default_factory=list)
    drills: list = field(default_factory=list)
    activities: int = 0
    counselling: int = 0


def build_records(plan, schools, cast, departments, rng: random.Random, today) -> YearRecords:
    recs = YearRecords()
    recs.joint = _joint_inspections(plan, schools, cast, departments, rng, today)
    recs.cross = _cross_inspections(plan.year, schools, cast, rng, today)
    recs.self_checks = _self_checks(plan.year, schools, cast, rng, today)
    recs.spot = _spot_checks(plan.year, schools, cast, rng, today)
    recs.drills = _drills(plan, schools, cast, rng, today)
    recs.activities = _activities(plan, schools, cast, rng, today)
    return recs


# --- inspections ---------------------------------------------------------------------


def _joint_inspections(plan, schools, cast, departments, rng, today):
    outside = [d for d in departments.values() if d.kind != Department.Kind.BUREAU]
    office = next(d for d in departments.values() if d.kind == Department.Kind.BUREAU)
    days = sorted(pick(rng, cal.school_days_of_year(plan.year), plan.joint_inspections))
    targets = rng.choices(schools, weights=[size_weight(s) for s in schools], k=len(days))
    leaders = [cast.users[f"leader{n}"] for n in range(1, 5)]
    rows = []
    for n, (day, school) in enumerate(zip(days, targets, strict=False), start=1):
        if day >= today:
            break
        surroundings = rng.random() < 0.4
        inspection = Inspection.objects.create(
            kind=Inspection.Kind.JOINT,
            school=school,
            date=day,
            status=_status(day, today),
            subject=Inspection.Subject.SURROUNDINGS if surroundings else Inspection.Subject.CAMPUS,
            title=f"{plan.year}年校园及周边安全联合检查（第{n}次）",
            leader=rng.choice(leaders),
            summary="教体局会同公安、消防、市场监管等部门对校园及周边开展联合检查，现场反馈问题并督促整改。",
        )
        inspection.departments.set([office, *rng.sample(outside, rng.randint(2, 4))])
        rows.append(inspection)
    return rows


def _cross_inspections(year, schools, cast, rng, today):
    """One autumn round: every school is inspected once by a school of its own group
    (kindergartens by kindergartens), never by itself."""
    days = cal.days_between(datetime.date(year, 10, 14), datetime.date(year, 11, 8))
    rows = []
    for group in (
        [s for s in schools if s.is_kindergarten],
        [s for s in schools if not s.is_kindergarten],
    ):
        order = group[:]
        rng.shuffle(order)
        for n, school in enumerate(order):
            day = rng.choice(days)
            if day >= today:
                continue
            inspector = order[(n + 1) % len(order)]
            rows.append(
                Inspection.objects.create(
                    kind=Inspection.Kind.CROSS,
                    school=school,
                    inspecting_school=inspector,
                    date=day,
                    status=_status(day, today),
                    title=f"{year}年秋季校园安全交叉互查",
                    leader=cast.officer[inspector.pk],
                    summary=f"{inspector.name}互查组按检查清单逐项检查，问题清单已反馈受检学校。",
                )
            )
    return rows


def _self_checks(year, schools, cast, rng, today):
    """The start-of-term check (开学安全大排查) of every school, each term."""
    rows = []
    for start in cal.term_starts(year):
        days = cal.days_between(start, start + datetime.timedelta(20))
        for school in schools:
            day = rng.choice(days)
            if day < today:
                rows.append(
                    Inspection.objects.create(
                        kind=Inspection.Kind.SELF,
                        school=school,
                        date=day,
                        status=_status(day, today),
                        title=f"{year}年{'春季' if start.month < 7 else '秋季'}开学安全大排查",
                        leader=cast.principal[school.pk],
                        summary="对照检查清单逐项排查。",
                    )
                )
    return rows


def _spot_checks(year, schools, cast, rng, today):
    """The bureau's winter safety supervision (冬季安全专项督查, heating season) of eight
    schools, from 10 November to 10 December."""
    days = cal.days_between(datetime.date(year, 11, 10), datetime.date(year, 12, 10))
    rows = []
    for school in rng.sample(schools, 8):
        day = rng.choice(days)
        if day < today:
            rows.append(
                Inspection.objects.create(
                    kind=Inspection.Kind.SPOT,
                    school=school,
                    date=day,
                    status=_status(day, today),
                    title=f"{year}年冬季安全专项督查",
                    leader=cast.cadre_on(school, day),
                    summary="重点督查冬季取暖、用电、消防和宿舍安全。",
                )
            )
    return rows


def _status(day, today):
    return Inspection.Status.REVIEWED if (today - day).days > 7 else Inspection.Status.SUBMITTED


# --- drills --------------------------------------------------------------------------


def _drills(plan, schools, cast, rng, today):
    counts = allocate(plan.drills, [size_weight(s) for s in schools], rng, minimum=2)
    rows = []
    for school, count in zip(schools, counts, strict=False):
        types = dict(DRILL_TYPES)
        if school.is_boarding:
            types |= BOARDING_DRILLS
        if school.town != "xini":
            types |= BUS_DRILLS
        names = list(types)
        for drill_type in rng.choices(names, weights=[types[n][0] for n in names], k=count):
            day = _day_in(rng, plan.year, types[drill_type][1])
            rows.append(_drill(school, drill_type, day, cast, rng))
    rows = [r for r in rows if r.date < today]
    return Drill.objects.bulk_create(rows)


def _drill(school, drill_type, day, cast, rng):
    evacuates = drill_type in {"fire", "earthquake", "night_dorm", "air_raid", "crowd"}
    slow = 150 if school.is_kindergarten else 80 if school.school_type in SECONDARY else 100
    drill = Drill(
        school=school,
        drill_type=drill_type,
        date=day,
        mode=Drill.Mode.UNANNOUNCED if rng.random() < 0.2 else Drill.Mode.ANNOUNCED,
        student_participants=round(school.student_count * rng.uniform(0.85, 1.0)),
        staff_participants=round(school.staff_count * rng.uniform(0.7, 1.0)),
        evacuation_seconds=rng.randint(slow, slow + 90) if evacuates else None,
        notes=rng.choice(DRILL_NOTES),
        recorded_by=cast.officer[school.pk],
    )
    # The §4 details come from their own generator, so the year's stream (hazards, lessons…)
    # stays as it was and the 2024 figures with it.
    drill_details(drill, cast, random.Random(f"drill-{school.code}-{day}-{drill_type}"))
    return drill


def _day_in(rng, year, months):
    days = cal.school_days_of_year(year, months) or cal.school_days_of_year(year)
    return rng.choice(days)


# --- education -----------------------------------------------------------------------


def _activities(plan, schools, cast, rng, today):
    rows = _first_lessons(plan, schools, cast, rng)
    weights = [size_weight(s) for s in schools]
    mondays = [d for d in cal.school_days_of_year(plan.year) if d.weekday() == 0]
    for school, count in zip(
        schools, allocate(plan.flag_speeches, weights, rng, minimum=1), strict=False
    ):
        for day in pick(rng, mondays, count):
            rows.append(_activity(school, K.FLAG_SPEECH, day, _season_topic(rng, day), cast, rng))
    classes = [s for s in schools if not s.is_kindergarten]
    days = cal.school_days_of_year(plan.year)
    counts = allocate(plan.class_meetings, [size_weight(s) for s in classes], rng, minimum=2)
    for school, count in zip(classes, counts, strict=False):
        for day in pick(rng, days, count):
            rows.append(_activity(school, K.CLASS_MEETING, day, _season_topic(rng, day), cast, rng))
    for school, count in zip(
        schools, allocate(plan.thematic_activities, weights, rng, minimum=1), strict=False
    ):
        for month, dom, topic, title in _events(rng, count):
            day = _event_day(plan.year, month, dom, rng)
            rows.append(_activity(school, K.THEMATIC, day, topic, cast, rng, title=title))
    for school, count in zip(schools, allocate(plan.lectures, weights, rng), strict=False):
        for day in pick(rng, days, count):
            rows.append(
                _activity(school, K.LECTURE, day, "law", cast, rng, title="法治副校长法治教育讲座")
            )
    rows = [r for r in rows if r.date < today]
    EducationActivity.objects.bulk_create(rows)
    return len(rows)


def _first_lessons(plan, schools, cast, rng):
    """One per school and term, minus the few the article's count leaves out (the
    kindergartens first)."""
    pairs = [(s, start) for start in cal.term_starts(plan.year) for s in schools]
    rng.shuffle(pairs)
    pairs.sort(key=lambda p: not p[0].is_kindergarten)  # stable: kindergartens dropped first
    kept = pairs[len(pairs) - plan.first_lessons :]
    rows = []
    for school, start in kept:
        day = cal.days_between(start, start + datetime.timedelta(10))[rng.randint(0, 2)]
        term = "春季" if start.month < 7 else "秋季"
        rows.append(
            _activity(
                school,
                K.FIRST_LESSON,
                day,
                "general",
                cast,
                rng,
                title=f"{plan.year}年{term}开学安全第一课",
            )
        )
    return rows


def _events(rng, count):
    """``count`` safety-calendar events, each at most once until all have been used."""
    picked = rng.sample(EVENTS, min(count, len(EVENTS)))
    return picked + rng.choices(EVENTS, k=max(0, count - len(EVENTS)))


def _event_day(year, month, dom, rng):
    if (month, dom) == (3, 25):
        return cal.next_school_day(cal.last_monday_of_march(year))
    return cal.next_school_day(
        datetime.date(year, month, dom) + datetime.timedelta(rng.randint(-2, 3))
    )


def _season_topic(rng, day):
    return rng.choice(SEASON_TOPICS.get(day.month, ["general"]))


def _activity(school, kind, day, topic, cast, rng, *, title=None):
    if kind == K.CLASS_MEETING:
        participants = rng.randint(35, 50)
    elif kind in (K.FLAG_SPEECH, K.FIRST_LESSON):
        participants = school.student_count
    else:
        participants = rng.randint(
            max(school.student_count // 4, 10), max(school.student_count, 20)
        )
    label = EducationActivity.Kind(kind).label
    return EducationActivity(
        school=school,
        kind=kind,
        topic=topic,
        date=day,
        participants=participants,
        title=title or f"{label}：{TOPIC_TITLES[topic]}",
        recorded_by=rng.choice([cast.officer[school.pk], cast.teacher[school.pk]]),
    )


# --- counselling ---------------------------------------------------------------------


def build_counselling(
    school_year: int, individual: int, group: int, schools, cast, rng, today, *, since=None
) -> int:
    """Sessions of the school year starting 1 September ``school_year``, at the schools
    with a counsellor; only rows from ``since`` on and before ``today`` are kept."""
    first, last = datetime.date(school_year, 9, 1), datetime.date(school_year + 1, 8, 31)
    days = cal.days_between(first, last)
    served = [s for s in schools if s.pk in cast.counsellor]
    weights = [size_weight(s) for s in served]
    rows = []
    for school, count in zip(served, allocate(individual, weights, rng, minimum=4), strict=False):
        pupils = [
            f"{school.code[-4:]}-{school_year % 100:02d}{k:03d}" for k in range(1, count // 2 + 2)
        ]
        for day in rng.choices(days, k=count):
            rows.append(
                CounsellingSession(
                    school=school,
                    kind=CounsellingSession.Kind.INDIVIDUAL,
                    date=day,
                    counsellor=cast.counsellor[school.pk],
                    participants=1,
                    student_code=rng.choice(pupils[: max(1, len(pupils) // 2)] + pupils),
                    notes=rng.choice(COUNSELLING_NOTES),
                )
            )
    for school, count in zip(served, allocate(group, weights, rng, minimum=2), strict=False):
        for day in rng.choices(days, k=count):
            rows.append(
                CounsellingSession(
                    school=school,
                    kind=CounsellingSession.Kind.GROUP,
                    date=day,
                    counsellor=cast.counsellor[school.pk],
                    participants=rng.randint(8, 40),
                    notes=rng.choice(GROUP_THEMES),
                )
            )
    rows = [r for r in rows if r.date < today and (since is None or r.date >= since)]
    CounsellingSession.objects.bulk_create(rows)
    return len(rows)

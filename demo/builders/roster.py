"""The demo's school calendar rows and the schools' classes and students.

The calendar rows (``schools.Term``, ``schools.CalendarDay``) are the bureau's, generated
from the demo calendar (calendar.py) for every school year the demo spans, so the product's
``schools.calendar`` agrees with the demo's own idea of a school day.

Classes follow the school type's grades with about 45 students a class; students are
synthetic (plausible names from people.py's surnames; guardian phones start with 100,
which no Chinese mobile number does, so they are obviously fake). Each school's demo
teacher (teacherN) is homeroom teacher of its first class, so one class has a teacher who
may see the whole phone numbers and the others do not.
"""

import datetime
import math

from schools.models import CalendarDay, School, SchoolClass, Student, Term

from . import calendar as cal
from .people import MONGOLIAN, SURNAMES

T = School.SchoolType
GRADES = {
    T.KINDERGARTEN: range(1, 4),
    T.PRIMARY: range(1, 7),
    T.JUNIOR: range(7, 10),
    T.NINE_YEAR: range(1, 10),
    T.COMPLETE_SECONDARY: range(7, 13),
    T.SENIOR: range(10, 13),
    T.TWELVE_YEAR: range(1, 13),
    T.VOCATIONAL: range(10, 13),
    T.SPECIAL: range(1, 10),
}
CLASS_SIZE = 45
# Characters of children's given names (one or two of them); duplicates are allowed, as in
# a real school.
GIVEN_CHARS = (
    "子梓浩宇轩涵欣怡思雨佳嘉俊博文晨阳一诺若可馨悦琪瑞泽明昊睿雅婷萱凯鑫锦航天乐安宁晓铭志诗语桐然"
)
GRADE_NAMES = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
KINDERGARTEN_NAMES = ["", "小", "中", "大"]


def build_school_calendar(first_year: int, last_year: int) -> None:
    """Bureau-wide terms of the school years ``first_year``…``last_year`` and the holidays
    and make-up workdays inside them (upserted: re-running changes nothing)."""
    for year in range(first_year, last_year + 1):
        (spring_first, spring_last), _autumn = cal.terms_of(year + 1)
        (autumn_first, autumn_last) = cal.terms_of(year)[1]
        for kind, first, last in (
            (Term.Kind.AUTUMN, autumn_first, autumn_last),
            (Term.Kind.SPRING, spring_first, spring_last),
        ):
            Term.objects.update_or_create(
                school=None,
                school_year=year,
                kind=kind,
                defaults={"start_date": first, "end_date": last},
            )
            _calendar_days(first, last)


def _calendar_days(first: datetime.date, last: datetime.date) -> None:
    day = first
    while day <= last:
        weekend = day.weekday() >= 5
        if weekend == cal.is_workday(day):  # a weekday off, or a weekend day on
            kind = CalendarDay.Kind.WORKDAY if weekend else CalendarDay.Kind.HOLIDAY
            CalendarDay.objects.update_or_create(school=None, date=day, defaults={"kind": kind})
        day += cal.ONE_DAY


def _class_name(school, grade, number, count):
    if school.is_kindergarten:
        base = f"{KINDERGARTEN_NAMES[grade]}班"
    else:
        base = f"{GRADE_NAMES[grade]}年级"
    return f"{base}({number})班" if count > 1 or not school.is_kindergarten else base


def build_roster(schools, cast, rng) -> int:
    """Classes and students for every demo school; returns the number of students."""
    students = []
    for school in schools:
        grades = GRADES[school.school_type]
        per_grade = max(1, math.ceil(school.student_count / len(grades) / CLASS_SIZE))
        size = max(1, school.student_count // (len(grades) * per_grade))
        first = True
        for grade in grades:
            for number in range(1, per_grade + 1):
                school_class = SchoolClass.objects.create(
                    school=school,
                    grade=grade,
                    name=_class_name(school, grade, number, per_grade),
                    homeroom_teacher=cast.teacher[school.pk] if first else None,
                    is_boarding=school.is_boarding and grade >= 4,
                )
                first = False
                students += _students(school, school_class, size, rng, len(students))
    Student.objects.bulk_create(students, batch_size=2000)
    return len(students)


def _name(rng, surname=None, mongolian=False):
    if mongolian and rng.random() < 0.5:
        return rng.choice(MONGOLIAN)
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return (surname or rng.choice(SURNAMES)) + given


def _students(school, school_class, size, rng, start):
    rows = []
    for n in range(start + 1, start + size + 1):
        name = _name(rng, mongolian=school.mongolian_medium)
        surname = name[0] if name not in MONGOLIAN else None
        rows.append(
            Student(
                school=school,
                school_class=school_class,
                name=name,
                student_number=f"{school.code[-4:]}{n:05d}",
                is_boarding=school_class.is_boarding and rng.random() < 0.8,
                guardian_name=_name(rng, surname, mongolian=school.mongolian_medium),
                guardian_phone=f"100{rng.randrange(10**8):08d}",
            )
        )
    return rows

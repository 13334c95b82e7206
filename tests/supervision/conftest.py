"""A small world for the supervision tests: the 2024 autumn term with the National Day
holiday (Tue 1 Oct) and a make-up workday (Sat 12 Oct); school A (boarding) with class A1
(homeroom: teacher_a; three day students and two boarders) and class A2 (homeroom:
teacher_a2); school B with one class; dismissal at 17:00 and lights-out at 21:30."""

import datetime

import pytest

from accounts.models import User
from schools.models import CalendarDay, Term
from supervision.models import BellTime, PatrolPoint, PatrolSlot

from ..factories import SchoolClassFactory, StudentFactory, UserFactory

D = datetime.date
T = datetime.time
WEDNESDAY = D(2024, 10, 9)
HOLIDAY = D(2024, 10, 1)  # Tuesday
WORKDAY = D(2024, 10, 12)  # Saturday, make-up workday


@pytest.fixture
def calendar(db):
    Term.objects.create(
        school_year=2024, kind=Term.Kind.AUTUMN, start_date=D(2024, 9, 2), end_date=D(2025, 1, 17)
    )
    CalendarDay.objects.create(date=HOLIDAY, kind=CalendarDay.Kind.HOLIDAY, name="国庆节")
    CalendarDay.objects.create(date=WORKDAY, kind=CalendarDay.Kind.WORKDAY, name="调休上课")


@pytest.fixture
def teacher_a2(school_a):
    return UserFactory(username="teacher_a2", role=User.Role.TEACHER, schools=[school_a])


@pytest.fixture
def class_a1(school_a, teacher_a, calendar):
    school_a.is_boarding = True
    school_a.save(update_fields=["is_boarding"])
    school_class = SchoolClassFactory(
        school=school_a, name="三年级1班", grade=3, homeroom_teacher=teacher_a, is_boarding=True
    )
    for n in range(3):
        StudentFactory(
            school_class=school_class, name=f"走读生{n}", student_number=f"A1{n:02d}",
            guardian_phone=f"1380000{n:04d}",
        )  # fmt: skip
    for n in range(2):
        StudentFactory(
            school_class=school_class, name=f"住校生{n}", student_number=f"A1B{n}",
            is_boarding=True, guardian_phone=f"1390000{n:04d}",
        )  # fmt: skip
    BellTime.objects.create(school=school_a, kind=BellTime.Kind.DISMISSAL, start=T(17, 0))
    BellTime.objects.create(school=school_a, kind=BellTime.Kind.DORM, start=T(21, 30))
    return school_class


@pytest.fixture
def class_a2(school_a, teacher_a2, class_a1):
    school_class = SchoolClassFactory(
        school=school_a, name="四年级1班", grade=4, homeroom_teacher=teacher_a2
    )
    StudentFactory(school_class=school_class, name="乙同学", student_number="A201")
    return school_class


@pytest.fixture
def class_b1(school_b, calendar):
    school_class = SchoolClassFactory(school=school_b, name="B班", grade=3)
    StudentFactory(school_class=school_class, name="丙同学", student_number="B101")
    BellTime.objects.create(school=school_b, kind=BellTime.Kind.DISMISSAL, start=T(16, 30))
    return school_class


def day_students(school_class):
    return list(school_class.students.filter(is_boarding=False).order_by("student_number"))


@pytest.fixture
def patrol_setup(school_a, officer_a, teacher_a, calendar):
    """Two key points and a non-key one; a break slot 10:00–10:20 every day run by
    teacher_a over all three."""
    points = [
        PatrolPoint.objects.create(school=school_a, name="南校门", kind="gate"),
        PatrolPoint.objects.create(school=school_a, name="教学楼楼梯", kind="stairs"),
        PatrolPoint.objects.create(school=school_a, name="花园", kind="other", is_key_area=False),
    ]
    slot = PatrolSlot.objects.create(
        school=school_a, name="大课间", kind="break", start=T(10, 0), end=T(10, 20),
        patroller=teacher_a,
    )  # fmt: skip
    slot.points.set(points)
    return slot, points

"""Education beyond the counted activities: the classes each class meeting and thematic
activity reached, rule-of-law vice principals (each serving one or two schools; a few schools
below the 4 class hours in some year, one evaluation missing), and staff safety trainings.
Only rows dated before ``today``; bulk writes, a few thousand rows in all."""

import datetime
import random
from decimal import Decimal

from education.models import (
    Appointment,
    EducationActivity,
    StaffTraining,
    VicePrincipal,
    VicePrincipalEvaluation,
    VicePrincipalLesson,
)
from schools.models import SchoolClass

from . import calendar as cal

AGENCIES = [
    ("court", "杭锦旗人民法院"), ("procuratorate", "杭锦旗人民检察院"),
    ("police", "杭锦旗公安局"), ("justice", "杭锦旗司法局"),
]  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
LESSONS = ["宪法与我们的生活", "预防校园欺凌", "未成年人保护法解读", "远离毒品", "防范电信诈骗"]
TRAININGS = [
    ("消防安全与灭火器使用培训", Decimal(2)), ("急救知识与心肺复苏培训", Decimal(3)),
    ("防震减灾与应急疏散培训", Decimal("1.5")), ("食品安全与校园欺凌防治培训", Decimal(2)),
]  # fmt: skip


def build_activity_classes(seed: int) -> int:
    """Give every class meeting one class of its school and every thematic activity two to
    four; flag speeches and first lessons stay school-wide. Returns the link rows."""
    rng = random.Random(f"{seed}-activity-classes")
    by_school: dict[int, list[int]] = {}
    for school_id, class_id in SchoolClass.objects.values_list("school_id", "id").order_by("id"):
        by_school.setdefault(school_id, []).append(class_id)
    through = EducationActivity.classes.through
    links = []
    kinds = [EducationActivity.Kind.CLASS_MEETING, EducationActivity.Kind.THEMATIC]
    rows = EducationActivity.objects.filter(kind__in=kinds).order_by("id")
    for pk, school_id, kind in rows.values_list("id", "school_id", "kind"):
        classes = by_school.get(school_id)
        if not classes:
            continue
        count = 1 if kind == EducationActivity.Kind.CLASS_MEETING else rng.randint(2, 4)
        for class_id in rng.sample(classes, min(count, len(classes))):
            links.append(through(educationactivity_id=pk, schoolclass_id=class_id))
    through.objects.bulk_create(links, batch_size=2000)
    return len(links)


def build_vice_principals(schools, first_year: int, today: datetime.date, seed: int) -> int:
    """One vice principal for each pair of schools (a person serves at most two), appointed
    from September of ``first_year - 1`` (one term, renewed as long as the demo runs);
    lessons every year up to ``today`` (three schools short of 4 hours in ``first_year``),
    yearly evaluations for the finished years (one missing). Returns the number of people."""
    rng = random.Random(f"{seed}-vice-principals")
    short = {s.pk for s in schools[3:6]}
    people, appointments, lessons, evaluations = [], [], [], []
    for index in range(0, len(schools), 2):
        kind, agency = AGENCIES[(index // 2) % len(AGENCIES)]
        name = rng.choice(SURNAMES) + rng.choice(["建国", "海燕", "志强", "丽娜", "文斌", "巴特尔"])
        person = VicePrincipal(name=name, agency_type=kind, agency_name=agency)
        people.append((person, schools[index : index + 2]))
    VicePrincipal.objects.bulk_create([p for p, _ in people])
    for person, served in people:
        for school in served:
            appointments.append(
                Appointment(
                    vice_principal=person, school=school,
                    start_date=datetime.date(first_year - 1, 9, 1),
                    end_date=datetime.date(max(first_year + 2, today.year + 1), 8, 31),
                )
            )  # fmt: skip
            for year in range(first_year, today.year + 1):
                hours = [Decimal(1), Decimal(2)] if school.pk in short and year == first_year else [
                    Decimal(2), Decimal(2), Decimal(1)]  # fmt: skip
                for month, h in zip((3, 6, 12), hours, strict=False):
                    day = cal.next_school_day(datetime.date(year, month, rng.randint(2, 20)))
                    if day < today:
                        lessons.append(VicePrincipalLesson(
                            vice_principal=person, school=school, date=day, hours=h,
                            title=rng.choice(LESSONS),
                        ))  # fmt: skip
                if year < today.year and not (school == schools[-1] and year == first_year):
                    evaluations.append(VicePrincipalEvaluation(
                        vice_principal=person, school=school, year=year,
                        result=rng.choice(["excellent", "competent", "competent"]),
                    ))  # fmt: skip
    Appointment.objects.bulk_create(appointments)
    VicePrincipalLesson.objects.bulk_create(lessons)
    VicePrincipalEvaluation.objects.bulk_create(evaluations)
    return len(people)


def build_trainings(schools, cast, first_year: int, today: datetime.date, seed: int) -> int:
    """Two staff safety trainings per school and year (spring, autumn) attended by the
    school's demo staff. Returns the number of trainings."""
    rng = random.Random(f"{seed}-trainings")
    trainings, attendees = [], []
    for school in schools:
        staff = cast.school_staff(school)
        for year in range(first_year, today.year + 1):
            for month in (3, 10):
                day = cal.next_school_day(datetime.date(year, month, rng.randint(5, 25)))
                if day >= today:
                    continue
                title, hours = rng.choice(TRAININGS)
                training = StaffTraining(
                    school=school, title=title, date=day, hours=hours,
                    recorded_by=cast.officer[school.pk],
                )  # fmt: skip
                trainings.append(training)
                attendees.append(rng.sample(staff, rng.randint(2, len(staff))))
    StaffTraining.objects.bulk_create(trainings)
    through = StaffTraining.attendees.through
    through.objects.bulk_create(
        through(stafftraining_id=t.pk, user_id=u.pk)
        for t, people in zip(trainings, attendees, strict=True)
        for u in people
    )
    return len(trainings)

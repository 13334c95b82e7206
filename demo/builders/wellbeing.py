"""The sealed mental-health demo: screening files (一生一策) for a few upper-grade students of
the primary and secondary schools — synthetic names from the roster, MHT scores, levels
(mostly 一般关注, a few 重点关注), and one student at 高危 at the persona school, raised through
``wellbeing.services.set_level`` by its counsellor so the principal and homeroom teacher get
the one crisis alert. A bullying case at the persona school, open, with its timer."""

import datetime
import random

from notifications.models import OutboxMessage
from schools.models import Student
from wellbeing import services
from wellbeing.defaults import ensure_defaults
from wellbeing.models import BullyingCase, Instrument, Screening, StudentRecord, WarningLevel

from . import calendar as cal

PER_SCHOOL = 6


def build_wellbeing(schools, cast, today: datetime.date, seed: int) -> int:
    """Files at each school that has a counsellor; returns the number of files."""
    rng = random.Random(f"{seed}-wellbeing")
    ensure_defaults()  # a flushed database (transactional tests) lost the migration's rows
    mht = Instrument.objects.get(name__contains="MHT")
    levels = {level.rank: level for level in WarningLevel.objects.all()}
    year = today.year if today.month >= 11 else today.year - 1  # the autumn screening
    screened_on = cal.next_school_day(datetime.date(year, 10, 15))
    records, screenings, crisis = [], [], None
    for school in schools:
        if school.pk not in cast.counsellor:
            continue
        students = list(
            Student.objects.filter(school=school, school_class__grade__gte=4).order_by("id")[:200]
        )
        for student in rng.sample(students, min(PER_SCHOOL, len(students))):
            score = rng.randint(30, 70)
            rank = 2 if score >= 60 else 1
            record = StudentRecord(
                student=student, school=school, level=levels[rank],
                plan="每两周面谈一次，与班主任保持沟通。" if rank == 2 else "",
            )  # fmt: skip
            records.append(record)
            screenings.append((record, score))
        if school == schools[0]:
            crisis = _crisis_record(school, records, screenings)
    StudentRecord.objects.bulk_create(records)
    Screening.objects.bulk_create(
        Screening(
            record=r, instrument=mht, date=screened_on, score=s,
            details="焦虑倾向、学习压力分量表偏高" if s >= 60 else "各分量表均在常模范围内",
        )
        for r, s in screenings
    )  # fmt: skip
    if crisis is not None:
        counsellor = cast.counsellor[crisis.school_id]
        yesterday = today - datetime.timedelta(days=1)
        last_outbox = OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first()
        services.set_level(crisis, actor=counsellor, level=levels[3], now=cal.at(yesterday, 10))
        # The demo sends nothing: drop the e-mail sends the alert queued (inbox rows stay).
        OutboxMessage.objects.filter(id__gt=last_outbox or 0).delete()
        _bullying_case(schools[0], cast, today)
    return len(records)


def _crisis_record(school, records, screenings):
    """A file for a student of the class that has a homeroom teacher (the demo's teacherN),
    so the crisis alert reaches both the principal and the homeroom teacher."""
    student = (
        Student.objects.filter(school=school, school_class__homeroom_teacher__isnull=False)
        .exclude(pk__in=[r.student_id for r in records])
        .order_by("id")
        .first()
    )
    if student is None:
        return None
    record = StudentRecord(student=student, school=school, plan="每周面谈，联系家长就医评估。")
    records.append(record)
    screenings.append((record, 68))
    return record


def _bullying_case(school, cast, today):
    """One open case reported three days ago at the persona school (written directly: the
    service checks the report day against the real clock, the demo's day may differ)."""
    reported = today - datetime.timedelta(days=3)
    BullyingCase.objects.create(
        school=school, date=reported, investigation_started_on=reported,
        deadline=reported + datetime.timedelta(days=10), participants=2,
        summary="课间在走廊推搡、起绰号，已分开当事学生并告知家长。",
        reported_by=cast.officer[school.pk],
    )  # fmt: skip

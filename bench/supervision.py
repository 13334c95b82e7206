"""Benchmark of key-period supervision, on its own: ``python bench/supervision.py``.

Two paths, each with its query count at two sizes, to show the count does not grow with the
number of schools or students (tests/supervision/test_bench.py asserts the same at a tiny
size):

- the 到家报平安 page of one class (5 and 55 students), as its homeroom teacher;
- the bureau's daily summary (``/supervision/`` and ``/api/v1/supervision/summary/``) over
  a tenth of the benchmark schools and over all of them, as bureau staff.

It uses the schools already in the database whose code starts with ``BENCH`` (those of
``bench/run.py``), or creates ``--schools`` of them, and (re)writes its own rows for them:
bell times, two classes per school (5 and 55 students), a day's check-ins and patrols.
Against the database of ``--database-url`` (its name must contain "bench"); migrated first.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/campussafety_bench"
CODE_PREFIX = "BENCH"
USER_PREFIX = "bench_sv_"
DAY = datetime.date(2024, 10, 9)  # a Wednesday in the autumn term (the term is created)
SIZES = (5, 55)


@dataclass
class Result:
    name: str
    size: str
    queries: int
    median_ms: float
    status: int


@dataclass
class Handles:
    teacher: object
    bureau: object
    classes: dict  # size → SchoolClass of the first school
    school_ids: list


def build(schools: int = 30) -> Handles:
    """The benchmark schools (created when there are none) and the supervision rows."""
    from django.db import transaction

    from accounts.models import User
    from schools.models import School, Term

    with transaction.atomic():
        if not School.objects.filter(code__startswith=CODE_PREFIX).exists():
            School.objects.bulk_create(
                School(name=f"基准学校{n}", code=f"{CODE_PREFIX}{n:05d}", school_type="211",
                       town="xini", is_boarding=n % 3 == 0)
                for n in range(schools)
            )  # fmt: skip
        Term.objects.get_or_create(
            school=None, school_year=2024, kind=Term.Kind.AUTUMN,
            defaults={"start_date": datetime.date(2024, 9, 2),
                      "end_date": datetime.date(2025, 1, 17)},
        )  # fmt: skip
        bench = list(School.objects.filter(code__startswith=CODE_PREFIX).order_by("code"))
        teacher = _user("teacher", User.Role.TEACHER, bench[:1])
        bureau = _user("bureau", User.Role.BUREAU_STAFF, [], all_schools=True)
        classes = _rows(bench, teacher)
    return Handles(teacher, bureau, classes, [s.pk for s in bench])


def _user(name, role, schools, all_schools=False):
    from accounts.models import User

    user, _ = User.objects.update_or_create(
        username=f"{USER_PREFIX}{name}",
        defaults={"role": role, "scope_all_schools": all_schools, "is_active": True},
    )
    user.schools.set(schools)
    return user


def _rows(schools, teacher):
    """Delete and write this module's rows for ``schools``: ``{size: class}`` of the first."""
    from schools.models import SchoolClass, Student
    from supervision.models import (
        BellTime,
        CheckIn,
        Patrol,
        PatrolCheck,
        PatrolPoint,
        PatrolSlot,
        Roll,
    )

    ids = [s.pk for s in schools]
    for model in (Roll, Patrol, PatrolSlot, PatrolPoint, BellTime):
        model.objects.filter(school__in=ids).delete()
    Student.objects.filter(school__in=ids, student_number__startswith="SV").delete()
    SchoolClass.objects.filter(school__in=ids, name__startswith="基准班").delete()
    BellTime.objects.bulk_create(
        BellTime(school=s, kind="dismissal", start=datetime.time(17)) for s in schools
    )
    classes = SchoolClass.objects.bulk_create(
        SchoolClass(school=s, grade=3, name=f"基准班{size}", homeroom_teacher=teacher)
        for s in schools
        for size in SIZES
    )
    students = Student.objects.bulk_create(
        (
            Student(school=c.school, school_class=c, name=f"学生{n}",
                    student_number=f"SV{c.pk}-{n}", guardian_phone="10000000000")
            for c in classes
            for n in range(int(c.name.removeprefix("基准班")))
        ),
        batch_size=5000,
    )  # fmt: skip
    at = datetime.datetime(2024, 10, 9, 10, tzinfo=datetime.UTC)
    rolls = {c.pk: Roll(school=c.school, school_class=c, date=DAY, kind="home",
                        first_marked_at=at, teacher_alerted_at=at, unaccounted_at_cutoff=1)
             for c in classes}  # fmt: skip
    Roll.objects.bulk_create(rolls.values())
    CheckIn.objects.bulk_create(
        (
            CheckIn(school_id=s.school_id, roll=rolls[s.school_class_id], student=s, date=DAY,
                    kind="home", status="arrived", marked_at=at)
            for s in students[::2]
        ),
        batch_size=5000,
    )  # fmt: skip
    points = PatrolPoint.objects.bulk_create(
        PatrolPoint(school=s, name="校门", kind="gate", code=f"bench-sv-{s.pk}") for s in schools
    )
    slots = PatrolSlot.objects.bulk_create(
        PatrolSlot(school=s, name="课间", kind="break", start=datetime.time(10),
                   end=datetime.time(10, 20), patroller=teacher)
        for s in schools
    )  # fmt: skip
    patrols = Patrol.objects.bulk_create(
        Patrol(school_id=slot.school_id, slot=slot, date=DAY, status="done", patroller=teacher)
        for slot in slots
    )
    PatrolCheck.objects.bulk_create(
        PatrolCheck(patrol=p, point=pt, method="scan", checked_at=at)
        for p, pt in zip(patrols, points, strict=True)
    )
    first = schools[0].pk
    return {int(c.name.removeprefix("基准班")): c for c in classes if c.school_id == first}


def _measure(name, size, action, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, status = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            status = action()
            times.append((time.perf_counter() - start) * 1000)
    return Result(name, size, len(ctx), round(statistics.median(times), 1), status)


def measure(handles: Handles, repeat: int = 5) -> list[Result]:
    """The two paths at two sizes each; the clock is pinned to the benchmark day."""
    import time_machine
    from django.test import Client
    from rest_framework.test import APIClient

    from schools.models import School
    from supervision.selectors import daily_summary

    teacher, bureau, api = Client(), Client(), APIClient()
    teacher.force_login(handles.teacher)
    bureau.force_login(handles.bureau)
    api.force_authenticate(handles.bureau)
    results = []
    with time_machine.travel(datetime.datetime(2024, 10, 9, 12, tzinfo=datetime.UTC), tick=False):
        for size, school_class in sorted(handles.classes.items()):
            url = f"/supervision/checkins/{school_class.pk}/"
            results.append(_measure(
                "check-in page", f"{size} students",
                lambda url=url: teacher.get(url).status_code, repeat,
            ))  # fmt: skip
        tenth = handles.school_ids[: max(1, len(handles.school_ids) // 10)]
        for ids in (tenth, handles.school_ids):
            schools = School.objects.filter(pk__in=ids).order_by("code")
            results.append(_measure(
                "daily summary (selector)", f"{len(ids)} schools",
                lambda schools=schools: len(daily_summary(schools, DAY)) and 200, repeat,
            ))  # fmt: skip
        n = len(handles.school_ids)
        results.append(_measure(
            "bureau page /supervision/", f"{n} schools",
            lambda: bureau.get(f"/supervision/?date={DAY}").status_code, repeat,
        ))  # fmt: skip
        results.append(_measure(
            "API supervision/summary", f"{n} schools",
            lambda: api.get(f"/api/v1/supervision/summary/?date={DAY}").status_code, repeat,
        ))  # fmt: skip
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--schools", type=int, default=300, help="created when none exist")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if "bench" not in args.database_url.rsplit("/", 1)[-1]:
        sys.exit("refusing: the benchmark database's name must contain 'bench'")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ["DJANGO_SETTINGS_MODULE"] = "campussafety.settings.base"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    results = measure(build(args.schools), args.repeat)
    print(f"{'path':28} {'size':14} {'queries':>7} {'median ms':>10} status")
    for r in results:
        print(f"{r.name:28} {r.size:14} {r.queries:>7} {r.median_ms:>10} {r.status}")


if __name__ == "__main__":
    main()

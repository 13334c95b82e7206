"""Benchmark of the bureau's drill compliance page (/drills/compliance/) over growing numbers
of schools: the time and, above all, the number of SQL queries, which must not grow with the
schools (one function, ``drills.selectors.drill_compliance``, reads them in a fixed number of
queries). Runs on its own, beside bench/run.py:

    .venv/bin/python bench/drills.py [--schools 30,300,1000] [--drills-per-school 12]
                                     [--repeat 5] [--database-url URL]

Uses its own database (default ``postgres://postgres@127.0.0.1:5432/campussafety_bench_drills``;
the name must contain "bench"), dropped and rebuilt for each size: schools of every type
(a third boarding), the bureau's terms, drills spread over the calendar year (live and
tabletop, some at night), and one bureau user. Prints one line per size (schools, median
and p95 ms, queries) and exits with status 1 when the query count differs between sizes.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/campussafety_bench_drills"
YEAR = 2025
TERMS = [
    (2024, "autumn", datetime.date(2024, 9, 1), datetime.date(2025, 1, 17)),
    (2024, "spring", datetime.date(2025, 2, 17), datetime.date(2025, 7, 11)),
    (2025, "autumn", datetime.date(2025, 9, 1), datetime.date(2026, 1, 16)),
]


def configure(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "campussafety.settings.base"
    sys.path.insert(0, str(ROOT))


def recreate(database_url: str) -> None:
    """Drop and create the benchmark database (PostgreSQL), or delete the SQLite file."""
    import environ

    config = environ.Env.db_url_config(database_url)
    name = str(config["NAME"])
    if "bench" not in Path(name).name:
        sys.exit(f"refusing {database_url}: the benchmark database's name must contain 'bench'")
    if "sqlite" in config["ENGINE"]:
        Path(name).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    params = {k: config.get(k.upper()) or None for k in ("host", "port", "user", "password")}
    with psycopg.connect(
        dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}
    ) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def build(schools: int, drills_per_school: int, seed: int = 16):
    """The synthetic county; returns the bureau user."""
    from accounts.models import User
    from drills.models import Drill
    from schools.models import School, Term

    rng = random.Random(seed)
    types = School.SchoolType.values
    rows = School.objects.bulk_create(
        [
            School(
                name=f"演练基准学校{n}",
                code=f"BD{n:05d}",
                school_type=types[n % len(types)],
                town="xini",
                is_boarding=n % 3 == 0,
                student_count=800,
                staff_count=60,
            )  # fmt: skip
            for n in range(1, schools + 1)
        ]
    )
    Term.objects.bulk_create(
        [Term(school_year=y, kind=k, start_date=s, end_date=e) for y, k, s, e in TERMS]
    )
    days = [datetime.date(YEAR, 1, 1) + datetime.timedelta(days=d) for d in range(365)]
    drills = []
    for school in rows:
        for _n in range(drills_per_school):
            day = rng.choice(days)
            kind = rng.choice(["fire", "earthquake", "night_dorm", "anti_terror", "crowd"])
            signal = datetime.datetime.combine(
                day, datetime.time(rng.choice([2, 7, 13])), datetime.UTC
            )
            seconds = rng.randint(80, 240)
            drills.append(
                Drill(
                    school=school,
                    drill_type=kind,
                    date=day,
                    signal_at=signal,
                    completed_at=signal + datetime.timedelta(seconds=seconds),
                    evacuation_seconds=seconds,
                    target_seconds=120,
                    style="live" if rng.random() < 0.85 else "tabletop",
                )  # fmt: skip
            )
    Drill.objects.bulk_create(drills, batch_size=2000)
    return User.objects.create_user(
        "bench_bureau", role=User.Role.BUREAU_STAFF, scope_all_schools=True
    )


def measure(user, repeat: int) -> tuple[float, float, int, int]:
    """(median ms, p95 ms, queries, status) of GET /drills/compliance/?year=YEAR."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    url = f"/drills/compliance/?year={YEAR}"
    client.get(url)  # warm-up
    times, queries, status = [], 0, 0
    for _n in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries, status = max(queries, len(captured.captured_queries)), response.status_code
    ordered = sorted(times)
    p95 = ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]
    return round(statistics.median(times), 1), round(p95, 1), queries, status


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", default="30,300,1000", help="comma-separated sizes")
    parser.add_argument("--drills-per-school", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args(argv)
    configure(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    results = []
    print(f"{'schools':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8} status")
    for size in [int(s) for s in args.schools.split(",")]:
        connections.close_all()
        recreate(args.database_url)
        call_command("migrate", verbosity=0)
        user = build(size, args.drills_per_school)
        median, p95, queries, status = measure(user, args.repeat)
        results.append(queries)
        print(f"{size:>8} {median:>10} {p95:>8} {queries:>8} {status}")
    if len(set(results)) > 1:
        print("the query count grows with the number of schools", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the key user paths on a synthetic county (bench/README.md says how to read it).

    .venv/bin/python bench/run.py [--schools N] [--hazards-per-school M] [--repeat K]
                                  [--database-url URL] [--json out.json] [--rebuild]

Uses its own database (default ``postgres://postgres@127.0.0.1:5432/campussafety_bench``;
the name must contain "bench"): creates it when missing, migrates it, and builds the dataset
(``bench.data``) unless the one there already has the requested size. Then each path runs
once to warm up and ``K`` times measured, through the Django test client (web pages, session
of a logged-in user) or DRF's APIClient (token): median and p95 wall time of the whole
request, including reading a streamed body, and the number of SQL queries.

``measure_all`` and ``measure`` are importable (tests/test_bench.py runs them at a tiny size).
"""

import argparse
import datetime
import io
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/campussafety_bench"
YEAR = 2025  # the last complete calendar year of the dataset (it starts in 2024)


@dataclass
class Result:
    """One path: wall times in milliseconds, SQL queries of one request (the largest count
    over the runs), HTTP status, response bytes and a note (rows returned)."""

    name: str
    median_ms: float
    p95_ms: float
    queries: int
    status: int
    size: int
    note: str = ""


def p95(samples):
    """The 95th percentile by nearest rank (the maximum for fewer than 20 samples)."""
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def measure(name, action, repeat):
    """Run ``action`` once to warm up and ``repeat`` times timed; returns a ``Result``.
    ``action`` returns (status, body bytes, note): a string, or a callable of no arguments
    that makes it after the clock has stopped."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action()
    times, queries = [], 0
    for _n in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            status, body, note = action()
            times.append((time.perf_counter() - start) * 1000)
        queries = max(queries, len(captured.captured_queries))
    return Result(
        name,
        round(statistics.median(times), 1),
        round(p95(times), 1),
        queries,
        status,
        len(body),
        note() if callable(note) else note,
    )


def _get(client, url):
    def action():
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, body, lambda: _rows(response, body)

    return action


def _rows(response, body):
    """The note "50 of 90000 rows" for a paginated API list, else empty."""
    if response.get("Content-Type", "").startswith("application/json"):
        data = json.loads(body)
        if isinstance(data, dict) and "results" in data:
            return f"{len(data['results'])} of {data['count']} rows"
    return ""


def _with_note(action, note):
    def wrapped():
        status, body, _note = action()
        return status, body, note

    return wrapped


def export_window(limit):
    """``reported_after`` (a date) giving the largest ledger export that still streams from
    the request: at most ``limit`` of the bureau's most recent hazards. None when the whole
    ledger is small enough."""
    from django.utils import timezone

    from hazards.models import Hazard

    hazards = Hazard.objects.order_by("-reported_at", "-id")
    if hazards.count() <= limit:
        return None
    day = hazards.values_list("reported_at", flat=True)[limit - 1]
    return timezone.localdate(day) + datetime.timedelta(days=1)


def cases(handles):
    """[(name, action)] of the paths to measure, for the dataset's ``handles``."""
    from django.core.management import call_command
    from django.test import Client
    from rest_framework.test import APIClient

    from hazards.models import Hazard
    from reports.exports import async_threshold

    bureau, officer = Client(), Client()
    bureau.force_login(handles.bureau)
    officer.force_login(handles.officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {handles.token}")
    pages = -(-Hazard.objects.count() // 25)
    window = export_window(async_threshold())
    recent = (
        Hazard.objects.filter(reported_at__date__gte=window) if window else Hazard.objects.all()
    )
    exports = [
        (
            "one school",
            f"school={handles.school_id}",
            Hazard.objects.filter(school_id=handles.school_id).count(),
        ),
        ("largest sync", f"reported_after={window:%Y-%m-%d}" if window else "", recent.count()),
    ]
    calendar = f"/inspections/calendar/?year={YEAR}&month=10"

    def rollup():
        out = io.StringIO()
        call_command("rollup_statistics", year=YEAR, stdout=out, stderr=io.StringIO())
        return 0, out.getvalue().encode(), ""

    return [
        ("dashboard / (bureau)", _get(bureau, "/")),
        ("dashboard / (school officer)", _get(officer, "/")),
        ("ledger /hazards/ page 1 (bureau)", _get(bureau, "/hazards/")),
        ("ledger /hazards/ page 1 (school officer)", _get(officer, "/hazards/")),
        (
            "ledger filtered (status+category+level)",
            _get(
                bureau, "/hazards/?status=rectifying&status=verifying&category=fire&level=general"
            ),
        ),
        ("ledger overdue", _get(bureau, "/hazards/?overdue=true")),
        ("ledger search q=灭火器", _get(bureau, "/hazards/?q=%E7%81%AD%E7%81%AB%E5%99%A8")),
        (f"ledger last page ({pages})", _get(bureau, f"/hazards/?page={pages}")),
        ("hazard detail", _get(bureau, f"/hazards/{handles.hazard_id}/")),
        ("API hazards ?page_size=100", _get(api, "/api/v1/hazards/?page_size=100")),
        ("API hazards filtered", _get(api, "/api/v1/hazards/?status=closed&source=snapshot")),
        ("API hazard detail", _get(api, f"/api/v1/hazards/{handles.hazard_id}/")),
        (f"API reports/yearly {YEAR}", _get(api, f"/api/v1/reports/yearly/?year={YEAR}")),
        ("inspections list (bureau)", _get(bureau, "/inspections/")),
        ("inspections calendar (bureau)", _get(bureau, calendar)),
        ("inspections calendar (school officer)", _get(officer, calendar)),
        *[
            (
                f"export {fmt.upper()} {label}",
                _with_note(_get(bureau, f"/exports/hazards/{fmt}/?{query}"), f"{rows} rows"),
            )
            for label, query, rows in exports
            for fmt in ("xlsx", "csv")
        ],
        (f"rollup_statistics --year {YEAR}", rollup),
    ]


def measure_all(handles, repeat=5, only=None, progress=None):
    """``Result`` of every case (those whose name contains ``only`` when given)."""
    results = []
    for name, action in cases(handles):
        if only and only not in name:
            continue
        results.append(measure(name, action, repeat))
        if progress:
            progress(results[-1])
    return results


# --- command line ----------------------------------------------------------------------


def configure(database_url):
    """Environment for measuring, set before django.setup(): production-like settings
    (DEBUG off, plain static storage so no collectstatic manifest is needed, quiet logs)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # exports stay below the job threshold anyway
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "campussafety.settings.base"
    sys.path.insert(0, str(ROOT))


def database_name(database_url):
    import environ

    name = environ.Env.db_url_config(database_url)["NAME"]
    if "bench" not in Path(str(name)).name:
        sys.exit(f"refusing {database_url}: the benchmark database's name must contain 'bench'")
    return name


def recreate_database(database_url, drop):
    """Create the benchmark's database when missing (dropped first when ``drop``)."""
    import environ

    config = environ.Env.db_url_config(database_url)
    name = database_name(database_url)
    if "sqlite" in config["ENGINE"]:
        if drop:
            Path(name).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(
        dbname="postgres", autocommit=True, **{k: v for k, v in params.items() if v}
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        if drop or not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(args):
    """Migrate and build (or reuse) the dataset; returns its handles."""
    from django.core.management import call_command
    from django.db import connection, connections

    from bench import data

    call_command("migrate", verbosity=0)
    size = data.dataset_size()
    wanted = (args.schools, args.schools * args.hazards_per_school)
    if size == wanted and not args.rebuild:
        name = connection.settings_dict["NAME"]
        print(f"reusing the dataset in {name}: {size[0]} schools, {size[1]} hazards")
        return data.handles()
    if size != (0, 0) or args.rebuild:
        connections.close_all()
        recreate_database(args.database_url, drop=True)
        call_command("migrate", verbosity=0)
    print(f"building {args.schools} schools × {args.hazards_per_school} hazards …", flush=True)
    start = time.perf_counter()
    handles = data.build_dataset(
        args.schools,
        args.hazards_per_school,
        args.inspections_per_school,
        progress=lambda msg: print("  " + msg, flush=True),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum would do before real users come
    print(f"built in {time.perf_counter() - start:.0f} s")
    return handles


def counts():
    from django.apps import apps

    labels = [
        "schools.School",
        "accounts.User",
        "hazards.Hazard",
        "hazards.HazardEvent",
        "inspections.Inspection",
        "inspections.InspectionAnswer",
        "drills.Drill",
        "education.EducationActivity",
        "education.CounsellingSession",
    ]
    return {label.split(".")[1]: apps.get_model(label).objects.count() for label in labels}


def table(results):
    lines = [
        f"| {'path':<44} | median ms |   p95 ms | queries | status |    KiB | note |",
        f"|{'-' * 46}|{'-' * 10}:|{'-' * 9}:|{'-' * 8}:|{'-' * 7}:|{'-' * 7}:|------|",
    ]
    for r in results:
        lines.append(
            f"| {r.name:<44} | {r.median_ms:>9.1f} | {r.p95_ms:>8.1f} | {r.queries:>7} | "
            f"{r.status or '-':>6} | {r.size / 1024:>6.0f} | {r.note} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=300)
    parser.add_argument("--hazards-per-school", type=int, default=300)
    parser.add_argument("--inspections-per-school", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--only", help="measure only the paths whose name contains this")
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild the dataset even if it fits"
    )
    args = parser.parse_args(argv)
    configure(args.database_url)
    recreate_database(args.database_url, drop=False)

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    handles = prepare(args)
    dataset = counts()
    print("dataset: " + ", ".join(f"{k} {v}" for k, v in dataset.items()), flush=True)

    def progress(result):
        print(f"  {result.name}: {result.median_ms} ms, {result.queries} queries", flush=True)

    results = measure_all(handles, args.repeat, args.only, progress=progress)
    print()
    print(table(results))
    if args.json:
        with connection.cursor() as cursor:
            postgres = connection.vendor == "postgresql"
            cursor.execute("SELECT version()" if postgres else "SELECT sqlite_version()")
            database = cursor.fetchone()[0]
        report = {
            "date": timezone.localtime().isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
                "database": database,
            },
            "repeat": args.repeat,
            "dataset": dataset,
            "results": [asdict(r) for r in results],
        }
        Path(args.json).write_text(
            json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8"
        )


if __name__ == "__main__":
    main()

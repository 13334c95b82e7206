"""Build a synthetic region and measure every key operation against its floor (bench/README.md).

    .venv/bin/python bench/run.py --preset province            # build if needed, measure, load
    .venv/bin/python bench/run.py --preset county --build-only
    .venv/bin/python bench/run.py --preset province --measure-only --no-load --only ledger
    .venv/bin/python bench/run.py --preset province --rebuild  # drop the database and build

Each preset has its own database (``postgres://postgres@127.0.0.1:5432/campussafety_bench_<preset>``
unless ``--database-url``; the name must contain "bench"). A database that holds other data,
or benchmark data of another size or seed, is refused with a message: ``--rebuild`` drops it
explicitly. The province run also measures the query counts at the county preset (in a
child process on the county's database, built when missing) and, unless ``--no-load``,
drives the app under gunicorn (bench/load.py). Output: the Markdown table on stdout and
``--json`` (default ``var/bench-<preset>.json``).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRESETS = {  # name: (schools, hazards per school)
    "province": (5000, 200),
    "county": (300, 200),
    "small": (30, 30),
}
COUNTS_PRESET = {"province": "county"}  # whose query counts a preset is compared with


def default_url(preset):
    return f"postgres://postgres@127.0.0.1:5432/campussafety_bench_{preset}"


def configure(database_url):
    """Environment for measuring, before django.setup(): bench.settings (DEBUG off,
    production-like) on ``database_url``."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))


def _config(database_url):
    import environ

    config = environ.Env.db_url_config(database_url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("the benchmark runs on PostgreSQL (its generator and floors are SQL)")
    name = str(config["NAME"])
    if "bench" not in name:
        sys.exit(f"refusing {database_url}: the benchmark database's name must contain 'bench'")
    params = {k: config.get(k.upper()) or None for k in ("host", "port", "user", "password")}
    return name, {k: v for k, v in params.items() if v}


def ensure_database(database_url, drop):
    """Create the database when missing; drop it first only when ``drop`` (--rebuild)."""
    import psycopg
    from psycopg import sql

    name, params = _config(database_url)
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            print(f"dropping {name} (--rebuild)", flush=True)
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        if drop or not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _meta(cursor):
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb)")
    cursor.execute("SELECT value FROM bench_meta WHERE key = 'dataset'")
    row = cursor.fetchone()
    if not row:
        return None
    return json.loads(row[0]) if isinstance(row[0], str) else row[0]


def prepare(args, wanted, before_build=None):
    """Migrate, then reuse the dataset when it is the wanted one or build it; returns the
    handles. Exits when the database holds something else (never drops silently).
    ``before_build()`` is called when a build starts."""
    from django.core.management import call_command
    from django.db import connection

    from bench import data

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        found = _meta(cursor)
    if found == wanted:
        print(f"reusing the dataset in {connection.settings_dict['NAME']}: {found}", flush=True)
        return data.handles()
    if found is not None or data.dataset_size() != (0, 0):
        sys.exit(
            f"{connection.settings_dict['NAME']} holds another dataset ({found}); wanted "
            f"{wanted}. Run again with --rebuild to drop and rebuild it."
        )
    if args.measure_only:
        sys.exit("no dataset to measure: build it first (without --measure-only)")
    if before_build:
        before_build()
    schools, per_school = wanted["schools"], wanted["hazards_per_school"]
    print(f"building {schools} schools × {per_school} hazards …", flush=True)
    start = time.perf_counter()
    handles = data.build_dataset(
        data.Size(schools, per_school),
        seed=wanted["seed"],
        progress=lambda msg: print(f"  {time.perf_counter() - start:6.1f} s  {msg}", flush=True),
    )
    _after_build(start)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_meta VALUES ('dataset', %s)", [json.dumps(wanted)])
    print(f"built in {time.perf_counter() - start:.0f} s", flush=True)
    return handles


def _after_build(start):
    """VACUUM ANALYZE: what autovacuum does before users come."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"  {time.perf_counter() - start:6.1f} s  vacuum analyze", flush=True)


def refresh_rollups():
    """The stored figures the dashboards and reports read, computed by the code measured
    (the nightly job's work; not timed)."""
    from bench.cases import YEAR
    from reports import services, tasks

    start = time.perf_counter()
    services.rollup_statistics(year=YEAR, period="calendar")
    tasks.rollup_current_year()  # the nightly job: this calendar year and school year
    print(f"roll-ups refreshed in {time.perf_counter() - start:.0f} s", flush=True)


def counts():
    from django.apps import apps

    labels = ["schools.School", "accounts.User", "hazards.Hazard", "hazards.HazardEvent",
              "inspections.Inspection", "inspections.InspectionAnswer", "drills.Drill",
              "education.EducationActivity", "risks.RiskPoint", "supervision.CheckIn",
              "drills.Incident"]  # fmt: skip
    return {label.split(".")[1]: apps.get_model(label).objects.count() for label in labels}


def measure_all(handles, repeat=5, only=None, progress=None, counts_only=False):
    """[Result] of every case (those whose name contains ``only``)."""
    from bench import cases as bench_cases
    from bench.measure import (
        Result,
        captured,
        p95,
        psycopg_connection,
        replay,
        sql_floor,
        timed,
    )

    selected = [c for c in bench_cases.cases(handles) if not only or only in c.name]
    framework = {}
    if not counts_only:
        for name, action in bench_cases.framework_actions(handles).items():
            times, _, _ = timed(action, repeat)
            framework[name] = statistics.median(times)
    results = []
    with psycopg_connection() as conn:
        for case in selected:
            # Writes and jobs: captured after the timed runs in a transaction rolled back
            # (a steady run: an update of the roll-up, not its first insert); reads: the
            # warm-up's SQL.
            undo = case.kind in ("write", "job")
            runs = 1 if counts_only else repeat  # counts: a steady run, not the first
            times, answer, statements = timed(case.action, runs, case.setup, not undo)
            if undo:
                statements, answer = captured(case.action, case.setup)
            status, body, note = answer
            statements = bench_cases.replay_statements(statements)
            result = Result(
                case.name, case.kind, 0, 0, len(statements), status, len(body),
                target=case.target, note=note, floor_note=case.floor_note,
                extra=dict(case.extra),
            )  # fmt: skip
            if not counts_only:
                result.median_ms = round(statistics.median(times), 1)
                result.p95_ms = round(p95(times), 1)
                # Replayed in a transaction rolled back (writes too).
                result.sql_ms = round(replay(conn, statements, repeat), 1)
                if case.floor == "own-sql":
                    floor = result.sql_ms
                else:
                    statements = case.floor(body) if callable(case.floor) else case.floor
                    floor = sql_floor(conn, statements, repeat)
                result.floor_ms = round(floor, 1)
                result.framework_ms = round(framework.get(case.framework, 0.0), 1)
            result.extra["counts_compared"] = case.counts_compared
            results.append(result)
            if progress:
                progress(result)
    return results, framework


# --- output ------------------------------------------------------------------------------


def _mark(passed):
    return {True: "pass", False: "**miss**", None: "–"}[passed]


def table(results):
    head = ("| operation | view ms | p95 ms | own SQL ms | floor ms | framework ms | ratio | "
            "target | queries (county → province) | KiB | result |")  # fmt: skip
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        target = f"≤ {r.target:g}" if r.target else "–"
        if "max_kib" in r.extra:
            target += f", ≤ {r.extra['max_kib']} KiB"
        queries = str(r.queries)
        if r.county_queries is not None:
            queries = f"{r.county_queries} → {r.queries}"
        elif not r.extra.get("counts_compared", True):
            queries += " (grows by design)"
        status = "" if r.status in (0, 200) else f" (HTTP {r.status})"
        lines.append(
            f"| {r.name}{status} | {r.median_ms:.0f} | {r.p95_ms:.0f} | {r.sql_ms:.0f} | "
            f"{r.floor_ms:.1f} | {r.framework_ms:.1f} | {r.ratio if r.ratio is not None else '–'}"
            f" | {target} | {queries} | {r.size / 1024:.0f} | {_mark(r.passed)} |"
        )
    return "\n".join(lines)


def markdown(report, results, load):
    """The results as bench/README.md shows them: machine, dataset, the table, the load."""
    m, d = report["machine"], report["dataset"]
    load_average = ", ".join(f"{x:.1f}" for x in m.get("load_average", ()))
    lines = [
        f"{report['date']}, preset `{report.get('preset')}`, commit `{m.get('commit')}` "
        f"(branch `{m.get('branch')}`); {m['cpus']} CPUs ({m.get('cpu')}), "
        f"{m.get('memory_gib')} GiB, load average at the end {load_average}; "
        f"{m['database'].split(' on ')[0]}; Python {m['python']}; up to {report['repeat']} "
        "timed runs an operation (fewer when one takes seconds).",
        "",
        "Dataset: " + ", ".join(f"{v:,} {k}" for k, v in d.items()) + ".",
        "",
        table(results),
    ]
    if load:
        from bench.load import table as load_table

        lines += ["", load_table(load)]
    return "\n".join(lines) + "\n"


def from_json(path):
    """The Markdown report of a JSON file written by an earlier run."""
    from dataclasses import fields

    from bench.measure import Result

    report = json.loads(path.read_text(encoding="utf-8"))
    names = {f.name for f in fields(Result)}
    results = [Result(**{k: v for k, v in r.items() if k in names}) for r in report["results"]]
    return markdown(report, results, report.get("load"))


class CountyCounts:
    """The query counts at the county preset, measured by a child process on its own
    database (the preset's default, or this one's name with the preset's in place of ours).
    ``start()`` launches it; when the province is being built, main() starts it then, so
    the child's migrations and build overlap the province's build (counts are not timings:
    sharing the machine does not change them). ``result()`` waits: {operation: count}."""

    def __init__(self, args, url):
        self.preset = COUNTS_PRESET.get(args.preset)
        self.wanted = bool(self.preset) and not (args.only or args.counts_only or args.build_only)
        self.process = None
        if not self.wanted:
            return
        if args.database_url:
            base, _, name = url.rpartition("/")
            name = (
                name.replace(args.preset, self.preset)
                if args.preset in name
                else f"{name}_{self.preset}"
            )
            counts_url = f"{base}/{name}"
        else:
            counts_url = default_url(self.preset)
        self.out = ROOT / "var" / f"bench-{self.preset}-counts.json"
        self.command = [sys.executable, str(Path(__file__)), "--preset", self.preset,
                        "--counts-only", "--no-load", "--json", str(self.out), "--seed",
                        str(args.seed), "--database-url", counts_url]  # fmt: skip

    def start(self):
        if self.wanted and self.process is None:
            print(f"query counts at the {self.preset} preset (in the background) …", flush=True)
            self.process = subprocess.Popen(self.command)

    def result(self):
        if not self.wanted:
            return {}
        self.start()
        if self.process.wait():
            sys.exit(f"the {self.preset} query counts failed (exit {self.process.returncode})")
        data = json.loads(self.out.read_text(encoding="utf-8"))
        return {_stable(r["name"]): r["queries"] for r in data["results"]}


def _stable(name):
    """The operation's name without the numbers that depend on the size (last page, rows)."""
    return " ".join(w for w in name.split() if not w.strip("()").isdigit())


def machine():
    from bench.cases import database_note

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory, 1),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database": database_note(),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "branch": _git("rev-parse", "--abbrev-ref", "HEAD"),
    }


def _git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return ""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", choices=PRESETS, default="county")
    parser.add_argument("--schools", type=int, help="override the preset's schools")
    parser.add_argument("--hazards-per-school", type=int, help="override the preset's")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument("--only", help="measure only the operations whose name contains this")
    parser.add_argument("--json", help="write the results here (default var/bench-<preset>.json)")
    step = parser.add_mutually_exclusive_group()
    step.add_argument("--build-only", action="store_true")
    step.add_argument("--measure-only", action="store_true", help="refuse to build")
    step.add_argument("--counts-only", action="store_true", help="query counts, no timing")
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build")
    parser.add_argument("--no-load", action="store_true", help="skip the gunicorn load step")
    parser.add_argument("--load-seconds", type=float, default=8)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--markdown", metavar="JSON", help="only print the report of a JSON")
    args = parser.parse_args(argv)
    if args.markdown:
        sys.path.insert(0, str(ROOT))
        print(from_json(Path(args.markdown)), end="")
        return 0
    schools, per_school = PRESETS[args.preset]
    wanted = {
        "schools": args.schools or schools,
        "hazards_per_school": args.hazards_per_school or per_school,
        "seed": args.seed,
        "generator": 2,
    }
    url = args.database_url or default_url(args.preset)
    _config(url)
    configure(url)
    ensure_database(url, drop=args.rebuild)

    import django

    django.setup()
    from django.utils import timezone

    county = CountyCounts(args, url)
    handles = prepare(args, wanted, before_build=county.start)
    if args.build_only:
        return 0
    refresh_rollups()
    dataset = counts()
    print("dataset: " + ", ".join(f"{k} {v}" for k, v in dataset.items()), flush=True)

    def progress(r):
        if args.counts_only:
            print(f"  {r.name}: {r.queries} queries, HTTP {r.status}", flush=True)
        else:
            print(f"  {r.name}: {r.median_ms} ms (SQL {r.sql_ms}, floor {r.floor_ms} + "
                  f"{r.framework_ms}), {r.queries} queries, {r.size} B, HTTP {r.status}",
                  flush=True)  # fmt: skip

    results, framework = measure_all(handles, args.repeat, args.only, progress,
                                     counts_only=args.counts_only)  # fmt: skip
    load = None
    if not (args.counts_only or args.no_load or args.only):
        from bench import load as bench_load

        load = bench_load.run(handles, url, results, seconds=args.load_seconds,
                              concurrency=args.concurrency)  # fmt: skip
    if not args.counts_only:
        county_counts = county.result()
        for r in results:
            if r.extra.get("counts_compared") and _stable(r.name) in county_counts:
                r.county_queries = county_counts[_stable(r.name)]
    report = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "preset": args.preset,
        "machine": machine(),
        "repeat": args.repeat,
        "dataset": dataset,
        "framework_ms": framework,
        "results": [r.as_dict() for r in results],
        "load": load,
    }
    out = Path(args.json or ROOT / "var" / f"bench-{args.preset}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str), "utf-8")
    if not args.counts_only:
        text = markdown(report, results, load)
        out.with_suffix(".md").write_text(text, "utf-8")
        print()
        print(text)
        print(f"Markdown: {out.with_suffix('.md')}")
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

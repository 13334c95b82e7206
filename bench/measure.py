"""Timing one operation against its floors, in one process and one run.

For an operation (``bench.cases.Case``): its median wall time through Django (the test
client, or the function the job calls), the SQL it ran replayed through psycopg on its own
connection (``replay``: what the database alone needs for the same statements), its floor
(the cheapest correct way to get the same data, timed the same way), and the framework
floor (a trivial view of the same kind, for the same user). ``Result.ratio`` is
view ÷ (floor + framework floor).
"""

import statistics
import time
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


@dataclass
class Result:
    """One operation: times in milliseconds (medians), SQL statements of one run, HTTP
    status (0 when not a request), response bytes, the target and whether it is met."""

    name: str
    kind: str  # page, api, export, job, write
    median_ms: float
    p95_ms: float
    queries: int
    status: int
    size: int
    sql_ms: float = 0.0  # the view's own SQL replayed through psycopg
    floor_ms: float = 0.0
    framework_ms: float = 0.0
    target: float | None = None  # the largest ratio allowed
    note: str = ""
    floor_note: str = ""
    county_queries: int | None = None  # the same operation at the county preset
    extra: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        base = self.floor_ms + self.framework_ms
        return round(self.median_ms / base, 2) if base > 0 else None

    @property
    def passed(self) -> bool | None:
        checks = []
        if self.target is not None and self.ratio is not None:
            checks.append(self.ratio <= self.target)
        if "max_kib" in self.extra:
            checks.append(self.size <= self.extra["max_kib"] * 1024)
        if self.county_queries is not None:
            checks.append(self.county_queries == self.queries)
        return all(checks) if checks else None

    def as_dict(self) -> dict:
        return {**asdict(self), "ratio": self.ratio, "passed": self.passed}


def p95(samples):
    """The 95th percentile by nearest rank (the maximum for fewer than 20 samples)."""
    ordered = sorted(samples)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


BUDGET_MS = 8000  # timed runs of one operation stop after about this long (at least one)


def timed(action, repeat, setup=None, capture=False):
    """Milliseconds of up to ``repeat`` calls of ``action`` after one warm-up (``setup``
    runs before each, off the clock); a slow action gets fewer calls (``BUDGET_MS``), and
    one that takes longer than twice the budget counts its warm-up as its only run (its
    cold start is noise at that length); ``repeat`` 0 times the warm-up alone. With
    ``capture`` the SQL of the last run is captured. Returns (times, last result, statements)."""

    def run(watched):
        if setup:
            setup()
        watch = CaptureQueriesContext(connection) if watched else nullcontext()
        with watch:
            start = time.perf_counter()
            result = action()
            elapsed = (time.perf_counter() - start) * 1000
        return elapsed, result, [q["sql"] for q in watch.captured_queries] if watched else []

    warm, result, statements = run(capture)
    if not repeat or warm > 2 * BUDGET_MS:  # the warm-up is the only run
        return [warm], result, statements
    repeat = max(1, min(repeat, int(BUDGET_MS // max(warm, 1))))
    times = []
    for n in range(repeat):
        elapsed, result, last = run(capture and n == repeat - 1)
        times.append(elapsed)
    return times, result, last if capture else statements


def captured(action, setup=None):
    """(SQL statements, result) of one call of ``action`` run in a transaction rolled back,
    so its writes can be replayed without meeting themselves (unique keys), at the cost of
    the on-commit hooks it would have run."""
    if setup:
        setup()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        result = action()
        transaction.set_rollback(True)
    return [q["sql"] for q in queries.captured_queries], result


def psycopg_connection():
    """A psycopg connection of its own to the benchmark database (autocommit off)."""
    import psycopg

    s = connection.settings_dict
    params = {"dbname": s["NAME"], "host": s["HOST"], "port": s["PORT"], "user": s["USER"],
              "password": s["PASSWORD"]}  # fmt: skip
    return psycopg.connect(**{k: v for k, v in params.items() if v})


def replay(conn, statements, repeat):
    """Median ms of running ``statements`` in one transaction, rolled back (so writes can be
    replayed), fetching every row."""
    import psycopg

    def run():
        with conn.cursor() as cursor:
            for sql in statements:
                if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")):
                    cursor.execute(sql)
                    continue
                # A write of a row the timed run created (an upsert the ORM splits into
                # SELECT then INSERT) meets itself here: skip that one statement.
                if sql.startswith("COPY "):  # the CSV export (reports.exports.ledger_csv)
                    with cursor.copy(sql) as copy:
                        for _block in copy:
                            pass
                    continue
                cursor.execute("SAVEPOINT bench_replay")
                try:
                    cursor.execute(sql, prepare=False)
                except psycopg.errors.UniqueViolation:
                    cursor.execute("ROLLBACK TO SAVEPOINT bench_replay")
                    continue
                if cursor.description is not None:
                    cursor.fetchall()
        conn.rollback()

    times, _, _ = timed(run, repeat)
    return statistics.median(times)


def copy_out(conn, sql, params=()):
    """Bytes of ``COPY (sql) TO STDOUT`` (CSV with a header)."""
    out = bytearray()
    with conn.cursor() as cursor:
        query = cursor.mogrify(sql, params) if params else sql
        with cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
            for block in copy:
                out += block
    conn.rollback()
    return bytes(out)


def sql_floor(conn, statements, repeat):
    """Median ms of ``statements`` [(sql, params)], each fetched whole, rolled back."""

    def run():
        with conn.cursor() as cursor:
            for sql, params in statements:
                if sql.startswith("COPY "):
                    with cursor.copy(sql) as copy:
                        for _block in copy:
                            pass
                    continue
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
        conn.rollback()

    times, _, _ = timed(run, repeat)
    return statistics.median(times)

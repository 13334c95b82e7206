"""The load step: the app under gunicorn (2 sync workers, DEBUG off, bench.settings) on the
loopback, driven by a bounded client: ``concurrency`` threads, each with one keep-alive
connection, sending requests back to back for ``seconds`` per endpoint. Reports each
endpoint's requests a second and p50/p95/p99 next to the stack's ceiling (the trivial
authenticated API view, ``/bench/api/``) measured in the same run.

Targets (issue 13): the filtered ledger API at ≥ 60 % of the ceiling's requests a second,
with a p95 below 4× its single-request time (the in-process median of bench/run.py).
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(ordered, q):
    return ordered[min(len(ordered) - 1, max(0, -(-len(ordered) * q // 100) - 1))]


def drive(port, path, headers, seconds, concurrency):
    """{rps, p50, p95, p99 (ms), requests, errors} of GET ``path`` under load; only
    answers 200 count as served (``errors``: other statuses and failed connections)."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            if response.status != 200:  # counted apart, not as served
                failed += 1
                continue
            mine.append((time.perf_counter() - start) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(_percentile(ordered, 50), 1),
        "p95_ms": round(_percentile(ordered, 95), 1),
        "p99_ms": round(_percentile(ordered, 99), 1),
    }


def _session_cookie(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def start_gunicorn(database_url, port, workers=2):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    command = [str(Path(sys.executable).with_name("gunicorn")), "campussafety.wsgi",
               "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120",
               "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    for _n in range(120):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health/")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    raise RuntimeError("gunicorn did not answer on /health/")


def run(handles, database_url, results, seconds=8, concurrency=4):
    """Drive each endpoint; returns {"endpoints": [...], "ceiling": name, ...}."""
    single = {r.name: r.median_ms for r in results}
    token = {"Authorization": f"Token {handles.token}"}
    cookie = {"Cookie": _session_cookie(handles.bureau)}
    endpoints = [
        ("ceiling: trivial API view", "/bench/api/", token, None),
        ("ceiling: trivial page", "/bench/page/", cookie, None),
        ("API hazards filtered (status+source)", "/api/v1/hazards/?status=closed&source=snapshot",
         token, "API hazards filtered (status+source)"),
        ("ledger page 1 (bureau)", "/hazards/", cookie, "ledger page 1 (bureau)"),
        ("dashboard / (bureau)", "/", cookie, "dashboard / (bureau)"),
    ]  # fmt: skip
    port = _free_port()
    process = start_gunicorn(database_url, port)
    rows = []
    try:
        for name, path, headers, single_name in endpoints:
            drive(port, path, headers, 1, concurrency)  # warm both workers
            row = {"name": name, "path": path, **drive(port, path, headers, seconds, concurrency)}
            row["single_ms"] = single.get(single_name)
            rows.append(row)
            print(f"  load {name}: {row['rps']} req/s, p95 {row['p95_ms']} ms", flush=True)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    ceiling = rows[0]["rps"]
    for row in rows:
        row["share_of_ceiling"] = round(row["rps"] / ceiling, 3) if ceiling else None
    api = rows[2]
    api["target"] = "≥ 60 % of the ceiling, p95 < 4× single"
    api["passed"] = bool(
        api["share_of_ceiling"] is not None
        and api["share_of_ceiling"] >= 0.6
        and api["single_ms"]
        and api["p95_ms"] < 4 * api["single_ms"]
    )
    return {"workers": 2, "concurrency": concurrency, "seconds": seconds, "endpoints": rows}


def table(load):
    lines = [
        f"Under gunicorn (2 workers, {load['concurrency']} concurrent clients, "
        f"{load['seconds']:g} s each):",
        "",
        "| endpoint | req/s | share of ceiling | p50 ms | p95 ms | p99 ms | single ms | errors "
        "| result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in load["endpoints"]:
        mark = {True: "pass", False: "**miss**"}.get(r.get("passed"), "–")
        lines.append(
            f"| {r['name']} | {r['rps']} | {r['share_of_ceiling']:.0%} | {r['p50_ms']} | "
            f"{r['p95_ms']} | {r['p99_ms']} | {r['single_ms'] or '–'} | {r['errors']} | {mark} |"
        )
    return "\n".join(lines)

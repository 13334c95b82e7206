"""Fixtures for the notification tests: a local webhook receiver on 127.0.0.1 (a thread
running http.server), group robots pointing at it, and a real Celery worker on the broker
from the environment (Redis in CI, in-memory otherwise). The process clock in UTC
(``utc_process``) is in tests/conftest.py."""

import contextlib
import datetime
import json
import os
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from kombu import Connection

from accounts.models import User
from notifications.models import WebhookEndpoint
from tests.factories import AssignmentFactory, UserFactory

R = User.Role


class Receiver:
    """What the local robot saw: (time, path, query dict, JSON body) per POST. ``replies``
    maps a path to a list of (status, body) answers, consumed in order; the last repeats."""

    def __init__(self, url):
        self.url = url
        self.posts = []
        self.replies = {}
        self.delay = 0.0  # seconds each answer waits, to make sends overlap
        self.lock = threading.Lock()

    def answer(self, path):
        with self.lock:
            queue = self.replies.get(path) or [(200, {"errcode": 0, "errmsg": "ok"})]
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def bodies(self, path):
        return [body for _t, p, _q, body in self.posts if p == path]


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    robot = Receiver(f"http://127.0.0.1:{server.server_address[1]}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            parts = urllib.parse.urlsplit(self.path)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with robot.lock:
                robot.posts.append(
                    (time.monotonic(), parts.path, dict(urllib.parse.parse_qsl(parts.query)), body)
                )
            time.sleep(robot.delay)
            status, reply = robot.answer(parts.path)
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield robot
    server.shutdown()
    server.server_close()


@pytest.fixture
def school_robot(receiver, school_a):
    return WebhookEndpoint.objects.create(
        name="甲学校安全群", provider="wecom", school=school_a, url=f"{receiver.url}/wecom/a?key=k1"
    )


@pytest.fixture
def bureau_robot(receiver):
    return WebhookEndpoint.objects.create(
        name="教体局安全群",
        provider="dingtalk",
        url=f"{receiver.url}/dingtalk/bureau?access_token=t1",
        secret="SECtest-secret",
    )


@pytest.fixture
def cadre_a(school_a):
    """The bureau cadre who holds school A (包校干部)."""
    user = UserFactory(username="cadre_a", role=R.BUREAU_STAFF, scope_all_schools=True)
    AssignmentFactory(
        school=school_a, user=user, kind="cadre", start_date=datetime.date(2024, 1, 1)
    )
    return user


@pytest.fixture
def leader_a(school_a):
    """The bureau leader linked to school A (联校领导)."""
    user = UserFactory(username="leader_a", role=R.BUREAU_ADMIN, scope_all_schools=True)
    AssignmentFactory(
        school=school_a, user=user, kind="leader", start_date=datetime.date(2024, 1, 1)
    )
    return user


# --- a real Celery worker -------------------------------------------------------------


def broker_url():
    """Redis when CELERY_BROKER_URL names it (CI), else kombu's in-memory transport."""
    url = os.environ.get("CELERY_BROKER_URL", "")
    return url if url.startswith(("redis://", "rediss://")) else "memory://"


def ensure_broker(url):
    """Connect once; raises (the test fails, never skips) when the broker is unreachable."""
    with Connection(url, connect_timeout=3) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0)


def forget_connections(app):
    """Drop pooled broker connections, so the next send uses the broker configured now.
    (Not ``app.close()``: that also deregisters the app the shared tasks resolve to.)"""
    app._pool = None  # kombu keeps the pool per broker URL; it is reused when we switch back
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker(settings):
    """``with celery_worker(): …`` runs an in-process Celery worker (a thread; by default
    one task at a time, in order) consuming from the test broker, with tasks really sent
    through it. Called inside the test, so an unreachable Redis fails the test."""
    from celery.contrib.testing.worker import start_worker

    from campussafety.celery import app

    @contextlib.contextmanager
    def run(concurrency=1):
        url = broker_url()
        ensure_broker(url)
        saved = {
            key: app.conf[key]
            for key in ("broker_url", "task_always_eager", "broker_transport_options")
        }
        forget_connections(app)
        # The in-memory transport polls; the default second per poll makes each task slow.
        options = {"polling_interval": 0.05} if url == "memory://" else {}
        app.conf.update(broker_url=url, task_always_eager=False, broker_transport_options=options)
        settings.CELERY_TASK_ALWAYS_EAGER = False
        try:
            app.control.purge()  # leftovers of an interrupted run would name other rows
            with start_worker(
                app,
                pool="threads",
                concurrency=concurrency,
                perform_ping_check=False,
                shutdown_timeout=30,
            ):
                yield app
        finally:
            forget_connections(app)
            app.conf.update(**saved)

    return run


def wait_for(condition, timeout=30.0, interval=0.1):
    """Poll ``condition`` until true; fails the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {condition.__doc__ or condition}")

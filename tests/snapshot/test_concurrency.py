"""Two concurrent reports with one client_id on PostgreSQL: the unique constraint decides,
the loser gets the winner's hazard. The first insert is held open (its transaction does not
commit until the second is waiting on the unique index), so the race really happens."""

import threading
import time
import uuid

import pytest
from django.db import connection, connections

from hazards import services
from hazards.models import Hazard

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking"),
]


def run_concurrently(*calls):
    """Run each callable in its own thread (own connection); return results or exceptions."""
    results = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def worker(i, call):
        try:
            start.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.fixture
def slow_first_commit(monkeypatch):
    """The first report to get past its insert waits 0.5 s before committing."""
    original, first = services._save_photos, threading.Event()

    def save_photos(*args):
        if not first.is_set():
            first.set()
            time.sleep(0.5)
        return original(*args)

    monkeypatch.setattr(services, "_save_photos", save_photos)


def report(school, actor, client_id):
    def call():
        try:
            return (
                "created",
                services.report_hazard(
                    school,
                    actor=actor,
                    title="灭火器过期",
                    category="fire",
                    source="snapshot",
                    client_id=client_id,
                    notify=False,
                ).pk,
            )
        except services.AlreadyReported as exc:
            return ("retry", exc.hazard.pk)

    return call


def test_two_concurrent_reports_with_one_client_id_give_one_hazard(
    school_a, teacher_a, slow_first_commit
):
    client_id = uuid.uuid4()
    results = run_concurrently(
        report(school_a, teacher_a, client_id), report(school_a, teacher_a, client_id)
    )
    hazard = Hazard.objects.get()
    assert sorted(results) == [("created", hazard.pk), ("retry", hazard.pk)]
    assert hazard.events.count() == 1


def test_two_concurrent_api_posts_give_201_and_200(school_a, teacher_a, slow_first_commit):
    from rest_framework.test import APIClient

    body = {
        "school": school_a.pk,
        "title": "灭火器过期",
        "category": "fire",
        "source": "snapshot",
        "client_id": str(uuid.uuid4()),
    }

    def post():
        api = APIClient()
        api.force_authenticate(teacher_a)
        response = api.post("/api/v1/hazards/", body, format="json")
        return response.status_code, response.json()["id"]

    results = run_concurrently(post, post)
    hazard = Hazard.objects.get()
    assert sorted(results) == [(200, hazard.pk), (201, hazard.pk)]


def test_two_concurrent_public_reports_give_one_code(school_a, slow_first_commit):
    client_id = uuid.uuid4()

    def call():
        try:
            return services.report_public_snapshot(
                school_a, title="围墙裂缝", category="building", client_id=client_id, notify=False
            ).tracking_code
        except services.AlreadyReported as exc:
            return exc.hazard.tracking_code

    results = run_concurrently(call, call)
    assert results[0] == results[1] == Hazard.objects.get().tracking_code

"""Two transitions racing for one hazard: one wins, the other is told 409 Conflict, and
exactly one event is written."""

import threading
import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from core.exceptions import ConcurrentTransition, InvalidTransition
from hazards import services
from hazards.models import Hazard

from ..snapshot.test_concurrency import run_concurrently
from .conftest import S


def test_a_stale_copy_is_a_conflict_not_a_wrong_state(make_hazard, bureau_staff, bureau_admin):
    hazard = make_hazard(S.VERIFYING)
    stale = Hazard.objects.get(pk=hazard.pk)
    services.close_hazard(hazard, actor=bureau_staff, notify=False)
    with pytest.raises(ConcurrentTransition) as excinfo:
        services.close_hazard(stale, actor=bureau_admin, notify=False)
    assert excinfo.value.status_code == 409
    with pytest.raises(InvalidTransition) as excinfo:  # a fresh copy: plainly the wrong state
        services.close_hazard(Hazard.objects.get(pk=hazard.pk), actor=bureau_admin, notify=False)
    assert excinfo.value.status_code == 400
    assert hazard.events.filter(action="close").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking")
def test_two_concurrent_closes_give_200_and_409(
    make_hazard, bureau_staff, bureau_admin, monkeypatch
):
    hazard = make_hazard(S.VERIFYING)
    original, first = services._save_photos, threading.Event()

    def slow_save_photos(*args):  # the winner holds the row lock a moment before committing
        if not first.is_set():
            first.set()
            time.sleep(0.5)
        return original(*args)

    monkeypatch.setattr(services, "_save_photos", slow_save_photos)

    def close_as(user):
        def call():
            api = APIClient()
            api.force_authenticate(user)
            return api.post(
                f"/api/v1/hazards/{hazard.pk}/close/", {"comment": "验收合格"}, format="json"
            ).status_code

        return call

    results = run_concurrently(close_as(bureau_staff), close_as(bureau_admin))
    assert sorted(results) == [200, 409]
    assert Hazard.objects.get(pk=hazard.pk).status == S.CLOSED
    assert hazard.events.filter(action="close").count() == 1

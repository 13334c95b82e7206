"""``timeline.state_seconds`` (PostgreSQL, for exports) agrees with ``state_durations`` to
the microsecond on every shape of history: open, rejected and resubmitted, closed,
dismissed, supplemented (no change of state), and events out of insertion order."""

import datetime

import pytest
from django.db import connection

from hazards import timeline
from hazards.models import Hazard, HazardEvent
from tests.factories import HazardFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL SQL"),
]
T0 = datetime.datetime(2025, 3, 1, 8, 0, 0, 123456, tzinfo=datetime.UTC)
HISTORIES = [
    [],
    [("rectifying", 26.5)],
    [("rectifying", 2), ("verifying", 30), ("rectifying", 31), ("verifying", 50), ("closed", 70)],
    [("dismissed", 3)],
    [("reported", 5), ("rectifying", 9), ("rectifying", 12), ("verifying", 20)],  # supplements
    [("verifying", 40), ("rectifying", 10)],  # created out of order: sorted by time
    [("rectifying", -2)],  # an event stamped before the report counts as no time
]


def test_state_seconds_agrees_with_state_durations(school_a):
    now = T0 + datetime.timedelta(hours=100, microseconds=7)
    hazards = []
    for history in HISTORIES:
        hazard = HazardFactory(school=school_a, reported_at=T0)
        for to_status, hours in history:
            HazardEvent.objects.create(
                hazard=hazard,
                action="assign",
                to_status=to_status,
                created_at=T0 + datetime.timedelta(hours=hours),
            )
        hazards.append(hazard)
    seconds = timeline.state_seconds({h.pk: h.reported_at for h in hazards}, now)
    for hazard in hazards:
        events = list(hazard.events.all())
        expected = timeline.state_durations(hazard, events, now)
        got = {state: seconds.get(hazard.pk, {}).get(state, 0.0) for state in expected}
        assert got == {s: d.total_seconds() for s, d in expected.items()}, hazard.pk
    assert set(seconds) <= {h.pk for h in hazards}
    assert Hazard.objects.count() == len(HISTORIES)

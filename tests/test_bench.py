"""The benchmark (bench/) at a tiny size, so it does not rot: the builder writes valid data
and every measured path answers. No timing is asserted; speed is read in bench/README.md."""

import pytest
from django.utils import timezone

from bench.data import build_dataset, dataset_size
from bench.run import measure, measure_all
from hazards.models import Hazard, HazardEvent
from inspections.models import InspectionAnswer


@pytest.fixture
def handles(db):
    return build_dataset(schools=3, hazards_per_school=5, inspections_per_school=4)


def test_builder_writes_a_consistent_ledger(handles):
    assert dataset_size() == (3, 15)
    now = timezone.now()
    for hazard in Hazard.objects.prefetch_related("events"):
        events = list(hazard.events.all())
        assert events[0].action == HazardEvent.Action.REPORT
        assert events[-1].to_status == hazard.status
        assert all(e.created_at <= now for e in events)
        assert (hazard.closed_at is not None) == (hazard.status == Hazard.Status.CLOSED)
        assert (hazard.deadline is not None) == any(e.action == "assign" for e in events)
    assert InspectionAnswer.objects.filter(result="fail", hazard__isnull=True).count() == 0


def test_every_path_answers(handles):
    results = measure_all(handles, repeat=1)
    assert len(results) > 15
    failed = [(r.name, r.status) for r in results if r.status not in (0, 200)]
    assert failed == []
    assert all(r.queries > 0 and r.median_ms >= 0 for r in results)


def test_measure_reports_the_queries_of_one_run(db):
    def action():
        Hazard.objects.count()
        return 200, b"ok", "note"

    result = measure("count", action, repeat=3)
    assert (result.queries, result.status, result.size, result.note) == (1, 200, 2, "note")

"""The benchmark (bench/) at a tiny size, so it does not rot: the set-based generator writes
valid data and every measured operation answers with its floors. No timing is asserted;
speed is read in bench/README.md. PostgreSQL only (the generator and floors are its SQL);
transactional, because the floors are replayed on a connection of their own."""

import pytest
from django.db import connection
from django.utils import timezone

from bench import run
from bench.data import Size, build_dataset, dataset_size
from bench.run import measure_all
from hazards.models import Hazard, HazardEvent
from inspections.models import InspectionAnswer
from supervision.models import CheckIn

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL SQL")


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.urls("bench.urls")
def test_builder_writes_valid_data_and_every_operation_answers():
    """One build for both checks (a transactional test's flush costs seconds)."""
    handles = build_dataset(Size(schools=3, hazards_per_school=12, inspections_per_school=4))
    _assert_consistent_ledger()
    _assert_every_operation_answers_with_its_floors(handles)


def _assert_consistent_ledger():
    assert dataset_size() == (3, 36)
    now = timezone.now()
    for hazard in Hazard.objects.prefetch_related("events"):
        events = list(hazard.events.all())
        assert events[0].action == HazardEvent.Action.REPORT
        assert events[-1].to_status == hazard.status
        assert [e.from_status for e in events[1:]] == [e.to_status for e in events[:-1]]
        assert all(e.created_at <= now for e in events)
        assert (hazard.closed_at is not None) == (hazard.status == Hazard.Status.CLOSED)
        assert (hazard.deadline is not None) == any(e.action == "assign" for e in events)
        if hazard.closed_by_id:
            assert hazard.closed_by_id != hazard.submitted_by_id
    assert InspectionAnswer.objects.filter(result="fail", hazard__isnull=True).count() == 0
    assert InspectionAnswer.objects.filter(hazard__isnull=False).exclude(result="fail").count() == 0
    assert CheckIn.objects.exists()


def _assert_every_operation_answers_with_its_floors(handles):
    results, framework = measure_all(handles, repeat=0)
    assert len(results) >= 20
    assert [(r.name, r.status) for r in results if r.status not in (0, 200)] == []
    assert all(r.queries > 0 and r.floor_ms > 0 for r in results)
    assert set(framework) == {"page:bureau", "page:officer", "api"}
    assert all(r.ratio is not None for r in results)


def test_refuses_a_database_without_bench_in_its_name():
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        run.main(["--database-url", "postgres://postgres@127.0.0.1:5432/campussafety"])

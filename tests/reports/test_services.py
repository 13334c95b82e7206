"""reports.services: the roll-up stores one row per scope and replaces it on re-run."""

import datetime

import pytest

from reports.models import YearlyStatistic
from reports.services import current_school_year, periods_to_refresh, rollup_statistics
from tests.factories import ActivityFactory, CounsellingFactory, DrillFactory

D = datetime.date


def test_rollup_stores_each_school_and_the_bureau(school_a, school_b):
    DrillFactory(school=school_a, date=D(2024, 4, 1))
    DrillFactory(school=school_b, date=D(2024, 5, 1))
    DrillFactory(school=school_b, date=D(2025, 5, 1))
    totals = rollup_statistics(year=2024, period="calendar")
    assert totals["drills"] == 2 and totals["schools_total"] == 2
    rows = {
        r.school_id: r.figures for r in YearlyStatistic.objects.filter(year=2024, period="calendar")
    }
    assert rows.keys() == {school_a.pk, school_b.pk, None}
    assert (rows[school_a.pk]["drills"], rows[school_b.pk]["drills"], rows[None]["drills"]) == (
        1,
        1,
        2,
    )


def test_rerunning_replaces_and_never_duplicates(school_a):
    rollup_statistics(year=2024, period="calendar")
    first = YearlyStatistic.objects.get(school=None, year=2024, period="calendar").computed_at
    ActivityFactory(school=school_a, kind="flag_speech", date=D(2024, 3, 4))
    rollup_statistics(year=2024, period="calendar")
    rows = YearlyStatistic.objects.filter(year=2024, period="calendar")
    assert rows.count() == 2
    bureau = rows.get(school=None)
    assert bureau.figures["flag_speeches"] == 1 and bureau.computed_at >= first


def test_periods_are_stored_separately(school_a):
    CounsellingFactory(school=school_a, date=D(2024, 10, 9))
    CounsellingFactory(school=school_a, date=D(2025, 3, 9))
    assert rollup_statistics(year=2024, period="calendar")["individual_counselling_sessions"] == 1
    assert rollup_statistics(year=2024, period="school")["individual_counselling_sessions"] == 2
    assert YearlyStatistic.objects.filter(year=2024).count() == 4


def test_some_schools_store_no_bureau_row(school_a, school_b):
    totals = rollup_statistics(year=2024, period="calendar", school_ids=[school_a.pk])
    assert totals["schools_total"] == 1
    assert list(YearlyStatistic.objects.values_list("school", flat=True)) == [school_a.pk]


def test_unknown_period_is_refused(db):
    with pytest.raises(ValueError, match="month"):
        rollup_statistics(year=2024, period="month")


@pytest.mark.parametrize(
    ("today", "school_year"), [(D(2026, 8, 31), 2025), (D(2026, 9, 1), 2026), (D(2027, 1, 5), 2026)]
)
def test_current_school_year(today, school_year):
    assert current_school_year(today) == school_year


@pytest.mark.parametrize(
    ("today", "pairs"),
    [
        (D(2026, 11, 29), [(2026, "calendar"), (2026, "school")]),
        (D(2027, 1, 3), [(2027, "calendar"), (2026, "school"), (2026, "calendar")]),
        (D(2026, 9, 2), [(2026, "calendar"), (2026, "school"), (2025, "school")]),
    ],
)
def test_the_nightly_roll_up_also_refreshes_the_period_just_ended(today, pairs):
    assert periods_to_refresh(today) == pairs


def test_only_carried_out_inspections_count(school_a, school_b):
    from tests.factories import InspectionFactory

    for status in ("planned", "in_progress", "submitted", "reviewed"):
        InspectionFactory(school=school_a, kind="joint", date=D(2024, 6, 1), status=status)
    InspectionFactory(
        school=school_b,
        kind="cross",
        inspecting_school=school_a,
        date=D(2024, 6, 1),
        status="planned",
    )
    totals = rollup_statistics(year=2024, period="calendar")
    assert (totals["joint_inspections"], totals["cross_inspection_schools"]) == (2, 0)

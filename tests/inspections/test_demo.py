"""The demo's 2024 cross-inspection round: its failed items are the article's 71 hazards."""

import pytest

from hazards.models import Hazard
from inspections.models import CrossInspectionRound, InspectionAnswer

pytestmark = pytest.mark.usefixtures("demo_data")


def test_2024_round_pairs_all_29_schools(db):
    rnd = CrossInspectionRound.objects.get(period_start__year=2024)
    assert rnd.status == "published" and rnd.schools.count() == 29
    pairs = list(rnd.pairings.values_list("inspector_id", "inspected_id"))
    assert len({b for _a, b in pairs}) == len({a for a, _b in pairs}) == 29
    assert rnd.inspections.count() == 29


def test_2024_failed_items_are_exactly_the_71_cross_hazards(db):
    failed = InspectionAnswer.objects.filter(
        inspection__round__period_start__year=2024, result="fail"
    )
    hazards = Hazard.objects.filter(source="cross_inspection", reported_at__year=2024)
    assert failed.count() == 71
    assert set(failed.values_list("hazard_id", flat=True)) == set(
        hazards.values_list("id", flat=True)
    )
    assert all(
        a.item.category == a.hazard.category for a in failed.select_related("item", "hazard")
    )

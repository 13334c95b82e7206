"""The supervision figures in the yearly statistics (reports.figures, additive keys)."""

import datetime

import pytest

from reports.figures import compute_figures
from supervision.models import Patrol, Roll

from .conftest import WEDNESDAY

pytestmark = pytest.mark.django_db


def test_patrols_and_check_ins_in_the_yearly_figures(patrol_setup, class_a1, class_a2, client):
    slot, _ = patrol_setup
    Patrol.objects.create(school=slot.school, slot=slot, date=WEDNESDAY, status="done")
    Patrol.objects.create(school=slot.school, slot=slot, date=WEDNESDAY.replace(day=10),
                          status="missed")  # fmt: skip
    Patrol.objects.create(school=slot.school, slot=slot, date=datetime.date(2025, 3, 3),
                          status="missed")  # fmt: skip
    at = datetime.datetime(2024, 10, 9, 9, tzinfo=datetime.UTC)
    Roll.objects.create(school=class_a1.school, school_class=class_a1, date=WEDNESDAY,
                        kind="home", first_marked_at=at, unaccounted_at_cutoff=2)  # fmt: skip
    Roll.objects.create(school=class_a2.school, school_class=class_a2, date=WEDNESDAY,
                        kind="home", unaccounted_at_cutoff=1)  # never marked  # fmt: skip
    Roll.objects.create(school=class_a1.school, school_class=class_a1, date=WEDNESDAY,
                        kind="dorm", first_marked_at=at, unaccounted_at_cutoff=5)  # fmt: skip
    total, by_school = compute_figures(2024, "calendar")
    assert (total["patrols_done"], total["patrols_missed"]) == (1, 1)
    assert total["home_checkin_class_days"] == 1
    assert total["students_unaccounted_at_cutoff"] == 3
    assert by_school[slot.school_id]["patrols_missed"] == 1

import datetime

import pytest

from inspections.checklist_data import NAME
from inspections.models import Checklist, Inspection
from tests.factories import InspectionFactory


@pytest.fixture
def checklist(db):
    """The standard checklist shipped by migration 0003."""
    return Checklist.objects.get(name=NAME, version=1)


@pytest.fixture
def cross_b_on_a(school_a, school_b, checklist):
    """School B's team inspects school A (planned, on the standard checklist)."""
    return InspectionFactory(
        kind=Inspection.Kind.CROSS,
        school=school_a,
        inspecting_school=school_b,
        checklist=checklist,
        date=datetime.date(2025, 5, 10),
        title="互查",
    )


@pytest.fixture
def all_pass(checklist, school_a):
    """``all_pass(inspection, **overrides)``: answers for every applicable item."""
    from inspections.services import applicable_items

    def build(inspection, **overrides):
        answers = {i.code: ("pass", "") for i in applicable_items(inspection)}
        answers.update(overrides)
        return answers

    return build

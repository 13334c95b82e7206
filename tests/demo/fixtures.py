"""``demo_data``: the demo loaded once per test module, inside a transaction that is rolled
back when the module ends (load_demo takes seconds). Each test still runs in its own
savepoint through the ``db`` fixture, so a test may change the data freely.

Import it into a test module: ``from tests.demo.fixtures import demo_data  # noqa: F401``.
"""
import io

import pytest
from django.core.management import call_command
from django.db import transaction

# DESIGN.md, "The article's figures": the acceptance data, written out here on purpose
# (not imported from the builder, so a wrong builder cannot make the tests agree).
CALENDAR_2024 = {
    "schools_total": 29,
    "joint_inspections": 16,
    "cross_inspection_schools": 29,
    "cross_inspection_hazards_found": 71,
    "cross_inspection_hazards_closed": 71,
    "snapshot_hazards_found": 153,
    "snapshot_hazards_closed": 153,
    "fire_remediation_investment_yuan": 54180000,
    "schools_fire_acceptance_passed": 29,
    "first_safety_lessons": 52,
    "themed_class_meetings": 65,
    "flag_speeches": 79,
    "drills": 101,
    "thematic_education_activities": 78,
}
SCHOOL_YEAR_2024 = {"individual_counselling_sessions": 312, "group_counselling_sessions": 143}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The output of ``load_demo`` (str); the data stays until the module ends."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

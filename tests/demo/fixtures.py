"""The demo data for tests: the day they stand on, the article's figures, ``load_demo`` and
the session fixture ``demo_data``.

``demo_data`` loads the demo once per test session, at ``DEMO_TODAY``, inside an outer
transaction that is rolled back when the session ends, with the clock pinned (ticking) to
``DEMO_NOW`` from then on. Each test still runs in its own savepoint through the ``db``
fixture, so a test may change the data freely. tests/conftest.py registers the fixture
(use it by name, do not import it into a test module: every importing module would get a
fixture of its own and load the demo again) and runs every test that uses it after all
the others, so no test that expects an empty database runs inside that transaction, and
no transactional test (``transactional_db``, ``live_server``) does either.
"""

import datetime
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from demo.builders import calendar as cal

# The day every test on the session's demo data stands on (a Monday in term), and the
# clock during those tests: 9:00 that morning in Beijing. No test reads the real date.
DEMO_TODAY = datetime.date(2026, 12, 7)
DEMO_NOW = cal.at(DEMO_TODAY, 9)

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


def load_demo(today: datetime.date | None = None, **options) -> str:
    """Run ``load_demo`` (``--today`` when given, else the command reads the clock);
    returns what it printed."""
    out = io.StringIO()
    args = ["--today", today.isoformat()] if today else []
    call_command("load_demo", *args, stdout=out, **options)
    return out.getvalue()


def progress_years(out: str) -> list:
    """The years of ``load_demo``'s progress lines (one per simulated year, each starting
    with the year and ending with the seconds so far, e.g. "2025 年已生成：308 条隐患（已用
    9.9 秒）"), in order."""
    return [int(m) for m in re.findall(r"^(\d{4})\D.*\d\.\d", out, re.MULTILINE)]


@pytest.fixture(scope="session")
def demo_data(django_db_setup, django_db_blocker):
    """The output of ``load_demo --today DEMO_TODAY`` (str); the data stays until the
    session ends."""
    with django_db_blocker.unblock(), time_machine.travel(DEMO_NOW, tick=True):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_demo(DEMO_TODAY)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)

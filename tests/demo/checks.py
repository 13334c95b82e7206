"""Checks on loaded demo data, shared by the session's demo tests and the tests that load
the demo on other days. ``today`` is the day the demo was loaded for."""

from accounts.models import User
from hazards.models import Hazard, RemediationProject
from hazards.services import can_transition
from reports.figures import compute_figures

from .fixtures import CALENDAR_2024, SCHOOL_YEAR_2024

PERSONA_SCHOOL = "杭锦旗实验小学"  # seed school 1: officer1's, held by the cadre "bureau"


def assert_article_figures():
    """The 2024 calendar-year figures and the 2024–2025 school-year figures are the
    article's."""
    calendar, _by_school = compute_figures(2024, "calendar")
    assert {k: calendar[k] for k in CALENDAR_2024} == CALENDAR_2024
    school, _by_school = compute_figures(2024, "school")
    assert {k: school[k] for k in SCHOOL_YEAR_2024} == SCHOOL_YEAR_2024


def assert_personas_find_work(today):
    """At the persona school officer1 has a new report to assign, work in rectification
    (one of it overdue, one not yet) and bureau one rectification to verify, which
    officer1 may not close."""
    hazards = Hazard.objects.filter(school__name=PERSONA_SCHOOL).open()
    assert {"reported", "rectifying", "verifying"} <= set(hazards.values_list("status", flat=True))
    rectifying = hazards.filter(status="rectifying")
    assert hazards.overdue(today).exists() and rectifying.not_overdue(today).exists()
    waiting = hazards.get(status="verifying")
    officer1, bureau = User.objects.get(username="officer1"), User.objects.get(username="bureau")
    assert can_transition(bureau, waiting, "close") and not can_transition(
        officer1, waiting, "close"
    )
    assert can_transition(officer1, hazards.get(status="reported"), "assign")


def assert_every_project_belongs_to_a_demo_school():
    """What the demo wrote is found again by its clean-up (which goes by school), so a
    reload leaves no stray rows: no remediation project without a school."""
    assert not RemediationProject.objects.filter(schools=None).exists()

"""Checks on loaded demo data, shared by the session's demo tests and the tests that load
the demo on other days. ``today`` is the day the demo was loaded for."""

import datetime

from accounts.models import User
from demo.builders import calendar as cal
from hazards.models import Hazard, RemediationProject
from hazards.services import can_transition
from inspections.models import Inspection
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


# The demo writes every hazard off within about 80 days of its deadline (late ones
# included); nothing is left behind from past years.
MAX_DAYS_OVERDUE = 90
# The open work is the recent flow plus the day's own: it does not grow with the years.
MAX_OPEN = 80
TRANSITIONS = ("assign", "dismiss", "submit_rectification", "reject_rectification", "close")


def assert_personas_find_work(today):
    """Every persona has something to act on ``today`` (the day the demo was loaded for):

    - at the persona school officer1 has a new report to assign, work in rectification (one
      of it overdue, one not yet) and a planned self check to fill in; bureau one
      rectification to verify there, which officer1 may not close; principal1 a hazard to
      act on;
    - across the county bureau has reports to assign, rectifications to verify and overdue
      hazards, none overdue more than ``MAX_DAYS_OVERDUE`` days nor reported more than
      half a year ago; each open state is found
      at two schools or more and the open work spans three schools or more, at most
      ``MAX_OPEN`` hazards in all;
    - inspector1 (公安) has an open joint inspection their department takes part in to fill
      in, and open findings their department owns."""
    _assert_persona_school(today)
    _assert_county(today)
    _assert_inspector(User.objects.get(username="inspector1"))


def _assert_persona_school(today):
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
    principal1 = User.objects.get(username="principal1")
    assert any(can_transition(principal1, h, name) for h in hazards for name in TRANSITIONS)
    planned = Inspection.objects.visible_to(officer1).open().filter(date__gte=today)
    # ... with a checklist: without one its fill page has nothing to answer or submit.
    assert any(
        i.checklist_id and officer1.has_perm("inspections.fill_inspection", i) for i in planned
    )


def _assert_county(today):
    bureau = User.objects.get(username="bureau")
    hazards = Hazard.objects.visible_to(bureau).open().select_related("school")
    assert hazards.count() <= MAX_OPEN
    assert len({h.school_id for h in hazards}) >= 3
    for status, action in [("reported", "assign"), ("verifying", "close")]:
        actionable = [h for h in hazards.filter(status=status) if can_transition(bureau, h, action)]
        assert len({h.school_id for h in actionable}) >= 2, status
    assert hazards.filter(status="rectifying").values("school").distinct().count() >= 2
    # Past years are written off: nothing open was reported more than half a year ago.
    assert not hazards.filter(reported_at__lt=cal.at(today - datetime.timedelta(183), 0)).exists()
    overdue = hazards.overdue(today).order_by("deadline")
    assert overdue.values("school").distinct().count() >= 2
    assert (today - overdue.first().deadline).days <= MAX_DAYS_OVERDUE


def _assert_inspector(inspector):
    planned = Inspection.objects.visible_to(inspector).open().filter(kind="joint")
    planned = planned.filter(departments=inspector.department)
    assert any(
        i.checklist_id and inspector.has_perm("inspections.fill_inspection", i) for i in planned
    )
    owned = Hazard.objects.visible_to(inspector).open().filter(department=inspector.department)
    assert owned.filter(source="joint_inspection", inspection__kind="joint").exists()


def assert_every_project_belongs_to_a_demo_school():
    """What the demo wrote is found again by its clean-up (which goes by school), so a
    reload leaves no stray rows: no remediation project without a school."""
    assert not RemediationProject.objects.filter(schools=None).exists()

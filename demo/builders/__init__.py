"""The Hangjin Banner (杭锦旗) demo data set, loaded by ``python manage.py load_demo``.

``build_demo(today=…)`` rebuilds everything inside one transaction: it deletes the
demo-owned record rows (demo/builders/cleanup.py), upserts the reference rows (29 schools
by code, departments by name, demo users by username, so ids and API tokens survive), then
creates the records of 2024 — which reproduce the bureau's article exactly, checked at the
end — and of every later year up to ``today`` (year to date). A seeded ``random.Random``
per year makes the data deterministic: the same seed and the same day give the same rows.

Time is an input: the data is as of the start of ``today`` (00:00 in Beijing). Records
dated before ``today`` exist, hazard steps before that moment have been taken, later ones
not. The 2024 history does not depend on ``today`` (which must be on or after
``EARLIEST_TODAY``, when the article's school year 2024–2025 is complete, and at most
``LATEST_TODAY``); the open work is placed relative to it, on the school days of a
calendar generated for any year (calendar.py). Every simulated hazard is written off
within a few months (hazards.py: some late, none left behind), so the open work on any
day is the recent flow plus the day's own work (current.py): the same few dozen items
at several schools whether the demo spans two years or fifteen. At the persona school
(seed school 1, officer1 and its cadre bureau) the open work in flight is exactly the
showcase of current.py: its other hazards that would still be under way at ``today`` are
left out, so each state holds one known hazard there.

Modules: calendar (school days), registry (schools, departments), people (users,
assignments), targets (counts per year), records (inspections, drills, education,
counselling), remediation (fire works, fire acceptance), hazards (workflow walk), current
(the open work on the day), rounds (cross-inspection rounds), supervision (bells,
patrols, check-ins), drills (drill details, plans, incidents), cleanup.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from . import calendar as cal
from .cleanup import delete_demo_rows
from .current import current_plans
from .drills import build_drill_extras
from .education_staff import build_activity_classes, build_trainings, build_vice_principals
from .hazards import history_paused, plan_hazards, walk, write_history
from .people import DEMO_PASSWORD, build_cast
from .photos import attach_demo_photos
from .records import build_counselling, build_records
from .registry import upsert_departments, upsert_schools
from .remediation import build_fire_legacy_works, build_later_works
from .risks import build_risk_registers
from .roster import build_roster, build_school_calendar
from .rounds import build_cross_round
from .supervision import build_supervision
from .targets import (
    ARTICLE,
    ARTICLE_YEAR,
    EARLIEST_TODAY,
    LATEST_TODAY,
    SCHOOL_YEAR_2023,
    plan_for,
)
from .wellbeing import build_wellbeing

__all__ = [
    "DEMO_PASSWORD",
    "EARLIEST_TODAY",
    "LATEST_TODAY",
    "DemoError",
    "build_demo",
    "expected_article_figures",
]
DEFAULT_SEED = 2024


class DemoError(Exception):
    """The built data does not reproduce the article (a bug in the builder)."""


@dataclass
class DemoSummary:
    schools: int = 0
    users: int = 0
    students: int = 0
    hazards: dict = field(default_factory=dict)  # year → count
    deleted: int = 0
    figures: dict = field(default_factory=dict)  # the article's figures as computed


def build_demo(
    *,
    today: datetime.date,
    seed: int = DEFAULT_SEED,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Delete and rebuild the demo data as of the start of ``today`` (a Beijing date).
    ``progress(year, hazards)`` is called after each simulated year is built. Raises
    ValueError if ``today`` is before ``EARLIEST_TODAY`` or after ``LATEST_TODAY``,
    DemoError if the 2024 figures do not match the article."""
    if not EARLIEST_TODAY <= today <= LATEST_TODAY:
        raise ValueError(f"today must be from {EARLIEST_TODAY} to {LATEST_TODAY}, not {today}")
    now = cal.at(today, 0)
    summary, states = DemoSummary(), []
    with transaction.atomic():
        with history_paused():
            summary.deleted = delete_demo_rows()
            departments = upsert_departments()
            schools = upsert_schools()
            cast = build_cast(schools, departments, random.Random(f"{seed}-people"))
            summary.schools, summary.users = len(schools), len(cast.users)
            build_school_calendar(ARTICLE_YEAR - 1, today.year)
            summary.students = build_roster(schools, cast, random.Random(f"{seed}-roster"))
            for year in range(ARTICLE_YEAR, today.year + 1):
                summary.hazards[year] = _build_year(
                    year, seed, schools, cast, departments, now, states
                )
                if progress:
                    progress(year, summary.hazards[year])
            _build_counselling(seed, schools, cast, today)
            build_supervision(schools, cast, random.Random(f"{seed}-supervision"), today)
            build_drill_extras(schools, cast, today)
            build_activity_classes(seed)
            build_vice_principals(schools, ARTICLE_YEAR, today, seed)
            build_trainings(schools, cast, ARTICLE_YEAR, today, seed)
            build_wellbeing(schools, cast, today, seed)
            build_risk_registers(schools, today, seed)
        write_history(states)
        attach_demo_photos()  # drawn with Pillow: the 随手拍 reports and their rectifications
        summary.figures = _check_article(schools)
        _rollup(today)
    return summary


def _build_year(year, seed, schools, cast, departments, now, states):
    today = now.date()
    rng = random.Random(f"{seed}-{year}")
    plan = plan_for(year, rng)
    records = build_records(plan, schools, cast, departments, rng, today)
    works_rng = random.Random(f"{seed}-works-{year}")
    if plan.exact:
        build_fire_legacy_works(plan.fire_investment_yuan, schools, works_rng)
    else:
        build_later_works(year, plan.fire_investment_yuan, schools, works_rng, today)
    plans = plan_hazards(plan, records, schools, cast, rng)
    persona = schools[0]
    plans = [hp for hp in plans if hp.school != persona or hp.steps[-1].at <= now]
    if year == today.year:
        plans += current_plans(schools, cast, departments, seed, today)
    walked = 0
    for hazard_plan in plans:
        if hazard_plan.steps[0].at <= now:
            states += walk(hazard_plan, cast, rng, now)
            walked += 1
    build_cross_round(year, records.cross)
    return walked


def _build_counselling(seed, schools, cast, today):
    """School years 2023–24 (its 2024 part only) to the current one; 2024–25 is the
    article's (312 individual, 143 group)."""
    current = today.year if today.month >= 9 else today.year - 1
    for school_year in range(ARTICLE_YEAR - 1, current + 1):
        rng = random.Random(f"{seed}-counselling-{school_year}")
        since = None
        if school_year == ARTICLE_YEAR - 1:
            individual, group = SCHOOL_YEAR_2023["individual"], SCHOOL_YEAR_2023["group"]
            since = datetime.date(ARTICLE_YEAR, 1, 1)
        else:
            plan = plan_for(school_year, rng)
            individual, group = plan.individual_counselling, plan.group_counselling
        build_counselling(school_year, individual, group, schools, cast, rng, today, since=since)


def expected_article_figures() -> dict:
    """The article's figures (DESIGN.md): key → value, with the period each is read in."""
    a = ARTICLE
    calendar = {
        "schools_total": 29,
        "joint_inspections": a.joint_inspections,
        "cross_inspection_schools": 29,
        "cross_inspection_hazards_found": a.cross_hazards,
        "cross_inspection_hazards_closed": a.cross_hazards,
        "snapshot_hazards_found": a.snapshot_hazards,
        "snapshot_hazards_closed": a.snapshot_hazards,
        "fire_remediation_investment_yuan": int(a.fire_investment_yuan),
        "schools_fire_acceptance_passed": 29,
        "first_safety_lessons": a.first_lessons,
        "themed_class_meetings": a.class_meetings,
        "flag_speeches": a.flag_speeches,
        "drills": a.drills,
        "thematic_education_activities": a.thematic_activities,
    }
    school = {
        "individual_counselling_sessions": a.individual_counselling,
        "group_counselling_sessions": a.group_counselling,
    }
    return {"calendar": calendar, "school": school}


def _check_article(schools) -> dict:
    from reports.figures import compute_figures

    ids = [s.pk for s in schools]
    found = {}
    for period, expected in expected_article_figures().items():
        total, _by_school = compute_figures(ARTICLE_YEAR, period, ids)
        found.update({key: total[key] for key in expected})
        wrong = {k: (total[k], v) for k, v in expected.items() if total[k] != v}
        if wrong:
            raise DemoError(f"{ARTICLE_YEAR} {period} figures differ (found, expected): {wrong}")
    return found


def _rollup(today):
    """Store the yearly statistics of every demo year, both periods."""
    from reports.services import rollup_statistics

    for year in range(ARTICLE_YEAR, today.year + 1):
        rollup_statistics(year=year, period="calendar")
        if year < today.year or today.month >= 9:
            rollup_statistics(year=year, period="school")

"""Demo hazards, each walked through 查、改、督、销 with the real services
(hazards/services.py) at backdated times, by the right people: found by a teacher, an
officer or an inspector; assigned and rectified by the school's safety officer; verified
and written off (or sent back) by the bureau cadre who holds the school (separation of
duties). Steps later than ``now`` are not taken, so recent hazards stay open."""

import copy
import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.test.utils import override_settings

from hazards import services
from hazards.models import Hazard
from inspections.models import Inspection

from . import calendar as cal
from .catalogue import (
    CLOSE_COMMENTS,
    DISMISS_REASONS,
    HAZARDS,
    INSPECTOR_FOR,
    MAJOR_PLAN,
    REJECTIONS,
    SOURCE_CATEGORIES,
)
from .records import SECONDARY
from .spread import allocate, size_weight

S = Hazard.Source


@dataclass
class Step:
    name: str  # report, assign, submit_rectification, reject_rectification, close, dismiss
    at: datetime.datetime
    deadline: datetime.date | None = None


@dataclass
class HazardPlan:
    school: object
    source: str
    category: str
    level: str
    entry: tuple  # (title, location, measures, note) from the catalogue
    reporter: object
    description: str
    inspection: object = None
    drill: object = None
    department: object = None  # the committee department owning a joint-inspection finding
    steps: list = field(default_factory=list)


# The share of hazards (outside the article's year) rectified only after their deadline.
LATE_RATE = 0.1


def plan_hazards(plan, records, schools, cast, rng: random.Random) -> list:
    """All hazard plans of one year, with their timelines. In the article's year every
    cross-inspection and snapshot hazard is closed within the year. Every plan ends closed
    or dismissed within about 80 days of its deadline, so a year's hazards are all
    written off a few months after it ends."""
    plans = _cross(plan, records, cast, rng) + _snapshots(plan, schools, cast, rng)
    plans += _joint(plan, records, cast, rng) + _others(plan, records, schools, cast, rng)
    plans += _spot(records, cast, rng)
    for hp in plans:
        hp.steps = _timeline(hp, rng, exact=plan.exact)
    return plans


def walk(hp: HazardPlan, cast, rng: random.Random, now) -> list:
    """Carry out the plan's steps up to ``now`` with the services. Returns the hazard's
    states after each step (copies carrying ``_history_date`` and ``_history_user``), for
    backdated history rows: run it with history recording off (see ``history_paused``)."""
    title, location, measures, note = hp.entry
    school, officer = hp.school, cast.officer[hp.school.pk]
    hazard = services.report_hazard(
        school,
        actor=hp.reporter,
        title=title,
        category=hp.category,
        source=hp.source,
        level=hp.level,
        location=location,
        description=hp.description,
        inspection=hp.inspection,
        drill=hp.drill,
        department=hp.department,
        at=hp.steps[0].at,
        notify=False,
    )
    states = [_state(hazard, hp.steps[0].at, hp.reporter, "+")]
    for step in hp.steps[1:]:
        if step.at > now:
            break
        cadre = cast.cadre_on(school, step.at.date())
        if step.name == "assign":
            hazard = services.assign_hazard(
                hazard,
                actor=officer,
                responsible=_responsible(hp, cast),
                measures=measures,
                deadline=step.deadline,
                at=step.at,
                notify=False,
                **_five_implementations(hp, rng),
            )
        elif step.name == "submit_rectification":
            hazard = services.submit_rectification(
                hazard, actor=officer, note=note, at=step.at, notify=False
            )
        elif step.name == "reject_rectification":
            hazard = services.reject_rectification(
                hazard, actor=cadre, comment=rng.choice(REJECTIONS), at=step.at, notify=False
            )
        elif step.name == "close":
            hazard = services.close_hazard(
                hazard, actor=cadre, comment=rng.choice(CLOSE_COMMENTS), at=step.at, notify=False
            )
        else:
            hazard = services.dismiss_hazard(
                hazard, actor=officer, reason=rng.choice(DISMISS_REASONS), at=step.at, notify=False
            )
        actor = cadre if step.name in ("close", "reject_rectification") else officer
        states.append(_state(hazard, step.at, actor))
    return states


@contextmanager
def history_paused():
    """Turn off django-simple-history's per-save records (one slow insert per save);
    the caller writes the backdated rows with ``write_history`` afterwards."""
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        yield


def write_history(states: list):
    """Bulk-create the history rows of walked hazards at their step times, and set each
    hazard's ``updated_at`` to its last step (the services stamp the real time)."""
    Hazard.history.bulk_history_create(
        [s for s in states if s._history_type == "+"], batch_size=500
    )
    Hazard.history.bulk_history_create(
        [s for s in states if s._history_type == "~"], update=True, batch_size=500
    )
    latest = {}
    for state in states:
        latest[state.pk] = state
    Hazard.objects.bulk_update(latest.values(), ["updated_at"], batch_size=500)


def _state(hazard, at, actor, kind="~"):
    """A copy of the hazard as it is now; ``kind``: "+" created, "~" changed."""
    state = copy.copy(hazard)
    state.updated_at = at
    state._history_date, state._history_user, state._history_type = at, actor, kind
    return state


# --- plans by source -----------------------------------------------------------------


def _cross(plan, records, cast, rng):
    inspections = sorted(records.cross, key=lambda i: i.school_id)
    counts = allocate(
        plan.cross_hazards, [size_weight(i.school) for i in inspections], rng, minimum=1
    )
    plans = []
    for inspection, count in zip(inspections, counts, strict=False):
        for _ in range(count):
            hp = hazard_plan(
                inspection.school,
                S.CROSS_INSPECTION,
                cast.officer[inspection.school_id],
                rng,
                cal.at(inspection.date, rng.randint(9, 16), rng.choice([0, 20, 40])),
            )
            hp.inspection = inspection
            by, (title, location) = inspection.inspecting_school.name, hp.entry[:2]
            hp.description = f"{by}互查组检查发现：{title}（{location}）。"
            plans.append(hp)
    return plans


def _snapshots(plan, schools, cast, rng):
    # In the article's year the last reports leave time to close them before 31 December.
    last = datetime.date(plan.year, 12, 6) if plan.exact else datetime.date(plan.year, 12, 31)
    days = [d for d in cal.school_days_of_year(plan.year) if d <= last]
    counts = allocate(plan.snapshot_hazards, [size_weight(s) for s in schools], rng, minimum=1)
    plans = []
    for school, count in zip(schools, counts, strict=False):
        for day in rng.choices(days, k=count):
            reporter = rng.choices(cast.school_staff(school), weights=[25, 15, 60])[0]
            hp = hazard_plan(
                school,
                S.SNAPSHOT,
                reporter,
                rng,
                cal.at(day, rng.randint(7, 17), rng.randint(0, 59)),
            )
            hp.description = f"校园安全随手拍：{hp.entry[1]}发现{hp.entry[0]}，已拍照上传。"
            plans.append(hp)
    return plans


def _joint(plan, records, cast, rng):
    if not records.joint:
        return []
    counts = allocate(plan.joint_hazards, [1] * len(records.joint), rng, minimum=1)
    plans = []
    for inspection, count in zip(records.joint, counts, strict=False):
        for _ in range(count):
            outside = inspection.subject == Inspection.Subject.SURROUNDINGS
            kind = "joint_surroundings" if outside else S.JOINT_INSPECTION
            category = _category(kind, inspection.school, rng)
            reporter = cast.inspectors[INSPECTOR_FOR.get(category, "police")]
            reported = cal.at(inspection.date, rng.randint(9, 16), rng.choice([10, 30, 50]))
            hp = hazard_plan(
                inspection.school, S.JOINT_INSPECTION, reporter, rng, reported, category=category
            )
            hp.inspection, hp.department = inspection, reporter.department
            hp.description = f"{inspection.title}中{reporter.department}检查发现。"
            plans.append(hp)
    return plans


def _others(plan, records, schools, cast, rng):
    """Findings of the schools' own checks, patrols and drills."""
    plans = []
    school_days = cal.school_days_of_year(plan.year)
    for _ in range(plan.other_hazards):
        source = rng.choices([S.SELF_INSPECTION, S.PATROL, S.DRILL], weights=[50, 35, 15])[0]
        if source == S.SELF_INSPECTION and records.self_checks:
            inspection = rng.choice(records.self_checks)
            hp = hazard_plan(
                inspection.school,
                source,
                cast.officer[inspection.school_id],
                rng,
                cal.at(inspection.date, rng.randint(9, 16)),
            )
            hp.inspection, hp.description = inspection, f"{inspection.title}中发现。"
        elif source == S.DRILL and records.drills:
            drill = rng.choice(records.drills)
            hp = hazard_plan(
                drill.school, source, cast.officer[drill.school_id], rng, cal.at(drill.date, 15, 30)
            )
            hp.drill, hp.description = drill, f"{drill.get_drill_type_display()}演练中发现。"
        else:
            school = rng.choices(schools, weights=[size_weight(s) for s in schools])[0]
            hp = hazard_plan(
                school,
                S.PATROL,
                cast.teacher[school.pk],
                rng,
                cal.at(rng.choice(school_days), rng.choice([10, 12, 15]), rng.randint(0, 59)),
            )
            hp.description = "课间巡查发现。"
        plans.append(hp)
    return plans


def _spot(records, cast, rng):
    """Findings of the bureau's winter supervision, reported by the cadre who led it."""
    plans = []
    for inspection in records.spot:
        for _ in range(rng.randint(1, 3)):
            category = _category("spot", inspection.school, rng)
            reported = cal.at(inspection.date, rng.randint(9, 16), rng.choice([5, 25, 45]))
            hp = hazard_plan(
                inspection.school, S.OTHER, inspection.leader, rng, reported, category=category
            )
            hp.inspection, hp.description = inspection, f"{inspection.title}中发现。"
            plans.append(hp)
    return plans


def hazard_plan(school, source, reporter, rng, reported_at, *, category=None):
    category = category or _category(source, school, rng)
    title, location, measures, note = rng.choice([e for e in HAZARDS[category] if _fits(school, e)])
    if school.is_kindergarten and "年级" in location:
        location = "大班活动室"
    if not school.is_boarding and "宿舍" in location:
        location = "教学楼一层楼梯间"
    level = Hazard.Level.MAJOR if rng.random() < 0.04 else Hazard.Level.GENERAL
    return HazardPlan(
        school,
        source,
        category,
        level,
        (title, location, measures, note),
        reporter,
        "",
        steps=[Step("report", reported_at)],
    )


def _category(source, school, rng):
    weights = {c: w for c, w in SOURCE_CATEGORIES[source].items() if _category_fits(school, c)}
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _category_fits(school, category):
    if category == "dormitory":
        return school.is_boarding
    if category == "lab":
        return school.school_type in SECONDARY
    return True


def _fits(school, entry):
    title = entry[0]
    if any(w in title for w in ("滑梯", "大型玩具")):
        return school.is_kindergarten
    if any(w in title for w in ("单杠", "篮球架", "校车")):
        return not school.is_kindergarten and (school.town != "xini" or "校车" not in title)
    return not ("宿舍" in title and not school.is_boarding)


# --- timelines -----------------------------------------------------------------------


def _timeline(hp, rng, *, exact):
    """The planned steps after the report. ``exact``: closed within the year, no dismissals
    or late ones (the article's figures). Otherwise a few are dismissed (duplicates) and
    ``LATE_RATE`` of them are rectified late (``_late``), and so are overdue for a while."""
    reported = hp.steps[0].at
    year_end = cal.at(datetime.date(reported.year, 12, 30), 18)
    if not exact and hp.source == S.SNAPSHOT and rng.random() < 0.05:
        return [hp.steps[0], Step("dismiss", _later(reported, rng.randint(0, 2), rng))]
    major = hp.level == Hazard.Level.MAJOR
    if exact and major and reported.month >= 9:
        hp.level, major = Hazard.Level.GENERAL, False  # no time left for a major one
    in_year = exact and hp.source in (S.CROSS_INSPECTION, S.SNAPSHOT)
    for _attempt in range(100):
        steps = _closing_steps(reported, major, rng, reject=rng.random() < 0.08)
        if not in_year or steps[-1].at <= year_end:
            break
    else:
        raise ValueError(f"cannot close {hp.entry[0]} reported {reported} within the year")
    if not exact and rng.random() < LATE_RATE:
        steps = _late(steps[0], rng)
    return [hp.steps[0], *steps]


def _late(assign: Step, rng) -> list:
    """Assigned, then rectified after the deadline: mostly 2–15 workdays late (up to about
    three weeks), one in seven 16–45 workdays (up to about two months); verified and closed
    1–4 workdays after. So an overdue hazard is overdue for days to weeks, never years."""
    late = rng.randint(2, 15) if rng.random() < 6 / 7 else rng.randint(16, 45)
    submit = _later(cal.at(assign.deadline, 17), late, rng)
    close = _later(submit, rng.randint(1, 4), rng)
    return [assign, Step("submit_rectification", submit), Step("close", close)]


def _closing_steps(reported, major, rng, *, reject):
    assign = _later(reported, rng.choice([0, 1, 1, 2, 3]), rng)
    days = rng.randint(30, 60) if major else rng.choice([5, 7, 7, 7, 10, 14])
    steps = [Step("assign", assign, deadline=assign.date() + datetime.timedelta(days))]
    submit = _later(assign, rng.randint(15, 35) if major else rng.randint(1, 6), rng)
    steps.append(Step("submit_rectification", submit))
    if reject:
        back = _later(submit, rng.randint(1, 2), rng)
        submit = _later(back, rng.randint(2, 4), rng)
        steps += [Step("reject_rectification", back), Step("submit_rectification", submit)]
    steps.append(Step("close", _later(submit, rng.randint(1, 4), rng)))
    return steps


def _later(after: datetime.datetime, workdays: int, rng) -> datetime.datetime:
    """A working-hours time ``workdays`` workdays after ``after`` (0: later the same day
    if possible), always strictly later."""
    day = cal.add_workdays(after.date(), workdays)
    moment = cal.at(day, rng.randint(9, 16), rng.randint(0, 59))
    if moment <= after:
        moment = after + datetime.timedelta(minutes=rng.randint(30, 150))
    return moment


def _responsible(hp, cast):
    if hp.category in ("building", "canteen") or hp.level == Hazard.Level.MAJOR:
        return cast.principal[hp.school.pk]
    return cast.officer[hp.school.pk]


def _five_implementations(hp, rng):
    """Funding (yuan) and contingency plan, required for a major hazard."""
    if hp.level != Hazard.Level.MAJOR:
        return {}
    return {"funding_yuan": Decimal(rng.randint(20, 500) * 1000), "contingency_plan": MAJOR_PLAN}

"""The open work on the demo's day, built for ``today`` whatever the date: what each
persona finds to do when they sign in.

- the persona school's showcase (``showcase_plans``): one hazard in each open state;
- open hazards at a few other schools (``spread_plans``): new reports, work in
  rectification due soon or overdue by days to a few weeks, a couple overdue by one to two
  and a half months, rectifications awaiting verification;
- a joint inspection of the last weeks with open findings owned by the committee
  departments (公安、消防、市场监管) that found them (``recent_joint``);
- a joint inspection planned in the coming days with every committee department
  (``planned_joint``), and the persona school's monthly self check planned on the next
  school day (``planned_self_check``), for the inspectors and officer1 to fill in.

Steps fall on the workdays before ``today`` (in term these are the school days; in a
holiday the days of the schools' duty staff and the bureau), never on or after it.
"""

import datetime
import random

from hazards.models import Hazard
from inspections.models import Inspection
from schools.models import Department

from . import calendar as cal
from .catalogue import INSPECTOR_FOR
from .hazards import HazardPlan, Step, hazard_plan
from .rounds import standard_checklist
from .spread import size_weight

S = Hazard.Source
DAY = datetime.timedelta(days=1)
# How many other schools get open work of their own, and how many long-overdue hazards.
OTHER_SCHOOLS = 5
LONG_OVERDUE = 2
RECENT = "近期发现，正在处理。"
SUMMARY = "教体局会同公安、消防、市场监管等部门对校园开展联合检查，现场反馈问题并督促整改。"


def current_plans(schools, cast, departments, seed, today) -> list:
    """Create the planned and recent inspections of the day's open work and return the
    plans of its hazards (to walk up to ``today``). ``schools[0]`` is the persona school;
    the other schools with open work are drawn anew for each day, bigger ones likelier."""
    rng = random.Random(f"{seed}-current-{today.isoformat()}")
    persona, others = schools[0], schools[1:]
    joint_at, planned_at, *spread = _pick(others, rng, 2 + OTHER_SCHOOLS)
    planned_self_check(persona, cast, today)
    planned_joint(planned_at, cast, departments, rng, today)
    plans = showcase_plans(persona, cast, random.Random(f"{seed}-showcase"), today)
    plans += recent_joint(joint_at, cast, departments, rng, today)
    return plans + spread_plans(spread, rng.sample(others, LONG_OVERDUE), cast, rng, today)


def _pick(schools, rng: random.Random, k: int) -> list:
    """``k`` distinct schools of ``schools``, bigger ones likelier."""
    pool, picked = list(schools), []
    while len(picked) < k:
        school = rng.choices(pool, weights=[size_weight(s) for s in pool])[0]
        pool.remove(school)
        picked.append(school)
    return picked


def showcase_plans(school, cast, rng, today) -> list:
    """Open hazards in every state at one school (the persona school), so its officer
    (officer1) and its cadre (bureau) find work on ``today`` whatever the date: a new
    snapshot report, one in rectification due in 5 days, one overdue by 3 days, one
    awaiting verification. Every step falls on one of the last 15 workdays before
    ``today``."""
    days = cal.workdays_before(today, 15)  # days[0] is the latest

    def ago(workdays, hour):
        return cal.at(days[workdays - 1], hour, 20)

    def assign(workdays, deadline_in_days):
        return Step("assign", ago(workdays, 10), today + datetime.timedelta(deadline_in_days))

    teacher, officer = cast.teacher[school.pk], cast.officer[school.pk]
    shapes = [
        (S.SNAPSHOT, teacher, "electrical", [Step("report", ago(1, 10))]),
        (S.PATROL, teacher, "facilities", [Step("report", ago(4, 9)), assign(3, 5)]),
        (S.SELF_INSPECTION, officer, "fire", [Step("report", ago(15, 9)), assign(14, -3)]),
        (
            S.SNAPSHOT,
            officer,
            "building",
            [Step("report", ago(6, 9)), assign(5, 4), Step("submit_rectification", ago(1, 15))],
        ),
    ]
    return [
        _general(hazard_plan(school, source, reporter, rng, steps[0].at, category=category), steps)
        for source, reporter, category, steps in shapes
    ]


def spread_plans(schools, long_overdue, cast, rng: random.Random, today) -> list:
    """Open hazards at each of ``schools``, two states each of: reported, rectifying and
    due, rectifying and overdue by 2–20 days, awaiting verification (each state at two
    schools or more, given five); and one overdue by 30–75 days at each of
    ``long_overdue``."""
    pairs = [
        ("reported", "due"),
        ("overdue", "verifying"),
        ("reported", "overdue"),
        ("due", "verifying"),
        ("reported", "verifying"),
    ]
    rng.shuffle(pairs)
    plans = []
    for school, shapes in zip(schools, pairs * len(schools), strict=False):
        for shape in shapes:
            overdue = rng.randint(2, 20) if shape == "overdue" else None
            plans.append(_open_plan(school, shape, cast, rng, today, overdue))
    for school in long_overdue:
        plans.append(_open_plan(school, "overdue", cast, rng, today, rng.randint(30, 75)))
    return plans


def _open_plan(school, shape, cast, rng, today, overdue):
    recent = cal.workdays_before(today, 12)  # recent[0] is the latest
    if shape == "overdue":
        steps = _overdue_steps(today, overdue, rng)
    elif shape == "reported":
        steps = [Step("report", cal.at(recent[rng.randint(0, 2)], rng.randint(8, 16), 10))]
    else:
        k = rng.randint(5, 10)
        deadline = today + DAY * rng.randint(2, 10)
        steps = [
            Step("report", cal.at(recent[k], 9, 30)),
            Step("assign", cal.at(recent[k - 1], 11, 0), deadline),
        ]
        if shape == "verifying":
            steps.append(Step("submit_rectification", cal.at(recent[rng.randint(0, 2)], 16, 0)))
    source = rng.choice([S.SNAPSHOT, S.PATROL, S.SELF_INSPECTION])
    reporter = cast.officer[school.pk] if source == S.SELF_INSPECTION else cast.teacher[school.pk]
    return _general(hazard_plan(school, source, reporter, rng, steps[0].at), steps)


def _overdue_steps(today, overdue, rng):
    """Reported, assigned 5–14 days before a deadline ``overdue`` days before ``today``."""
    deadline = today - DAY * overdue
    assigned = cal.workdays_before(deadline - DAY * rng.randint(5, 14), 1)[0]
    reported = cal.workdays_before(assigned, rng.randint(1, 2))[-1]
    return [
        Step("report", cal.at(reported, rng.randint(9, 16), 40)),
        Step("assign", cal.at(assigned, 10, 30), deadline),
    ]


def _general(hp: HazardPlan, steps) -> HazardPlan:
    hp.level, hp.description, hp.steps = Hazard.Level.GENERAL, RECENT, steps
    return hp


# --- joint inspections and self checks -----------------------------------------------


def recent_joint(school, cast, departments, rng: random.Random, today) -> list:
    """A joint inspection of ``school`` 8–12 workdays before ``today`` with the police,
    fire and market regulation departments, and its open findings, each owned by the
    department that found it: two of 公安 (security; one in rectification, one awaiting
    verification), one of 消防 (overdue by a few days) and one of 市场监管 (canteen, due
    soon). Returns the findings' hazard plans."""
    day = cal.workdays_before(today, rng.randint(8, 12))[-1]
    kinds = ["police", "fire", "market"]
    inspection = _joint_inspection(school, day, cast, departments, kinds, rng, today)
    recent = [d for d in cal.workdays_before(today, 12) if d > day]
    findings = [
        ("security", today + DAY * rng.randint(3, 8), None),
        ("security", today + DAY * rng.randint(1, 5), recent[rng.randint(0, 1)]),
        ("fire", today - DAY * rng.randint(1, 5), None),
        ("canteen", today + DAY * rng.randint(2, 6), None),
    ]
    plans, titles = [], set()
    for category, deadline, submitted in findings:
        reporter = cast.inspectors[INSPECTOR_FOR[category]]
        steps = [
            Step("report", cal.at(day, rng.randint(9, 11), 15)),
            Step("assign", cal.at(recent[-1], 15, 0), deadline),
        ]
        if submitted:
            steps.append(Step("submit_rectification", cal.at(submitted, 16, 30)))
        hp = _distinct(school, reporter, category, steps[0].at, rng, titles)
        hp.level, hp.steps = Hazard.Level.GENERAL, steps
        hp.inspection, hp.department = inspection, reporter.department
        hp.description = f"{inspection.title}中{reporter.department}检查发现。"
        plans.append(hp)
    return plans


def _distinct(school, reporter, category, at, rng, titles):
    """A joint-inspection finding whose title is not yet in ``titles`` (a few tries)."""
    for _attempt in range(10):
        hp = hazard_plan(school, S.JOINT_INSPECTION, reporter, rng, at, category=category)
        if hp.entry[0] not in titles:
            break
    titles.add(hp.entry[0])
    return hp


def planned_joint(school, cast, departments, rng: random.Random, today) -> Inspection:
    """A joint inspection of ``school`` planned 2–5 workdays after ``today`` with all four
    committee departments (公安、消防救援、市场监管、卫健), so every inspector has one to fill
    in."""
    day = cal.add_workdays(today, rng.randint(2, 5))
    kinds = ["police", "fire", "market", "health"]
    # As ``inspections.services.plan_inspection`` does: a planned inspection is filled in
    # against a checklist (the recent joint one only records its findings, as of old).
    checklist = standard_checklist()
    return _joint_inspection(school, day, cast, departments, kinds, rng, today, checklist)


def _joint_inspection(school, day, cast, departments, kinds, rng, today, checklist=None):
    done = Inspection.objects.filter(kind=Inspection.Kind.JOINT, date__year=day.year, date__lt=day)
    office = next(d for d in departments.values() if d.kind == Department.Kind.BUREAU)
    outside = [d for d in departments.values() if d.kind in kinds]
    inspection = Inspection.objects.create(
        kind=Inspection.Kind.JOINT,
        school=school,
        date=day,
        checklist=checklist,
        status=_status(day, today),
        subject=Inspection.Subject.CAMPUS,
        title=f"{day.year}年校园及周边安全联合检查（第{done.count() + 1}次）",
        leader=cast.users[f"leader{rng.randint(1, 4)}"],
        summary="" if day >= today else SUMMARY,
    )
    inspection.departments.set([office, *outside])
    return inspection


def planned_self_check(school, cast, today) -> Inspection:
    """The school's monthly self check (每月安全自查), planned on the next school day from
    ``today`` on, led by the principal and filled in by the school's officer."""
    day = cal.next_school_day(today)
    return Inspection.objects.create(
        kind=Inspection.Kind.SELF,
        school=school,
        date=day,
        status=Inspection.Status.PLANNED,
        checklist=standard_checklist(),  # as plan_inspection gives it: one to fill in
        title=f"{day.year}年{day.month}月安全自查",
        leader=cast.principal[school.pk],
    )


def _status(day, today):
    if day >= today:
        return Inspection.Status.PLANNED
    return Inspection.Status.REVIEWED if (today - day).days > 7 else Inspection.Status.SUBMITTED

"""Remediation projects and their expenses (yuan, Decimal), and the fire acceptance of the
schools. 2024 holds the fire-safety legacy works of the article: 54,180,000 yuan over all
29 schools, after which every school passed its fire acceptance in 2024."""

import datetime
import random
from decimal import Decimal

from hazards.models import RemediationExpense, RemediationProject

from . import calendar as cal
from .registry import set_fire_acceptance
from .spread import allocate, size_weight

D = datetime.date
THOUSAND = Decimal(1000)
CONTRACTOR = "鄂尔多斯市安泰消防工程有限公司（演示）"


def build_fire_legacy_works(total_yuan: Decimal, schools, rng: random.Random) -> list:
    """The 2024 projects: primary/secondary schools, kindergartens, and the boarding
    schools' dormitories. Each school is paid in tranches (advance, progress, settlement
    after its acceptance); the expenses sum to exactly ``total_yuan`` (whole thousands)."""
    projects = {
        "school": _project("2024年中小学消防遗留问题整改工程", D(2024, 4, 1), D(2024, 12, 20)),
        "kindergarten": _project(
            "2024年幼儿园消防遗留问题整改工程", D(2024, 4, 15), D(2024, 12, 20)
        ),
        "dormitory": _project(
            "2024年寄宿制学校宿舍消防设施改造工程", D(2024, 5, 6), D(2024, 11, 29)
        ),
    }
    weights = [size_weight(s) * (1.5 if s.is_boarding else 1) for s in schools]
    thousands = allocate(int(total_yuan / THOUSAND), weights, rng, minimum=300)
    expenses = []
    for school, amount in zip(schools, thousands, strict=False):
        accepted = rng.choice(cal.days_between(D(2024, 9, 9), D(2024, 12, 6), school=False))
        main = projects["kindergarten" if school.is_kindergarten else "school"]
        if school.is_boarding:
            dorm = round(amount * rng.uniform(0.3, 0.4))
            expenses += _tranches(projects["dormitory"], school, dorm, accepted, rng, (0.4,))
            amount -= dorm
        expenses += _tranches(main, school, amount, accepted, rng, (0.3, 0.4))
        set_fire_acceptance(school, accepted)
    RemediationExpense.objects.bulk_create(expenses)
    _finish(projects.values(), expenses)
    return list(projects.values())


def build_later_works(year: int, fire_yuan: Decimal, schools, rng, today) -> list:
    """Fire maintenance every year after 2024, plus one larger non-fire programme. A
    programme is recorded from its first payment before ``today`` on: one with no school
    paid yet would belong to no demo school, and a reload would not find it to delete."""
    other = {
        2025: ("2025年校园技防（视频监控、一键报警）提升项目", "security", 3_600_000),
        2026: ("2026年寄宿制学校宿舍改造项目", "building", 8_200_000),
    }.get(year, (f"{year}年校舍维修项目", "building", 2_500_000))
    programmes = [  # (name, category, start, end, thousands of yuan, schools)
        (
            f"{year}年消防设施维护保养项目",
            "fire",
            D(year, 3, 1),
            D(year, 11, 30),
            int(fire_yuan / THOUSAND),
            schools,
        ),
        (
            other[0],
            other[1],
            D(year, 4, 1),
            D(year, 10, 31),
            other[2] // 1000,
            rng.sample(schools, 8),
        ),
    ]
    days = cal.days_between(D(year, 3, 1), D(year, 11, 30), school=False)
    projects, expenses = [], []
    for name, category, start, end, total, chosen in programmes:
        paid = []
        for school, amount in zip(
            chosen, allocate(total, [size_weight(s) for s in chosen], rng), strict=False
        ):
            day = rng.choice(days)
            if amount and day < today:
                paid.append((school, amount, day))
        if paid:
            projects.append(_project(name, start, end, category=category))
            expenses += [
                _expense(projects[-1], school, amount, day, "进度款")
                for school, amount, day in paid
            ]
    RemediationExpense.objects.bulk_create(expenses)
    _finish(projects, expenses)
    return projects


def _project(name, start, end, category="fire"):
    return RemediationProject.objects.create(
        name=name,
        category=category,
        budget_yuan=Decimal(0),
        contractor=CONTRACTOR,
        start_date=start,
        end_date=end,
    )


def _tranches(project, school, thousands, accepted, rng, shares):
    """Advance and progress payments before acceptance (``shares`` of the amount), the
    settlement after it; whole thousands of yuan."""
    windows = [(D(2024, 4, 8), D(2024, 5, 24)), (D(2024, 7, 15), D(2024, 8, 23))]
    rows, paid = [], 0
    for share, (first, last), note in zip(shares, windows, ("预付款", "进度款"), strict=False):
        part = round(thousands * share)
        day = rng.choice(cal.days_between(first, last, school=False))
        rows.append(_expense(project, school, part, day, note))
        paid += part
    settled = cal.add_workdays(accepted, rng.randint(5, 12))
    rows.append(_expense(project, school, thousands - paid, settled, "结算款"))
    return rows


def _expense(project, school, thousands, day, note):
    return RemediationExpense(
        project=project,
        school=school,
        date=day,
        amount_yuan=Decimal(thousands) * THOUSAND,
        note=note,
    )


def _finish(projects, expenses):
    """Budgets a little above what was spent, rounded to 10,000 yuan; schools linked."""
    for project in projects:
        mine = [e for e in expenses if e.project_id == project.pk]
        spent = sum((e.amount_yuan for e in mine), Decimal(0))
        project.budget_yuan = (spent * Decimal("1.03") / 10000).quantize(Decimal(1)) * 10000
        project.save(update_fields=["budget_yuan"])
        project.schools.set({e.school_id for e in mine})

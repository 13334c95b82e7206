"""The demo's risk registers (风险分级管控): every Hangjin school gets the starter points of
its type, assessed by the risk matrix with a plausible spread of grades (a seeded
``random.Random``: the same seed and day give the same rows), checks at roughly its
grade's rhythm (some late, so "应检未检" shows), its hazards linked to the point of the same
category, and the first few schools a drawn, synthetic site plan with the points placed.

Rows are written directly (``bulk_create``), valid as ``risks.services`` leaves them.
"""

import datetime
import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from hazards.models import Hazard
from risks import methods
from risks.models import RiskAssessment, RiskCheck, RiskHazardLink, RiskPoint, RiskPolicy, SitePlan
from risks.services import add_months
from risks.starter import starter_points

PLANNED_SCHOOLS = 4  # schools with a drawn site plan
OWNERS = ["王建国", "李秀英", "张海军", "刘志强", "陈丽", "杨红梅", "赵永刚", "孙宏伟"]


def build_risk_registers(schools, today: datetime.date, seed: int) -> int:
    """Rebuild the registers of ``schools`` as of ``today``; returns the points written."""
    rng = random.Random(f"{seed}-risks")
    ids = [s.pk for s in schools]
    for plan in SitePlan.objects.filter(school__in=ids):
        plan.image.delete(save=False)
    SitePlan.objects.filter(school__in=ids).delete()
    RiskPoint.objects.filter(school__in=ids).delete()
    policy = RiskPolicy.current()
    points = []
    for school in schools:
        points += _points(school, today, rng)
    RiskPoint.objects.bulk_create(points)
    _assessments_and_checks(points, today, rng, policy)
    _links(schools, points)
    for school in schools[:PLANNED_SCHOOLS]:
        _site_plan(school, [p for p in points if p.school_id == school.pk], rng)
    return len(points)


def _points(school, today, rng):
    created = today - datetime.timedelta(days=rng.randint(200, 400))
    rows = []
    for starter in starter_points(school):
        # The starter's suggestion moved by one step now and then: schools differ.
        likelihood = min(5, max(1, starter.likelihood + rng.choice((-1, 0, 0, 0, 1))))
        score, grade = methods.matrix_grade(likelihood, starter.severity)
        point = RiskPoint(
            school=school,
            name=str(starter.name),
            kind=starter.kind,
            category=starter.category,
            hazard_types=str(starter.hazard_types),
            control_measures=str(starter.measures),
            control_level=starter.control_level,
            owner_name=rng.choice(OWNERS),
            grade=grade,
            score=score,
            created_on=created,
        )
        point.demo_values = (likelihood, starter.severity)
        rows.append(point)
    return rows


def _assessments_and_checks(points, today, rng, policy):
    assessments, checks = [], []
    intervals = policy.check_days()
    for point in points:
        assessed = point.created_on + datetime.timedelta(days=rng.randint(0, 30))
        point.review_due = add_months(assessed, policy.review_months)
        likelihood, severity = point.demo_values
        assessments.append(
            RiskAssessment(
                point=point,
                method=methods.MATRIX,
                likelihood=likelihood,
                severity=severity,
                score=point.score,
                grade=point.grade,
                assessed_on=assessed,
            )  # fmt: skip
        )
        interval = intervals[point.grade]
        # The last check: mostly within the interval, one in six late.
        late = rng.random() < 1 / 6
        last = today - datetime.timedelta(
            days=rng.randint(interval + 1, interval * 2) if late else rng.randint(0, interval - 1)
        )
        day = last
        while day > point.created_on and day > today - datetime.timedelta(days=365):
            checks.append(RiskCheck(point=point, date=day, note=""))
            day -= datetime.timedelta(days=interval)
    RiskPoint.objects.bulk_update(points, ["review_due"])
    RiskAssessment.objects.bulk_create(assessments)
    RiskCheck.objects.bulk_create(checks)


def _links(schools, points):
    """Each found hazard of a school linked to the school's point of its category (the
    first, when there are several)."""
    by_key = {}
    for point in points:
        by_key.setdefault((point.school_id, point.category), point)
    hazards = (
        Hazard.objects.filter(school__in=[s.pk for s in schools])
        .found()
        .values_list("id", "school_id", "category")
    )
    links = [
        RiskHazardLink(point=by_key[(school_id, category)], hazard_id=hazard_id)
        for hazard_id, school_id, category in hazards
        if (school_id, category) in by_key
    ]
    RiskHazardLink.objects.bulk_create(links, batch_size=2000)


def _site_plan(school, points, rng):
    """A drawn plan: grounds, buildings, a track and a gate; the points placed on it."""
    width, height = 1200, 800
    image = Image.new("RGB", (width, height), "#f4f1e8")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, width - 20, height - 20), outline="#555", width=6)
    draw.rectangle((560, height - 28, 680, height - 12), fill="#888")  # the gate
    buildings = [
        (80, 80, 460, 260),
        (80, 320, 300, 560),
        (700, 80, 1120, 240),
        (760, 300, 1120, 460),
    ]
    for box in buildings:
        draw.rectangle(box, fill="#d9d4c7", outline="#666", width=3)
    draw.rounded_rectangle((380, 360, 700, 700), radius=120, outline="#b5651d", width=10)  # track
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    plan = SitePlan(school=school, width=width, height=height)
    plan.image.save(f"{plan.uuid}.jpg", ContentFile(out.getvalue()), save=True)
    for point in points:
        if point.category == "traffic" and "大门" in point.name:
            x, y = 51.0, 94.0
        else:
            x, y = rng.uniform(8, 92), rng.uniform(8, 88)
        point.plan_x, point.plan_y = round(x, 2), round(y, 2)
    RiskPoint.objects.bulk_update(points, ["plan_x", "plan_y"])

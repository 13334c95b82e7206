"""The risk register's daily reminder scan, run by ``risks.tasks.remind_risks``:

* a point's review date is within ``RiskPolicy.review_notice_days`` (or passed): its
  school's managers and the point's owner are asked to re-assess it (once per review date);
* a point is overdue for its grade's check: the school's managers are told (once per due
  day, so a point checked and due again is reminded again);
* a hazard linked to a point was closed after the point's latest assessment and the grade
  may be wrong (``needs_reassessment_links``): the managers are asked to re-assess (once
  per point until it is assessed again).

Each takes ``today`` (a Beijing date) and returns how many new inbox rows it wrote; the
(subject, period) key of ``notify`` makes a repeated run a no-op.
"""

import datetime
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from hazards.models import Hazard
from notifications.models import Kind
from notifications.services import notify, school_people

from .models import Grade, RiskAssessment, RiskHazardLink, RiskPoint, RiskPolicy

# Grades for which a closed major hazard, or repeated hazards, suggest the grade is too low.
LOW_GRADES = (Grade.GENERAL, Grade.LOW)
REPEATS_FOR_REVIEW = 2  # hazards at a low-graded point within a year that call for review


def remind_risks(today: datetime.date) -> int:
    policy = RiskPolicy.current()
    return (
        remind_reviews(today, policy)
        + remind_checks(today, policy)
        + remind_reassessments_after_hazards(today)
    )


def _managers(point: RiskPoint) -> list[User]:
    people = school_people(point.school, User.SCHOOL_MANAGER_ROLES)
    return people + ([point.owner] if point.owner else [])


def _send(point: RiskPoint, people: list[User], period: str, title: Any, body: Any) -> int:
    return len(
        notify(
            people,
            kind=Kind.RISK,
            subject=point,
            period=period,
            title=title,
            body=body,
            url=reverse("risk-point-detail", args=[point.pk]),
            school=point.school,
        ).notifications
    )


def remind_reviews(today: datetime.date, policy: RiskPolicy) -> int:
    """Points whose review date is within the notice days: ask for the re-assessment."""
    horizon = today + datetime.timedelta(days=policy.review_notice_days)
    count = 0
    for point in RiskPoint.objects.review_due_by(horizon).select_related("school", "owner"):
        count += _send(
            point,
            _managers(point),
            f"review:{point.review_due}",
            lambda p=point: _("风险点复评提醒：%(point)s") % {"point": p.name},
            lambda p=point: (
                _("%(school)s的风险点“%(point)s”应于%(day)s前重新评价风险等级。")
                % {"school": p.school, "point": p.name, "day": p.review_due}
            ),
        )
    return count


def remind_checks(today: datetime.date, policy: RiskPolicy) -> int:
    """Points overdue for their grade's check: tell the school's managers."""
    count = 0
    for point in RiskPoint.objects.check_overdue(policy, today).select_related("school", "owner"):
        due = point.check_due(policy)
        count += _send(
            point,
            school_people(point.school, User.SCHOOL_MANAGER_ROLES),
            f"check:{due}",
            lambda p=point: _("风险点检查逾期：%(point)s") % {"point": p.name},
            lambda p=point, d=due: (
                _("%(school)s的%(grade)s点“%(point)s”应于%(day)s前检查，尚无检查记录。")
                % {"school": p.school, "grade": p.get_grade_display(), "point": p.name, "day": d}
            ),
        )
    return count


def needs_reassessment_links(today: datetime.date) -> QuerySet[RiskHazardLink]:
    """Links whose hazard was closed after the point's latest assessment, at an active point
    graded 一般 or 低, when the hazard was major or the point had ``REPEATS_FOR_REVIEW`` or
    more hazards reported in the year before ``today``: the grade may be too low."""
    latest = (
        RiskAssessment.objects.filter(point=OuterRef("point"))
        .order_by("-assessed_on", "-id")
        .values("assessed_on")[:1]
    )
    year_ago = today - datetime.timedelta(days=365)
    repeats = (
        RiskHazardLink.objects.filter(
            point=OuterRef("point"), hazard__reported_at__date__gte=year_ago
        )
        .values("point")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        RiskHazardLink.objects.filter(
            point__is_active=True,
            point__grade__in=LOW_GRADES,
            hazard__status=Hazard.Status.CLOSED,
        )
        .annotate(assessed_on=Subquery(latest), repeats=Subquery(repeats))
        .filter(hazard__closed_at__date__gt=F("assessed_on"))
        .filter(Q(hazard__level=Hazard.Level.MAJOR) | Q(repeats__gte=REPEATS_FOR_REVIEW))
    )


def remind_reassessments_after_hazards(today: datetime.date) -> int:
    """Ask the managers to re-assess each point of ``needs_reassessment_links`` (once per
    point and latest assessment)."""
    count = 0
    links = needs_reassessment_links(today).select_related(
        "point__school", "point__owner", "hazard"
    )
    for link in links:
        point, hazard = link.point, link.hazard
        count += _send(
            point,
            _managers(point),
            f"reassess:{link.assessed_on}",  # type: ignore[attr-defined]  # annotated
            lambda p=point: _("建议重新评价风险点：%(point)s") % {"point": p.name},
            lambda p=point, h=hazard: (
                _(
                    "风险点“%(point)s”（%(grade)s）关联的隐患“%(hazard)s”已销号，"
                    "该点风险等级可能偏低，请重新评价。"
                )
                % {"point": p.name, "grade": p.get_grade_display(), "hazard": h.title}
            ),
        )
    return count

"""Risk-based inspection (风险分级管控 → 隐患排查): red and orange risk points become
planned self inspections (``inspections``) on the day their grade's interval runs out, and
patrol points (``supervision``) that the break-time patrols check; done inspections and
patrols are recorded back on the register as checks of the point.

Idempotent: a point with a planned check not yet done gets no second one, a point with a
patrol point keeps it (one each way), and each done inspection or patrol day is recorded
once. Time is an input (``today``, a Beijing date). Errors: ``NotPermitted`` (403) for the
person, ``DomainError`` (400) when no published checklist exists.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError, NotPermitted
from hazards.models import Hazard
from inspections.models import Inspection
from inspections.services import schedule_self_inspection
from risks import services as risk_services
from risks.models import Grade, RiskCheck, RiskPoint, RiskPolicy
from schools.models import School
from supervision.models import PatrolCheck, PatrolPoint
from supervision.services import add_patrol_point

from .models import PatrolLink, PlannedCheck

logger = logging.getLogger(__name__)

# The grades that the bureau inspects more often (the dual-prevention rule): 红 and 橙.
PLANNED_GRADES = (Grade.MAJOR, Grade.SIGNIFICANT)

# A risk point's hazard category → the kind of patrol point it becomes.
PATROL_KIND = {
    "dormitory": PatrolPoint.Kind.DORM,
    "canteen": PatrolPoint.Kind.CANTEEN,
    "surroundings": PatrolPoint.Kind.SURROUNDINGS,
    "traffic": PatrolPoint.Kind.GATE,
    "security": PatrolPoint.Kind.GATE,
    "building": PatrolPoint.Kind.STAIRS,
}


@dataclass
class SchoolPlan:
    """What generating would make for one school: ``inspections`` [(date, [point…])] to
    plan, ``patrol_new`` points that get a new patrol point, ``patrol_adopt`` points whose
    school already has a patrol point of that name (it is linked, not duplicated)."""

    school: School
    inspections: list[tuple[datetime.date, list[RiskPoint]]] = field(default_factory=list)
    patrol_new: list[RiskPoint] = field(default_factory=list)
    patrol_adopt: list[RiskPoint] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.inspections or self.patrol_new or self.patrol_adopt)


@dataclass
class Generated:
    """Counts of one run: self inspections planned, risk points they cover, patrol points
    created and existing ones linked."""

    inspections: int = 0
    points: int = 0
    patrol_created: int = 0
    patrol_linked: int = 0

    def add(self, other: "Generated") -> None:
        for name in ("inspections", "points", "patrol_created", "patrol_linked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _candidates(schools: QuerySet[School]) -> QuerySet[RiskPoint]:
    """Active red and orange points of ``schools``, with ``last_checked``."""
    return (
        RiskPoint.objects.filter(school__in=schools, grade__in=PLANNED_GRADES)
        .active()
        .with_last_check()
        .select_related("school")
        .order_by("school_id", "name", "id")
    )


def _waiting(points: QuerySet[RiskPoint]) -> set[int]:
    """Ids of points with a planned check still to be done (its inspection not carried out)."""
    return set(
        PlannedCheck.objects.filter(point__in=points, risk_check__isnull=True)
        .exclude(inspection__status__in=Inspection.DONE_STATUSES)
        .values_list("point_id", flat=True)
    )


def plan_school(school: School, *, today: datetime.date) -> SchoolPlan:
    """What ``generate_for_school`` would make for ``school`` on ``today`` (nothing is
    written): each red/orange point without a waiting planned check is due one grade
    interval (``RiskPolicy``) after its last check, or today when that day has passed;
    points due on the same day share one self inspection. Four queries."""
    policy = RiskPolicy.current()
    points = list(_candidates(School.objects.filter(pk=school.pk)))
    waiting = _waiting(RiskPoint.objects.filter(pk__in=[p.pk for p in points]))
    by_day: dict[datetime.date, list[RiskPoint]] = defaultdict(list)
    for point in points:
        if point.pk not in waiting:
            by_day[max(point.check_due(policy), today)].append(point)
    linked = set(PatrolLink.objects.filter(point__school=school).values_list("point_id", flat=True))
    taken = set(PatrolPoint.objects.filter(school=school).values_list("name", flat=True))
    plan = SchoolPlan(school=school, inspections=sorted(by_day.items()))
    for point in points:
        if point.pk not in linked:
            adopt = _patrol_name(point) in taken
            (plan.patrol_adopt if adopt else plan.patrol_new).append(point)
    return plan


def _patrol_name(point: RiskPoint) -> str:
    return point.name.strip()[:60]


def _title(points: list[RiskPoint]) -> str:
    names = "、".join(point.name for point in points)
    return _("风险点自查：%(names)s") % {"names": names}


def generate_for_school(school: School, *, actor: User | None, today: datetime.date) -> Generated:
    """Make what ``plan_school`` shows, in one transaction. ``actor`` None: the daily task;
    else ``riskplans.generate_plans`` for the school (NotPermitted, 403). Running it again
    the same day makes nothing."""
    if actor is not None and not actor.has_perm("riskplans.generate_plans", school):
        raise NotPermitted(_("您没有为该校生成风险检查计划的权限。"))
    done = Generated()
    with transaction.atomic():
        # One generator per school at a time: the task and a button press do not race.
        School.objects.select_for_update().filter(pk=school.pk).first()
        plan = plan_school(school, today=today)
        for day, points in plan.inspections:
            inspection = schedule_self_inspection(school, date=day, title=_title(points))
            PlannedCheck.objects.bulk_create(
                PlannedCheck(point=point, inspection=inspection, due_on=day) for point in points
            )
            done.inspections += 1
            done.points += len(points)
        for point in plan.patrol_new + plan.patrol_adopt:
            patrol_point, created = add_patrol_point(
                school,
                actor=None,
                name=_patrol_name(point),
                kind=PATROL_KIND.get(point.category, PatrolPoint.Kind.OTHER),
            )
            if PatrolLink.objects.filter(patrol_point=patrol_point).exists():
                continue  # another risk point of the same name already holds it
            PatrolLink.objects.create(point=point, patrol_point=patrol_point, created=created)
            done.patrol_created += created
            done.patrol_linked += not created
    return done


def generate_all(*, today: datetime.date) -> Generated:
    """The daily task's run over every active school that has red or orange points. A
    school that cannot be planned (no published checklist) is logged and skipped; the
    others are planned; the next run tries it again."""
    total = Generated()
    schools = School.objects.active().filter(
        risk_points__grade__in=PLANNED_GRADES, risk_points__is_active=True
    )
    for school in schools.distinct().order_by("pk"):
        try:
            total.add(generate_for_school(school, actor=None, today=today))
        except DomainError as exc:
            logger.warning("risk plans for school %s not generated: %s", school.pk, exc.message)
    return total


def record_done_checks(*, today: datetime.date) -> int:
    """Record on the register, once each, the checks that were done elsewhere: a planned
    self inspection carried out (submitted or reviewed) is a check of each of its points
    on its date (``发现隐患`` when it reported a hazard of the point's category), and a
    patrol that checked a linked patrol point is a check on that Beijing day when it is
    later than the point's last check. Returns how many checks were recorded."""
    return _record_inspections(today) + _record_patrols(today)


def _record_inspections(today: datetime.date) -> int:
    pending = PlannedCheck.objects.filter(
        risk_check__isnull=True, inspection__status__in=Inspection.DONE_STATUSES
    ).values_list("pk", flat=True)
    recorded = 0
    for pk in pending:
        with transaction.atomic():
            link = (
                PlannedCheck.objects.select_for_update()
                .select_related("point", "inspection")
                .filter(pk=pk, risk_check__isnull=True)
                .first()
            )
            if link is None:
                continue  # recorded by a parallel run
            found = Hazard.objects.filter(
                inspection_answer__inspection=link.inspection, category=link.point.category
            ).exists()
            link.risk_check = risk_services.record_check(
                link.point,
                actor=None,
                date=min(link.inspection.date, today),
                today=today,
                result=RiskCheck.Result.HAZARD if found else RiskCheck.Result.OK,
                note=link.inspection.title[:200],
            )
            link.save(update_fields=["risk_check"])
            recorded += 1
    return recorded


def _record_patrols(today: datetime.date) -> int:
    latest_patrol = (
        PatrolCheck.objects.filter(point=OuterRef("patrol_point"))
        .order_by("-checked_at")
        .values("checked_at")[:1]
    )
    latest_check = (
        RiskCheck.objects.filter(point=OuterRef("point")).order_by("-date").values("date")[:1]
    )
    links = (
        PatrolLink.objects.filter(point__is_active=True)
        .annotate(patrolled=Subquery(latest_patrol), last=Subquery(latest_check))
        .filter(patrolled__isnull=False)
        .select_related("point")
    )
    recorded = 0
    for link in links:
        day = min(timezone.localdate(link.patrolled), today)
        if link.last is None or day > link.last:
            risk_services.record_check(
                link.point, actor=None, date=day, today=today, note=_("巡查点位已巡查")
            )
            recorded += 1
    return recorded

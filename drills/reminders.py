"""The drills' reminder scans, each run by its task with the clock's time passed in:

- ``remind_drills_due(today)``: a school whose month (kindergarten: quarter) still owes
  evacuation drills by ``selectors.drill_compliance`` — the same function as the compliance
  pages — is reminded from ``NOTIFY_DRILL_REMINDER_DAY`` of the period's last month; the
  period key makes a second run a no-op, and a missed run is caught up the next day.
- ``remind_planned_drills(today)``: a planned drill a few days before its day, and once
  missed, by the same ``drill_compliance`` (run by the drills-due task).
- ``remind_plan_reviews(today)``: the yearly review of a current plan version, from
  ``PLAN_REVIEW_REMIND_DAYS_BEFORE`` days before its approval's anniversary, once a year.
- ``escalate_incident_deadlines(now)``: a missed report deadline of an incident is escalated
  to the bureau and the school exactly once (``IncidentEscalation`` is unique per stage).

Each returns how many new inbox rows (escalations) it wrote.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Kind
from notifications.services import bureau_people, notify, school_people
from schools.models import School

from . import services
from .models import (
    EmergencyPlan,
    Incident,
    IncidentAction,
    IncidentEscalation,
    PlannedDrill,
    PlanVersion,
)
from .selectors import MISSED, OPEN, UPCOMING, Cell, drill_compliance, period_of, plan_statuses


def remind_drills_due(today: datetime.date) -> int:
    """Remind the officers and principal of each active school whose current period is
    still open (owed drills not all held) once its last month reaches the reminder day."""
    schools = list(School.objects.active().order_by("id"))
    due = [
        s
        for s in schools
        if today.month == period_of(s, today).end.month
        and today.day >= settings.NOTIFY_DRILL_REMINDER_DAY
    ]
    compliance = drill_compliance(due, today, today, today=today)
    count = 0
    for school in due:
        cell = compliance[school.pk].cells[0]
        if cell.status == OPEN:
            count += _remind_drill(school, cell)
    return count


def _remind_drill(school: School, cell: Cell) -> int:
    first, last = cell.period.start, cell.period.end

    def text() -> str:
        rule = _("幼儿园每季度至少1次") if school.is_kindergarten else _("中小学每月至少1次")
        return _(
            "%(school)s在%(first)s至%(last)s期间已完成应急疏散演练%(done)d次，应完成%(required)d次（%(rule)s），请于%(last)s前组织并登记。"
        ) % {
            "school": school,
            "first": first,
            "last": last,
            "rule": rule,
            "done": cell.done,
            "required": cell.required,
        }

    return len(
        notify(
            school_people(school, User.SCHOOL_MANAGER_ROLES),
            kind=Kind.DRILL_DUE,
            subject=school,
            period=cell.period.key,
            title=lambda: _("应急疏散演练提醒：%(school)s") % {"school": school},
            body=text,
            school=school,
        ).notifications
    )


def remind_planned_drills(today: datetime.date) -> int:
    """Tell the school's managers about each planned drill ``DRILL_PLAN_REMIND_DAYS_BEFORE``
    days before its day (until the day), and once it was missed (within
    ``DRILL_PLAN_MISSED_WINDOW_DAYS`` after its day, so a late run still tells). Done or
    missed is ``drill_compliance``'s answer (through ``plan_statuses``); each plan is told
    once per stage."""
    soon = today + datetime.timedelta(days=settings.DRILL_PLAN_REMIND_DAYS_BEFORE)
    since = today - datetime.timedelta(days=settings.DRILL_PLAN_MISSED_WINDOW_DAYS)
    plans = list(
        PlannedDrill.objects.filter(planned_on__range=(since, soon), school__is_active=True)
        .select_related("school")
        .order_by("planned_on", "id")
    )
    statuses = plan_statuses(plans, today)
    count = 0
    for plan in plans:
        status = statuses[plan.pk].status
        if status == UPCOMING and plan.planned_on >= today:
            count += _tell_plan(plan, Kind.DRILL_PLANNED, "before")
        elif status == MISSED:
            count += _tell_plan(plan, Kind.DRILL_PLAN_MISSED, "missed")
    return count


def _tell_plan(plan: PlannedDrill, kind: str, stage: str) -> int:
    # Callables: each reader gets the texts in their own language.
    def values() -> dict:
        night = _("（夜间）") if plan.is_night else ""
        return {"school": plan.school, "day": plan.planned_on, "night": night,
                "type": plan.get_drill_type_display()}  # fmt: skip

    def title() -> str:
        if stage == "before":
            return _("计划演练将至：%(school)s") % values()
        return _("计划演练未完成：%(school)s") % values()

    def body() -> str:
        if stage == "before":
            return (
                _("%(day)s 计划开展%(type)s演练%(night)s，请做好准备，演练后及时登记。") % values()
            )
        return _("%(day)s 计划的%(type)s演练%(night)s尚未登记，请尽快组织补做并登记。") % values()

    return len(
        notify(
            school_people(plan.school, User.SCHOOL_MANAGER_ROLES),
            kind=kind,
            subject=plan,
            period=stage,
            title=title,
            body=body,
            url=reverse("drill-schedule") + f"?school={plan.school_id}",
            school=plan.school,
        ).notifications
    )


def remind_plan_reviews(today: datetime.date) -> int:
    """Tell each current plan's owner (else the school's managers) that its yearly review
    is due within ``PLAN_REVIEW_REMIND_DAYS_BEFORE`` days or overdue; once per plan and
    review year."""
    soon = today + datetime.timedelta(days=settings.PLAN_REVIEW_REMIND_DAYS_BEFORE)
    count = 0
    plans = EmergencyPlan.objects.filter(school__is_active=True).with_versions()
    for plan in plans.order_by("id"):
        current = plan.current_version
        if current is None:
            continue
        review = current.approved_on + datetime.timedelta(days=settings.PLAN_REVIEW_DAYS)
        if review <= soon:
            count += _remind_review(plan, current, review)
    return count


def _remind_review(plan: EmergencyPlan, version: PlanVersion, review: datetime.date) -> int:
    people = [plan.owner] if plan.owner else school_people(plan.school, User.SCHOOL_MANAGER_ROLES)
    return len(
        notify(
            people,
            kind=Kind.PLAN_REVIEW,
            subject=plan,
            period=f"v{version.number}:{review:%Y}",
            title=lambda: _("应急预案年度评审：%(plan)s") % {"plan": plan},
            body=lambda: (
                _(
                    "现行版本（第%(number)d版）于%(approved)s审批，请于%(review)s前完成年度评审并上传修订版本。"
                )
                % {"number": version.number, "approved": version.approved_on, "review": review}
            ),
            url=plan.get_absolute_url(),
            school=plan.school,
        ).notifications
    )


def escalate_incident_deadlines(now: datetime.datetime) -> int:
    """Escalate each missed report deadline of open incidents (a late initial report
    included) once: an ``IncidentEscalation`` row, a timeline entry, and a message to the
    bureau and the school's managers. Returns the number of escalations."""
    count = 0
    for incident in Incident.objects.filter(status=Incident.Status.OPEN).select_related("school"):
        done = set(incident.escalations.values_list("stage", flat=True))
        for stage, deadline in services.incident_deadlines(incident).items():
            made = services.stage_done_at(incident, stage)
            late = (made or now) > deadline
            if stage not in done and late and deadline <= now:
                count += _escalate(incident, stage, deadline, now)
    return count


def _escalate(
    incident: Incident, stage: str, deadline: datetime.datetime, now: datetime.datetime
) -> int:
    try:
        with transaction.atomic():
            IncidentEscalation.objects.create(
                incident=incident, stage=stage, deadline=deadline, escalated_at=now
            )
    except IntegrityError:  # another run escalated it meanwhile
        return 0
    names = {"initial": _("初报"), "written": _("书面报告"), "closure": _("结案")}
    label = names[stage]
    IncidentAction.objects.create(
        incident=incident, at=now, text=_("%(stage)s逾期，已督办") % {"stage": label}
    )
    people = [*bureau_people(), *school_people(incident.school, User.SCHOOL_MANAGER_ROLES)]
    notify(
        people,
        kind=Kind.INCIDENT_OVERDUE,
        subject=incident,
        period=stage,
        title=lambda: (
            _("事故%(stage)s逾期：%(incident)s") % {"stage": names[stage], "incident": incident}
        ),
        body=lambda: (
            _("%(stage)s期限为%(deadline)s，已逾期，请立即处理。")
            % {"stage": names[stage], "deadline": f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}"}
        ),
        url=incident.get_absolute_url(),
        school=incident.school,
    )
    return 1

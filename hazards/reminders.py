"""The hazard ledger's reminder scans: deadlines approaching and the overdue escalation
ladder (owner → principal → 包校干部 → 联校领导).

Each scan takes ``today`` (a date on the Beijing calendar; the task asks the clock) and
returns how many new inbox rows it wrote. Texts go to ``notify`` as callables, so each
reader gets them in their own language. Each is safe to run any number of times a day: the
period key of each reminder makes a second run a no-op, and a run missed by beat is caught
up the next day because windows, not exact days, are checked.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications import webhooks
from notifications.models import Kind
from notifications.services import assignment_holders, notify, school_people
from schools.models import SchoolAssignment

from .models import Hazard
from .services import webhook_hazard

R = User.Role
ESCALATION_STEPS = ("owner", "principal", "cadre", "leader")


def _hazard_message(hazard: Hazard, text: Callable[[], str]) -> dict[str, Any]:
    """``text``: a callable rendering the body (see ``notify``)."""
    return {
        "subject": hazard,
        "school": hazard.school,
        "body": text,
        "url": reverse("hazard-detail", args=[hazard.pk]),
    }


def owner(hazard: Hazard) -> list[User]:
    """The rectification owner: the responsible person, else the school's safety officers."""
    if hazard.responsible and hazard.responsible.is_active:
        return [hazard.responsible]
    return school_people(hazard.school, [R.SCHOOL_OFFICER])


# --- deadline approaching -------------------------------------------------------------


def remind_deadlines(today: datetime.date) -> int:
    """Remind the owner of each assigned hazard whose deadline is 0…N days after ``today``,
    once per threshold of ``NOTIFY_DEADLINE_DAYS_BEFORE`` (e.g. 3 and 1 days before)."""
    thresholds = sorted(settings.NOTIFY_DEADLINE_DAYS_BEFORE)
    last = today + datetime.timedelta(days=thresholds[-1])
    hazards = (
        Hazard.objects.due_between(today, last)
        .select_related("school", "responsible")
        .order_by("deadline", "id")
    )
    count = 0
    for hazard in hazards:
        days_left = (hazard.deadline - today).days
        threshold = next(n for n in thresholds if n >= days_left)
        count += _remind_deadline(hazard, days_left, threshold)
    return count


def _remind_deadline(hazard: Hazard, days_left: int, threshold: int) -> int:
    def text() -> str:
        return _(
            "%(school)s的隐患“%(title)s”整改期限为%(deadline)s，还剩%(days)d天，请按期完成整改并提交验收。"
        ) % {
            "school": hazard.school,
            "title": hazard.title,
            "deadline": hazard.deadline,
            "days": days_left,
        }

    return len(
        notify(
            owner(hazard),
            kind=Kind.DEADLINE,
            period=f"{hazard.deadline}:{threshold}d",
            title=lambda: _("整改期限将至：%(title)s") % {"title": hazard.title},
            **_hazard_message(hazard, text),
        ).notifications
    )


# --- overdue escalation ladder --------------------------------------------------------


def escalation_recipients(hazard: Hazard, step: str, today: datetime.date) -> list[User]:
    """Who is told at ``step`` (one of ``ESCALATION_STEPS``): the owner, the school's
    principal, the cadre who holds the school (包校干部), the bureau leader linked to it
    (联校领导), the last two as assigned on ``today``."""
    if step == "owner":  # and the supervising leader (挂牌督办) from the first day
        leader = hazard.supervising_leader
        return owner(hazard) + ([leader] if leader is not None else [])
    if step == "principal":
        return school_people(hazard.school, [R.PRINCIPAL])
    kind = SchoolAssignment.Kind.CADRE if step == "cadre" else SchoolAssignment.Kind.LEADER
    return assignment_holders(hazard.school, kind, today)


def escalate_overdue(today: datetime.date) -> int:
    """For each hazard overdue on ``today``, notify every step of the ladder whose threshold
    (``NOTIFY_ESCALATION_DAYS``, days overdue) has passed, each step once per deadline
    (a new deadline after a rejected rectification starts the ladder again)."""
    ladder = settings.NOTIFY_ESCALATION_DAYS
    count = 0
    for hazard in (
        Hazard.objects.overdue(today)
        .select_related("school", "responsible", "supervising_leader")
        .order_by("deadline", "id")
    ):
        days = (today - hazard.deadline).days
        _emit_overdue(hazard, today)
        for step in ESCALATION_STEPS:
            if days >= ladder[step]:
                count += _escalate(hazard, step, days, today)
    return count


def _emit_overdue(hazard: Hazard, today: datetime.date) -> None:
    """The ``hazard.overdue`` webhook event, once per hazard and deadline."""
    webhooks.emit(
        "hazard.overdue",
        {"hazard": webhook_hazard(hazard), "overdue_since": str(hazard.deadline)},
        key=f"hazard:{hazard.pk}:{hazard.deadline}",
        at=timezone.make_aware(datetime.datetime.combine(today, datetime.time.min)),
        school_id=hazard.school_id,
        department_id=hazard.department_id,
    )


def _escalate(hazard: Hazard, step: str, days: int, today: datetime.date) -> int:
    def text() -> str:
        return _(
            "%(school)s的隐患“%(title)s”（%(level)s）整改期限为%(deadline)s，已逾期%(days)d天，请督促整改。"
        ) % {
            "school": hazard.school,
            "title": hazard.title,
            "level": hazard.get_level_display(),
            "deadline": hazard.deadline,
            "days": days,
        }

    return len(
        notify(
            escalation_recipients(hazard, step, today),
            kind=Kind.OVERDUE,
            period=f"{hazard.deadline}:{step}",
            title=lambda: _("隐患逾期督办：%(title)s") % {"title": hazard.title},
            **_hazard_message(hazard, text),
        ).notifications
    )

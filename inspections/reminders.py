"""The inspections' reminder scan: inspections due soon go to their inspecting side, and
planned dates passed unsubmitted to the bureau staff.

``remind_inspections_due`` takes ``today`` (a date on the Beijing calendar; the task asks
the clock) and returns how many new inbox rows it wrote; a second run the same day is a
no-op (each reminder's period is the planned date), and a missed run is caught up the
next day because a window of days, not one exact day, is checked.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Kind
from notifications.services import bureau_staff_people, notify, school_people

from .models import Inspection

INSPECTION_DUE = Kind.INSPECTION_DUE
INSPECTION_OVERDUE = Kind.INSPECTION_OVERDUE


def inspecting_side(inspection: Inspection) -> list[User]:
    """Who carries out ``inspection``: for a cross inspection the officers and principal of
    the inspecting school, for a self inspection those of the inspected school, for a joint
    inspection or a spot check its leader, else the bureau staff."""
    kind = Inspection.Kind
    if inspection.kind == kind.CROSS and inspection.inspecting_school is not None:
        return school_people(inspection.inspecting_school, User.SCHOOL_MANAGER_ROLES)
    if inspection.kind == kind.SELF:
        return school_people(inspection.school, User.SCHOOL_MANAGER_ROLES)
    if (
        inspection.kind in (kind.JOINT, kind.SPOT)
        and inspection.leader
        and inspection.leader.is_active
    ):
        return [inspection.leader]
    return bureau_staff_people()


def _inspection_message(
    inspection: Inspection, title: Callable[[], str], text: Callable[[], str]
) -> dict[str, Any]:
    """``title`` and ``text``: callables rendering the texts (see ``notify``)."""
    return {
        "subject": inspection,
        "school": inspection.school,
        "title": title,
        "body": text,
        "url": reverse("inspection-detail", args=[inspection.pk]),
    }


def remind_inspections_due(today: datetime.date) -> int:
    """Remind the inspecting side of each planned or started inspection dated ``today`` or
    within ``NOTIFY_INSPECTION_DAYS_BEFORE`` days, and tell the bureau staff of each one
    whose date has passed unsubmitted; each once per planned date (a rescheduled one is
    told again)."""
    open_ = Inspection.objects.open()
    last = today + datetime.timedelta(days=settings.NOTIFY_INSPECTION_DAYS_BEFORE)
    related = ("school", "inspecting_school", "leader")
    count = 0
    for inspection in (
        open_.filter(date__range=(today, last)).select_related(*related).order_by("date", "id")
    ):
        count += _remind_inspection(inspection, today)
    for inspection in open_.overdue(today).select_related(*related).order_by("date", "id"):
        count += _escalate_inspection(inspection, today)
    return count


def _remind_inspection(inspection: Inspection, today: datetime.date) -> int:
    def text() -> str:
        return _(
            "%(kind)s“%(title)s”（受检学校：%(school)s）计划于%(date)s进行，还剩%(days)d天，请做好准备并按时完成检查。"
        ) % {
            "kind": inspection.get_kind_display(),
            "title": inspection.title,
            "school": inspection.school,
            "date": inspection.date,
            "days": (inspection.date - today).days,
        }

    def title() -> str:
        return _("检查即将进行：%(title)s") % {"title": inspection.title}

    return len(
        notify(
            inspecting_side(inspection),
            kind=INSPECTION_DUE,
            period=str(inspection.date),
            **_inspection_message(inspection, title, text),
        ).notifications
    )


def _escalate_inspection(inspection: Inspection, today: datetime.date) -> int:
    def text() -> str:
        return _(
            "%(kind)s“%(title)s”（受检学校：%(school)s）计划于%(date)s进行，已过期%(days)d天仍未提交，请督促。"
        ) % {
            "kind": inspection.get_kind_display(),
            "title": inspection.title,
            "school": inspection.school,
            "date": inspection.date,
            "days": (today - inspection.date).days,
        }

    def title() -> str:
        return _("检查逾期未提交：%(title)s") % {"title": inspection.title}

    return len(
        notify(
            bureau_staff_people(),
            kind=INSPECTION_OVERDUE,
            period=str(inspection.date),
            **_inspection_message(inspection, title, text),
        ).notifications
    )

"""The drills' reminder scan: a school with no evacuation drill yet in its month (a
kindergarten: its quarter) is reminded near the period's end (教基一厅〔2014〕2号).

``remind_drills_due`` takes ``today`` (a date on the Beijing calendar; the task asks the
clock) and returns how many new inbox rows it wrote; the period key (month or quarter)
makes a second run a no-op, and a missed run is caught up the next day.
"""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Kind
from notifications.services import notify, school_people
from schools.models import School

from .models import Drill


def drill_period(school: School, today: datetime.date) -> tuple[datetime.date, datetime.date, str]:
    """(first day, last day, key) of the period in which ``school`` owes an evacuation
    drill: the month for primary and secondary schools, the quarter for kindergartens
    (教基一厅〔2014〕2号)."""
    if school.is_kindergarten:
        quarter = (today.month - 1) // 3
        first = datetime.date(today.year, quarter * 3 + 1, 1)
        key = f"{today.year}-Q{quarter + 1}"
    else:
        first, key = today.replace(day=1), f"{today:%Y-%m}"
    months = 3 if school.is_kindergarten else 1
    next_first = datetime.date(
        first.year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1
    )
    return first, next_first - datetime.timedelta(days=1), key


def remind_drills_due(today: datetime.date) -> int:
    """From ``NOTIFY_DRILL_REMINDER_DAY`` of the period's last month, remind the officers and
    principal of each active school with no drill yet in its month (quarter)."""
    count = 0
    for school in School.objects.active().order_by("id"):
        first, last, key = drill_period(school, today)
        if today.month != last.month or today.day < settings.NOTIFY_DRILL_REMINDER_DAY:
            continue
        if Drill.objects.filter(school=school, date__range=(first, last)).exists():
            continue
        count += _remind_drill(school, first, last, key)
    return count


def _remind_drill(school: School, first: datetime.date, last: datetime.date, key: str) -> int:
    def text() -> str:
        rule = _("幼儿园每季度至少1次") if school.is_kindergarten else _("中小学每月至少1次")
        return _(
            "%(school)s在%(first)s至%(last)s期间尚未记录应急疏散演练（%(rule)s），请于%(last)s前组织并登记。"
        ) % {"school": school, "first": first, "last": last, "rule": rule}

    return len(
        notify(
            school_people(school, User.SCHOOL_MANAGER_ROLES),
            kind=Kind.DRILL_DUE,
            subject=school,
            period=key,
            title=lambda: _("应急疏散演练提醒：%(school)s") % {"school": school},
            body=text,
            school=school,
        ).notifications
    )

"""The safety-education calendar's reminder scan: in the week before each national safety
date (domain-rules §5) the schools' officers and principals and the bureau staff are asked
to plan the day's themed education (主题教育、国旗下讲话、演练) and record it.

``remind_safety_dates`` takes ``today`` (a date on the Beijing calendar; the task asks the
clock) and returns how many new inbox rows it wrote; each date is reminded once (its
period is the date), and a missed run is caught up the next day within the week.
"""

import datetime

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Kind
from notifications.services import bureau_people, notify

from .calendar import last_monday_of_march, safety_dates  # noqa: F401  (the dates' one home)


def remind_safety_dates(today: datetime.date) -> int:
    """In the week before each national safety date, remind every school's officers and
    principal and the bureau staff, once per date."""
    lead = datetime.timedelta(days=settings.NOTIFY_SAFETY_DATE_DAYS_BEFORE)
    count = 0
    for key, date, name in safety_dates(today.year):
        if date - lead <= today < date:
            count += _remind_safety_date(key, date, name)
    return count


def _remind_safety_date(key: str, date: datetime.date, name: Promise) -> int:
    people = list(User.objects.school_managers().order_by("id"))
    people += bureau_people()

    def text() -> str:
        return _(
            "%(date)s是%(name)s，请提前安排主题教育、国旗下讲话或应急演练等活动，并在系统中登记。"
        ) % {"date": date, "name": name}

    return len(
        notify(
            people,
            kind=Kind.SAFETY_DATE,
            subject=f"safety_date:{key}",
            period=str(date),
            title=lambda: _("%(name)s将至（%(date)s）") % {"name": name, "date": date},
            body=text,
        ).notifications
    )

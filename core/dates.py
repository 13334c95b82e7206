"""Date rules shared by the apps that record what already happened (drills, education)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError


def check_not_future(date: datetime.date):
    """Raise ``DomainError`` on ``date`` (field ``date``) when it lies after today
    (Asia/Shanghai): records are of what already happened."""
    if date > timezone.localdate():
        message = _("日期不能晚于今天。")
        raise DomainError(message, field_errors={"date": [message]})


def day_start(day: datetime.date) -> datetime.datetime:
    """The aware first instant of ``day`` on the Beijing calendar (``TIME_ZONE``): a date
    filter compares a timestamp column with it (``reported_at >= day_start(d)``), so the
    column's index serves the filter (a ``reported_at::date`` cast would not)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

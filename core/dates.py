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

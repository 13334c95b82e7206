"""The bullying-investigation timer (教督〔2017〕10号: investigation done within 10 days):
two days before an open case's deadline, and on the day after it, the school's managers and
counsellors (the 学生欺凌治理委员会) are told, once each (period ``due:`` / ``overdue:`` and
the deadline). ``remind_bullying_deadlines(today)`` returns the number of new inbox rows."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Kind
from notifications.services import notify

from .models import BullyingCase

DAYS_BEFORE = 2


def remind_bullying_deadlines(today: datetime.date) -> int:
    soon = today + datetime.timedelta(days=DAYS_BEFORE)
    cases = BullyingCase.objects.open().filter(deadline__lte=soon).select_related("school")
    count = 0
    for case in cases:
        stage = "overdue" if case.is_overdue(today) else "due"
        count += _remind(case, stage)
    return count


def _remind(case: BullyingCase, stage: str) -> int:
    people = User.objects.filter(is_active=True, schools=case.school_id).filter(
        Q(role__in=User.SCHOOL_MANAGER_ROLES) | Q(role=User.Role.COUNSELLOR)
    )
    deadline, pk = case.deadline, case.pk

    def title() -> str:
        if stage == "overdue":
            return _("欺凌事件 #%(id)s 调查已超期（期限 %(date)s）") % {"id": pk, "date": deadline}
        return _("欺凌事件 #%(id)s 调查将于 %(date)s 到期") % {"id": pk, "date": deadline}

    return len(
        notify(
            people,
            kind=Kind.BULLYING_DUE,
            subject=case,
            period=f"{stage}:{deadline}",
            school=case.school,
            title=title,
            body=lambda: _("请学生欺凌治理委员会按时完成调查认定，并在系统中录入结论。"),
        ).notifications
    )

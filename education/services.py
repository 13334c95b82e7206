"""Writes of the education app: safety education activities and counselling sessions."""

import datetime

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.dates import check_not_future
from core.exceptions import DomainError, NotPermitted
from schools.models import School

from .models import CounsellingSession, EducationActivity


def record_activity(
    school: School,
    *,
    actor: User,
    kind: str,
    title: str,
    date: datetime.date,
    topic: str = EducationActivity.Topic.GENERAL,
    participants: int | None = 0,
) -> EducationActivity:
    """Record one safety education activity at ``school`` on ``date`` (not after today,
    Beijing calendar); returns it. ``kind``, ``topic``: ``EducationActivity.Kind`` and
    ``Topic`` values.

    Raises ``NotPermitted`` without ``education.record_activity`` for the school,
    ``DomainError`` (field ``date``) for a future date. ``participants`` is a head count.
    """
    if not actor.has_perm("education.record_activity", school):
        raise NotPermitted(_("您没有登记本校安全教育活动的权限。"))
    check_not_future(date)
    return EducationActivity.objects.create(
        school=school,
        kind=kind,
        topic=topic,
        title=title,
        date=date,
        participants=participants or 0,
        recorded_by=actor,
    )


def record_counselling(
    school: School,
    *,
    actor: User,
    kind: str,
    date: datetime.date,
    student_code: str | None = "",
    participants: int | None = None,
    notes: str | None = "",
) -> CounsellingSession:
    """Record one counselling session held by ``actor`` (a counsellor of ``school``).

    ``kind``: a ``CounsellingSession.Kind`` value; ``date`` not after today (Beijing).
    Individual: one student, ``student_code`` (a pseudonymous code, never a name) required,
    participants is 1. Group: ``student_code`` is dropped, participants at least 2.
    Raises ``NotPermitted`` without ``education.record_counselling`` for the school, or
    ``DomainError`` with field errors (date, student_code, participants).
    """
    if not actor.has_perm("education.record_counselling", school):
        raise NotPermitted(_("只有本校心理教师可以登记心理辅导记录。"))
    check_not_future(date)
    student_code, participants = _counselling_shape(
        kind, (student_code or "").strip(), participants
    )
    return CounsellingSession.objects.create(
        school=school,
        kind=kind,
        date=date,
        counsellor=actor,
        student_code=student_code,
        participants=participants,
        notes=notes or "",
    )


def _counselling_shape(kind: str, student_code: str, participants: int | None) -> tuple[str, int]:
    """(student_code, participants) for ``kind``, or ``DomainError`` naming the field."""
    if kind == CounsellingSession.Kind.INDIVIDUAL:
        if not student_code:
            message = _("个体辅导须填写学生编号。")
            raise DomainError(message, field_errors={"student_code": [message]})
        if participants not in (None, 1):
            message = _("个体辅导的参加人数为 1。")
            raise DomainError(message, field_errors={"participants": [message]})
        return student_code, 1
    if participants is None or participants < 2:
        message = _("团体辅导的参加人数至少为 2。")
        raise DomainError(message, field_errors={"participants": [message]})
    return "", participants

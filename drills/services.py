"""Writes of the drills app: recording a drill (应急演练) for one school."""

import datetime

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.dates import check_not_future
from core.exceptions import NotPermitted
from schools.models import School

from .models import Drill


def record_drill(
    school: School,
    *,
    actor: User,
    drill_type: str,
    date: datetime.date,
    mode: str = Drill.Mode.ANNOUNCED,
    student_participants: int | None = 0,
    staff_participants: int | None = 0,
    evacuation_seconds: int | None = None,
    notes: str | None = "",
) -> Drill:
    """Record one drill held at ``school`` on ``date`` (a past or today's date on the Beijing
    calendar); returns it. ``drill_type``, ``mode``: ``Drill.DrillType``, ``Drill.Mode``
    values; None for a count or the notes is stored as 0 or "".

    Raises ``NotPermitted`` without ``drills.record_drill`` for this school, ``DomainError``
    (field ``date``) for a future date. Participants are head counts, evacuation in seconds.
    """
    if not actor.has_perm("drills.record_drill", school):
        raise NotPermitted(_("您没有登记本校应急演练的权限。"))
    check_not_future(date)
    return Drill.objects.create(
        school=school,
        drill_type=drill_type,
        mode=mode,
        date=date,
        student_participants=student_participants or 0,
        staff_participants=staff_participants or 0,
        evacuation_seconds=evacuation_seconds,
        notes=notes or "",
        recorded_by=actor,
    )

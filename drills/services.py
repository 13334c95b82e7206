"""Writes of the drills app: recording a drill (应急演练) for one school."""

from django.utils.translation import gettext_lazy as _

from core.dates import check_not_future
from core.exceptions import NotPermitted

from .models import Drill


def record_drill(
    school,
    *,
    actor,
    drill_type,
    date,
    mode=Drill.Mode.ANNOUNCED,
    student_participants=0,
    staff_participants=0,
    evacuation_seconds=None,
    notes="",
) -> Drill:
    """Record one drill held at ``school`` on ``date`` (a past or today's date); returns it.

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

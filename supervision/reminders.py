"""The supervision's reminder scans, run every few minutes by ``supervision.tasks``:

- ``alert_missing_checkins(now)``: on a school day, at a class's cut-off (dismissal + 90
  min by default; the dorm bell + 30 min for 查寝) the homeroom teacher is told which
  students are still "not yet"; ``SUPERVISION_ESCALATE_AFTER_MINUTES`` later the school's
  officer and principal (查寝: the officer) get the names still missing with the guardians'
  phones (安全信息通报, domain-rules P4/P5, I2).
- ``remind_missed_patrols(now)``: a roster line not done by its end plus
  ``SUPERVISION_PATROL_GRACE_MINUTES`` is recorded missed and its patroller reminded; the
  officer and principal ``SUPERVISION_PATROL_ESCALATE_MINUTES`` later.

Each alert goes out once per class (so once per student) and day: the roll's stamp is set
under a row lock (``select_for_update``), and ``notify``'s unique (recipient, kind, subject,
period) is a second guard; a second run or a second worker sends nothing. Nothing is due on
a day that is not a school day of the school (``schools.calendar``, on the Beijing date).
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.models import Kind
from notifications.services import notify, school_people
from schools.calendar import school_days_by_school
from schools.models import School, SchoolClass, Student

from .models import Patrol, PatrolSlot, Roll, RollKind
from .selectors import class_cutoffs, unaccounted

MANAGERS = (User.Role.SCHOOL_OFFICER, User.Role.PRINCIPAL)
ESCALATE_TO: dict[str, tuple[str, ...]] = {
    RollKind.HOME: MANAGERS,
    RollKind.DORM: (User.Role.SCHOOL_OFFICER,),
}


def _schools_in_session(day: datetime.date) -> list[int]:
    ids = list(School.objects.active().values_list("id", flat=True))
    return [sid for sid, days in school_days_by_school(ids, day, day).items() if days == [day]]


def alert_missing_checkins(now: datetime.datetime) -> int:
    """Send the cut-off alerts due at ``now`` (aware). Returns how many inbox rows it
    wrote."""
    day = timezone.localdate(now)
    school_ids = _schools_in_session(day)
    classes = list(
        SchoolClass.objects.filter(school_id__in=school_ids, is_active=True).select_related(
            "school", "homeroom_teacher"
        )
    )
    escalate = datetime.timedelta(minutes=settings.SUPERVISION_ESCALATE_AFTER_MINUTES)
    sent = 0
    # Rolls whose stages are already stamped are skipped without touching them.
    stamped = {
        (r.school_class_id, r.kind): r
        for r in Roll.objects.filter(date=day, school_id__in=school_ids)
    }
    for kind in RollKind.values:
        # 查寝 is for the boarding classes only.
        due = [c for c in classes if kind == RollKind.HOME or c.is_boarding]
        cutoffs = class_cutoffs(due, kind, day)
        for school_class in due:
            cutoff = cutoffs.get(school_class.pk)
            if cutoff is None or now < cutoff:
                continue
            roll = stamped.get((school_class.pk, kind))
            stages = ["teacher_alerted_at"] + (["escalated_at"] if now >= cutoff + escalate else [])
            for stage in stages:
                if roll is None or getattr(roll, stage) is None:
                    sent += _alert(school_class, day, kind, stage, now)
    return sent


def _alert(
    school_class: SchoolClass, day: datetime.date, kind: str, stamp: str, now: datetime.datetime
) -> int:
    """One stage of one roll's alert, once: the stamp is checked and set under the roll's
    lock; the teacher's stage also records how many were unaccounted for at the cut-off."""
    with transaction.atomic():
        roll, _created = Roll.objects.get_or_create(
            school_class=school_class, date=day, kind=kind,
            defaults={"school_id": school_class.school_id},
        )  # fmt: skip
        roll = Roll.objects.select_for_update().get(pk=roll.pk)
        if getattr(roll, stamp) is not None:
            return 0
        missing = unaccounted(school_class, day, kind)
        setattr(roll, stamp, now)
        fields = [stamp]
        if stamp == "teacher_alerted_at":
            roll.unaccounted_at_cutoff = len(missing)
            fields.append("unaccounted_at_cutoff")
        roll.save(update_fields=fields)
        if not missing:
            return 0
        if stamp == "teacher_alerted_at":
            recipients: list[User | None] = [school_class.homeroom_teacher]
            body = _teacher_text(school_class, day, kind, missing)
        else:
            recipients = list(school_people(school_class.school, ESCALATE_TO[kind]))
            body = _escalation_text(school_class, day, kind, missing)
        return len(
            notify(
                recipients,
                kind=Kind.CHECKIN_MISSING,
                subject=roll,
                period=f"{day}:{stamp}",
                title=lambda: (
                    _("%(class)s %(kind)s：%(n)d 名学生未报平安")
                    % {"class": school_class, "kind": RollKind(kind).label, "n": len(missing)}
                ),
                body=body,
                url=f"/supervision/checkins/{school_class.pk}/?date={day}&kind={kind}",
                school=school_class.school,
            ).notifications
        )


def _teacher_text(
    school_class: SchoolClass, day: datetime.date, kind: str, missing: list[Student]
) -> Callable[[], str]:
    names = "、".join(s.name for s in missing)
    return lambda: (
        _("%(day)s %(class)s 截止时仍未报平安的学生：%(names)s。请尽快联系家长核实。")
        % {"day": day, "class": school_class, "names": names}
    )


def _escalation_text(
    school_class: SchoolClass, day: datetime.date, kind: str, missing: list[Student]
) -> Callable[[], str]:
    lines = "\n".join(
        f"{s.name}（{s.guardian_name or '—'} {s.guardian_phone or '—'}）" for s in missing
    )
    return lambda: (
        _("%(day)s %(class)s（班主任：%(teacher)s）截止后仍有学生未报平安，请学校跟进：\n%(lines)s")
        % {
            "day": day,
            "class": school_class,
            "teacher": school_class.homeroom_teacher or "—",
            "lines": lines,
        }
    )


def remind_missed_patrols(now: datetime.datetime) -> int:
    """Record as missed the patrol slots of today past their end plus the grace and not
    done; remind the patroller, then (later) the officer and principal. Returns how many
    inbox rows it wrote."""
    day = timezone.localdate(now)
    later = datetime.timedelta(minutes=settings.SUPERVISION_PATROL_ESCALATE_MINUTES)
    slots = PatrolSlot.objects.filter(
        school_id__in=_schools_in_session(day), is_active=True
    ).select_related("school", "patroller")
    sent = 0
    for slot in slots:
        if not slot.runs_on_weekday(day) or now < slot.missed_from(day):
            continue
        patrol = _mark_missed(slot, day)
        if patrol is None:
            continue
        sent += _remind(slot, patrol, day, [slot.patroller], "patroller")
        if now >= slot.missed_from(day) + later:
            sent += _remind(slot, patrol, day, school_people(slot.school, MANAGERS), "officer")
    return sent


def _mark_missed(slot: PatrolSlot, day: datetime.date) -> Patrol | None:
    """The slot's patrol of ``day`` marked missed unless it is done or under way (None)."""
    with transaction.atomic():
        patrol, _created = Patrol.objects.get_or_create(
            slot=slot, date=day,
            defaults=dict(school_id=slot.school_id, status=Patrol.Status.MISSED),
        )  # fmt: skip
        return patrol if patrol.status == Patrol.Status.MISSED else None


def _remind(
    slot: PatrolSlot, patrol: Patrol, day: datetime.date, recipients: list, stage: str
) -> int:
    return len(
        notify(
            recipients,
            kind=Kind.PATROL_MISSED,
            subject=patrol,
            period=f"{day}:{stage}",
            title=lambda: (
                _("漏巡提醒：%(school)s %(slot)s") % {"school": slot.school, "slot": slot}
            ),
            body=lambda: (
                _(
                    "%(day)s 的巡查班次“%(slot)s”（巡查人：%(who)s）"
                    "已过结束时间仍未完成，请尽快补巡并登记。"
                )
                % {"day": day, "slot": slot, "who": slot.patroller}
            ),
            url=f"/supervision/patrols/slots/{slot.pk}/",
            school=slot.school,
        ).notifications
    )

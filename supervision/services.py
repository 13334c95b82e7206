"""Every write of key-period supervision: check-in marks (到家报平安, 查寝) and patrols.

Each function takes the actor and the time from the caller (``now``: an aware datetime;
the day is its Beijing date unless given), checks the permission and the school calendar,
and raises ``core.exceptions`` errors: ``NotPermitted`` (403), ``DomainError`` with field
messages (400) for an unknown student, a day that is not a school day, a point of another
slot… Nothing is written when it raises.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import tablib
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError, NotPermitted
from hazards.models import Hazard
from hazards.services import report_hazard
from schools.calendar import is_school_day
from schools.models import School, SchoolClass, Student

from .models import (
    CheckIn,
    Patrol,
    PatrolCheck,
    PatrolPoint,
    PatrolProblem,
    PatrolSlot,
    Roll,
    RollKind,
)
from .resources import StudentResource, TextWidget, row_errors, template_dataset
from .selectors import roll_students


def _require(actor: User, perm: str, obj: object) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted()


def check_school_day(
    school_class_or_slot: SchoolClass | PatrolSlot, day: datetime.date, now: datetime.datetime
) -> None:
    """DomainError (field ``date``) unless ``day`` is a school day of the school, not after
    today (Beijing date of ``now``)."""
    if day > timezone.localdate(now):
        raise DomainError(
            _("不能填报将来的日期。"), field_errors={"date": [_("不能填报将来的日期。")]}
        )
    if not is_school_day(school_class_or_slot.school, day):
        message = _("%(day)s 不是本校的上学日（不在学期内或为节假日）。") % {"day": day}
        raise DomainError(message, field_errors={"date": [message]})


def add_patrol_point(
    school: School, *, actor: User | None, name: str, kind: str, is_key_area: bool = True
) -> tuple[PatrolPoint, bool]:
    """The school's patrol point named ``name`` (trimmed, at most 60 characters), created as
    an active key area of ``kind`` when the school has none of that name; an existing one
    (active or not) is returned untouched. Returns (point, created). ``actor`` None: the
    system (a scheduled task); else ``supervision.manage_supervision`` for the school
    (NotPermitted, 403)."""
    if actor is not None:
        _require(actor, "supervision.manage_supervision", school)
    name = name.strip()[:60]
    if not name:
        raise DomainError(_("请填写点位名称。"), field_errors={"name": [_("请填写点位名称。")]})
    return PatrolPoint.objects.get_or_create(
        school=school, name=name, defaults={"kind": kind, "is_key_area": is_key_area}
    )


@transaction.atomic
def mark_checkins(
    school_class: SchoolClass,
    *,
    actor: User,
    day: datetime.date,
    kind: str,
    marks: Mapping[int, str],
    now: datetime.datetime,
) -> list[CheckIn]:
    """Record ``marks`` (``{student id: CheckIn.Status}``) on ``school_class``'s ``kind``
    roll (RollKind) of ``day``. An upsert on (student, date, kind): repeated or concurrent
    taps keep one row per student and day, the last tap wins. Raises NotPermitted unless the
    actor may ``supervision.record_checkin`` the class; DomainError for a bad kind or
    status, a student not on this roll, or a day that is not a school day."""
    _require(actor, "supervision.record_checkin", school_class)
    if kind not in RollKind.values:
        raise DomainError(_("类型无效。"), field_errors={"kind": [_("类型无效。")]})
    bad = sorted({s for s in marks.values() if s not in CheckIn.Status.values})
    if bad:
        message = _("状态无效：%(values)s") % {"values": "、".join(map(str, bad))}
        raise DomainError(message, field_errors={"status": [message]})
    check_school_day(school_class, day, now)
    known = set(roll_students(school_class, kind).values_list("id", flat=True))
    unknown = sorted(set(marks) - known)
    if unknown:
        message = _("学生不在本班本次名单中：%(ids)s") % {"ids": ", ".join(map(str, unknown))}
        raise DomainError(message, field_errors={"student": [message]})
    roll = _roll(school_class, day, kind)
    if roll.first_marked_at is None:
        Roll.objects.filter(pk=roll.pk, first_marked_at__isnull=True).update(first_marked_at=now)
    rows = [
        CheckIn(
            school_id=school_class.school_id,
            roll=roll,
            student_id=student_id,
            date=day,
            kind=kind,
            status=status,
            marked_by=actor,
            marked_at=now,
        )  # fmt: skip
        for student_id, status in sorted(marks.items())
    ]
    CheckIn.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["student", "date", "kind"],
        update_fields=["status", "marked_by", "marked_at", "roll"],
    )
    return rows


def mark_all_arrived(
    school_class: SchoolClass,
    *,
    actor: User,
    day: datetime.date,
    kind: str,
    now: datetime.datetime,
) -> list[CheckIn]:
    """ "全部已到": every student of the roll not yet marked (or marked "not yet") becomes
    arrived; those already marked arrived or excused keep their mark. Then the teacher
    marks the exceptions. Checks as ``mark_checkins``."""
    _require(actor, "supervision.record_checkin", school_class)
    if kind not in RollKind.values:
        raise DomainError(_("类型无效。"), field_errors={"kind": [_("类型无效。")]})
    marked = CheckIn.objects.filter(
        student__school_class=school_class, date=day, kind=kind
    ).exclude(status=CheckIn.Status.PENDING)
    todo = roll_students(school_class, kind).exclude(pk__in=marked.values("student_id"))
    marks = dict.fromkeys(todo.values_list("id", flat=True), CheckIn.Status.ARRIVED)
    return mark_checkins(school_class, actor=actor, day=day, kind=kind, marks=marks, now=now)


def _roll(school_class: SchoolClass, day: datetime.date, kind: str) -> Roll:
    """The class's roll of the day, created on first use (the unique constraint decides
    between two concurrent creators; get_or_create re-reads the winner)."""
    roll, _created = Roll.objects.get_or_create(
        school_class=school_class,
        date=day,
        kind=kind,
        defaults={"school_id": school_class.school_id},
    )
    return roll


# --- patrols -----------------------------------------------------------------------------


@transaction.atomic
def start_patrol(
    slot: PatrolSlot, *, actor: User, now: datetime.datetime, day: datetime.date | None = None
) -> Patrol:
    """Start (or resume) ``slot``'s patrol of ``day`` (default: the Beijing date of
    ``now``). A slot already marked missed may still be patrolled late. Raises NotPermitted
    unless the actor may ``supervision.run_patrol`` the slot; DomainError when the slot does
    not run that day (not a school day, weekday not on the roster, inactive)."""
    _require(actor, "supervision.run_patrol", slot)
    day = day or timezone.localdate(now)
    check_school_day(slot, day, now)
    if not slot.is_active or not slot.runs_on_weekday(day):
        raise DomainError(_("该班次当天不需要巡查。"))
    patrol, _created = Patrol.objects.get_or_create(
        slot=slot,
        date=day,
        defaults=dict(
            school_id=slot.school_id,
            status=Patrol.Status.IN_PROGRESS,
            patroller=actor,
            started_at=now,
        ),  # fmt: skip
    )
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if patrol.status == Patrol.Status.MISSED:
        patrol.status, patrol.patroller, patrol.started_at = Patrol.Status.IN_PROGRESS, actor, now
        patrol.save(update_fields=["status", "patroller", "started_at"])
    return patrol


def _open_patrol(patrol: Patrol, actor: User) -> None:
    _require(actor, "supervision.run_patrol", patrol.slot)
    if patrol.status != Patrol.Status.IN_PROGRESS:
        raise DomainError(_("这次巡查已结束，不能再修改。"))


@transaction.atomic
def check_point(
    patrol: Patrol,
    point: PatrolPoint,
    *,
    actor: User,
    method: str,
    now: datetime.datetime,
) -> PatrolCheck:
    """Record ``point`` as checked on ``patrol`` (once: a second scan keeps the first time).
    DomainError when the patrol is over or the point is not on the slot's roster."""
    _open_patrol(patrol, actor)
    if not patrol.slot.points.filter(pk=point.pk).exists():
        message = _("点位“%(point)s”不在本班次的巡查路线上。") % {"point": point}
        raise DomainError(message, field_errors={"point": [message]})
    check, _created = PatrolCheck.objects.get_or_create(
        patrol=patrol, point=point, defaults=dict(method=method, checked_at=now)
    )
    return check


@transaction.atomic
def finish_patrol(patrol: Patrol, *, actor: User, now: datetime.datetime, note: str = "") -> Patrol:
    """Close ``patrol`` as done (巡查完成) with an optional note."""
    _open_patrol(patrol, actor)
    patrol.status, patrol.finished_at, patrol.note = Patrol.Status.DONE, now, note
    patrol.save(update_fields=["status", "finished_at", "note"])
    return patrol


@transaction.atomic
def report_patrol_problem(
    patrol: Patrol,
    *,
    actor: User,
    title: str,
    category: str,
    now: datetime.datetime,
    point: PatrolPoint | None = None,
    description: str = "",
    photos: Iterable[File] = (),
) -> PatrolProblem:
    """A problem seen on ``patrol`` becomes a hazard of the school through
    ``hazards.services.report_hazard`` (source "patrol", at ``point``'s place), which then
    follows the 查改督销 workflow; the ``PatrolProblem`` row links the two. Raises what
    ``report_hazard`` raises (a bad photo: PhotoError) and DomainError as ``check_point``."""
    _open_patrol(patrol, actor)
    if point is not None and point.school_id != patrol.school_id:
        raise DomainError(_("点位不属于本校。"), field_errors={"point": [_("点位不属于本校。")]})
    if category not in Hazard.Category.values:
        raise DomainError(_("类别无效。"), field_errors={"category": [_("类别无效。")]})
    hazard = report_hazard(
        patrol.school,
        actor=actor,
        title=title,
        category=category,
        source=Hazard.Source.PATROL,
        location=point.name if point else "",
        description=description,
        photos=photos,
        at=now,
    )
    return PatrolProblem.objects.create(patrol=patrol, point=point, hazard=hazard)


# --- the roster's Excel import ------------------------------------------------------------


class RosterImportError(DomainError):
    """The file has bad rows; nothing was imported. ``rows``: ``[(row number, reason)]``."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        self.rows = rows
        super().__init__(_("有 %(n)d 处错误，未导入任何学生。") % {"n": len(rows)})


@dataclass
class RosterImported:
    created: int
    updated: int
    deactivated: int


def import_roster(school: School, dataset: tablib.Dataset, *, actor: User) -> RosterImported:
    """Import ``dataset`` (the template's columns) into ``school``'s roster, all or nothing.

    A dry run first: any bad row (unknown class, bad phone, missing name, a student number
    twice in the file…) raises ``RosterImportError`` naming every bad row and its reason,
    and nothing is written. Otherwise each row creates a student or updates the one with
    that student number (never a duplicate), and the active students of the file's classes
    who are not in the file are deactivated (they left; their records stay).
    Raises NotPermitted unless the actor may ``schools.manage_roster`` the school."""
    _require(actor, "schools.manage_roster", school)
    resource = StudentResource(school)
    if not dataset.headers or len(dataset) == 0:
        raise RosterImportError([(1, _("文件中没有学生数据，请使用下载的模板。"))])
    missing = [c for c in template_dataset().headers if c not in dataset.headers]
    if missing:
        raise RosterImportError([(1, _("缺少列：%(cols)s") % {"cols": "、".join(missing)})])
    errors = row_errors(resource.import_data(dataset, dry_run=True, use_transactions=True), dataset)
    if errors:
        raise RosterImportError(errors)
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=False, use_transactions=True)
        if result.has_errors() or result.has_validation_errors():
            raise RosterImportError(row_errors(result, dataset))
        numbers = {
            TextWidget().clean(v)
            for v in dataset[str(resource.fields["student_number"].column_name)]
        }
        classes = set(dataset[str(resource.fields["school_class"].column_name)])
        deactivated = (
            Student.objects.filter(school=school, school_class__name__in=classes, is_active=True)
            .exclude(student_number__in=numbers)
            .update(is_active=False)
        )
    totals = result.totals
    return RosterImported(
        created=totals.get("new", 0), updated=totals.get("update", 0), deactivated=deactivated
    )

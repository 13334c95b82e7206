"""Writes of the sealed mental-health domain. Every function asks the permission itself
(views, API and imports call these), raises ``NotPermitted`` (403) or ``DomainError`` with
field errors (400), and takes the time from its caller.

Crisis alert: when a file's level rises to a crisis level (``WarningLevel.is_crisis``) from a
level that is not one, the school's principals and the student's homeroom teacher are told
"student X needs attention, contact the counsellor" — no level, score or note — once per
escalation (the notification's subject is the ``LevelChange`` row).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.dates import check_not_future
from core.exceptions import DomainError, NotPermitted
from notifications.models import Kind
from notifications.services import notify
from schools.models import School, Student

from .models import (
    BreakGlassAccess,
    BullyingCase,
    Instrument,
    LevelChange,
    Referral,
    Screening,
    StudentRecord,
    WarningLevel,
)

# What a break-glass read shows, logged with each read.
BREAK_GLASS_SECTIONS = "预警等级、跟进方案、测评结果、转介记录"


def _field_error(field: str, message: str | Promise) -> DomainError:
    return DomainError(message, field_errors={field: [message]})


def _require(actor: User, perm: str, obj: object, message: str | Promise) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted(message)


def open_record(student: Student, *, actor: User) -> StudentRecord:
    """The student's file, opened if it does not exist yet. Only a counsellor of the
    student's school (``NotPermitted`` otherwise, e.g. a student of another school)."""
    _require(
        actor, "wellbeing.manage_record", student, gettext_lazy("只能为本校学生建立心理档案。")
    )
    record, _created = StudentRecord.objects.get_or_create(
        student=student, defaults={"school_id": student.school_id}
    )
    return record


def check_score(instrument: Instrument, score: Decimal) -> None:
    """``DomainError`` (field ``score``) unless ``score`` is within the instrument's range."""
    if not instrument.min_score <= score <= instrument.max_score:
        raise _field_error(
            "score",
            _("得分须在 %(min)s–%(max)s 之间（%(name)s）。")
            % {"min": f"{instrument.min_score:g}", "max": f"{instrument.max_score:g}",
               "name": instrument.name},
        )  # fmt: skip


def record_screening(
    record: StudentRecord,
    *,
    actor: User,
    instrument: Instrument,
    date: datetime.date,
    score: Decimal,
    details: str = "",
) -> Screening:
    """Add one screening result to ``record``. ``date`` not after today (Beijing); ``score``
    within the instrument's range; the instrument must be active."""
    _require(
        actor, "wellbeing.manage_record", record, gettext_lazy("只有本校心理教师可以录入测评。")
    )
    if not instrument.is_active:
        raise _field_error("instrument", _("该量表已停用。"))
    check_not_future(date)
    check_score(instrument, Decimal(score))
    return Screening.objects.create(
        record=record,
        instrument=instrument,
        date=date,
        score=score,
        details=details or "",
        entered_by=actor,
    )


def set_level(
    record: StudentRecord, *, actor: User, level: WarningLevel | None, now: datetime.datetime
) -> StudentRecord:
    """Set the file's warning level (None: no warning). ``level`` must be a configured,
    active level. An escalation to a crisis level sends the crisis alert once."""
    _require(
        actor, "wellbeing.manage_record", record, gettext_lazy("只有本校心理教师可以设定预警等级。")
    )
    if level is not None and not WarningLevel.objects.filter(pk=level.pk, is_active=True).exists():
        raise _field_error("level", _("该预警等级未配置或已停用。"))
    with transaction.atomic():
        record = StudentRecord.objects.select_for_update().get(pk=record.pk)
        if record.level_id == (level.pk if level else None):
            return record
        change = LevelChange.objects.create(
            record=record, from_level=record.level, to_level=level, changed_by=actor, changed_at=now
        )
        record.level = level
        record.save(update_fields=["level", "updated_at"])
        if change.is_escalation_to_crisis:
            _send_crisis_alert(record, change)
    return record


def _send_crisis_alert(record: StudentRecord, change: LevelChange) -> None:
    student = record.student
    teacher = student.school_class.homeroom_teacher
    principals = User.objects.filter(
        is_active=True, role=User.Role.PRINCIPAL, schools=record.school_id
    )
    name = student.name
    # The principal's alert links to the break-glass page (a logged read, if ever needed);
    # the homeroom teacher's links nowhere.
    link = reverse("wellbeing-break-glass", args=[record.pk])
    for people, url in ((list(principals), link), ([teacher], "")):
        notify(
            people,
            kind=Kind.CRISIS_ALERT,
            subject=change,
            period="crisis",
            school=record.school,
            url=url,
            title=lambda: _("学生%(name)s需要关注") % {"name": name},
            body=lambda: _("学生%(name)s需要关注，请尽快联系本校心理教师。") % {"name": name},
        )


def update_plan(record: StudentRecord, *, actor: User, plan: str) -> StudentRecord:
    """Replace the file's follow-up plan (一生一策)."""
    _require(
        actor, "wellbeing.manage_record", record, gettext_lazy("只有本校心理教师可以修改跟进方案。")
    )
    record.plan = plan or ""
    record.save(update_fields=["plan", "updated_at"])
    return record


def add_referral(
    record: StudentRecord,
    *,
    actor: User,
    institution: str,
    referred_on: datetime.date,
    follow_up_on: datetime.date | None = None,
    notes: str = "",
) -> Referral:
    """Record a referral to a medical institution; the follow-up date not before it."""
    _require(
        actor, "wellbeing.manage_record", record, gettext_lazy("只有本校心理教师可以登记转介。")
    )
    check_not_future(referred_on)
    if follow_up_on and follow_up_on < referred_on:
        raise _field_error("follow_up_on", _("回访日期不能早于转介日期。"))
    return Referral.objects.create(
        record=record,
        institution=institution,
        referred_on=referred_on,
        follow_up_on=follow_up_on,
        notes=notes or "",
    )


def break_glass(
    record: StudentRecord, *, actor: User, reason: str, now: datetime.datetime
) -> BreakGlassAccess:
    """Log a break-glass read of ``record`` by a principal of its school or a bureau admin
    and tell the school's counsellors (who read, when, why). ``reason`` is required
    (``DomainError`` on field ``reason``). The caller shows the file only after this."""
    _require(actor, "wellbeing.break_glass", record, gettext_lazy("您不能紧急查阅该档案。"))
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise _field_error("reason", _("请填写查阅理由（至少 4 个字）。"))
    with transaction.atomic():
        access = BreakGlassAccess.objects.create(
            record=record, user=actor, at=now, reason=reason, sections=BREAK_GLASS_SECTIONS
        )
        _tell_counsellors(access)
    return access


def _tell_counsellors(access: BreakGlassAccess) -> None:
    school_id = access.record.school_id
    counsellors = User.objects.filter(is_active=True, role=User.Role.COUNSELLOR, schools=school_id)
    who, at = str(access.user), access.at
    notify(
        counsellors,
        kind=Kind.BREAK_GLASS,
        subject=access,
        period="read",
        school=access.record.school,
        title=lambda: _("心理档案被紧急查阅"),
        body=lambda: (
            _("%(who)s于%(at)s紧急查阅了心理档案 #%(id)s，理由见查阅记录。")
            % {"who": who, "at": f"{at:%Y-%m-%d %H:%M}", "id": access.record_id}
        ),
    )


def report_bullying(
    school: School,
    *,
    actor: User,
    date: datetime.date,
    summary: str,
    participants: int = 1,
    investigation_started_on: datetime.date | None = None,
) -> BullyingCase:
    """Register a bullying report; the investigation starts on ``investigation_started_on``
    (default: the report day) and must end within ``BULLYING_INVESTIGATION_DAYS`` days."""
    _require(actor, "wellbeing.record_bullying", school, gettext_lazy("您不能登记本校欺凌事件。"))
    check_not_future(date)
    started = investigation_started_on or date
    if started < date:
        raise _field_error("investigation_started_on", _("调查开始日期不能早于报告日期。"))
    days = datetime.timedelta(days=settings.BULLYING_INVESTIGATION_DAYS)
    return BullyingCase.objects.create(
        school=school,
        date=date,
        summary=summary,
        participants=participants or 1,
        investigation_started_on=started,
        deadline=started + days,
        reported_by=actor,
    )


def close_bullying(
    case: BullyingCase, *, actor: User, outcome: str, outcome_notes: str, today: datetime.date
) -> BullyingCase:
    """Record the committee's finding and close the case on ``today``."""
    _require(actor, "wellbeing.record_bullying", case, gettext_lazy("您不能处理本校欺凌事件。"))
    if outcome not in BullyingCase.Outcome.values:
        raise _field_error("outcome", _("请选择认定结果。"))
    with transaction.atomic():
        case = BullyingCase.objects.select_for_update().get(pk=case.pk)
        if case.closed_on is not None:
            raise DomainError(_("该事件已经结案。"))
        case.outcome, case.outcome_notes, case.closed_on = outcome, outcome_notes or "", today
        case.save(update_fields=["outcome", "outcome_notes", "closed_on"])
    return case

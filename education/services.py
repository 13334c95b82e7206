"""Writes of the education app: safety education activities and counselling sessions."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.dates import check_not_future
from core.exceptions import DomainError, NotPermitted
from core.images import check_photo_budget, clean_photo
from schools.models import School, SchoolClass

from .models import (
    ActivityPhoto,
    Appointment,
    CounsellingSession,
    EducationActivity,
    StaffTraining,
    VicePrincipal,
    VicePrincipalEvaluation,
    VicePrincipalLesson,
)


def record_activity(
    school: School,
    *,
    actor: User,
    kind: str,
    title: str,
    date: datetime.date,
    topic: str = EducationActivity.Topic.GENERAL,
    participants: int | None = 0,
    classes: Iterable[SchoolClass] = (),
    receipts_signed: int | None = None,
    photos: Iterable[File] = (),
) -> EducationActivity:
    """Record one safety education activity at ``school`` on ``date`` (not after today,
    Beijing calendar); returns it. ``kind``, ``topic``: ``EducationActivity.Kind`` and
    ``Topic`` values.

    Raises ``NotPermitted`` without ``education.record_activity`` for the school,
    ``DomainError`` (field ``date``) for a future date. ``participants`` is a head count.
    ``classes``: the classes reached (``SchoolClass`` of ``school``; none: the whole school;
    another school's class is a ``DomainError`` on field ``classes``). ``receipts_signed``:
    signed parent receipts of a parent letter (致家长一封信). ``photos``: uploads, at most
    ``core.images.MAX_PHOTOS``, each checked and re-encoded (``core.images.clean_photo``;
    a bad one is a ``DomainError`` and nothing is written).
    """
    if not actor.has_perm("education.record_activity", school):
        raise NotPermitted(_("您没有登记本校安全教育活动的权限。"))
    check_not_future(date)
    if any(c.school_id != school.pk for c in classes):
        message = _("参加班级须是本校的班级。")
        raise DomainError(message, field_errors={"classes": [message]})
    photos = [p for p in photos if p]
    check_photo_budget(photos)
    cleaned = [clean_photo(p) for p in photos]
    with transaction.atomic():
        activity = EducationActivity.objects.create(
            school=school,
            kind=kind,
            topic=topic,
            title=title,
            date=date,
            participants=participants or 0,
            receipts_signed=receipts_signed,
            recorded_by=actor,
        )
        activity.classes.set(classes)
        for content, name in cleaned:
            photo = ActivityPhoto(activity=activity, original_name=name[-255:])
            photo.image.save(f"{photo.uuid}.jpg", content, save=False)
            photo.save()
    return activity


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


# --- rule-of-law vice principals and staff training ------------------------------------


def appoint_vice_principal(
    vice_principal: VicePrincipal,
    school: School,
    *,
    actor: User,
    start_date: datetime.date,
    end_date: datetime.date,
) -> Appointment:
    """Appoint ``vice_principal`` to ``school`` from ``start_date`` to ``end_date``. One person
    serves at most ``VicePrincipal.MAX_SCHOOLS`` (2) schools at a time (教育部令第52号):
    a third overlapping appointment is a ``DomainError`` on field ``school``."""
    if not actor.has_perm("education.manage_vice_principal", school):
        raise NotPermitted(_("只有教体局可以聘任法治副校长。"))
    if end_date < start_date:
        message = _("聘期截止不能早于聘任日期。")
        raise DomainError(message, field_errors={"end_date": [message]})
    with transaction.atomic():
        VicePrincipal.objects.select_for_update().get(pk=vice_principal.pk)
        overlapping = vice_principal.appointments.filter(
            start_date__lte=end_date, end_date__gte=start_date
        ).exclude(school=school)
        if overlapping.count() >= VicePrincipal.MAX_SCHOOLS:
            message = _("一名法治副校长最多同时在两所学校任职。")
            raise DomainError(message, field_errors={"school": [message]})
        appointment, _created = Appointment.objects.update_or_create(
            vice_principal=vice_principal,
            school=school,
            defaults={"start_date": start_date, "end_date": end_date},
        )
    return appointment


def record_vice_principal_lesson(
    vice_principal: VicePrincipal,
    school: School,
    *,
    actor: User,
    date: datetime.date,
    hours: Decimal,
    title: str,
    kind: str = VicePrincipalLesson.Kind.LESSON,
) -> VicePrincipalLesson:
    """Log a lesson or activity (``hours`` class hours, 0.5–20) the vice principal gave at
    ``school``, where they must be appointed on ``date``."""
    if not actor.has_perm("education.record_activity", school):
        raise NotPermitted(_("您没有登记本校法治副校长授课的权限。"))
    check_not_future(date)
    if not vice_principal.appointments.filter(
        school=school, start_date__lte=date, end_date__gte=date
    ).exists():
        message = _("该法治副校长当日不在本校任职。")
        raise DomainError(message, field_errors={"vice_principal": [message]})
    if not Decimal("0.5") <= Decimal(hours) <= 20:
        message = _("课时须在 0.5–20 之间。")
        raise DomainError(message, field_errors={"hours": [message]})
    return VicePrincipalLesson.objects.create(
        vice_principal=vice_principal, school=school, date=date, hours=hours, title=title,
        kind=kind,
    )  # fmt: skip


def evaluate_vice_principal(
    vice_principal: VicePrincipal, school: School, *, actor: User, year: int, result: str
) -> VicePrincipalEvaluation:
    """The school's yearly evaluation of its vice principal (one per year; again: replaced)."""
    if not actor.has_perm("education.evaluate_vice_principal", school):
        raise NotPermitted(_("只有本校校长或教体局可以评价法治副校长。"))
    evaluation, _created = VicePrincipalEvaluation.objects.update_or_create(
        vice_principal=vice_principal, school=school, year=year, defaults={"result": result}
    )
    return evaluation


def record_training(
    school: School,
    *,
    actor: User,
    title: str,
    date: datetime.date,
    hours: Decimal,
    attendees: Iterable[User] = (),
) -> StaffTraining:
    """Record a staff safety training at ``school``; ``attendees`` must be members of it
    (``DomainError`` on field ``attendees`` otherwise)."""
    if not actor.has_perm("education.record_activity", school):
        raise NotPermitted(_("您没有登记本校培训的权限。"))
    check_not_future(date)
    strangers = [u for u in attendees if not u.schools.filter(pk=school.pk).exists()]
    if strangers:
        message = _("参训人员须是本校教职工：%(names)s") % {
            "names": "、".join(str(u) for u in strangers)
        }
        raise DomainError(message, field_errors={"attendees": [message]})
    with transaction.atomic():
        training = StaffTraining.objects.create(
            school=school, title=title, date=date, hours=hours, recorded_by=actor
        )
        training.attendees.set(attendees)
    return training

"""Writes of the inspection family: plan, start, answer (with photos), submit (failed items
become hazards), review; and checklist versions. Cross-inspection rounds: ``rounds``.

Errors: DomainError (400) for bad input or state, NotPermitted (403) for the role/school.
Callers find the inspection through ``Inspection.objects.visible_to(user)`` first (404).
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError, InvalidTransition, NotPermitted
from core.images import MAX_PHOTOS, CleanPhoto, PhotoError, clean_photo
from hazards import services as hazard_services
from hazards.models import Hazard
from notifications import webhooks
from schools.models import Department, School

from .models import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    Inspection,
    InspectionAnswer,
    InspectionAnswerPhoto,
)
from .schedule import check_year

S = Inspection.Status
Result = InspectionAnswer.Result


# --- who may (inspections/rules.py) ---------------------------------------------------


def require(
    actor: User | AnonymousUser, perm: str, obj: Model | None = None, message: str | None = None
) -> None:
    """Raise NotPermitted (403, ``message`` or the default) unless ``actor`` has ``perm``."""
    if not actor.has_perm(perm, obj):
        raise NotPermitted(message)


def _require_fill(actor: User | AnonymousUser, inspection: Inspection) -> None:
    require(actor, "inspections.fill_inspection", inspection)


def require_bureau(actor: User | AnonymousUser, perm: str, obj: Model | None = None) -> None:
    """Raise NotPermitted ("only the bureau may…") unless ``actor`` has ``perm``, one of the
    bureau's permissions (inspections/rules.py)."""
    require(actor, perm, obj, message=_("只有教体局可以执行此操作。"))


# --- one inspection --------------------------------------------------------------------


PLANNABLE = (Inspection.Kind.JOINT, Inspection.Kind.SELF, Inspection.Kind.SPOT)
PLANNABLE_CHOICES = [(kind.value, kind.label) for kind in PLANNABLE]


def plan_inspection(
    *,
    actor: User,
    kind: str,
    school: School,
    date: datetime.date,
    subject: str = Inspection.Subject.CAMPUS,
    title: str = "",
    departments: Iterable[Department] = (),
    leader: User | None = None,
    checklist: Checklist | None = None,
) -> Inspection:
    """Plan a joint, self or spot inspection (status planned) and return it.

    The bureau plans any of them; a school officer or principal plans a self inspection of
    their own school. Cross inspections come from rounds only. ``checklist`` defaults to
    the latest published version. Raises NotPermitted (403) for the role, DomainError (400,
    ``field_errors``) for a kind that cannot be planned, a school out of the actor's scope,
    a date outside 2000–2100, an unpublished checklist or none published at all.
    """
    _require_plan(actor, kind)
    if not School.objects.visible_to(actor).filter(pk=school.pk).exists():
        raise field_error("school", _("不能为此学校安排检查。"))
    check_year("date", date)
    checklist = checklist or Checklist.objects.latest_published()
    if checklist is None or not checklist.is_published:
        raise field_error("checklist", _("只能使用已发布的检查表。"))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            kind=kind,
            subject=subject,
            school=school,
            date=date,
            leader=leader,
            checklist=checklist,
            title=title or f"{Inspection.Kind(kind).label}：{school.name}",
        )
        inspection.departments.set(departments)
    return inspection


def schedule_self_inspection(
    school: School, *, date: datetime.date, title: str, checklist: Checklist | None = None
) -> Inspection:
    """A self inspection (学校自查, status planned) put on ``school``'s calendar by the system
    (a scheduled task acting on the bureau's rules, e.g. risk-based planning), not by a
    person: no actor and no permission; the same checks of date and checklist as
    ``plan_inspection`` (DomainError, 400, ``date`` / ``checklist``)."""
    check_year("date", date)
    checklist = checklist or Checklist.objects.latest_published()
    if checklist is None or not checklist.is_published:
        raise field_error("checklist", _("只能使用已发布的检查表。"))
    return Inspection.objects.create(
        kind=Inspection.Kind.SELF, school=school, date=date, checklist=checklist, title=title[:200]
    )


def _require_plan(actor: User | AnonymousUser, kind: str) -> None:
    if kind not in PLANNABLE:
        raise field_error("kind", _("交叉互查由互查轮次安排。"))
    require(
        actor,
        "inspections.plan_inspection",
        Inspection(kind=kind),
        message=_("只有教体局可以安排联合检查和督查。"),
    )


def field_error(field: str, message: str) -> DomainError:
    """A DomainError reported against one input field."""
    return DomainError(message, field_errors={field: [message]})


def start_inspection(inspection: Inspection, *, actor: User) -> Inspection:
    """planned → in_progress. Raises InvalidTransition from any other state."""
    _require_fill(actor, inspection)
    with transaction.atomic():
        locked = _lock(inspection, S.PLANNED, _("开始检查"))
        locked.status = S.IN_PROGRESS
        locked.save(update_fields=["status"])
    return locked


NOTE_MAX_LENGTH = 2000  # characters of an answer's note


class Answer(NamedTuple):
    """One item's answer as given by the team. ``department``: the committee Department
    owning a failed item of a joint inspection (None: the answering inspector's own
    department if it takes part, else the only taking-part department, else none).
    ``photos``: uploaded files (JPEG/PNG/WebP/HEIC), added to the answer's photos."""

    result: str
    note: str = ""
    department: Department | None = None
    photos: Sequence[File] = ()


def answer_items(
    inspection: Inspection, *, actor: User, answers: Mapping[str, Answer | tuple[str, str]]
) -> Inspection:
    """Store answers ``{item_code: Answer or (result, note)}`` (result pass/fail/na),
    replacing earlier results and notes; photos are added. Starts a planned inspection.
    Raises DomainError naming codes not on the inspection's checklist version or not
    applicable to the school, results not in pass/fail/na, notes over 2000 characters, or a
    failed item whose owning department does not take part or cannot be told (see
    ``_owner``); PhotoError (400) for a bad photo. Nothing is written when anything is
    refused."""
    _require_fill(actor, inspection)
    given_answers = {code: Answer(*value) for code, value in answers.items()}
    cleaned = {code: _clean_photos(code, a.photos) for code, a in given_answers.items()}
    with transaction.atomic():
        locked = _lock_fillable(inspection)
        items = _items_by_code(locked, given_answers)
        taking_part = list(locked.departments.all())
        owners = {
            code: _owner(code, given, taking_part, actor) for code, given in given_answers.items()
        }
        for code, given in given_answers.items():
            answer, _created = InspectionAnswer.objects.update_or_create(
                inspection=locked,
                item=items[code],
                defaults={
                    "result": given.result,
                    "note": given.note or "",
                    "answered_by": actor,
                    "department": owners[code],
                },
            )
            _save_answer_photos(answer, cleaned[code], actor)
        if locked.status == S.PLANNED:
            locked.status = S.IN_PROGRESS
            locked.save(update_fields=["status"])
    return locked


def pass_unanswered(inspection: Inspection, *, actor: User, section_code: str) -> list[str]:
    """本节全部合格: answer every applicable item of section ``section_code`` that has no
    answer yet with "pass" (an answer already given, a failure above all, is kept). Returns
    the codes answered, sorted; raises as ``answer_items``."""
    items = applicable_items(inspection).filter(section__code=section_code)
    answered = set(
        InspectionAnswer.objects.filter(inspection=inspection).values_list("item_id", flat=True)
    )
    answers = {item.code: Answer("pass") for item in items if item.pk not in answered}
    if answers:
        answer_items(inspection, actor=actor, answers=answers)
    return sorted(answers)


def fill_progress(inspection: Inspection) -> dict[str, Any]:
    """How far the checklist is filled: ``{"answered": n, "total": m, "sections": {code:
    {"answered": n, "total": m}}}`` over the applicable items (two queries)."""
    answered = set(
        InspectionAnswer.objects.filter(inspection=inspection).values_list("item_id", flat=True)
    )
    sections: dict[str, dict[str, int]] = {}
    for item_id, code in applicable_items(inspection).values_list("pk", "section__code"):
        counts = sections.setdefault(code, {"answered": 0, "total": 0})
        counts["total"] += 1
        counts["answered"] += item_id in answered
    return {
        "answered": sum(c["answered"] for c in sections.values()),
        "total": sum(c["total"] for c in sections.values()),
        "sections": sections,
    }


def add_answer_photos(
    inspection: Inspection, *, actor: User, code: str, photos: Iterable[File]
) -> InspectionAnswer:
    """Add photos to the stored answer of item ``code`` while the inspection is being
    filled. Raises DomainError when the item is not on the inspection or has no answer yet,
    PhotoError for a bad file."""
    _require_fill(actor, inspection)
    cleaned = _clean_photos(code, photos)
    with transaction.atomic():
        locked = _lock_fillable(inspection)
        if not applicable_items(locked).filter(code=code).exists():
            raise field_error(
                "code",
                _("检查项 %(code)s 不在本次检查的检查表中或不适用于受检学校。") % {"code": code},
            )
        answer = locked.answers.filter(item__code=code).first()
        if answer is None:
            raise field_error(
                "code", _("请先填写检查项 %(code)s 的结果，再上传照片。") % {"code": code}
            )
        _save_answer_photos(answer, cleaned, actor)
    return answer


def _clean_photos(code: str, photos: Iterable[File]) -> list[CleanPhoto]:
    """Clean each upload (``clean_photo``); a refused one names its item."""
    try:
        return [clean_photo(p) for p in photos]
    except PhotoError as exc:
        raise PhotoError(f"{code}：{exc.message}") from None


def _lock_fillable(inspection: Inspection) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.status not in Inspection.OPEN_STATUSES:
        raise InvalidTransition(_("检查已提交，不能再修改结果。"))
    return locked


def _owner(
    code: str, given: Answer, taking_part: list[Department], actor: User
) -> Department | None:
    """The department owning failed item ``code``'s finding: the one given (which must take
    part), else the actor's own if it takes part, else the only one taking part. None for a
    passed or n/a item, or when no department takes part. Raises DomainError when several
    take part and none is chosen, so every joint-inspection finding has an owner."""
    if given.result != Result.FAIL:
        return None
    department = given.department
    if department is not None:
        if department not in taking_part:
            message = _("%(code)s：%(department)s 未参加本次检查。") % {
                "code": code,
                "department": department,
            }
            raise DomainError(message, field_errors={"answers": [message]})
        return department
    own = [d for d in taking_part if d.pk == actor.department_id]
    if own or len(taking_part) == 1:
        return (own or taking_part)[0]
    if taking_part:
        message = _("%(code)s：请选择负责此问题的部门。") % {"code": code}
        raise DomainError(message, field_errors={"answers": [message]})
    return None


def _save_answer_photos(answer: InspectionAnswer, cleaned: list[CleanPhoto], actor: User) -> None:
    if cleaned and answer.photos.count() + len(cleaned) > MAX_PHOTOS:
        raise PhotoError(
            _("%(code)s：每个检查项最多 %(n)d 张照片。")
            % {"code": answer.item.code, "n": MAX_PHOTOS}
        )
    for content, original_name in cleaned:
        photo = InspectionAnswerPhoto(answer=answer, original_name=original_name, uploaded_by=actor)
        photo.image.save(f"{photo.uuid}.jpg", content, save=False)
        photo.save()


def submit_inspection(
    inspection: Inspection,
    *,
    actor: User,
    summary: str | None = None,
    at: datetime.datetime | None = None,
) -> Inspection:
    """in_progress → submitted. Every applicable item must be answered (DomainError listing
    the unanswered codes). Each failed item creates one hazard in the same transaction
    (source from the kind, category from the item, major for ★), linked to the inspection
    and the answer; an answer that already has its hazard creates none. An inspection
    without a checklist (recorded before checklists existed) cannot be submitted
    (DomainError). ``summary``: None keeps the stored one; ``at``: aware datetime, default
    now. Raises NotPermitted, InvalidTransition once reviewed."""
    _require_fill(actor, inspection)
    at = at or timezone.now()
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.status not in (S.PLANNED, S.IN_PROGRESS, S.SUBMITTED):
            raise InvalidTransition(_("检查已审核，不能再提交。"))
        if locked.checklist_id is None:
            raise DomainError(_("此检查没有检查表。"))
        _check_complete(locked)
        failed = locked.answers.filter(result=Result.FAIL, hazard__isnull=True)
        for answer in failed.select_related("item", "department").prefetch_related("photos"):
            _record_finding(locked, answer, actor=actor, at=at)
        first_submission = locked.status != S.SUBMITTED
        locked.status = S.SUBMITTED
        locked.submitted_at = locked.submitted_at or at
        if summary is not None:
            locked.summary = summary
        locked.save(update_fields=["status", "submitted_at", "summary"])
        if first_submission:
            _emit_published(locked)
    return locked


def _emit_published(inspection: Inspection) -> None:
    """The ``inspection.published`` webhook event when the results are first submitted
    (a re-submission sends nothing), once per inspection. Each finding also goes out as
    ``hazard.reported`` with its department; the inspection itself belongs to no
    department, so department subscriptions do not get this event."""
    assert inspection.submitted_at is not None
    data = {
        "inspection": {
            "id": inspection.pk,
            "school": inspection.school_id,
            "inspecting_school": inspection.inspecting_school_id,
            "kind": inspection.kind,
            "subject": inspection.subject,
            "status": inspection.status,
            "date": inspection.date.isoformat(),
            "submitted_at": inspection.submitted_at.isoformat(),
            "findings": sorted(inspection.hazards.values_list("pk", flat=True)),
        }
    }
    webhooks.emit(
        "inspection.published",
        data,
        key=f"inspection:{inspection.pk}",
        at=inspection.submitted_at,
        school_id=inspection.school_id,
    )


def review_cross_inspection(
    inspection: Inspection, *, actor: User, comment: str = ""
) -> Inspection:
    """submitted → reviewed, by the bureau, for a cross inspection. Raises NotPermitted,
    DomainError for another kind, InvalidTransition from another state."""
    require_bureau(actor, "inspections.review_inspection", inspection)
    if inspection.kind != Inspection.Kind.CROSS:
        raise DomainError(_("只有交叉互查需要教体局审核。"))
    with transaction.atomic():
        locked = _lock(inspection, S.SUBMITTED, _("审核"))
        locked.status, locked.reviewed_by, locked.review_comment = S.REVIEWED, actor, comment
        locked.save(update_fields=["status", "reviewed_by", "review_comment"])
    return locked


def applicable_items(inspection: Inspection) -> QuerySet[ChecklistItem]:
    """The items of the inspection's checklist that apply to the inspected school."""
    if inspection.checklist_id is None:
        return ChecklistItem.objects.none()
    items = ChecklistItem.objects.filter(checklist_id=inspection.checklist_id)
    return items.applicable_to(inspection.school).select_related("section")


def _lock(inspection: Inspection, expected: str, label: str) -> Inspection:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.status != expected:
        raise InvalidTransition(
            _("检查当前状态为“%(status)s”，不能执行“%(action)s”。")
            % {"status": locked.get_status_display(), "action": label}
        )
    return locked


def _items_by_code(
    inspection: Inspection, answers: Mapping[str, Answer]
) -> dict[str, ChecklistItem]:
    if inspection.checklist_id is None:
        raise DomainError(_("此检查没有检查表。"))
    items = {i.code: i for i in applicable_items(inspection)}
    unknown = sorted(set(answers) - set(items))
    if unknown:
        raise _answers_error(
            _("以下检查项不在本次检查的检查表版本中或不适用于受检学校：%(codes)s"), unknown
        )
    bad = sorted(code for code, given in answers.items() if given.result not in Result.values)
    if bad:
        raise _answers_error(_("检查结果只能是合格、不合格或不适用：%(codes)s"), bad)
    long = sorted(
        code for code, given in answers.items() if len(given.note or "") > NOTE_MAX_LENGTH
    )
    if long:
        raise _answers_error(_("说明不能超过 2000 字：%(codes)s"), long)
    # A NUL character cannot be stored in a PostgreSQL text column.
    nul = sorted(code for code, given in answers.items() if "\x00" in (given.note or ""))
    if nul:
        raise _answers_error(_("说明含有不允许的控制字符：%(codes)s"), nul)
    return items


def _answers_error(message: str, codes: list[str]) -> DomainError:
    return DomainError(
        message % {"codes": "、".join(codes)}, field_errors={"answers": [", ".join(codes)]}
    )


def _check_complete(inspection: Inspection) -> None:
    answered = set(inspection.answers.values_list("item_id", flat=True))
    missing = [i.code for i in applicable_items(inspection) if i.pk not in answered]
    if missing:
        raise DomainError(
            _("以下检查项尚未填写：%(codes)s") % {"codes": "、".join(missing)},
            field_errors={"unanswered": missing},
        )


def _record_finding(
    inspection: Inspection, answer: InspectionAnswer, *, actor: User, at: datetime.datetime
) -> None:
    """Create the failed item's hazard and link it to the answer (one savepoint)."""
    item = answer.item
    level = Hazard.Level.MAJOR if item.is_major else Hazard.Level.GENERAL
    photos: list[CleanPhoto] = []
    for photo in answer.photos.all():
        with photo.image.open("rb") as f:  # a copy: the hazard's photos live with the hazard
            photos.append((ContentFile(f.read()), photo.original_name))
    answer.hazard = hazard_services.report_inspection_finding(
        inspection,
        actor=actor,
        title=f"{item.code} {item.text}",
        category=item.category,
        level=level,
        description=answer.note or item.text,
        department=answer.department,
        photos=photos,
        at=at,
    )
    answer.save(update_fields=["hazard"])


# --- checklist versions -----------------------------------------------------------------


def new_checklist_version(checklist: Checklist, *, actor: User) -> Checklist:
    """A draft copy of ``checklist`` (its sections and items) as the next version of its
    name, for the bureau to edit and then publish. Past answers keep pointing at the old
    version's items. Raises NotPermitted for anyone but the bureau."""
    require_bureau(actor, "inspections.manage_checklist", checklist)
    with transaction.atomic():
        latest = (
            Checklist.objects.filter(name=checklist.name)
            .select_for_update()
            .order_by("-version")
            .first()
        )
        newest = latest or checklist  # the query finds ``checklist`` itself at least
        draft = Checklist.objects.create(name=checklist.name, version=newest.version + 1)
        sections: dict[int, ChecklistSection] = {}
        for section in checklist.sections.all():
            old_pk = section.pk
            section.pk, section.checklist = None, draft
            section.save()
            sections[old_pk] = section
        items = list(checklist.items.all())
        for item in items:
            item.pk, item.checklist, item.section = None, draft, sections[item.section_id]
        ChecklistItem.objects.bulk_create(items)
    return draft


def publish_checklist(
    checklist: Checklist, *, actor: User, on: datetime.date | None = None
) -> Checklist:
    """Publish a draft version on ``on`` (default today, Beijing calendar); from then on it
    is frozen and can be used by inspections and rounds. Raises NotPermitted for anyone but
    the bureau, DomainError when it has no items or is already published."""
    require_bureau(actor, "inspections.manage_checklist", checklist)
    if checklist.is_published:
        raise DomainError(_("该检查表版本已发布。"))
    if not checklist.items.exists():
        raise DomainError(_("检查表没有检查项，不能发布。"))
    checklist.is_published, checklist.published_on = True, on or timezone.localdate()
    checklist.save(update_fields=["is_published", "published_on"])
    return checklist

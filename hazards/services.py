"""Writes to the hazard ledger: report a hazard and move it through 查、改、督、销, and name
the supervising leader of a major hazard (挂牌督办).

Every function takes the object first and the rest keyword-only, including ``actor``;
it checks the actor's permission (hazards/rules.py), locks the row, re-checks the state
against ``TRANSITIONS``, saves, appends a ``HazardEvent`` and enqueues the notification on
commit. Raises ``NotPermitted`` (403), ``InvalidTransition`` or ``DomainError`` (400).
"""

import datetime
import secrets
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import (
    ConcurrentTransition,
    DomainError,
    InvalidTransition,
    NotPermitted,
)
from core.images import CleanPhoto, clean_photo
from notifications import outbox, webhooks
from notifications.models import Kind
from notifications.services import notify
from schools.models import Department, School

from . import refusals
from .models import TRANSITIONS, Hazard, HazardEvent, HazardPhoto
from .refusals import PERMISSIONS  # noqa: F401  (the transitions' permissions, for callers)


def default_deadline(level: str, *, start: datetime.date | None = None) -> datetime.date:
    """The default rectification deadline for a ``Hazard.Level``: ``start`` (default today,
    Asia/Shanghai calendar) plus ``HAZARD_DEFAULT_DEADLINE_DAYS[level]`` days."""
    start = start or timezone.localdate()
    return start + datetime.timedelta(days=settings.HAZARD_DEFAULT_DEADLINE_DAYS[level])


class AlreadyReported(Exception):
    """A report carried a ``client_id`` that is already stored: it is a retry of a report
    that went through (a re-sent form, a retry on a weak network). ``hazard`` is the hazard
    that report created; callers answer with it instead of creating a second one."""

    def __init__(self, hazard: Hazard) -> None:
        self.hazard = hazard
        super().__init__(hazard.pk)


def report_hazard(
    school: School,
    *,
    actor: User,
    title: str,
    category: str,
    source: str,
    level: str = Hazard.Level.GENERAL,
    location: str = "",
    description: str = "",
    photos: Iterable[File] = (),
    inspection: Model | None = None,
    drill: Model | None = None,
    department: Department | None = None,
    at: datetime.datetime | None = None,
    notify: bool = True,
    client_id: uuid.UUID | None = None,
) -> Hazard:
    """Record a new hazard (查) at ``school``. ``at``: aware datetime, default now.
    ``photos``: uploads (JPEG/PNG/WebP/HEIC; a bad one raises PhotoError before anything is
    written). ``inspection``, ``drill``: the ``inspections.Inspection`` or ``drills.Drill``
    that found it, or None (typed as models: hazards sits below those apps).

    ``client_id``: the reporting client's id for this report; a second report with the same
    id raises ``AlreadyReported`` carrying the first one's hazard (the unique constraint
    decides, so two concurrent retries also give one hazard). A client id used by a hazard
    the actor cannot see is refused with DomainError.
    ``department``: the safety-committee department that owns the hazard (None: the school).
    Raises NotPermitted when the school is outside the actor's scope or the actor only reads.
    """
    _require(actor, "hazards.report_hazard", school)
    cleaned = [clean_photo(p) for p in photos]  # refuse bad images before writing anything
    fields = dict(
        school=school,
        title=title,
        category=category,
        source=source,
        level=level,
        location=location,
        description=description,
        inspection=inspection,
        drill=drill,
        reported_by=actor,
        client_id=client_id,
        department=department,
    )
    try:
        return _create_report(fields, cleaned, actor=actor, at=at, notify=notify)
    except AlreadyReported as exc:
        if not Hazard.objects.visible_to(actor).filter(pk=exc.hazard.pk).exists():
            raise DomainError(_("提交编号无效，请刷新页面后重新提交。")) from None
        raise


def report_public_snapshot(
    school: School,
    *,
    title: str,
    category: str,
    location: str = "",
    description: str = "",
    photos: Iterable[File] = (),
    contact: str = "",
    client_id: uuid.UUID | None = None,
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Hazard:
    """A 随手拍 from someone without an account (a parent, a visitor) through the school's
    public link: like ``report_hazard`` with source ``snapshot``, but no user (``reported_by``
    and the event's actor are NULL) and no permission check — the link is the permission.

    The hazard gets a ``tracking_code`` (``TRACKING_CODE_LENGTH`` characters from
    ``TRACKING_ALPHABET``) for the reporter's coarse status page; ``contact`` (a phone
    number, optional) is stored for feedback and never shown to the school.
    Raises DomainError for an inactive school or a bad photo, ``AlreadyReported`` for a
    retry (same ``client_id``; a client id of another school's report is a DomainError).
    """
    if not school.is_active:
        raise DomainError(_("该学校的随手拍链接已停用。"))
    cleaned = [clean_photo(p) for p in photos]
    fields = dict(
        school=school,
        title=title,
        category=category,
        source=Hazard.Source.SNAPSHOT,
        location=location,
        description=description,
        reported_by=None,
        client_id=client_id,
        reporter_contact=contact,
    )
    for attempt in range(3):  # a tracking-code collision (1 in 10¹¹) gets a fresh code
        try:
            return _create_report(
                {**fields, "tracking_code": new_tracking_code()},
                cleaned,
                actor=None,
                at=at,
                notify=notify,
            )
        except AlreadyReported as exc:
            if exc.hazard.school_id != school.pk or exc.hazard.reported_by_id is not None:
                raise DomainError(_("提交编号无效，请刷新页面后重新提交。")) from None
            raise
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# Unambiguous on paper and on a phone: no 0/O, 1/I/L, 2/Z, 5/S, 8/B.
TRACKING_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
TRACKING_CODE_LENGTH = 8


def new_tracking_code() -> str:
    """A random tracking code, e.g. ``"K7QD3MWA"`` (25⁸ ≈ 1.5·10¹¹ possibilities)."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_CODE_LENGTH))


def normalise_tracking_code(text: str) -> str:
    """What a person typed → the stored form: upper case, spaces and dashes removed."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def supplement_hazard(
    hazard: Hazard,
    *,
    actor: User,
    photos: Iterable[File] = (),
    comment: str = "",
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Hazard:
    """A later 随手拍 of an open hazard, added to it instead of filed again: photos and a
    comment on a ``supplement`` event; the state does not change. The actor must be allowed
    to report at the hazard's school. Raises NotPermitted, InvalidTransition (not open)."""
    _require(actor, "hazards.report_hazard", hazard.school)
    cleaned = [clean_photo(p) for p in photos]
    at = at or timezone.now()
    with transaction.atomic():
        locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if locked.status not in Hazard.OPEN_STATUSES:
            raise InvalidTransition(_("该隐患已办结，不能再补充，请登记新的隐患。"))
        locked.save(update_fields=["updated_at"])
        event = HazardEvent.objects.create(
            hazard=locked,
            action=HazardEvent.Action.SUPPLEMENT,
            from_status=locked.status,
            to_status=locked.status,
            actor=actor,
            comment=comment,
            created_at=at,
        )
        _save_photos(locked, event, cleaned, actor, at)
        if notify:
            _notify_on_commit(event)
    return locked


def assign_hazard(
    hazard: Hazard,
    *,
    actor: User,
    responsible: User | None,
    measures: str,
    deadline: datetime.date | None = None,
    funding_yuan: Decimal | None = None,
    contingency_plan: str = "",
    comment: str = "",
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Hazard:
    """查→改: name the responsible person, measures and deadline (a Beijing-calendar date;
    default by level). A major hazard also needs funding (yuan) and a contingency plan:
    the five implementations (责任、措施、资金、时限、预案); missing ones raise DomainError
    with one message per field, as do a responsible person outside the school's staff and a
    deadline before today. Raises NotPermitted, InvalidTransition (not reported)."""
    today = timezone.localtime(at).date() if at else timezone.localdate()
    deadline = deadline or default_deadline(hazard.level, start=today)

    def validate(locked: Hazard) -> None:
        # On the locked row: a hazard raised to major meanwhile needs all five implementations.
        errors = _assignment_errors(
            locked, responsible, measures, deadline, funding_yuan, contingency_plan, today
        )
        if errors:
            raise DomainError(_("交办信息不完整。"), field_errors=errors)

    changes = dict(
        responsible=responsible,
        measures=measures,
        deadline=deadline,
        funding_yuan=funding_yuan,
        contingency_plan=contingency_plan,
    )
    return _transition(
        hazard,
        "assign",
        actor=actor,
        comment=comment,
        changes=changes,
        validate=validate,
        at=at,
        notify=notify,
    )


def submit_rectification(
    hazard: Hazard,
    *,
    actor: User,
    note: str,
    photos: Iterable[File] = (),
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Hazard:
    """改→督: the school reports what it did, with evidence photos; note is required
    (DomainError). Raises NotPermitted, InvalidTransition (not rectifying)."""
    _require_transition(actor, hazard, "submit_rectification")
    if not note.strip():
        raise DomainError(_("请填写整改情况。"), field_errors={"note": [_("此项为必填项。")]})
    changes = dict(rectification_note=note, submitted_by=actor)
    return _transition(
        hazard,
        "submit_rectification",
        actor=actor,
        comment=note,
        photos=photos,
        changes=changes,
        at=at,
        notify=notify,
    )


def reject_rectification(
    hazard: Hazard,
    *,
    actor: User,
    comment: str,
    photos: Iterable[File] = (),
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Hazard:
    """督→改: the verifier sends the rectification back; a reason is required (DomainError).
    Raises NotPermitted (also for the submitter), InvalidTransition (not verifying)."""
    return _transition(
        hazard,
        "reject_rectification",
        actor=actor,
        comment=comment,
        photos=photos,
        at=at,
        notify=notify,
    )


def close_hazard(
    hazard: Hazard,
    *,
    actor: User,
    comment: str = "",
    photos: Iterable[File] = (),
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Hazard:
    """督→销: verified and written off. The submitter of the rectification cannot close it
    (NotPermitted). Raises InvalidTransition (not verifying)."""
    at_ = at or timezone.now()
    return _transition(
        hazard,
        "close",
        actor=actor,
        comment=comment,
        photos=photos,
        changes=dict(closed_at=at_, closed_by=actor),
        at=at_,
        notify=notify,
    )


def dismiss_hazard(
    hazard: Hazard,
    *,
    actor: User,
    reason: str,
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Hazard:
    """查→不予立案: not a hazard, or a duplicate; a reason is required (DomainError).
    Raises NotPermitted, InvalidTransition (not reported)."""
    return _transition(
        hazard,
        "dismiss",
        actor=actor,
        comment=reason,
        changes=dict(dismiss_reason=reason),
        at=at,
        notify=notify,
    )


def mark_duplicate(
    hazard: Hazard,
    *,
    actor: User,
    original: Hazard,
    comment: str = "",
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Hazard:
    """查→不予立案 as a duplicate of ``original``: an open hazard of the same school (not the
    hazard itself). The dismissal reason names the original; ``hazard.duplicate_of`` links
    to it, so the original lists its duplicates. Same permission as ``dismiss_hazard``.
    Raises DomainError (field ``original``) for another school's, the same or a finished
    hazard."""
    reason = _("与隐患 #%(id)d“%(title)s”重复。") % {"id": original.pk, "title": original.title}
    if comment.strip():
        reason = f"{reason}{comment.strip()}"

    def validate(locked: Hazard) -> None:
        if original.pk == locked.pk or original.school_id != locked.school_id:
            raise DomainError(
                _("只能标记为同一学校另一条隐患的重复。"),
                field_errors={"original": [_("请选择同一学校的另一条隐患。")]},
            )
        if not Hazard.objects.open().filter(pk=original.pk).exists():
            raise DomainError(
                _("原隐患已办结，不能作为重复的依据。"),
                field_errors={"original": [_("请选择未办结的隐患。")]},
            )

    return _transition(
        hazard,
        "dismiss",
        actor=actor,
        comment=reason,
        validate=validate,
        changes=dict(dismiss_reason=reason, duplicate_of=original),
        at=at,
        notify=notify,
    )


class FindingInspection(Protocol):
    """What ``report_inspection_finding`` reads of an ``inspections.Inspection`` (hazards sits
    below inspections and does not import it)."""

    @property
    def kind(self) -> str: ...

    @property
    def school(self) -> School: ...


def report_inspection_finding(
    inspection: FindingInspection,
    *,
    actor: User,
    title: str,
    category: str,
    level: str,
    description: str = "",
    department: Department | None = None,
    photos: Iterable[CleanPhoto] = (),
    at: datetime.datetime | None = None,
) -> Hazard:
    """Record a failed checklist item of ``inspection`` (an ``inspections.Inspection``) as a
    hazard of the inspected school. ``title`` is cut to 200 characters.

    The inspecting team (another school's staff, or another department) is usually outside
    the inspected school's scope, so the caller (inspections.services) checks its own rule
    for who may fill the inspection; the source follows the inspection's kind.
    ``department``: the committee department that owns the finding, or None. ``photos``:
    already clean (ContentFile, original name) pairs, stored as the report's photos."""
    source = {
        "joint": Hazard.Source.JOINT_INSPECTION,
        "cross": Hazard.Source.CROSS_INSPECTION,
        "self": Hazard.Source.SELF_INSPECTION,
    }.get(inspection.kind, Hazard.Source.OTHER)
    fields = dict(
        school=inspection.school,
        title=title[:200],
        category=category,
        source=source,
        level=level,
        location="",
        description=description,
        inspection=inspection,
        drill=None,
        reported_by=actor,
        client_id=None,
        department=department,
    )
    return _create_report(fields, list(photos), actor=actor, at=at, notify=True)


# --- 挂牌督办 ----------------------------------------------------------------------------
# The bureau puts a major hazard under supervision by naming the supervising leader (a
# bureau user). The change is recorded in the hazard's history (who and when) and shows on
# its timeline.


def can_supervise(user: User | AnonymousUser, hazard: Hazard) -> bool:
    """Whether ``user`` may name the supervising leader of ``hazard`` now: an open major
    hazard, and ``hazards.supervise_hazard`` (bureau staff of its school)."""
    return (
        hazard.level == Hazard.Level.MAJOR
        and hazard.status in Hazard.OPEN_STATUSES
        and user.has_perm("hazards.supervise_hazard", hazard)
    )


def set_supervising_leader(
    hazard: Hazard, *, actor: User | AnonymousUser, leader: User | None
) -> Hazard:
    """Name (or, with None, remove) the supervising leader of a major hazard.

    Raises NotPermitted (403) unless ``can_supervise``; DomainError (400) when the leader is
    not bureau staff.
    """
    if not can_supervise(actor, hazard):
        raise NotPermitted()
    if leader is not None and not (leader.is_bureau and leader.is_active):
        raise DomainError(
            _("督办领导须为教体局人员。"), field_errors={"leader": [_("督办领导须为教体局人员。")]}
        )
    with transaction.atomic():
        locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if not can_supervise(actor, locked):
            raise NotPermitted()
        locked.supervising_leader = leader
        locked._history_user = actor  # the history row names who did it, outside a request too
        locked.save(update_fields=["supervising_leader", "updated_at"])
        if leader is not None:
            _tell_supervising_leader(locked, leader)
    return locked


def _tell_supervising_leader(hazard: Hazard, leader: User) -> None:
    """The named leader hears of it (挂牌督办), once per hazard and leader."""
    notify(
        [leader],
        kind=Kind.HAZARD_EVENT,
        subject=hazard,
        period=f"supervising:{leader.pk}",
        title=lambda: _("挂牌督办：%(title)s") % {"title": hazard.title},
        body=lambda: (
            _("您被指定为%(school)s重大隐患“%(title)s”的督办领导。")
            % {"school": hazard.school, "title": hazard.title}
        ),
        url=reverse("hazard-detail", args=[hazard.pk]),
        school=hazard.school,
    )


# --- internals -------------------------------------------------------------------------


def can_transition(user: User | AnonymousUser, hazard: Hazard, name: str) -> bool:
    """Whether ``user`` may perform transition ``name`` on ``hazard`` now (state, role, school,
    separation of duties). Used by the UI to show only the buttons that will work."""
    return refusals.transition_refusal(user, hazard, name) is None


def _transition(
    hazard: Hazard,
    name: str,
    *,
    actor: User,
    comment: str = "",
    photos: Iterable[File] = (),
    changes: dict[str, Any] | None = None,
    validate: Callable[[Hazard], None] | None = None,
    at: datetime.datetime | None = None,
    notify: bool = True,
) -> Hazard:
    spec = TRANSITIONS[name]
    # Check the permission before reading the input (a refused actor gets 403, not 400),
    # then again on the locked row below.
    _require_transition(actor, hazard, name)
    if spec.needs_comment and not comment.strip():
        raise DomainError(_("请填写理由。"), field_errors={"comment": [_("此项为必填项。")]})
    cleaned = [clean_photo(p) for p in photos]
    at = at or timezone.now()
    with transaction.atomic():
        locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
        _require_transition(actor, locked, name)
        if locked.status not in spec.sources:
            # The caller saw an allowed state: another request won the race for the row lock.
            error = ConcurrentTransition if hazard.status in spec.sources else InvalidTransition
            raise error(refusals.state_refusal(locked, name))
        if validate:
            validate(locked)
        from_status = locked.status
        for field, value in (changes or {}).items():
            setattr(locked, field, value)
        locked.status = spec.target
        locked.save(update_fields=["status", "updated_at", *(changes or {})])
        event = HazardEvent.objects.create(
            hazard=locked,
            action=name,
            from_status=from_status,
            to_status=locked.status,
            actor=actor,
            comment=comment,
            created_at=at,
        )
        _save_photos(locked, event, cleaned, actor, at)
        if notify:
            _notify_on_commit(event)
    return locked


def _create_report(
    fields: dict[str, Any],
    cleaned: list[CleanPhoto],
    *,
    actor: User | None,
    at: datetime.datetime | None,
    notify: bool,
) -> Hazard:
    """Insert the hazard, its ``report`` event and photos in one transaction. The insert runs
    in its own savepoint so a duplicate ``client_id`` (IntegrityError of the unique
    constraint; on PostgreSQL a concurrent twin waits for the first commit, then fails)
    becomes ``AlreadyReported`` with the stored hazard, and no lookup races the insert."""
    at = at or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                hazard = Hazard.objects.create(reported_at=at, **fields)
        except IntegrityError:
            # The key is unique per reporter (a public report's: per school).
            existing = fields.get("client_id") and (
                Hazard.objects.filter(
                    client_id=fields["client_id"],
                    reported_by=fields.get("reported_by"),
                    **({} if fields.get("reported_by") else {"school": fields["school"]}),
                ).first()
            )
            if existing:
                raise AlreadyReported(existing) from None
            raise
        event = HazardEvent.objects.create(
            hazard=hazard,
            action=HazardEvent.Action.REPORT,
            to_status=hazard.status,
            actor=actor,
            comment=fields.get("description", ""),
            created_at=at,
        )
        _save_photos(hazard, event, cleaned, actor, at)
        if notify:
            _notify_on_commit(event)
    return hazard


def _require_transition(actor: User | AnonymousUser, hazard: Hazard, name: str) -> None:
    """NotPermitted with the reason of ``refusals`` (role, scope, separation of duties)."""
    reason = refusals.permission_refusal(actor, hazard, name)
    if reason:
        raise NotPermitted(reason)


def _require(actor: User | AnonymousUser, perm: str, obj: Model) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted()


def _assignment_errors(
    hazard: Hazard,
    responsible: User | None,
    measures: str,
    deadline: datetime.date,
    funding_yuan: Decimal | None,
    plan: str,
    today: datetime.date,
) -> dict[str, list[str]]:
    """Field name → messages of a 交办 that is incomplete or wrong; empty when it is fine."""
    required = _("此项为必填项。")
    errors: dict[str, list[str]] = {}
    if responsible is None:
        errors["responsible"] = [required]
    elif not User.objects.responsible_for(hazard.school_id).filter(pk=responsible.pk).exists():
        errors["responsible"] = [_("整改责任人必须是该校的安全员、校长或教师。")]
    if not measures.strip():
        errors["measures"] = [required]
    if deadline < today:
        errors["deadline"] = [_("整改期限不能早于今天。")]
    if hazard.level == Hazard.Level.MAJOR:
        major = _("重大隐患须落实此项（五落实：责任、措施、资金、时限、预案）。")
        if funding_yuan is None:
            errors["funding_yuan"] = [major]
        if not plan.strip():
            errors["contingency_plan"] = [major]
    if funding_yuan is not None and funding_yuan < 0:
        errors["funding_yuan"] = [_("资金不能为负数。")]
    return errors


def _save_photos(
    hazard: Hazard,
    event: HazardEvent,
    cleaned: Iterable[CleanPhoto],
    actor: User | None,
    at: datetime.datetime,
) -> None:
    for content, original_name in cleaned:
        photo = HazardPhoto(
            hazard=hazard,
            event=event,
            original_name=original_name,
            uploaded_by=actor,
            created_at=at,
        )
        photo.image.save(f"{photo.uuid}.jpg", content, save=False)
        photo.save()
        _thumbnail_on_commit(photo)


def _thumbnail_on_commit(photo: HazardPhoto) -> None:
    """The thumbnail, through the outbox: written with the photo, made after the commit."""
    outbox.enqueue("hazards.tasks.make_photo_thumbnail", photo.pk)


def _notify_on_commit(event: HazardEvent) -> None:
    """The event's notification, through the outbox: a broker outage loses none; and its
    outbound webhook event (``notifications.webhooks``), also through the outbox."""
    outbox.enqueue("hazards.tasks.notify_hazard_event", event.pk)
    _emit_webhook(event)


def _emit_webhook(event: HazardEvent) -> None:
    """``hazard.reported`` for a report, ``hazard.state_changed`` for a transition; a
    supplement changes no state and sends nothing. Keyed by the event: once each."""
    if event.action == HazardEvent.Action.REPORT:
        event_type = "hazard.reported"
    elif event.from_status != event.to_status:
        event_type = "hazard.state_changed"
    else:
        return
    hazard = event.hazard
    data = {
        "hazard": webhook_hazard(hazard),
        "action": event.action,
        "from_status": event.from_status or None,
        "to_status": event.to_status,
    }
    webhooks.emit(
        event_type,
        data,
        key=f"hazard-event:{event.pk}",
        at=event.created_at,
        school_id=hazard.school_id,
        department_id=hazard.department_id,
    )


def webhook_hazard(hazard: Hazard) -> dict[str, Any]:
    """The hazard as webhook payloads carry it (ids and stored values; the API has more)."""
    return {
        "id": hazard.pk,
        "school": hazard.school_id,
        "title": hazard.title,
        "status": hazard.status,
        "level": hazard.level,
        "category": hazard.category,
        "source": hazard.source,
        "department": hazard.department_id,
        "deadline": hazard.deadline.isoformat() if hazard.deadline else None,
        "supervising_leader": hazard.supervising_leader_id,
    }

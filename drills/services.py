"""Writes of the drills app: drills (with their problems, photos and a plan revision
request), emergency plans and their versions, incidents and their reports.

Every function checks the actor's permission (``drills/rules.py``) and raises
``core.exceptions`` errors with translated messages (``DomainError`` with the field's name
for bad input, ``NotPermitted``). ``now`` / ``today`` come from the caller (default: the
clock, for the older callers of ``record_drill``).
"""

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.bounds import MAX_SECONDS
from core.exceptions import DomainError, NotPermitted
from core.images import CleanPhoto, check_photo_budget, clean_photo
from hazards.models import Hazard
from hazards.services import report_hazard
from notifications import webhooks
from notifications.models import Kind
from notifications.services import bureau_people, notify, school_people
from schools.models import School

from .files import check_plan_file
from .models import (
    Drill,
    DrillPhoto,
    DrillProblem,
    EmergencyPlan,
    EvacuationTarget,
    Incident,
    IncidentAction,
    IncidentPerson,
    PlannedDrill,
    PlanVersion,
)


def _field_error(field: str, message: Any) -> DomainError:
    return DomainError(message, field_errors={field: [message]})


def _require(actor: User, perm: str, obj: Any, message: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted(message)


# --- drills -------------------------------------------------------------------------------


def evacuation_target(school: School, building: str = "") -> int:
    """Target evacuation seconds for ``building`` of ``school``: the school's target for that
    building, else its whole-school target, else ``DRILL_PRIMARY_TARGET_SECONDS`` for a
    primary school when set, else ``DRILL_TARGET_SECONDS`` (120 s, 教基一厅〔2014〕2号)."""
    targets = {t.building: t.seconds for t in EvacuationTarget.objects.filter(school=school)}
    if building.strip() in targets:
        return targets[building.strip()]
    if "" in targets:
        return targets[""]
    primary = settings.DRILL_PRIMARY_TARGET_SECONDS
    if primary and school.school_type == School.SchoolType.PRIMARY:
        return primary
    return settings.DRILL_TARGET_SECONDS


def _drill_date(
    date: datetime.date | None,
    signal_at: datetime.datetime | None,
    completed_at: datetime.datetime | None,
    now: datetime.datetime,
) -> datetime.date:
    if signal_at is not None:
        date = timezone.localdate(signal_at)  # the Beijing day of the signal
    if date is None:
        raise _field_error("date", _("请填写演练日期或发出信号时间。"))
    if date > timezone.localdate(now):
        raise _field_error("date", _("日期不能晚于今天。"))
    if signal_at and completed_at and completed_at < signal_at:
        raise _field_error("completed_at", _("完成时间不能早于发出信号时间。"))
    return date


def _seconds(
    signal_at: datetime.datetime | None,
    completed_at: datetime.datetime | None,
    seconds: int | None,
) -> int | None:
    if signal_at and completed_at:
        seconds = int((completed_at - signal_at).total_seconds())
        if seconds > MAX_SECONDS:
            raise _field_error("completed_at", _("疏散完成时间距发出信号超过一天，请检查。"))
        return seconds
    if seconds is not None and seconds < 0:
        raise _field_error("evacuation_seconds", _("疏散用时不能为负数。"))
    return seconds


def _check_headcount(counts: dict[str, Any], note: str) -> None:
    for present, expected in (
        ("student_participants", "students_expected"),
        ("staff_participants", "staff_expected"),
    ):
        for name in (present, expected, "missing_count", "injured_count"):
            if (counts.get(name) or 0) < 0:
                raise _field_error(name, _("人数不能为负数。"))
        more = counts.get(expected) is not None and (counts.get(present) or 0) > counts[expected]
        if more and not note.strip():
            raise _field_error(
                "headcount_note", _("实到人数多于应到人数，请在“人数说明”中写明原因。")
            )


def _check_plan_version(school: School, version: PlanVersion | None) -> None:
    if version is not None and version.plan.school_id != school.pk:
        raise _field_error("plan_version", _("所选预案不属于本校，请选择本校的应急预案。"))


def record_drill(
    school: School,
    *,
    actor: User,
    drill_type: str,
    date: datetime.date | None = None,
    signal_at: datetime.datetime | None = None,
    completed_at: datetime.datetime | None = None,
    evacuation_seconds: int | None = None,
    plan_version: PlanVersion | None = None,
    problems: Sequence[str] = (),
    photos: Iterable[File] = (),
    now: datetime.datetime | None = None,
    **fields: Any,
) -> Drill:
    """Record one drill held at ``school``; returns it.

    ``date``: the Beijing date; with ``signal_at`` (aware datetime) it is the signal's date
    in Asia/Shanghai (a signal at 23:30 UTC on the 31st is a drill of the 1st). Evacuation
    seconds are ``completed_at - signal_at`` when both are given, else
    ``evacuation_seconds``. ``problems``: one line per problem found (each becomes a
    ``DrillProblem``, a hazard on request: ``problem_to_hazard``). ``photos``: uploads
    (core.images). ``fields``: the other ``Drill`` fields (mode, style, title, building,
    head counts, commander, teams, outside support, the six ratings, notes, improvements,
    ``plan_revision_needed``); None for a count or text stores 0 or "".

    Raises ``NotPermitted`` without ``drills.record_drill`` for the school; ``DomainError``
    with the field for a future date, completion before the signal, negative seconds or
    counts, more present than expected without ``headcount_note``, a plan of another school,
    a bad photo. Nothing is written when it raises.
    """
    _require(actor, "drills.record_drill", school, _("您没有登记本校应急演练的权限。"))
    now = now or timezone.now()
    date = _drill_date(date, signal_at, completed_at, now)
    seconds = _seconds(signal_at, completed_at, evacuation_seconds)
    _check_headcount(fields, fields.get("headcount_note") or "")
    _check_plan_version(school, plan_version)
    photos = [p for p in photos if p]
    check_photo_budget(photos)
    cleaned = [clean_photo(p) for p in photos]
    values = {k: (v if v is not None else _blank(k)) for k, v in fields.items()}
    with transaction.atomic():
        drill = Drill.objects.create(
            school=school,
            drill_type=drill_type,
            date=date,
            signal_at=signal_at,
            completed_at=completed_at,
            evacuation_seconds=seconds,
            target_seconds=evacuation_target(school, values.get("building", "")),
            plan_version=plan_version,
            recorded_by=actor,
            **values,
        )
        DrillProblem.objects.bulk_create(
            [DrillProblem(drill=drill, description=p.strip()) for p in problems if p.strip()]
        )
        _save_photos(drill, cleaned)
        if drill.plan_revision_needed:
            _request_revision(drill)
        _emit_drill_recorded(drill, now)
    return drill


def plan_drill(
    school: School,
    *,
    actor: User,
    drill_type: str,
    planned_on: datetime.date,
    today: datetime.date,
    mode: str = Drill.Mode.ANNOUNCED,
    style: str = Drill.Style.LIVE,
    is_night: bool = False,
    note: str = "",
) -> PlannedDrill:
    """Put a drill on ``school``'s schedule for ``planned_on`` (a Beijing date, today or
    later); a night-dormitory drill is a night drill whatever ``is_night`` says.

    Raises ``NotPermitted`` without ``drills.record_drill`` for the school; ``DomainError``
    (``planned_on``) for a past day or a second plan of the same type that day."""
    _require(actor, "drills.record_drill", school, _("只能为本校制定演练计划。"))
    if planned_on < today:
        raise _field_error("planned_on", _("计划日期不能早于今天。"))
    if PlannedDrill.objects.filter(
        school=school, planned_on=planned_on, drill_type=drill_type
    ).exists():
        raise _field_error("planned_on", _("本校当天已计划同类演练。"))
    return PlannedDrill.objects.create(
        school=school,
        drill_type=drill_type,
        planned_on=planned_on,
        mode=mode,
        style=style,
        is_night=is_night or drill_type == Drill.DrillType.NIGHT_DORM,
        note=note,
        created_by=actor,
    )


def cancel_planned_drill(plan: PlannedDrill, *, actor: User, today: datetime.date) -> None:
    """Take a plan off the schedule; only while its day has not passed (a past plan stays,
    done or missed, as the record the compliance page shows). ``NotPermitted`` /
    ``DomainError``."""
    _require(actor, "drills.record_drill", plan.school, _("只能取消本校的演练计划。"))
    if plan.planned_on < today:
        raise _field_error("planned_on", _("已过计划日期的演练计划不能取消。"))
    plan.delete()


def _emit_drill_recorded(drill: Drill, at: datetime.datetime) -> None:
    """The ``drill.recorded`` webhook event (``notifications.webhooks``), once per drill;
    no department owns a drill, so department subscriptions do not get it."""
    data = {
        "drill": {
            "id": drill.pk,
            "school": drill.school_id,
            "drill_type": drill.drill_type,
            "mode": drill.mode,
            "style": drill.style,
            "date": drill.date.isoformat(),
            "evacuation_seconds": drill.evacuation_seconds,
            "target_seconds": drill.target_seconds,
            "student_participants": drill.student_participants,
            "staff_participants": drill.staff_participants,
        }
    }
    webhooks.emit("drill.recorded", data, key=f"drill:{drill.pk}", at=at, school_id=drill.school_id)


def _blank(name: str) -> Any:
    field: Any = Drill._meta.get_field(name)
    return (
        0
        if field.get_internal_type() == "PositiveIntegerField" and not field.null
        else (None if field.null else "")
    )


def _request_revision(drill: Drill) -> None:
    """The drill found the plan wanting: the plan (the one used, else the school's of the
    drill's kind) is marked for revision and its owner (else the school's managers) gets a
    task in the inbox, until a newly approved version clears it."""
    plan = (
        drill.plan_version.plan
        if drill.plan_version
        else EmergencyPlan.objects.filter(school=drill.school, kind=drill.drill_type).first()
    )
    if plan is not None:
        plan.revision_requested_by = drill
        plan.save(update_fields=["revision_requested_by"])
    people = (
        [plan.owner]
        if plan and plan.owner
        else school_people(drill.school, User.SCHOOL_MANAGER_ROLES)
    )
    notify(
        people,
        kind=Kind.PLAN_REVISION,
        subject=plan or drill,
        period=f"drill:{drill.pk}",
        title=lambda: gettext("应急预案需修订：%(plan)s") % {"plan": plan or drill},
        body=lambda: (
            gettext("%(date)s的%(type)s演练认为预案需要修订，请修订并上传经审批的新版本。")
            % {"date": drill.date, "type": drill.get_drill_type_display()}
        ),
        url=plan.get_absolute_url() if plan else drill.get_absolute_url(),
        school=drill.school,
    )


def problem_to_hazard(
    problem: DrillProblem, *, actor: User, category: str = Hazard.Category.OTHER
) -> Hazard:
    """Turn a drill's problem into a hazard of the ledger (source "drill", linked to the
    drill) through ``hazards.services.report_hazard``; a second call returns the same
    hazard. Raises ``NotPermitted`` when the actor may not report hazards at the school."""
    with transaction.atomic():
        problem = (
            DrillProblem.objects.select_for_update()
            .select_related("drill__school")
            .get(pk=problem.pk)
        )
        if problem.hazard_id:
            return problem.hazard  # type: ignore[return-value]
        drill = problem.drill
        hazard = report_hazard(
            drill.school,
            actor=actor,
            title=problem.description[:100],
            category=category,
            source=Hazard.Source.DRILL,
            location=drill.building,
            description=gettext("%(date)s %(type)s演练中发现：%(problem)s")
            % {"date": drill.date, "type": drill.get_drill_type_display(), "problem": problem},
            drill=drill,
        )
        problem.hazard = hazard
        problem.save(update_fields=["hazard"])
    return hazard


def add_drill_photos(drill: Drill, *, actor: User, photos: Iterable[File]) -> list[DrillPhoto]:
    """Add photos to a drill (core.images: checked, re-encoded, metadata dropped)."""
    _require(actor, "drills.record_drill", drill.school, _("您没有登记本校应急演练的权限。"))
    photos = [p for p in photos if p]
    check_photo_budget(photos)
    cleaned = [clean_photo(p) for p in photos]
    with transaction.atomic():
        return _save_photos(drill, cleaned)


def _save_photos(drill: Drill, cleaned: Iterable[CleanPhoto]) -> list[DrillPhoto]:
    photos = []
    for content, name in cleaned:
        photo = DrillPhoto(drill=drill, original_name=name[-255:])
        photo.image.save(f"{photo.uuid}.jpg", content, save=False)
        photo.save()
        photos.append(photo)
    return photos


# --- plans --------------------------------------------------------------------------------


def create_plan(
    school: School, *, actor: User, kind: str, title: str = "", owner: User | None = None
) -> EmergencyPlan:
    """A new plan of ``kind`` for ``school`` (one per kind: a second is a ``DomainError``
    on ``kind``); its text comes as versions (``add_plan_version``)."""
    _require(actor, "drills.manage_plan", school, _("您没有管理本校应急预案的权限。"))
    if EmergencyPlan.objects.filter(school=school, kind=kind).exists():
        raise _field_error("kind", _("本校该类别的应急预案已存在，请上传新版本。"))
    if owner is not None and not owner.has_school(school.pk):
        raise _field_error("owner", _("负责人须为本校人员。"))
    label = Drill.DrillType(kind).label
    return EmergencyPlan.objects.create(
        school=school,
        kind=kind,
        title=title or f"{label}{gettext('应急预案')}",
        owner=owner or actor,
    )


def add_plan_version(
    plan: EmergencyPlan,
    *,
    actor: User,
    file: File,
    approved_on: datetime.date | None = None,
    approver: str = "",
    notes: str = "",
    today: datetime.date | None = None,
) -> PlanVersion:
    """Upload a new version of ``plan`` (the next number). ``file`` must be a PDF or a DOCX
    by its content (``drills.files.check_plan_file``: magic bytes, the DOCX's zip parts),
    at most ``PLAN_FILE_MAX_BYTES``. With ``approved_on`` (not after today) and
    ``approver`` it is approved at once and becomes current. Raises ``DomainError`` on the
    field at fault, ``NotPermitted`` for another school."""
    _require(actor, "drills.manage_plan", plan.school, _("您没有管理本校应急预案的权限。"))
    file_type = check_plan_file(file)
    _check_approval(approved_on, approver, today or timezone.localdate())
    with transaction.atomic():
        plan = EmergencyPlan.objects.select_for_update().get(pk=plan.pk)
        last = plan.versions.order_by("-number").values_list("number", flat=True).first()
        version = PlanVersion(
            plan=plan,
            number=(last or 0) + 1,
            file_type=file_type,
            original_name=(getattr(file, "name", "") or "")[-255:],
            approved_on=approved_on,
            approver=approver.strip() if approved_on else "",
            notes=notes,
            uploaded_by=actor,
        )
        version.file.save(f"plan.{file_type}", file, save=False)
        version.save()
        if approved_on:
            _clear_revision(plan)
    return version


def _check_approval(approved_on: datetime.date | None, approver: str, today: datetime.date) -> None:
    if approved_on is None:
        return
    if approved_on > today:
        raise _field_error("approved_on", _("审批日期不能晚于今天。"))
    if not approver.strip():
        raise _field_error("approver", _("请填写审批人。"))


def approve_plan_version(
    version: PlanVersion,
    *,
    actor: User,
    approved_on: datetime.date,
    approver: str,
    today: datetime.date | None = None,
) -> PlanVersion:
    """Record the approval of a draft version; it becomes current if it is the latest
    approved. Raises ``DomainError`` when already approved or on a bad date/approver."""
    _require(actor, "drills.manage_plan", version.plan.school, _("您没有管理本校应急预案的权限。"))
    _check_approval(approved_on, approver, today or timezone.localdate())
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        if version.approved_on:
            raise DomainError(_("该版本已审批。"))
        version.approved_on, version.approver = approved_on, approver.strip()
        version.save(update_fields=["approved_on", "approver"])
        _clear_revision(version.plan)
    return version


def _clear_revision(plan: EmergencyPlan) -> None:
    if plan.revision_requested_by_id:
        plan.revision_requested_by = None
        plan.save(update_fields=["revision_requested_by"])


# --- incidents ----------------------------------------------------------------------------


def incident_deadlines(incident: Incident) -> dict[str, datetime.datetime]:
    """``{stage: deadline}`` of the three reports (``Incident.STAGES``) by the incident's
    level, from ``settings.INCIDENT_DEADLINES_HOURS`` (docs/decisions.md)."""
    hours = settings.INCIDENT_DEADLINES_HOURS[incident.level]
    return {
        stage: incident.occurred_at + datetime.timedelta(hours=hours[stage])
        for stage in Incident.STAGES
    }


def stage_done_at(incident: Incident, stage: str) -> datetime.datetime | None:
    """When the report of ``stage`` was made (None: not yet)."""
    return {
        "initial": incident.reported_at,
        "written": incident.written_report_at,
        "closure": incident.closed_at,
    }[stage]


def _log(incident: Incident, text: str, at: datetime.datetime, actor: User | None) -> None:
    IncidentAction.objects.create(incident=incident, text=text[:500], at=at, actor=actor)


def report_incident(
    school: School,
    *,
    actor: User,
    occurred_at: datetime.datetime,
    place: str,
    kind: str,
    summary: str,
    level: str = Incident.Level.IV,
    plan: EmergencyPlan | None = None,
    hazards: Iterable[Hazard] = (),
    people: Iterable[dict[str, str]] = (),
    now: datetime.datetime | None = None,
    **counts: Any,
) -> Incident:
    """Report an incident at ``school`` to the bureau (the initial report: now). ``counts``:
    ``students_involved``, ``staff_involved``, ``injured``, ``deaths`` and
    ``first_measures``; ``people``: ``{"name", "role", "injury"}`` rows of the restricted
    names list. The bureau is told (``Kind.INCIDENT``). Raises ``DomainError`` for a time
    in the future, a plan or hazard of another school, negative counts; ``NotPermitted``."""
    _require(actor, "drills.report_incident", school, _("您没有报告本校安全事故的权限。"))
    now = now or timezone.now()
    if occurred_at > now:
        raise _field_error("occurred_at", _("发生时间不能晚于现在。"))
    if plan is not None and plan.school_id != school.pk:
        raise _field_error("plan", _("所选预案不属于本校，请选择本校的应急预案。"))
    hazards = list(hazards)
    if any(h.school_id != school.pk for h in hazards):
        raise _field_error("hazards", _("所选隐患不属于本校。"))
    for name in ("students_involved", "staff_involved", "injured", "deaths"):
        if (counts.get(name) or 0) < 0:
            raise _field_error(name, _("人数不能为负数。"))
    values = {
        k: (v if v is not None else (0 if k != "first_measures" else "")) for k, v in counts.items()
    }
    with transaction.atomic():
        incident = Incident.objects.create(
            school=school, occurred_at=occurred_at, place=place, kind=kind, summary=summary,
            level=level, plan=plan, reported_at=now, reported_by=actor, **values,
        )  # fmt: skip
        incident.hazards.set(hazards)
        IncidentPerson.objects.bulk_create(
            [IncidentPerson(incident=incident, **p) for p in people if p.get("name")]
        )
        _log(incident, gettext("学校向教体局初报"), now, actor)
        notify(
            bureau_people(),
            kind=Kind.INCIDENT,
            subject=incident,
            period="initial",
            title=lambda: (
                gettext("安全事故报告：%(incident)s（%(level)s）")
                % {"incident": incident, "level": incident.get_level_display()}
            ),
            body=lambda: incident.summary[:200],
            url=incident.get_absolute_url(),
            school=school,
        )
        _emit_incident_reported(incident)
    return incident


def _emit_incident_reported(incident: Incident) -> None:
    """The ``incident.reported`` webhook event, once per incident. Counts only: no names
    of the people involved (``IncidentPerson`` is restricted), no free-text summary or
    measures (they may name them)."""
    data = {
        "incident": {
            "id": incident.pk,
            "school": incident.school_id,
            "kind": incident.kind,
            "level": incident.level,
            "status": incident.status,
            "occurred_at": incident.occurred_at.isoformat(),
            "reported_at": incident.reported_at.isoformat(),
            "students_involved": incident.students_involved,
            "staff_involved": incident.staff_involved,
            "injured": incident.injured,
            "deaths": incident.deaths,
        }
    }
    webhooks.emit(
        "incident.reported",
        data,
        key=f"incident:{incident.pk}",
        at=incident.reported_at,
        school_id=incident.school_id,
    )


def _open_incident(incident: Incident, actor: User) -> Incident:
    _require(actor, "drills.report_incident", incident.school, _("您没有处理本校安全事故的权限。"))
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.status != Incident.Status.OPEN:
        raise DomainError(_("该事件已结案。"))
    return locked


def add_incident_action(
    incident: Incident, *, actor: User, text: str, at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> IncidentAction:  # fmt: skip
    """Append an entry to the open incident's timeline (``at``: when it was done, not
    after now and not before the incident)."""
    now = now or timezone.now()
    at = at or now
    if not text.strip():
        raise _field_error("text", _("请填写处置情况。"))
    if at > now or at < incident.occurred_at:
        raise _field_error("at", _("时间须在事件发生之后、现在之前。"))
    with transaction.atomic():
        incident = _open_incident(incident, actor)
        return IncidentAction.objects.create(
            incident=incident, text=text.strip(), at=at, actor=actor
        )


def submit_written_report(
    incident: Incident, *, actor: User, text: str, now: datetime.datetime | None = None
) -> Incident:
    """The school's written report (书面报告) of an open incident; once."""
    now = now or timezone.now()
    if not text.strip():
        raise _field_error("written_report", _("请填写书面报告内容。"))
    with transaction.atomic():
        incident = _open_incident(incident, actor)
        if incident.written_report_at:
            raise DomainError(_("书面报告已提交。"))
        incident.written_report, incident.written_report_at = text.strip(), now
        incident.save(update_fields=["written_report", "written_report_at"])
        _log(incident, gettext("提交书面报告"), now, actor)
    return incident


def close_incident(
    incident: Incident,
    *,
    actor: User,
    cause: str,
    measures: str,
    lessons: str = "",
    plan_changes: bool = False,
    now: datetime.datetime | None = None,
) -> Incident:
    """Close an incident with its review (cause, measures, lessons, whether plans change);
    the written report must be in. Plans to change are marked for revision."""
    now = now or timezone.now()
    if not cause.strip():
        raise _field_error("cause", _("请填写原因分析。"))
    if not measures.strip():
        raise _field_error("measures", _("请填写整改措施。"))
    with transaction.atomic():
        incident = _open_incident(incident, actor)
        if not incident.written_report_at:
            raise DomainError(_("请先提交书面报告，再结案。"))
        incident.review_cause, incident.review_measures = cause.strip(), measures.strip()
        incident.review_lessons, incident.review_plan_changes = lessons.strip(), plan_changes
        incident.status, incident.closed_at = Incident.Status.CLOSED, now
        incident.save()
        _log(incident, gettext("结案并完成总结评估"), now, actor)
        if plan_changes and incident.plan is not None:
            _plan_task(incident.plan, about=incident, period=f"incident:{incident.pk}")
    return incident


def _plan_task(plan: EmergencyPlan, *, about: Any, period: str) -> None:
    """The plan must change: its owner (else the school's managers) gets the task."""
    people = [plan.owner] if plan.owner else school_people(plan.school, User.SCHOOL_MANAGER_ROLES)
    notify(
        people,
        kind=Kind.PLAN_REVISION,
        subject=plan,
        period=period,
        title=lambda: gettext("应急预案需修订：%(plan)s") % {"plan": plan},
        body=lambda: (
            gettext("%(about)s的总结评估认为预案需要修订，请修订并上传经审批的新版本。")
            % {"about": about}
        ),
        url=plan.get_absolute_url(),
        school=plan.school,
    )

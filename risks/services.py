"""Writes to the risk register. Every function takes the object first, the rest
keyword-only including ``actor``; it checks ``risks.manage_register`` for the school and
raises ``NotPermitted`` (403) or ``DomainError`` (400, with field messages) before writing.

Time is an input: ``today`` (a Beijing date) comes from the caller.
"""

import calendar
import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from PIL import Image

from accounts.models import User
from core.exceptions import DomainError, NotPermitted
from core.images import PhotoError, clean_photo
from hazards.models import Hazard
from schools.models import School

from . import methods
from .models import RiskAssessment, RiskCheck, RiskHazardLink, RiskPoint, RiskPolicy, SitePlan
from .starter import starter_points

POINT_FIELDS = (
    "name", "kind", "category", "hazard_types", "control_measures", "control_level", "owner",
    "owner_name", "review_due", "is_active",
)  # fmt: skip


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the month's end (31 Jan + 1 →
    28/29 Feb), as PostgreSQL's ``date + interval 'n months'``."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _require(actor: User, obj: Model) -> None:
    if not actor.has_perm("risks.manage_register", obj):
        raise NotPermitted(_("您没有管理该校风险台账的权限。"))


def _check_owner(school: School, owner: User | None) -> None:
    if owner is not None and not owner.has_school(school.pk):
        message = _("责任人必须是本校人员。")
        raise DomainError(message, field_errors={"owner": [message]})


def _check_unique_name(school: School, name: str, exclude: int | None = None) -> None:
    taken = RiskPoint.objects.filter(school=school, name=name).exclude(pk=exclude).exists()
    if taken:
        message = _("本校已有同名风险点。")
        raise DomainError(message, field_errors={"name": [message]})


def create_point(
    school: School, *, actor: User, name: str, category: str, **fields: Any
) -> RiskPoint:
    """Add a risk point to ``school``'s register (ungraded until its first assessment).
    ``fields``: any of ``POINT_FIELDS``."""
    _require(actor, school)
    _check_unique_name(school, name)
    _check_owner(school, fields.get("owner"))
    unknown = set(fields) - set(POINT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return RiskPoint.objects.create(school=school, name=name, category=category, **fields)


def update_point(point: RiskPoint, *, actor: User, **fields: Any) -> RiskPoint:
    """Change the description, measures, owner or review date of ``point`` (not its grade:
    that is ``assess_point``)."""
    _require(actor, point)
    if "name" in fields:
        _check_unique_name(point.school, fields["name"], exclude=point.pk)
    _check_owner(point.school, fields.get("owner"))
    for name, value in fields.items():
        if name not in POINT_FIELDS:
            raise TypeError(f"unknown field: {name}")
        setattr(point, name, value)
    point.save(update_fields=list(fields))
    return point


def assess_point(
    point: RiskPoint,
    *,
    actor: User,
    today: datetime.date,
    likelihood: Any,
    severity: Any,
    exposure: Any = None,
    reason: str = RiskAssessment.Reason.INITIAL,
    note: str = "",
    policy: RiskPolicy | None = None,
) -> RiskAssessment:
    """Assess ``point`` on ``today`` by the bureau's method (``RiskPolicy.method``): score
    and grade from ``risks.methods``, stored as a new assessment; the point takes the grade
    and a review date ``policy.review_months`` later. A value off the method's scale raises
    ``ScaleError`` (400 on that field), nothing saved."""
    _require(actor, point)
    policy = policy or RiskPolicy.current()
    score, grade = methods.grade_for(
        policy.method, likelihood=likelihood, severity=severity, exposure=exposure
    )
    with transaction.atomic():
        point = RiskPoint.objects.select_for_update().get(pk=point.pk)
        assessment = RiskAssessment.objects.create(
            point=point,
            method=policy.method,
            likelihood=Decimal(str(likelihood)),
            severity=Decimal(str(severity)),
            exposure=Decimal(str(exposure)) if policy.method == methods.LEC else None,
            score=score,
            grade=grade,
            reason=reason,
            note=note,
            assessed_on=today,
            assessed_by=actor,
        )
        point.grade, point.score = grade, score
        point.review_due = add_months(today, policy.review_months)
        point.save(update_fields=["grade", "score", "review_due"])
    return assessment


def record_check(
    point: RiskPoint,
    *,
    actor: User | None,
    date: datetime.date,
    today: datetime.date,
    result: str = RiskCheck.Result.OK,
    note: str = "",
) -> RiskCheck:
    """Record that ``point`` was checked on ``date`` (not after ``today``). ``actor`` None:
    the system recording a check done elsewhere (a submitted self inspection, a patrol of
    the point), with no permission to ask and no ``checked_by``."""
    if actor is not None:
        _require(actor, point)
    if date > today:
        message = _("检查日期不能晚于今天。")
        raise DomainError(message, field_errors={"date": [message]})
    return RiskCheck.objects.create(
        point=point, date=date, result=result, note=note, checked_by=actor
    )


def link_hazard(point: RiskPoint, *, actor: User, hazard: Hazard) -> RiskHazardLink:
    """Link ``hazard`` (of the point's school) to ``point``; linking twice is a no-op."""
    _require(actor, point)
    if hazard.school_id != point.school_id:
        message = _("只能关联本校的隐患。")
        raise DomainError(message, field_errors={"hazard": [message]})
    link, _created = RiskHazardLink.objects.get_or_create(
        point=point, hazard=hazard, defaults={"linked_by": actor}
    )
    return link


def upload_site_plan(school: School, *, actor: User, upload: File) -> SitePlan:
    """Store ``upload`` as ``school``'s site plan (replacing the old one): decoded and
    re-encoded by ``core.images.clean_photo`` (JPEG/PNG/WebP/HEIC, size- and pixel-limited,
    metadata stripped), in the private storage. Not an image → DomainError on ``image``."""
    _require(actor, school)
    try:
        content, original = clean_photo(upload)
    except PhotoError as exc:
        raise DomainError(exc.message, field_errors={"image": [exc.message]}) from None
    with Image.open(content) as image:
        width, height = image.size
    content.seek(0)
    old = SitePlan.objects.filter(school=school).first()
    with transaction.atomic():
        if old is not None:
            old.image.delete(save=False)
            old.delete()
        plan = SitePlan(school=school, width=width, height=height, uploaded_by=actor)
        plan.image.save(f"{plan.uuid}.jpg", content, save=False)
        plan.save()
    return plan


def _percent(field: str, value: Any) -> Decimal:
    message = _("位置必须在平面图范围内（0–100%）。")
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(message, field_errors={field: [message]}) from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise DomainError(message, field_errors={field: [message]})
    return number


def place_point(point: RiskPoint, *, actor: User, x: Any, y: Any) -> RiskPoint:
    """Place ``point`` on its school's site plan at (``x``, ``y``) per cent of the plan's
    width and height from the top-left corner. Off the plan, or no plan yet → DomainError."""
    _require(actor, point)
    if not SitePlan.objects.filter(school_id=point.school_id).exists():
        message = _("请先上传学校平面图。")
        raise DomainError(message)
    point.plan_x, point.plan_y = _percent("plan_x", x), _percent("plan_y", y)
    point.save(update_fields=["plan_x", "plan_y"])
    return point


def apply_starter_set(school: School, *, actor: User, today: datetime.date) -> list[RiskPoint]:
    """Add the starter points of ``school``'s type (``risks.starter``) that it lacks, each
    assessed with the suggested values when the bureau uses the risk matrix (under LEC the
    school assesses them). Returns the points added."""
    _require(actor, school)
    policy = RiskPolicy.current()
    have = set(RiskPoint.objects.filter(school=school).values_list("name", flat=True))
    added = []
    for starter in starter_points(school):
        name = str(starter.name)
        if name in have:
            continue
        point = RiskPoint.objects.create(
            school=school,
            name=name,
            kind=starter.kind,
            category=starter.category,
            hazard_types=str(starter.hazard_types),
            control_measures=str(starter.measures),
            control_level=starter.control_level,
            created_on=today,
        )
        if policy.method == methods.MATRIX:
            assess_point(
                point, actor=actor, today=today, likelihood=starter.likelihood,
                severity=starter.severity, policy=policy,
            )  # fmt: skip
        added.append(point)
    return added

"""Services of remediation projects (整改项目): funded works such as the 2024 fire-safety
legacy programme (投入5418万元解决消防遗留问题), with a budget, a contractor, expenses, and the
schools and hazards they cover.

Writes (bureau staff only, else ``NotPermitted``): ``create_project``, ``update_project``,
``record_expense``, ``complete_project``. Amounts are yuan as ``Decimal``. Completing a fire
project marks its schools' fire acceptance (消防验收) passed on the completion date. The reads
(projects of a user, spending, investment by year) are in ``hazards.selectors``.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from core.exceptions import DomainError, NotPermitted
from schools.models import School

from .models import Hazard, RemediationExpense, RemediationProject

Category = RemediationProject.Category


def _require_manager(actor: User | AnonymousUser) -> None:
    """Bureau staff manage projects (``hazards.manage_remediation``); school users only read
    theirs."""
    if not actor.has_perm("hazards.manage_remediation"):
        raise NotPermitted()


def _check_links(actor: User, schools: Iterable[School], hazards: Iterable[Hazard]) -> None:
    """Schools must be in the actor's scope and hazards belong to the linked schools, else
    DomainError (field ``schools`` or ``hazards``)."""
    school_ids = {s.pk for s in schools}
    if any(not actor.has_school(pk) for pk in school_ids):
        raise DomainError(
            _("所选学校不在您的管理范围内。"), field_errors={"schools": [_("学校超出范围。")]}
        )
    if any(h.school_id not in school_ids for h in hazards):
        raise DomainError(
            _("关联隐患须属于所选学校。"), field_errors={"hazards": [_("关联隐患须属于所选学校。")]}
        )


def _check_amounts(budget_yuan: Decimal | None) -> None:
    if budget_yuan is None or budget_yuan < 0:
        raise DomainError(
            _("预算不能为负数。"), field_errors={"budget_yuan": [_("预算不能为负数。")]}
        )


def create_project(
    *,
    actor: User,
    name: str,
    category: str,
    budget_yuan: Decimal,
    contractor: str = "",
    start_date: datetime.date | None = None,
    schools: Iterable[School] = (),
    hazards: Iterable[Hazard] = (),
) -> RemediationProject:
    """Create a project; linked schools of a fire project not yet accepted go to 整改中.

    ``category``: a ``RemediationProject.Category`` value; ``budget_yuan`` ≥ 0. Raises
    NotPermitted, DomainError (negative budget, a school out of scope, a hazard of a school
    not linked)."""
    _require_manager(actor)
    _check_amounts(budget_yuan)
    schools, hazards = list(schools), list(hazards)
    _check_links(actor, schools, hazards)
    with transaction.atomic():
        project = RemediationProject.objects.create(
            name=name,
            category=category,
            budget_yuan=budget_yuan,
            contractor=contractor,
            start_date=start_date,
        )
        project.schools.set(schools)
        project.hazards.set(hazards)
        _mark_fire_in_progress(project, actor)
    return project


def update_project(
    project: RemediationProject,
    *,
    actor: User,
    schools: Iterable[School] | None = None,
    hazards: Iterable[Hazard] | None = None,
    **fields: Any,
) -> RemediationProject:
    """Change name, category, budget_yuan, contractor or start_date, and the links (None:
    keep them). Raises TypeError for another field, else as ``create_project``."""
    _require_manager(actor)
    allowed = {"name", "category", "budget_yuan", "contractor", "start_date"}
    if set(fields) - allowed:
        raise TypeError(f"unexpected fields: {set(fields) - allowed}")
    if "budget_yuan" in fields:
        _check_amounts(fields["budget_yuan"])
    schools = list(project.schools.all()) if schools is None else list(schools)
    hazards = list(project.hazards.all()) if hazards is None else list(hazards)
    _check_links(actor, schools, hazards)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(project, name, value)
        project.save()
        project.schools.set(schools)
        project.hazards.set(hazards)
        _mark_fire_in_progress(project, actor)
    return project


def record_expense(
    project: RemediationProject,
    *,
    actor: User,
    school: School,
    date: datetime.date,
    amount_yuan: Decimal,
    note: str = "",
) -> RemediationExpense:
    """Record money spent (yuan > 0) for one of the project's schools on ``date``. Raises
    NotPermitted, DomainError (fields ``amount_yuan``, ``school``)."""
    _require_manager(actor)
    errors: dict[str, list[str]] = {}
    if amount_yuan is None or amount_yuan <= 0:
        errors["amount_yuan"] = [_("金额须大于零。")]
    if not project.schools.filter(pk=school.pk).exists():
        errors["school"] = [_("该学校不在本项目中。")]
    if errors:
        raise DomainError(_("支出信息有误。"), field_errors=errors)
    return RemediationExpense.objects.create(
        project=project, school=school, date=date, amount_yuan=amount_yuan, note=note
    )


def complete_project(
    project: RemediationProject, *, actor: User, on: datetime.date | None = None
) -> RemediationProject:
    """Record completion on ``on`` (default today, Beijing). For a fire project every linked
    school passes fire acceptance (消防验收) on that date. Raises NotPermitted, DomainError
    when already completed or ``on`` is before the start date."""
    _require_manager(actor)
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = RemediationProject.objects.select_for_update().get(pk=project.pk)
        if locked.end_date is not None:
            raise DomainError(_("项目已于 %(date)s 完工。") % {"date": locked.end_date})
        if locked.start_date and on < locked.start_date:
            raise DomainError(
                _("完工日期不能早于开工日期。"),
                field_errors={"on": [_("完工日期不能早于开工日期。")]},
            )
        locked.end_date = on
        locked.save(update_fields=["end_date"])
        if locked.category == Category.FIRE:
            _set_schools(
                locked.schools.all(),
                actor,
                fire_acceptance_status=School.FireAcceptance.PASSED,
                fire_acceptance_date=on,
            )
    return locked


def _mark_fire_in_progress(project: RemediationProject, actor: User | AnonymousUser) -> None:
    if project.category == Category.FIRE and project.end_date is None:
        _set_schools(
            project.schools.filter(fire_acceptance_status=School.FireAcceptance.NOT_PASSED),
            actor,
            fire_acceptance_status=School.FireAcceptance.IN_PROGRESS,
        )


def _set_schools(schools: Iterable[School], actor: User | AnonymousUser, **values: Any) -> None:
    """Set ``values`` on ``schools`` in one update, with a history row per school."""
    rows = list(schools)
    for school in rows:
        for name, value in values.items():
            setattr(school, name, value)
    if rows:
        bulk_update_with_history(rows, School, list(values), default_user=actor)

"""Cross-inspection rounds (交叉互查): the bureau opens a round, the system proposes who
inspects whom (``pairing``), the bureau edits the pairings and publishes them as planned
cross inspections.

Errors: DomainError (400) for bad input, InvalidTransition (400) for a published round,
NotPermitted (403) for anyone but the bureau.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.exceptions import DomainError, InvalidTransition

from . import pairing
from .models import CrossInspectionRound, CrossPairing, Inspection
from .schedule import check_year
from .services import field_error, require_bureau

S = Inspection.Status


def open_round(
    *, actor, name: str, period_start: datetime.date, period_end: datetime.date, checklist, schools
) -> CrossInspectionRound:
    """Create a draft round and propose its pairings (DomainError below three schools)."""
    require_bureau(actor, "inspections.manage_round")
    check_year("period_start", period_start)
    check_year("period_end", period_end)
    if period_end < period_start:
        raise field_error("period_end", _("结束日期不能早于开始日期。"))
    if not checklist.is_published:
        raise field_error("checklist", _("只能使用已发布的检查表。"))
    with transaction.atomic():
        rnd = CrossInspectionRound.objects.create(
            name=name,
            period_start=period_start,
            period_end=period_end,
            checklist=checklist,
            created_by=actor,
        )
        rnd.schools.set(schools)
        propose_round_pairings(rnd, actor=actor)
    return rnd


def previous_round_pairs(rnd) -> set[tuple[int, int]]:
    """(inspector id, inspected id) pairs of the latest published round before ``rnd``."""
    last = (
        CrossInspectionRound.objects.filter(
            status=CrossInspectionRound.Status.PUBLISHED, period_start__lt=rnd.period_start
        )
        .exclude(pk=rnd.pk)
        .order_by("-period_start", "-id")
        .first()
    )
    if last is None:
        return set()
    return set(last.pairings.values_list("inspector_id", "inspected_id"))


def propose_round_pairings(rnd, *, actor, seed: int = 0) -> list[CrossPairing]:
    """Replace the draft round's pairings with a fresh proposal."""
    require_bureau(actor, "inspections.manage_round", rnd)
    _require_draft(rnd)
    schools = {s.pk: s for s in rnd.schools.all()}
    pairs = pairing.propose_pairings(
        sorted(schools), previous_round_pairs(rnd), lambda pk: schools[pk].school_type, seed=seed
    )
    with transaction.atomic():
        rnd.pairings.all().delete()
        return CrossPairing.objects.bulk_create(
            CrossPairing(round=rnd, inspector_id=a, inspected_id=b) for a, b in pairs
        )


def set_pairings(rnd, *, actor, inspector_of: dict[int, int]) -> list[CrossPairing]:
    """Replace the draft's pairings by ``{inspected id: inspector id}`` after the bureau's
    edit; an edit of one school's inspector makes the two inspecting schools trade places
    (``pairing.with_swap``). Every participant must be inspected once and inspect once; no
    self, no mutual pair. Raises DomainError naming the problem."""
    require_bureau(actor, "inspections.manage_round", rnd)
    with transaction.atomic():
        locked = CrossInspectionRound.objects.select_for_update().get(pk=rnd.pk)
        _require_draft(locked)
        current = dict(locked.pairings.values_list("inspected_id", "inspector_id"))
        inspector_of = pairing.with_swap(current, inspector_of)
        _validate_pairs(set(locked.schools.values_list("id", flat=True)), inspector_of)
        locked.pairings.all().delete()
        return CrossPairing.objects.bulk_create(
            CrossPairing(round=rnd, inspector_id=a, inspected_id=b) for b, a in inspector_of.items()
        )


def publish_round(rnd, *, actor) -> CrossInspectionRound:
    """draft → published: one planned cross Inspection per pairing, on the checklist."""
    require_bureau(actor, "inspections.manage_round", rnd)
    with transaction.atomic():
        locked = CrossInspectionRound.objects.select_for_update().get(pk=rnd.pk)
        if locked.status == CrossInspectionRound.Status.PUBLISHED:
            raise InvalidTransition(_("互查轮次已发布。"))
        pairs = list(locked.pairings.select_related("inspector", "inspected"))
        if not pairs:
            raise DomainError(_("尚无配对，不能发布。"))
        bulk_create_with_history(
            [_planned_inspection(locked, p, actor) for p in pairs], Inspection, default_user=actor
        )
        locked.status = CrossInspectionRound.Status.PUBLISHED
        locked.save(update_fields=["status"])
    return locked


def _planned_inspection(rnd, pair, actor):
    title = _("%(round)s：%(inspector)s检查%(inspected)s") % {
        "round": rnd.name,
        "inspector": pair.inspector.name,
        "inspected": pair.inspected.name,
    }
    return Inspection(
        kind=Inspection.Kind.CROSS,
        title=title[:200],
        school=pair.inspected,
        inspecting_school=pair.inspector,
        date=rnd.period_start,
        checklist=rnd.checklist,
        round=rnd,
        status=S.PLANNED,
    )


def _require_draft(rnd):
    if rnd.status != CrossInspectionRound.Status.DRAFT:
        raise InvalidTransition(_("互查轮次已发布，配对不能再修改。"))


def _validate_pairs(participants, inspector_of):
    problems = []
    if set(inspector_of) != participants or set(inspector_of.values()) != participants:
        problems.append(_("每所参加学校必须检查一所、被检查一所。"))
    if any(a == b for b, a in inspector_of.items()):
        problems.append(_("学校不能检查自己。"))
    if any(a != b and inspector_of.get(a) == b for b, a in inspector_of.items()):
        problems.append(_("同一轮中两所学校不能互相检查。"))
    if problems:
        raise DomainError(" ".join(str(p) for p in problems), field_errors={"pairings": problems})

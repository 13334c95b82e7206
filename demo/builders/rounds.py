"""The demo's cross-inspection round of each year (交叉互查): the round, its pairings (the
cross inspections records.py made) and every inspection's checklist answers, whose failed
items are exactly the cross-inspection hazards of that inspection (71 in 2024)."""

import datetime

from hazards.models import Hazard
from inspections.checklist_data import load_standard_checklist
from inspections.models import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    CrossInspectionRound,
    CrossPairing,
    Inspection,
    InspectionAnswer,
)

R = InspectionAnswer.Result


def standard_checklist() -> Checklist:
    """The standard checklist (version 1, published 2024-01-01) of the demo's cross rounds
    and planned inspections. Shipped by a data migration; recreated if it was removed (or
    flushed by a test)."""
    return load_standard_checklist(
        Checklist, ChecklistSection, ChecklistItem, published_on=datetime.date(2024, 1, 1)
    )


def build_cross_round(year, inspections):
    """Round + pairings + answers for ``inspections`` (cross, all already created with
    their hazards). Returns the round, or None when there is no cross inspection yet."""
    if not inspections:
        return None
    checklist = standard_checklist()
    rnd = CrossInspectionRound.objects.create(
        name=f"{year}年秋季校园安全交叉互查",
        period_start=datetime.date(year, 10, 14),
        period_end=datetime.date(year, 11, 8),
        checklist=checklist,
        status=CrossInspectionRound.Status.PUBLISHED,
    )
    rnd.schools.set(
        {i.school_id for i in inspections} | {i.inspecting_school_id for i in inspections}
    )
    CrossPairing.objects.bulk_create(
        CrossPairing(round=rnd, inspector_id=i.inspecting_school_id, inspected_id=i.school_id)
        for i in inspections
    )
    Inspection.objects.filter(pk__in=[i.pk for i in inspections]).update(
        round=rnd, checklist=checklist
    )
    items = list(ChecklistItem.objects.filter(checklist=checklist).order_by("order"))
    answers = []
    for inspection in inspections:
        answers += _answers(inspection, items)
    InspectionAnswer.objects.bulk_create(answers)
    return rnd


def _answers(inspection, items):
    """Every applicable item answered; one failed item per cross hazard, of its category."""
    applicable = set(
        ChecklistItem.objects.filter(pk__in=[i.pk for i in items])
        .applicable_to(inspection.school)
        .values_list("pk", flat=True)
    )
    hazards = Hazard.objects.filter(
        inspection=inspection, source=Hazard.Source.CROSS_INSPECTION
    ).order_by("pk")
    failed = {}
    for hazard in hazards:
        item = _item_for(hazard, items, applicable, failed)
        failed[item.pk] = hazard
    return [
        InspectionAnswer(
            inspection=inspection,
            item=item,
            result=R.FAIL if item.pk in failed else R.PASS,
            hazard=failed.get(item.pk),
            note=failed[item.pk].title if item.pk in failed else "",
            answered_by=inspection.leader,
        )
        for item in items
        if item.pk in applicable or item.pk in failed
    ]


def _item_for(hazard, items, applicable, taken):
    """The first free item of the hazard's category, applicable ones first; any free item
    as the last resort (so every hazard keeps exactly one failed item)."""
    free = [i for i in items if i.pk not in taken]
    for candidates in (
        [i for i in free if i.category == hazard.category and i.pk in applicable],
        [i for i in free if i.category == hazard.category],
        [i for i in free if i.pk in applicable],
    ):
        if candidates:
            return candidates[0]
    return free[0]

import pytest

from core.exceptions import DomainError, InvalidTransition, NotPermitted
from hazards.models import Hazard
from inspections import rounds, services
from inspections.models import ChecklistItem, Inspection, InspectionAnswer
from tests.factories import InspectionFactory


def test_standard_checklist_has_every_category_and_major_items(checklist):
    assert [s.code for s in checklist.sections.all()] == list("ABCDEFGHIJKLMNOP")
    majors = set(checklist.items.filter(is_major=True).values_list("code", flat=True))
    assert {"A8", "E1", "E5", "E6", "E7", "E8", "E9", "E10", "G2", "I7"} == majors


def test_dormitory_items_apply_to_boarding_schools_only(cross_b_on_a, school_a):
    assert not services.applicable_items(cross_b_on_a).filter(code="I1").exists()
    school_a.is_boarding = True
    school_a.save()
    assert services.applicable_items(cross_b_on_a).filter(code="I1").exists()


def test_failed_item_creates_one_hazard_with_source_category_level(
    cross_b_on_a, officer_b, all_pass
):
    answers = all_pass(cross_b_on_a, E2=("fail", "灭火器过期"), E6=("fail", "安全出口上锁"))
    services.answer_items(cross_b_on_a, actor=officer_b, answers=answers)
    services.submit_inspection(cross_b_on_a, actor=officer_b)

    hazards = Hazard.objects.filter(inspection=cross_b_on_a).order_by("title")
    assert [(h.category, h.level, h.source, h.school_id) for h in hazards] == [
        ("fire", "general", "cross_inspection", cross_b_on_a.school_id),
        ("fire", "major", "cross_inspection", cross_b_on_a.school_id),
    ]
    e2 = InspectionAnswer.objects.get(inspection=cross_b_on_a, item__code="E2")
    assert e2.hazard.description == "灭火器过期"
    assert cross_b_on_a.__class__.objects.get(pk=cross_b_on_a.pk).status == "submitted"


def test_resubmitting_creates_no_second_hazard(cross_b_on_a, officer_b, all_pass):
    services.answer_items(
        cross_b_on_a, actor=officer_b, answers=all_pass(cross_b_on_a, M5=("fail", ""))
    )
    services.submit_inspection(cross_b_on_a, actor=officer_b)
    services.submit_inspection(cross_b_on_a, actor=officer_b)
    hazards = Hazard.objects.filter(inspection=cross_b_on_a)
    assert [(h.category, h.level) for h in hazards] == [("water", "general")]


def test_self_inspection_source(checklist, school_a, officer_a, all_pass):
    inspection = InspectionFactory(kind=Inspection.Kind.SELF, school=school_a, checklist=checklist)
    services.answer_items(
        inspection, actor=officer_a, answers=all_pass(inspection, H6=("fail", ""))
    )
    services.submit_inspection(inspection, actor=officer_a)
    hazard = Hazard.objects.get(inspection=inspection)
    assert (hazard.source, hazard.category) == ("self_inspection", "canteen")


def test_unanswered_items_are_listed(cross_b_on_a, officer_b, all_pass):
    answers = all_pass(cross_b_on_a)
    del answers["E1"], answers["P6"]
    services.answer_items(cross_b_on_a, actor=officer_b, answers=answers)
    with pytest.raises(DomainError) as exc:
        services.submit_inspection(cross_b_on_a, actor=officer_b)
    assert exc.value.field_errors["unanswered"] == ["E1", "P6"]
    assert not Hazard.objects.exists()


def test_item_of_another_checklist_version_is_refused(cross_b_on_a, officer_b, checklist):
    from inspections.models import Checklist, ChecklistSection

    v2 = Checklist.objects.create(name=checklist.name, version=2)
    section = ChecklistSection.objects.create(checklist=v2, code="Z", title="新增")
    ChecklistItem.objects.create(
        checklist=v2, section=section, code="Z1", text="新项", category="other"
    )
    with pytest.raises(DomainError) as exc:
        services.answer_items(cross_b_on_a, actor=officer_b, answers={"Z1": ("pass", "")})
    assert "Z1" in str(exc.value.message)
    assert not InspectionAnswer.objects.exists()


def test_the_inspected_school_cannot_fill_its_cross_inspection(cross_b_on_a, officer_a):
    with pytest.raises(NotPermitted):
        services.answer_items(cross_b_on_a, actor=officer_a, answers={"E1": ("pass", "")})


def test_review_by_bureau_after_submit(cross_b_on_a, officer_b, bureau_staff, all_pass):
    with pytest.raises(InvalidTransition):
        services.review_cross_inspection(cross_b_on_a, actor=bureau_staff)
    services.answer_items(cross_b_on_a, actor=officer_b, answers=all_pass(cross_b_on_a))
    services.submit_inspection(cross_b_on_a, actor=officer_b)
    with pytest.raises(NotPermitted):
        services.review_cross_inspection(cross_b_on_a, actor=officer_b)
    reviewed = services.review_cross_inspection(cross_b_on_a, actor=bureau_staff, comment="好")
    assert reviewed.status == "reviewed"
    with pytest.raises(InvalidTransition):
        services.answer_items(cross_b_on_a, actor=officer_b, answers={"E1": ("fail", "")})


def test_next_round_avoids_last_rounds_inspectors(bureau_staff, checklist):
    import datetime

    from tests.factories import SchoolFactory

    schools = [SchoolFactory() for _ in range(5)]
    first = rounds.open_round(
        actor=bureau_staff,
        name="春",
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2025, 4, 30),
        checklist=checklist,
        schools=schools,
    )
    rounds.publish_round(first, actor=bureau_staff)
    second = rounds.open_round(
        actor=bureau_staff,
        name="秋",
        period_start=datetime.date(2025, 10, 1),
        period_end=datetime.date(2025, 10, 31),
        checklist=checklist,
        schools=schools,
    )
    old = set(first.pairings.values_list("inspector_id", "inspected_id"))
    new = set(second.pairings.values_list("inspector_id", "inspected_id"))
    assert len(new) == 5 and not old & new


def test_bureau_edit_refuses_mutual_and_self_pairs(bureau_staff, checklist):
    import datetime

    from tests.factories import SchoolFactory

    a, b, c = (SchoolFactory() for _ in range(3))
    rnd = rounds.open_round(
        actor=bureau_staff,
        name="春",
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2025, 4, 30),
        checklist=checklist,
        schools=[a, b, c],
    )
    with pytest.raises(DomainError, match="互相检查"):
        rounds.set_pairings(
            rnd, actor=bureau_staff, inspector_of={a.pk: b.pk, b.pk: a.pk, c.pk: c.pk}
        )
    with pytest.raises(DomainError, match="被检查一所"):
        rounds.set_pairings(rnd, actor=bureau_staff, inspector_of={a.pk: b.pk, b.pk: c.pk})

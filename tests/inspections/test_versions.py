"""Checklist versions: a published version is frozen in the admin; the bureau copies it as a
draft, edits the draft and publishes it; past answers keep the old items."""

import datetime

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Checklist, ChecklistItem, InspectionAnswer
from tests.factories import SchoolFactory


def admin_url(model, view, *args):
    return reverse(f"admin:inspections_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client(admin_as, bureau_admin):
    return admin_as(bureau_admin, "all")


def test_copy_edit_and_publish_a_new_version_in_the_admin(
    admin_client, checklist, cross_b_on_a, officer_b
):
    services.answer_items(cross_b_on_a, actor=officer_b, answers={"E6": ("fail", "堆放杂物")})
    old_item = ChecklistItem.objects.get(checklist=checklist, code="E6")
    response = admin_client.post(
        admin_url(Checklist, "changelist"),
        {"action": "copy_as_new_version", "_selected_action": [checklist.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft = Checklist.objects.get(name=checklist.name, version=2)
    assert not draft.is_published
    assert (
        draft.items.count() == checklist.items.count()
        and draft.sections.count() == checklist.sections.count()
    )
    assert set(draft.items.values_list("section__checklist", flat=True)) == {draft.pk}

    item = draft.items.get(code="E6")
    change = admin_url(ChecklistItem, "change", item.pk)
    form = admin_client.get(change).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None and v is not False} | {
        "text": "疏散通道、安全出口畅通（新）"
    }
    assert admin_client.post(change, data).status_code == 302
    admin_client.post(
        admin_url(Checklist, "changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_published and draft.published_on is not None
    # The past answer still points at version 1's unchanged item.
    answer = InspectionAnswer.objects.get(inspection=cross_b_on_a)
    assert (
        answer.item == old_item
        and answer.item.text == old_item.text != "疏散通道、安全出口畅通（新）"
    )


def test_a_published_version_cannot_be_changed_or_deleted(admin_client, checklist):
    item = checklist.items.first()
    assert (
        admin_client.post(admin_url(ChecklistItem, "change", item.pk), {"text": "改"}).status_code
        == 403
    )
    assert (
        admin_client.post(admin_url(ChecklistItem, "delete", item.pk), {"post": "yes"}).status_code
        == 403
    )
    assert (
        admin_client.post(admin_url(Checklist, "delete", checklist.pk), {"post": "yes"}).status_code
        == 403
    )
    item.refresh_from_db()
    assert item.text != "改"
    # Adding an item offers draft versions only.
    form = admin_client.get(admin_url(ChecklistItem, "add")).context["adminform"].form
    assert checklist not in form.fields["checklist"].queryset


def test_an_unpublished_version_cannot_be_used(api_as, bureau_staff, checklist):
    draft = services.new_checklist_version(checklist, actor=bureau_staff)
    schools = [SchoolFactory() for _ in range(3)]
    response = api_as(bureau_staff).post(
        "/api/v1/cross-inspection-rounds/",
        {
            "name": "草稿互查",
            "period_start": "2025-04-01",
            "period_end": "2025-04-30",
            "checklist": draft.pk,
            "schools": [s.pk for s in schools],
        },
        format="json",
    )
    assert response.status_code == 400 and "checklist" in response.json()
    response = api_as(bureau_staff).post(
        "/api/v1/inspections/",
        {"kind": "spot", "school": schools[0].pk, "date": "2025-04-02", "checklist": draft.pk},
        format="json",
    )
    assert response.status_code == 400


def test_only_the_bureau_makes_versions(officer_a, checklist):
    from core.exceptions import NotPermitted

    with pytest.raises(NotPermitted):
        services.new_checklist_version(checklist, actor=officer_a)


def test_publishing_twice_or_empty_is_refused(bureau_staff, checklist):
    from core.exceptions import DomainError

    with pytest.raises(DomainError):
        services.publish_checklist(checklist, actor=bureau_staff)
    empty = Checklist.objects.create(name="空表", version=1)
    with pytest.raises(DomainError):
        services.publish_checklist(empty, actor=bureau_staff, on=datetime.date(2025, 1, 1))


def test_staff_outside_the_bureau_get_a_message_not_a_500(admin_as, officer_a, checklist):
    client = admin_as(officer_a, "all")
    response = client.post(
        admin_url(Checklist, "changelist"),
        {"action": "copy_as_new_version", "_selected_action": [checklist.pk]},
        follow=True,
    )
    assert response.status_code == 200 and "教体局" in response.content.decode()
    assert Checklist.objects.count() == 1


def test_an_item_must_sit_in_a_section_of_its_own_version(admin_client, bureau_staff, checklist):
    draft = services.new_checklist_version(checklist, actor=bureau_staff)
    other = services.new_checklist_version(checklist, actor=bureau_staff)
    response = admin_client.post(
        admin_url(ChecklistItem, "add"),
        {
            "checklist": draft.pk,
            "section": other.sections.first().pk,
            "code": "Z1",
            "text": "新增项",
            "category": "fire",
            "order": 999,
        },
    )
    assert response.status_code == 200 and "同一检查表版本" in response.content.decode()

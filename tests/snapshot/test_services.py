"""Services of the 随手拍: mark_duplicate, supplement_hazard, report_public_snapshot, and
the thumbnail task."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from core.exceptions import DomainError, InvalidTransition, NotPermitted
from hazards import services
from hazards.models import Hazard
from hazards.tasks import make_photo_thumbnail
from tests.factories import HazardFactory

from .conftest import snapshot_data


@pytest.fixture
def pair(school_a):
    original = HazardFactory(school=school_a, title="东楼梯扶手松动", location="东楼梯")
    duplicate = HazardFactory(school=school_a, title="扶手晃", location="东楼梯")
    return original, duplicate


def test_mark_duplicate_dismisses_and_links(pair, officer_a):
    original, duplicate = pair
    result = services.mark_duplicate(
        duplicate, actor=officer_a, original=original, comment="同一处"
    )
    assert (result.status, result.duplicate_of) == ("dismissed", original)
    assert f"#{original.pk}" in result.dismiss_reason and "东楼梯扶手松动" in result.dismiss_reason
    assert result.dismiss_reason.endswith("同一处")
    event = result.events.get()
    assert (event.action, event.actor, event.comment) == (
        "dismiss",
        officer_a,
        result.dismiss_reason,
    )
    assert list(original.duplicates.all()) == [result]


@pytest.mark.parametrize("case", ["itself", "other_school", "closed"])
def test_mark_duplicate_needs_another_open_hazard_of_the_same_school(
    pair, officer_a, school_b, case
):
    original, duplicate = pair
    target = {
        "itself": duplicate,
        "other_school": HazardFactory(school=school_b),
        "closed": HazardFactory(
            school=original.school, status="closed", closed_at=original.reported_at
        ),
    }[case]
    with pytest.raises(DomainError) as info:
        services.mark_duplicate(duplicate, actor=officer_a, original=target)
    assert "original" in info.value.field_errors
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of) == ("reported", None)


def test_mark_duplicate_needs_the_dismiss_permission(pair, teacher_a):
    original, duplicate = pair
    with pytest.raises(NotPermitted):
        services.mark_duplicate(duplicate, actor=teacher_a, original=original)


def test_an_assigned_hazard_is_not_dismissed_as_duplicate(pair, officer_a):
    original, duplicate = pair
    Hazard.objects.filter(pk=duplicate.pk).update(status="rectifying")
    with pytest.raises(InvalidTransition):
        services.mark_duplicate(duplicate, actor=officer_a, original=original)


def test_the_mark_duplicate_page(client, pair, officer_a, teacher_a):
    original, duplicate = pair
    url = reverse("hazard-mark-duplicate", args=[duplicate.pk])
    client.force_login(teacher_a)
    assert client.get(url).status_code == 403
    client.force_login(officer_a)
    page = client.get(url)
    assert page.status_code == 200 and "东楼梯扶手松动" in page.content.decode()
    assert client.post(url, {"original": ""}).status_code == 200  # form error, not 500
    response = client.post(url, {"original": original.pk})
    assert response.status_code == 302 and response.url == reverse(
        "hazard-detail", args=[duplicate.pk]
    )
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original
    again = client.get(url)  # dismissed now: back to the hazard with a message
    assert again.status_code == 302


def test_the_mark_duplicate_page_is_404_out_of_scope(client, pair, officer_b):
    client.force_login(officer_b)
    assert client.get(reverse("hazard-mark-duplicate", args=[pair[1].pk])).status_code == 404


def test_the_duplicates_partial_lists_them_both_ways(pair, officer_a):
    original, duplicate = pair
    services.mark_duplicate(duplicate, actor=officer_a, original=original)
    html = render_to_string("hazards/includes/duplicates.html", {"hazard": original})
    assert "扶手晃" in html and reverse("hazard-detail", args=[duplicate.pk]) in html
    duplicate.refresh_from_db()
    html = render_to_string(
        "hazards/includes/duplicates.html", {"hazard": duplicate, "can_mark_duplicate": False}
    )
    assert "东楼梯扶手松动" in html and "标记为重复" not in html


def test_supplementing_a_closed_hazard_is_refused(school_a, teacher_a):
    closed = HazardFactory(school=school_a, status="closed", closed_at=HazardFactory().reported_at)
    with pytest.raises(InvalidTransition):
        services.supplement_hazard(closed, actor=teacher_a, comment="x")


def test_supplementing_needs_the_report_permission(school_b, teacher_a):
    with pytest.raises(NotPermitted):
        services.supplement_hazard(HazardFactory(school=school_b), actor=teacher_a, comment="x")


def test_public_snapshot_refuses_an_inactive_school(school_a):
    school_a.is_active = False
    with pytest.raises(DomainError):
        services.report_public_snapshot(school_a, title="x", category="fire")


def test_tracking_codes_avoid_look_alike_characters():
    codes = {services.new_tracking_code() for _n in range(200)}
    assert len(codes) == 200
    assert not set("".join(codes)) & set("0O1IL2Z5S8B")


def test_the_thumbnail_task_is_idempotent(
    school_a, teacher_a, photo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        hazard = services.report_hazard(
            school_a,
            actor=teacher_a,
            source="snapshot",
            photos=[photo()],
            notify=False,
            **{k: v for k, v in snapshot_data().items() if k != "client_id"},
        )
    stored = hazard.photos.get()
    assert len(callbacks) == 1 and not stored.thumbnail  # made after the commit, not before
    callbacks[0]()
    stored.refresh_from_db()
    name = stored.thumbnail.name
    from PIL import Image

    with stored.thumbnail.open("rb") as f, Image.open(f) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) <= 480
    make_photo_thumbnail(stored.pk)  # a second delivery changes nothing
    stored.refresh_from_db()
    assert stored.thumbnail.name == name
    make_photo_thumbnail(999999)  # gone: quietly nothing

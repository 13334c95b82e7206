"""随手拍 for users with an account: /hazards/snapshot/, similar-hazard suggestions, adding
to an existing hazard, and retries of the same form."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hazards.models import Hazard, HazardEvent
from tests.factories import HazardFactory

from .conftest import snapshot_data

URL = reverse("snapshot")
SIMILAR = reverse("snapshot-similar")


def test_the_page_asks_for_photos_category_place_and_description(client, teacher_a, school_a):
    client.force_login(teacher_a)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("photos", "category", "location", "title", "client_id"):
        assert f'name="{name}"' in html
    assert 'capture="environment"' in html and "data-fresh-client-id" in html  # js/app.js
    assert f'type="hidden" name="school" value="{school_a.pk}"' in html  # one school: no chooser


def test_a_user_of_several_schools_chooses(client, bureau_staff, school_a, school_b):
    client.force_login(bureau_staff)
    html = client.get(URL).content.decode()
    assert '<select name="school"' in html and school_b.name in html


def test_snapshot_creates_a_hazard_with_source_snapshot(
    client, teacher_a, school_a, photo, django_capture_on_commit_callbacks
):
    client.force_login(teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {**snapshot_data(), "school": school_a.pk, "photos": [photo(), photo("b.jpg")]}
        )
    hazard = Hazard.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "hazard-detail", args=[hazard.pk]
    )
    assert (hazard.source, hazard.school, hazard.reported_by, hazard.category, hazard.location) == (
        "snapshot",
        school_a,
        teacher_a,
        "fire",
        "教学楼二楼东侧楼梯",
    )
    assert hazard.title == "灭火器压力不足" and hazard.client_id is not None
    photos = list(hazard.photos.all())
    assert len(photos) == 2
    assert all(p.thumbnail and p.thumbnail.name.endswith(f"{p.uuid}.jpg") for p in photos)


def test_the_same_form_sent_twice_gives_one_hazard(client, teacher_a, school_a, photo):
    client.force_login(teacher_a)
    data = {**snapshot_data(), "school": school_a.pk}
    first = client.post(URL, {**data, "photos": [photo()]})
    second = client.post(URL, {**data, "photos": [photo()]}, follow=True)
    hazard = Hazard.objects.get()
    assert first.url == reverse("hazard-detail", args=[hazard.pk])
    assert second.redirect_chain[-1][0] == first.url
    assert "未重复登记" in second.content.decode()
    assert hazard.photos.count() == 1 and hazard.events.count() == 1


def test_the_report_form_also_takes_a_client_id(client, officer_a, school_a):
    client.force_login(officer_a)
    data = {**snapshot_data(), "school": school_a.pk, "source": "patrol", "level": "general"}
    for _attempt in range(2):
        response = client.post(reverse("hazard-create"), data)
        assert response.status_code == 302
    assert Hazard.objects.count() == 1


def test_photo_is_optional(client, teacher_a, school_a):
    client.force_login(teacher_a)
    response = client.post(URL, {**snapshot_data(), "school": school_a.pk})
    assert response.status_code == 302 and Hazard.objects.get().photos.count() == 0


@pytest.mark.parametrize("missing", ["category", "location", "title"])
def test_a_missing_field_is_a_form_error(client, teacher_a, school_a, missing):
    client.force_login(teacher_a)
    data = {**snapshot_data(), "school": school_a.pk}
    del data[missing]
    response = client.post(URL, data)
    assert response.status_code == 200
    assert missing in response.context["form"].errors and not Hazard.objects.exists()


def test_garbage_is_a_form_error_not_a_500(client, teacher_a, school_a):
    client.force_login(teacher_a)
    response = client.post(
        URL,
        {**snapshot_data(client_id="nonsense", category="nuclear"), "school": "x", "add_to": "y"},
    )
    assert response.status_code == 200
    assert {"client_id", "category", "school", "add_to"} <= set(response.context["form"].errors)


def test_a_fake_photo_is_a_form_error(client, teacher_a, school_a):
    from tests.hazards.conftest import upload

    client.force_login(teacher_a)
    response = client.post(
        URL,
        {
            **snapshot_data(),
            "school": school_a.pk,
            "photos": [upload(b"<html><script>alert(1)</script>", "x.jpg")],
        },
    )
    assert response.status_code == 200 and "photos" in response.context["form"].errors
    assert not Hazard.objects.exists()


def test_who_may_not_report_gets_403_and_anonymous_logs_in(client, report_client):
    assert client.get(URL).status_code == 302
    client.force_login(report_client)
    assert client.get(URL).status_code == 403


# --- similar hazards -----------------------------------------------------------------


def similar(client, school, location="教学楼二楼东楼梯", category="fire"):
    return client.get(SIMILAR, {"school": school.pk, "category": category, "location": location})


def test_similar_open_hazards_are_suggested(client, teacher_a, school_a, school_b):
    near = HazardFactory(school=school_a, title="楼梯灭火器过期", location="教学楼二楼东侧楼梯")
    HazardFactory(
        school=school_a, title="别的类别", category="electrical", location="教学楼二楼东侧楼梯"
    )
    HazardFactory(school=school_a, title="别的地方", location="食堂后厨")
    HazardFactory(
        school=school_a,
        title="太早了",
        location="教学楼二楼东侧楼梯",
        reported_at=timezone.now() - datetime.timedelta(days=31),
    )
    HazardFactory(
        school=school_a,
        title="已办结",
        location="教学楼二楼东侧楼梯",
        status="closed",
        closed_at=timezone.now(),
    )
    HazardFactory(school=school_b, title="乙校的", location="教学楼二楼东侧楼梯")
    client.force_login(teacher_a)
    response = similar(client, school_a)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="add_to" value="{near.pk}"' in html
    for title in ("别的类别", "别的地方", "太早了", "已办结", "乙校的"):
        assert title not in html


def test_no_suggestions_for_another_school_or_nonsense(client, teacher_a, school_b):
    HazardFactory(school=school_b, location="教学楼二楼东侧楼梯")
    client.force_login(teacher_a)
    assert 'name="add_to"' not in similar(client, school_b).content.decode()
    response = client.get(SIMILAR, {"school": "abc", "category": "", "location": "x" * 500})
    assert response.status_code == 200 and 'name="add_to"' not in response.content.decode()


def test_adding_to_a_suggested_hazard_files_no_new_one(client, teacher_a, school_a, photo):
    existing = HazardFactory(school=school_a, location="教学楼二楼东侧楼梯")
    client.force_login(teacher_a)
    response = client.post(
        URL,
        {
            **snapshot_data(title="还是没修"),
            "school": school_a.pk,
            "add_to": existing.pk,
            "photos": [photo()],
        },
    )
    assert response.status_code == 302 and response.url == reverse(
        "hazard-detail", args=[existing.pk]
    )
    assert Hazard.objects.count() == 1
    event = existing.events.get()
    assert (event.action, event.actor, event.comment, event.from_status, event.to_status) == (
        HazardEvent.Action.SUPPLEMENT,
        teacher_a,
        "还是没修",
        "reported",
        "reported",
    )
    assert event.photos.count() == 1 and existing.photos.count() == 1


def test_adding_to_a_hazard_of_another_school_is_refused(client, teacher_a, school_a, school_b):
    other = HazardFactory(school=school_b)
    client.force_login(teacher_a)
    response = client.post(URL, {**snapshot_data(), "school": school_a.pk, "add_to": other.pk})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not other.events.exists() and Hazard.objects.count() == 1
